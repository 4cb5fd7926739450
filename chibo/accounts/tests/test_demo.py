"""The demo logins (chibo.accounts.demo, seated by chibo.members.demo) log in and see their
scope."""

import pytest
from django.urls import reverse

from chibo.accounts.demo import PERSONAS
from chibo.accounts.models import User
from chibo.members.models import Position, PositionKind
from chibo.org.models import Kind, OrgUnit
from chibo.testing.demo import AS_OF, run_demo


@pytest.fixture
def demo(db) -> None:
    run_demo()


def test_personas_log_in_and_see_their_scope(demo, client):
    commune = User.objects.get(username="commune").grants.get().unit
    others = OrgUnit.objects.filter(kind=Kind.BASE_COMMITTEE).exclude(pk=commune.pk)
    assert others.exists()
    for persona in PERSONAS:
        assert client.login(username=persona.username, password=persona.password)
        page = client.get(reverse("site:home")).content.decode()
        user = User.objects.get(username=persona.username)
        if persona.username in ("commune", "viewer"):
            assert commune.name in page
            assert not any(o.name in page for o in others)
        if persona.username == "province":
            assert OrgUnit.objects.get(kind=Kind.PROVINCE).name in page
        if persona.username in ("secretary", "member"):
            assert user.member is not None and user.member.full_name in page
        # Only the province office keeps the rules.
        can_add = client.get("/rules/new/").status_code == 200
        assert can_add == (persona.username == "province"), persona.username
        client.logout()
    secretary = User.objects.get(username="secretary")
    cell = secretary.grants.get().unit
    assert Position.objects.held_on(AS_OF).get(
        kind=PositionKind.SECRETARY, unit=cell
    ).member_id == (secretary.member_id)
