"""A candidate carries a version (chibo.core.versions): a correction made from an old one is
refused (the page: the form again with the message; the API: 409); every step raises it."""

import datetime as dt

import pytest
from django.urls import reverse

from chibo.core.versions import Stale
from chibo.development import services
from chibo.development.models import Candidate
from chibo.testing.api import call
from chibo.testing.versions import postgres_only, race

from .builders import candidate

STALE_EN = "Someone else changed this record since you opened it"
PROFILE = {
    "full_name": "Lê Thị Mai",
    "gender": "female",
    "birth_date": "12/04/1995",
    "ethnicity": "Kinh",
    "proposed_on": "02/09/2024",
}


def test_candidate_patch_names_the_version(world, cast, client_for):
    c = candidate(world.cell)
    api = client_for(cast.secretary)
    path = f"/candidates/{c.pk}"
    assert call(api, "GET", path).json()["version"] == 1
    r = call(api, "PATCH", path, {"ethnicity": "Mường", "version": 1})
    assert r.status_code == 200 and r.json()["version"] == 2
    r = call(api, "PATCH", path, {"full_name": "Lê Thị Mây", "version": 1})
    assert r.status_code == 409 and STALE_EN in r.json()["detail"]
    c.refresh_from_db()
    assert (c.full_name, c.ethnicity) == ("Lê Thị Mai", "Mường")


def test_a_step_raises_the_version(world, cast):
    c = candidate(world.cell)
    services.candidate_class_done(candidate=c, completed_on=dt.date(2024, 11, 20), actor=None)
    assert Candidate.objects.get(pk=c.pk).version == 2
    with pytest.raises(Stale):  # a correction from a page read before the step
        services.candidate_update(candidate=c, ethnicity="Mường", version=1, actor=None)


def test_stale_candidate_page(world, cast, en):
    c = candidate(world.cell)
    page = reverse("development:candidate_edit", args=[c.pk])
    secretary = en(cast.secretary)
    assert 'name="version" value="1"' in secretary.get(page).text
    services.candidate_update(candidate=c, ethnicity="Tày", actor=None)
    r = secretary.post(page, {**PROFILE, "ethnicity": "Mường", "version": 1})
    assert r.status_code == 422
    assert STALE_EN in r.text and "Now: Ethnicity: Tày." in r.text and 'value="Mường"' in r.text
    assert Candidate.objects.get(pk=c.pk).ethnicity == "Tày"
    assert secretary.post(page, {**PROFILE, "ethnicity": "Mường", "version": 2}).status_code == 302
    assert Candidate.objects.get(pk=c.pk).ethnicity == "Mường"


@postgres_only
@pytest.mark.django_db(transaction=True, serialized_rollback=True)
def test_concurrent_candidate_corrections_exactly_one_wins(world):
    pk = candidate(world.cell).pk

    def save(**fields):
        def update():
            c = Candidate.objects.get(pk=pk)  # read before the first save commits
            return services.candidate_update(candidate=c, version=1, actor=None, **fields)

        return update

    first, second = race(save(ethnicity="Mường"), save(full_name="Lê Thị Mây"))
    assert isinstance(first, Candidate) and isinstance(second, Stale), (first, second)
    c = Candidate.objects.get(pk=pk)
    assert (c.full_name, c.ethnicity, c.version) == ("Lê Thị Mai", "Mường", 2)
