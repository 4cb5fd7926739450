"""Assigning superior followers to cells, and who may do it."""

import datetime as dt

import pytest
from django.core.exceptions import ValidationError
from django.urls import reverse
from django.utils import translation

from chibo.accounts.models import Role
from chibo.core import audit
from chibo.follow import services
from chibo.follow.models import FollowAssignment
from chibo.meetings import services as ms
from chibo.meetings.models import Kind
from chibo.meetings.tests.events import check, refused, the_event
from chibo.meetings.tests.test_views import at
from chibo.testing import factories as f

D = dt.date(2026, 1, 1)


def test_candidates_are_readers_above_the_cell(world, cast):
    names = {u.username for u in services.candidates(world.cell)}
    # Reading roles on the base committee or the province; not the cell's own secretary or
    # member, not an office of another base committee.
    assert names == {"province", "base", "viewer", "follower"}


def test_assign_rules(world, cast):
    a = services.assign(cell=world.cell, follower=cast.follower, start=D, actor=cast.base_officer)
    with translation.override("en"):
        with pytest.raises(ValidationError, match="already follows"):
            services.assign(
                cell=world.cell,
                follower=cast.follower,
                start=D + dt.timedelta(days=9),
                actor=cast.base_officer,
            )
        with pytest.raises(ValidationError, match="superior committee"):
            services.assign(
                cell=world.cell, follower=cast.outsider, start=D, actor=cast.base_officer
            )
        with pytest.raises(ValidationError, match="assigned to a cell"):
            services.assign(
                cell=world.base,
                follower=cast.province_officer,
                start=D,
                actor=cast.province_officer,
            )
        with pytest.raises(ValidationError, match="after the start"):
            services.finish(assignment=a, end=D, actor=cast.base_officer)
    stale = FollowAssignment.objects.get(pk=a.pk)  # another office's page, opened before
    services.finish(assignment=a, end=dt.date(2026, 7, 1), actor=cast.base_officer)
    with translation.override("en"), pytest.raises(ValidationError, match="already ended"):
        services.finish(assignment=stale, end=dt.date(2026, 8, 1), actor=cast.province_officer)
    assert FollowAssignment.objects.get(pk=a.pk).end == dt.date(2026, 7, 1)  # the first stays
    # After it ended, the same person may be assigned again.
    services.assign(
        cell=world.cell, follower=cast.follower, start=dt.date(2026, 9, 1), actor=cast.base_officer
    )
    assert FollowAssignment.objects.filter(cell=world.cell).count() == 2
    assert [x.pk for x in FollowAssignment.objects.active_on(dt.date(2026, 6, 30))] == [a.pk]
    assert not FollowAssignment.objects.active_on(dt.date(2026, 7, 1)).exists()  # end excluded


def test_guest_must_be_assigned_on_the_meeting_day(world, cast):
    a = services.assign(
        cell=world.cell,
        follower=cast.follower,
        start=D,
        end=dt.date(2026, 3, 1),
        actor=cast.base_officer,
    )
    m = ms.meeting_create(
        cell=world.cell, kind=Kind.REGULAR, planned_at=at(dt.date(2026, 4, 5)), actor=None
    )
    with (
        translation.override("en"),
        pytest.raises(ValidationError, match="not assigned to the cell"),
    ):
        ms.guest_add(meeting=m, version=m.version, follow=a, actor=None)
    assert not m.guests.exists()


def test_followers_page(world, cast, client_for):
    page = reverse("follow:cell", args=[world.cell.pk])
    data = {"follower": cast.follower.pk, "start": "01/12/2026", "note": "Theo Quyết định 12"}
    c = client_for(cast.base_officer)
    c.cookies["django_language"] = "en"
    r = c.get(page)
    assert r.status_code == 200 and 'id="assign-form"' in r.text
    sec = client_for(cast.secretary)  # the cell's secretary reads but does not assign
    r = sec.get(page)
    assert r.status_code == 200 and 'id="assign-form"' not in r.text
    assert sec.post(page, data).status_code == 403
    assert client_for(cast.outsider).get(page).status_code == 404
    assert client_for(cast.member).get(page).status_code == 403
    assert c.post(page, data).status_code == 302
    a = FollowAssignment.objects.get()
    assert (a.follower, a.start, a.assigned_by, a.note) == (
        cast.follower,
        dt.date(2026, 12, 1),
        cast.base_officer,
        "Theo Quyết định 12",
    )
    r = c.post(page, data)
    assert r.status_code == 422 and "already follows" in r.text
    r = c.post(page, {**data, "follower": cast.outsider.pk})
    assert r.status_code == 422 and FollowAssignment.objects.count() == 1
    finish = reverse("follow:finish", args=[a.pk])
    assert sec.post(finish, {"end": "01/06/2027"}).status_code == 403
    assert c.post(finish, {"end": "01/06/2027"}).status_code == 302
    a.refresh_from_db()
    assert a.end == dt.date(2027, 6, 1)


