"""The rules pages and API: who reads, who adds a version or a day, and what is refused."""

import datetime as dt

import pytest
from django.contrib.auth.models import Permission
from django.utils import timezone

from chibo import rules
from chibo.rules.models import DayChange, RuleVersion
from chibo.testing.api import EN, call

D = dt.date


@pytest.fixture
def client_for(client_for):
    """Pages in English: the messages are asserted in English."""

    def make(user):
        c = client_for(user)
        c.cookies["django_language"] = "en"
        return c

    return make


def _grant(user, *codenames):
    for code in codenames:
        user.user_permissions.add(Permission.objects.get(codename=code))


@pytest.fixture
def keeper(cast):
    """The province office with the permission to keep the rules."""
    _grant(cast.province_officer, "add_ruleversion", "add_daychange")
    return cast.province_officer


def test_the_rules_in_force_and_their_sources(client_for, cast):
    c = client_for(cast.viewer)
    r = c.get("/rules/?on=30/06/2025", headers=EN)
    assert r.status_code == 200
    rows = r.context["groups"]
    by_name = {row["entry"].name: row for _t, group in rows for row in group}
    assert by_name["probation_months"]["version"].source.startswith("Điều lệ Đảng (2011)")
    assert by_name["meeting_min_minutes"]["version"] is None  # before Hướng dẫn 42
    r = c.get("/rules/?on=01/07/2025", headers=EN)
    by_name = {row["entry"].name: row for _t, group in r.context["groups"] for row in group}
    assert by_name["probation_months"]["version"].source == "Quy định 294-QĐ/TW (2025)"
    assert by_name["special_majority"]["value"] == "2/3 (66,67%)"
    assert "Quy định 294-QĐ/TW (2025)" in r.content.decode()
    assert c.get("/rules/?on=31/02/2025").status_code == 404
    assert c.get("/rules/?province=abc").status_code == 404
    assert c.get(f"/rules/?province={world_province_pk(r)}9").status_code == 404


def world_province_pk(response) -> int:
    return response.context["provinces"][0].pk


def test_reading_takes_a_unit_role(client_for, cast, client):
    assert client_for(cast.member).get("/rules/").status_code == 403
    assert client.get("/rules/").status_code == 302  # to the login page
    for who in (cast.secretary, cast.outsider, cast.base_officer):
        assert client_for(who).get("/rules/").status_code == 200


def test_adding_takes_the_permission_and_a_province_office(client_for, cast, keeper):
    _grant(cast.base_officer, "add_ruleversion", "add_daychange")  # permission, no province
    assert client_for(cast.base_officer).get("/rules/new/").status_code == 403
    assert client_for(cast.viewer).get("/rules/new/").status_code == 403
    other = client_for(cast.outsider)
    assert other.get("/rules/new/").status_code == 403
    assert client_for(keeper).get("/rules/new/").status_code == 200
    assert client_for(cast.base_officer).post("/rules/days/", {}).status_code == 403


def test_a_new_version_from_today_leaves_yesterday_alone(client_for, world, keeper):
    today = timezone.localdate()
    yesterday = today - dt.timedelta(days=1)
    before = rules.at(yesterday)
    c = client_for(keeper)
    r = c.post(
        "/rules/new/",
        {
            "effective_from": today.strftime("%d/%m/%Y"),
            "source": "Quy định mới (thử)",
            "province": "0",
            "v_probation_months": "18",
            "v_badge_occasions": "19/05, 3/2",
            "v_badge_discipline_wait_months": "reprimand=3, warning=6, dismissal=9",
        },
        headers=EN,
    )
    assert r.status_code == 302, r.content.decode()
    assert rules.at(yesterday) == before
    now = rules.at(today)
    assert now.probation_months == 18
    assert now.badge_occasions == [(2, 3), (5, 19)]
    assert now.badge_discipline_wait_months == {"reprimand": 3, "warning": 6, "dismissal": 9}
    assert now.review_working_days == before.review_working_days  # not set: kept


@pytest.mark.parametrize(
    "field,text,message",
    [
        ("v_probation_months", "twelve", "is not a whole number"),
        ("v_probation_months", "-1", "cannot be negative"),
        ("v_special_majority", "3/2", "between 0 and 1"),
        ("v_special_majority", "two thirds", "as a fraction"),
        ("v_badge_occasions", "31/02", "is not a day and month"),
        ("v_badge_discipline_wait_months", "reprimand=6", "give a value for each"),
        ("v_badge_discipline_wait_months", "scolding=6, warning=9, dismissal=12", "is not one of"),
        ("v_badge_early_ill_months", "30", "key=number"),
        ("v_badge_years", "0, 30", "each number of years is at least one"),
    ],
)
def test_bad_values_are_refused_and_nothing_is_written(
    client_for, world, keeper, field, text, message
):
    count = RuleVersion.objects.count()
    r = client_for(keeper).post(
        "/rules/new/",
        {
            "effective_from": timezone.localdate().strftime("%d/%m/%Y"),
            "source": "Thử",
            "province": "0",
            field: text,
        },
        headers=EN,
    )
    assert r.status_code == 422
    assert message in r.content.decode()
    assert RuleVersion.objects.count() == count


