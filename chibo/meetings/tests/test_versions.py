"""The cell's usual meeting day carries a version (chibo.core.versions), as the meetings do:
a save made from an old one is refused (the page: the form again with the message and the
person's input; the API: 409) and nothing is written. (The meetings' own versions are tested
with each of their changes.)"""

import datetime as dt

import pytest
from django.urls import reverse

from chibo.core.models import AuditEvent
from chibo.core.versions import Stale
from chibo.meetings import services as s
from chibo.meetings.models import Schedule
from chibo.testing.api import call
from chibo.testing.versions import postgres_only, race

STALE_EN = "Someone else changed this record since you opened it"


def written() -> tuple[int, int]:
    """Every schedule change leaves a history row and an audit event."""
    return Schedule.history.model.objects.count(), AuditEvent.objects.count()  # type: ignore[attr-defined]


def _set(cell, **change) -> Schedule:
    values = {"day": 5, "time": dt.time(19, 30), "place": "Nhà văn hóa thôn Đông"} | change
    return s.schedule_set(cell=cell, actor=None, **values)


def test_schedule_put_names_the_version(world, cast, client_for):
    c = client_for(cast.secretary)
    path = f"/meetings/cells/{world.cell.pk}/schedule"
    body = {"day": 5, "time": "19:30", "place": "Nhà văn hóa thôn Đông"}
    r = call(c, "PUT", path, body)
    assert r.status_code == 200 and r.json()["version"] == 1
    assert call(c, "GET", path).json()["version"] == 1
    r = call(client_for(cast.base_officer), "PUT", path, {**body, "day": 12, "version": 1})
    assert r.status_code == 200 and r.json()["version"] == 2
    before = written()
    r = call(c, "PUT", path, {**body, "place": "Hội trường", "version": 1})  # read before
    assert r.status_code == 409 and STALE_EN in r.json()["detail"]
    assert written() == before
    row = Schedule.objects.get(cell=world.cell)
    assert (row.day, row.place, row.version) == (12, body["place"], 2)
    # Without a version: set as it is now (an older client).
    r = call(c, "PUT", path, {**body, "place": "Hội trường"})
    assert r.status_code == 200 and (r.json()["day"], r.json()["version"]) == (5, 3)


def test_two_saves_from_the_same_version_the_second_refused(world):
    first_read = _set(world.cell)
    second_read = Schedule.objects.get(pk=first_read.pk)
    _set(world.cell, day=12, version=first_read.version)
    before = written()
    with pytest.raises(Stale) as refused:
        _set(world.cell, place="Hội trường", version=second_read.version)
    assert refused.value.current is not None and refused.value.current.day == 12
    assert written() == before
    row = Schedule.objects.get(cell=world.cell)
    assert (row.day, row.place, row.version) == (12, "Nhà văn hóa thôn Đông", 2)


def test_stale_schedule_page(world, cast, en):
    c = en(cast.secretary)
    _set(world.cell)
    page = reverse("meetings:cell", args=[world.cell.pk])
    assert 'name="version" value="1"' in c.get(page).text
    _set(world.cell, day=12)  # someone else, meanwhile
    before = written()
    url = reverse("meetings:schedule_set", args=[world.cell.pk])
    form = {"day": "5", "time": "19:30", "place": "Hội trường", "version": "1"}
    r = c.post(url, form)
    assert r.status_code == 422
    assert STALE_EN in r.text and "Now: Day of the month: 12" in r.text
    assert 'value="Hội trường"' in r.text and 'name="version" value="2"' in r.text
    assert written() == before
    assert Schedule.objects.get(cell=world.cell).place == "Nhà văn hóa thôn Đông"
    # Saving again after reading what changed is a deliberate overwrite.
    assert c.post(url, {**form, "version": "2"}).status_code == 302
    row = Schedule.objects.get(cell=world.cell)
    assert (row.day, row.place, row.version) == (5, "Hội trường", 3)


@postgres_only
@pytest.mark.django_db(transaction=True, serialized_rollback=True)
def test_two_connections_at_once(world):
    _set(world.cell)

    def save(**change):
        return lambda: _set(world.cell, version=1, **change)

    first, second = race(save(day=12), save(place="Hội trường"))
    assert isinstance(first, Schedule) and isinstance(second, Stale), (first, second)
    row = Schedule.objects.get(cell=world.cell)
    assert (row.day, row.place, row.version) == (12, "Nhà văn hóa thôn Đông", 2)


def test_two_first_saves_the_second_refused(world, cast, en, client_for):
    """Before the first schedule there is version 0: the secretary's phone and the commune
    office both opening an empty form do not overwrite each other."""
    c = en(cast.secretary)
    page = reverse("meetings:cell", args=[world.cell.pk])
    assert 'name="version" value="0"' in c.get(page).text
    url = reverse("meetings:schedule_set", args=[world.cell.pk])
    form = {"day": "5", "time": "19:30", "place": "Hội trường", "version": "0"}
    office = client_for(cast.base_officer)
    assert office.post(url, {**form, "day": "12", "place": "Nhà văn hóa"}).status_code == 302
    before = written()
    r = c.post(url, form)
    assert r.status_code == 422
    assert STALE_EN in r.text and "Now: Day of the month: 12" in r.text
    assert 'name="version" value="1"' in r.text
    assert written() == before
    row = Schedule.objects.get(cell=world.cell)
    assert (row.day, row.place, row.version) == (12, "Nhà văn hóa", 1)
    # The API says the same: 409 for version 0 once a schedule exists.
    path = f"/meetings/cells/{world.cell.pk}/schedule"
    body = {"day": 5, "time": "19:30", "place": "Hội trường", "version": 0}
    r = call(client_for(cast.secretary), "PUT", path, body)
    assert r.status_code == 409 and STALE_EN in r.json()["detail"]
    assert written() == before


def test_a_first_save_with_version_0_on_an_empty_cell_creates_it(world, cast, client_for):
    path = f"/meetings/cells/{world.cell.pk}/schedule"
    body = {"day": 5, "time": "19:30", "place": "Hội trường", "version": 0}
    r = call(client_for(cast.secretary), "PUT", path, body)
    assert r.status_code == 200 and r.json()["version"] == 1
    assert Schedule.objects.get(cell=world.cell).place == "Hội trường"


@postgres_only
@pytest.mark.django_db(transaction=True, serialized_rollback=True)
def test_two_first_saves_on_two_connections_at_once(world):
    def save(**change):
        return lambda: _set(world.cell, version=0, **change)

    first, second = race(save(day=12), save(place="Hội trường"))
    outcomes = sorted(type(x).__name__ for x in (first, second))
    assert outcomes == ["Schedule", "Stale"], (first, second)
    row = Schedule.objects.get(cell=world.cell)
    assert row.version == 1
    assert (row.day, row.place) in {(12, "Nhà văn hóa thôn Đông"), (5, "Hội trường")}
    assert written() == (1, 1)  # one history row, one audit event: the save that stayed


@postgres_only
@pytest.mark.django_db(transaction=True, serialized_rollback=True)
def test_two_first_saves_without_versions_both_recorded(world):
    """Without a version (an older client) the later save replaces the first, as it would
    one after the other: both are in the history and the audit log."""

    def save(**change):
        return lambda: _set(world.cell, **change)

    first, second = race(save(day=12), save(place="Hội trường"))
    assert isinstance(first, Schedule) and isinstance(second, Schedule), (first, second)
    row = Schedule.objects.get(cell=world.cell)
    assert row.version == 2
    assert written() == (2, 2)
