import pytest
from django.utils import translation

from chibo.members.models import Member
from chibo.testing.lifecycle import name_introducers


@pytest.fixture(autouse=True)
def english():
    """Messages are asserted in English, the msgids (the default UI language is Vietnamese)."""
    with translation.override("en"):
        yield


@pytest.fixture
def introducers(world, cast) -> tuple[Member, Member]:
    """HUNG and BITHU, the introducers of `candidate_row` (chibo.testing.lifecycle)."""
    return name_introducers(world, cast)