def test_a_version_cannot_take_effect_in_the_past(client_for, world, keeper):
    count = RuleVersion.objects.count()
    yesterday = timezone.localdate() - dt.timedelta(days=1)
    r = client_for(keeper).post(
        "/rules/new/",
        {
            "effective_from": yesterday.strftime("%d/%m/%Y"),
            "source": "Thử",
            "province": "0",
            "v_probation_months": "6",
        },
        headers=EN,
    )
    assert r.status_code == 422
    assert "from today at the earliest" in r.content.decode()
    r = client_for(keeper).post(
        "/rules/new/",
        {
            "effective_from": timezone.localdate().strftime("%d/%m/%Y"),
            "source": "Thử",
            "province": "0",
        },
        headers=EN,
    )
    assert r.status_code == 422 and "at least one value" in r.content.decode()
    assert RuleVersion.objects.count() == count


@pytest.fixture
def new_year_2026(monkeypatch):
    """Record days as on 01/01/2026 (a day before today cannot change)."""
    monkeypatch.setattr("chibo.rules.services._today", lambda: D(2026, 1, 1))


def test_the_year_of_working_days(client_for, cast, keeper, new_year_2026):
    # 2026: 261 weekdays; 13 weekday holidays (01/01, 16-20/02, 27/04, 30/04, 01/05, 31/08,
    # 01/09, 02/09, 24/11); Saturday 22/08 worked: 261 - 13 + 1.
    r = client_for(cast.viewer).get("/rules/days/?year=2026", headers=EN)
    assert r.status_code == 200 and r.context["working_count"] == 249
    assert client_for(cast.viewer).post("/rules/days/", {}).status_code == 403
    c = client_for(keeper)
    r = c.post("/rules/days/", {"date": "23/02/2026", "name": "Nghỉ bù"}, headers=EN)
    assert r.status_code == 302
    assert c.get("/rules/days/?year=2026").context["working_count"] == 248
    change = DayChange.objects.get()
    assert client_for(cast.viewer).post(f"/rules/days/{change.pk}/delete/").status_code == 403
    assert c.get(f"/rules/days/{change.pk}/delete/").status_code == 405
    assert c.post(f"/rules/days/{change.pk}/delete/").status_code == 302
    assert c.get("/rules/days/?year=2026").context["working_count"] == 249


def test_api(client_for, cast, keeper, new_year_2026):
    viewer = client_for(cast.viewer)
    r = call(viewer, "GET", "/rules?on=2025-07-01")
    assert r.status_code == 200
    by_name = {x["name"]: x for x in r.json()["rules"]}
    assert by_name["probation_months"]["value"] == 12
    assert by_name["probation_months"]["source"] == "Quy định 294-QĐ/TW (2025)"
    today = timezone.localdate().isoformat()
    body = {"effective_from": today, "source": "Thử", "values": {"probation_months": 18}}
    assert call(viewer, "POST", "/rules/versions", body).status_code == 403
    c = client_for(keeper)
    r = call(c, "POST", "/rules/versions", {**body, "effective_from": "2020-01-01"})
    assert r.status_code == 422 and "from today at the earliest" in r.content.decode()
    r = call(c, "POST", "/rules/versions", {**body, "values": {"nonsense": 1}})
    assert r.status_code == 422 and "Unknown rules: nonsense" in r.content.decode()
    r = call(c, "POST", "/rules/versions", body)
    assert r.status_code == 201 and r.json()["values"] == {"probation_months": 18}
    r = call(viewer, "GET", "/rules/working-days?year=2026")
    assert r.json()["working_days"] == 249
    r = call(viewer, "GET", "/rules/working-days/after?start=2026-02-06&days=30")
    assert r.json() == {"deadline": "2026-03-27"}
    r = call(
        c,
        "POST",
        "/rules/working-days",
        {"date": "2026-02-23", "working": False, "name": "Nghỉ bù"},
    )
    assert r.status_code == 201
    r = call(viewer, "GET", "/rules/working-days/after?start=2026-02-06&days=30")
    assert r.json() == {"deadline": "2026-03-30"}
    change = DayChange.objects.get()
    assert call(viewer, "DELETE", f"/rules/working-days/{change.pk}").status_code == 403
    assert call(c, "DELETE", f"/rules/working-days/{change.pk + 1}").status_code == 404
    assert call(c, "DELETE", f"/rules/working-days/{change.pk}").status_code == 204
    assert not DayChange.objects.exists()


def test_a_province_varies_only_the_scoring(client_for, world, keeper):
    today = timezone.localdate()
    c = client_for(keeper)
    form = {
        "effective_from": today.strftime("%d/%m/%Y"),
        "source": "Hướng dẫn của Tỉnh ủy (thử)",
        "province": str(world.province.pk),
    }
    count = RuleVersion.objects.count()
    r = c.post("/rules/new/", {**form, "v_probation_months": "18", "v_quality_good": "85"})
    assert r.status_code == 422
    assert "these rules are the same nationwide: Probation from the ceremony" in r.content.decode()
    assert RuleVersion.objects.count() == count
    r = c.post("/rules/new/", {**form, "v_quality_good": "85"})
    assert r.status_code == 302
    assert rules.at(today, world.cell).quality_good == 85
    assert rules.at(today).quality_good == 90  # nationwide unchanged
