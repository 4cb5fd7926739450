"""A unit requires two-step login of its offices: who is sent to enrol (office and viewer
roles at or below it; not members, not secretaries, not offices elsewhere), the page that
sets it and who may use it."""

import pytest
from django.test import Client
from django.urls import reverse

from chibo.accounts import second_factor as sf
from chibo.accounts import totp
from chibo.accounts.models import SecondFactor
from chibo.core.models import AuditEvent
from chibo.org.models import SecondFactorRule
from chibo.org.second_factor import second_factor_state
from chibo.testing import factories as f


def require(unit):
    SecondFactorRule.objects.create(unit=unit)


def test_office_under_a_requiring_province_is_sent_to_enrol(world, cast, client_for):
    require(world.province)
    c = client_for(cast.base_officer)
    r = c.get(reverse("org:tree"))
    assert r.status_code == 302 and r["Location"] == reverse("accounts:second_factor_enrol")
    r = c.get(reverse("accounts:second_factor_enrol"))
    assert r.status_code == 200 and 'id="two-step-required"' in r.text
    # The API says why.
    r = c.get("/api/v1/units", headers={"Accept-Language": "en"})
    assert r.status_code == 403 and "two-step login" in r.json()["detail"]
    # Logging out still works.
    assert c.post(reverse("accounts:logout")).status_code == 302


def test_enrolling_lets_them_in(world, cast, client_for):
    require(world.province)
    c = client_for(cast.viewer)
    r = c.get(reverse("accounts:second_factor_enrol"))
    secret = r.text.split('id="totp-secret">')[1].split("<")[0].replace(" ", "")
    r = c.post(
        reverse("accounts:second_factor_enrol"), {"code": totp.code_at(secret, totp.time.time())}
    )
    assert r.status_code == 302
    assert SecondFactor.objects.filter(user=cast.viewer).exists()
    assert c.get(reverse("org:tree")).status_code == 200


@pytest.mark.parametrize("who", ["member", "secretary", "outsider"])
def test_not_required_of_members_secretaries_or_offices_elsewhere(world, cast, client_for, who):
    require(world.base)
    assert second_factor_state(getattr(cast, who)) == (False, False)
    c = client_for(getattr(cast, who))
    assert c.get(reverse("accounts:account")).status_code == 200
    assert c.get(reverse("meetings:mine")).status_code == 200


def test_state_follows_the_tree(world, cast):
    assert second_factor_state(cast.base_officer) == (False, False)
    require(world.base)
    assert second_factor_state(cast.base_officer) == (False, True)
    # The province's office sits above the commune: not required of it.
    assert second_factor_state(cast.province_officer) == (False, False)
    assert second_factor_state(cast.outsider) == (False, False)


def test_a_rule_set_while_logged_in_applies_within_minutes(world, cast, client_for):
    c = client_for(cast.base_officer)
    assert c.get(reverse("org:tree")).status_code == 200
    require(world.province)
    assert c.get(reverse("org:tree")).status_code == 200  # the session's note still holds
    session = c.session
    session[sf.STATE] = {**session[sf.STATE], "at": "2000-01-01T00:00:00+00:00"}
    session.save()
    assert c.get(reverse("org:tree"))["Location"] == reverse("accounts:second_factor_enrol")


def test_the_province_office_sets_it_on_a_page(world, cast, en):
    c = en(cast.province_officer)
    url = reverse("org:second_factor_rule", args=[world.province.pk])
    assert url in c.get(reverse("org:unit", args=[world.province.pk])).text
    r = c.get(url)
    assert r.status_code == 200 and "base" in r.text  # the offices still without it
    r = c.post(url, {"required": "on"})
    assert r.status_code == 302
    assert SecondFactorRule.objects.filter(unit=world.province).exists()
    assert AuditEvent.objects.filter(kind="org.second_factor_required").count() == 1
    # Their own next session must enrol first (this one is checked again within minutes).
    assert en(cast.province_officer).get(url)["Location"] == reverse("accounts:second_factor_enrol")
    # A commune below shows who requires it.
    admin = f.user(username="root", is_superuser=True)
    r = en(admin).get(reverse("org:second_factor_rule", args=[world.base.pk]))
    assert 'id="rule-above"' in r.text
    r = c.post(url, {})
    assert r.status_code == 302 and not SecondFactorRule.objects.exists()
    assert AuditEvent.objects.filter(kind="org.second_factor_not_required").count() == 1


def test_who_may_set_it(world, cast, client_for):
    url = reverse("org:second_factor_rule", args=[world.base.pk])
    # The commune's own office may require it of its part.
    assert client_for(cast.base_officer).get(url).status_code == 200
    # A viewer reads the commune but does not decide: 403; an office elsewhere: 404.
    assert client_for(cast.viewer).get(url).status_code == 403
    assert client_for(cast.outsider).get(url).status_code == 404
    assert client_for(cast.outsider).post(url, {"required": "on"}).status_code == 404
    assert not SecondFactorRule.objects.exists()
    # A cell has no office to require it of.
    cell_url = reverse("org:second_factor_rule", args=[world.cell.pk])
    assert client_for(cast.base_officer).get(cell_url).status_code == 403
    assert client_for(cast.base_officer).put(url).status_code == 405
    assert Client().get(url).status_code == 302
