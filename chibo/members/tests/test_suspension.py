"""Suspension from activities (đình chỉ sinh hoạt đảng): a period event like an exemption,
with its end date, through the page, the API and the import. It does not change the status:
the member stays in the Party (the annual evaluation leaves them unrated)."""

import datetime as dt

from django.urls import reverse

from chibo.members.models import EventKind, MemberEvent, Status
from chibo.testing.api import call
from chibo.testing.lifecycle import EVENT_HEAD, commit, problems, status_on


def test_suspension_through_the_page_and_the_api(world, cast, client_for):
    c = client_for(cast.base_officer)
    c.cookies["django_language"] = "en"
    r = c.post(
        reverse("members:event_create", args=[world.member.pk]),
        {"kind": "suspended", "date": "2025-03-01", "end_date": "2025-08-31"},
    )
    assert r.status_code == 302
    e = MemberEvent.objects.get(member=world.member, kind=EventKind.SUSPENDED)
    assert (e.date, e.end_date) == (dt.date(2025, 3, 1), dt.date(2025, 8, 31))
    r = call(
        c,
        "POST",
        "/events",
        {
            "member": world.member2.pk,
            "kind": "suspended",
            "date": "2025-04-01",
            "end_date": "2025-03-01",
        },
    )
    assert r.status_code == 422 and "The end date is before the start date." in r.text
    r = call(
        c,
        "POST",
        "/events",
        {"member": world.member2.pk, "kind": "suspended", "date": "2025-04-01", "end_date": None},
    )
    assert r.status_code == 201 and r.json()["kind"] == "suspended"
    assert status_on(world.member2.code, dt.date(2025, 6, 1)) == Status.OFFICIAL


def test_suspension_imported(world, cast):
    report = commit(
        cast.base_officer,
        {
            "Sự kiện": [
                EVENT_HEAD,
                [world.member.code, "Đình chỉ sinh hoạt", "01/03/2025", "31/08/2025", "", "QĐ-7"],
            ]
        },
    )
    assert report.committed, problems(report)
    e = MemberEvent.objects.get(member=world.member, kind=EventKind.SUSPENDED)
    assert (e.end_date, e.decision_number) == (dt.date(2025, 8, 31), "QĐ-7")