def test_province_office_assigns_too(world, cast):
    grantee = f.user(username="tinh-uy-vien", grants=[(Role.VIEWER, world.province)])
    a = services.assign(
        cell=world.other_cell, follower=grantee, start=D, actor=cast.province_officer
    )
    assert a.cell == world.other_cell


def test_api(world, cast, client_for):
    from chibo.testing.api import call

    body = {"cell": world.cell.pk, "follower": cast.follower.pk, "start": "2026-12-01"}
    assert call(client_for(cast.secretary), "POST", "/follow-assignments", body).status_code == 403
    assert call(client_for(cast.outsider), "POST", "/follow-assignments", body).status_code == 404
    r = call(client_for(cast.base_officer), "POST", "/follow-assignments", body)
    assert r.status_code == 201 and r.json()["follower"] == cast.follower.pk
    a = FollowAssignment.objects.get()
    r = call(client_for(cast.base_officer), "POST", "/follow-assignments", body)
    assert r.status_code == 422 and "already follows" in r.text
    rows = call(client_for(cast.secretary), "GET", f"/follow-assignments?cell={world.cell.pk}")
    assert [x["id"] for x in rows.json()["items"]] == [a.pk]
    assert call(client_for(cast.outsider), "GET", "/follow-assignments").json()["count"] == 0
    assert (
        call(client_for(cast.base_officer), "GET", "/follow-assignments?on=2026-11-30").json()[
            "count"
        ]
        == 0
    )
    r = call(
        client_for(cast.base_officer),
        "POST",
        f"/follow-assignments/{a.pk}/finish",
        {"end": "2027-01-01"},
    )
    assert r.status_code == 200 and r.json()["end"] == "2027-01-01"


def test_assigning_and_ending_record_one_event_about_the_cell(world, cast):
    cast.follower.first_name = "Trần Thị Lan"
    cast.follower.save()
    name = "Trần Thị Lan"
    _, e = the_event(
        lambda: services.assign(
            cell=world.cell, follower=cast.follower, start=D, actor=cast.base_officer
        )
    )
    a = FollowAssignment.objects.get(cell=world.cell)
    check(
        e,
        services.ASSIGNED,
        actor=cast.base_officer,
        obj=(FollowAssignment, a.pk),
        about=world.cell,
        facts={"follower": name, "cell": "Chi bộ thôn Đông", "start": "01/01/2026"},
    )
    with translation.override("en"):
        assert audit.sentence(e) == (
            "Trần Thị Lan assigned to follow Chi bộ thôn Đông from 01/01/2026"
        )
    refused(
        lambda: services.assign(
            cell=world.cell, follower=cast.follower, start=D, actor=cast.base_officer
        ),
        "already follows",
    )
    refused(
        lambda: services.finish(assignment=a, end=D, actor=cast.base_officer), "after the start"
    )
    _, e = the_event(
        lambda: services.finish(assignment=a, end=dt.date(2026, 7, 1), actor=cast.province_officer)
    )
    check(
        e,
        services.FINISHED,
        actor=cast.province_officer,
        obj=(FollowAssignment, a.pk),
        about=world.cell,
        facts={"follower": name, "cell": "Chi bộ thôn Đông", "end": "01/07/2026"},
    )
    with translation.override("en"):
        assert (
            audit.sentence(e) == "Trần Thị Lan no longer follows Chi bộ thôn Đông from 01/07/2026"
        )
