import pytest
from django.utils import translation

from chibo.members import services as ms
from chibo.members.models import Member

from .lifecycle_helpers import HUNG, SECRETARY
from .meeting_helpers import People, make_people


@pytest.fixture(autouse=True)
def english():
    """Messages are asserted in English, the msgids (the default UI language is Vietnamese)."""
    with translation.override("en"):
        yield


@pytest.fixture
def people(world, cast) -> People:
    """A cell with one of each kind of roster row on 05/03/2026 (meeting_helpers.People)."""
    return make_people(world, cast)


@pytest.fixture
def introducers(world, cast) -> tuple[Member, Member]:
    """HUNG (official since 02/03/2016) and BITHU (official since 19/05/2011), both placed in
    X01-CB01: the introducers of `candidate_row`."""
    return (
        ms.member_update(member=world.member, profile={"code": HUNG}),
        ms.member_update(member=cast.secretary.member, profile={"code": SECRETARY}),
    )
