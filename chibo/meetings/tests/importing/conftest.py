import pytest
from django.utils import translation

from .helpers import People, make_people


@pytest.fixture(autouse=True)
def english():
    """Messages are asserted in English, the msgids (the default UI language is Vietnamese)."""
    with translation.override("en"):
        yield


@pytest.fixture
def people(world, cast) -> People:
    """A cell with one of each kind of roster row on 05/03/2026 (helpers.People)."""
    return make_people(world, cast)
