"""An exemption carries its reason (the badges read "illness"); no other event has one."""

import datetime as dt

from chibo.members.models import EventKind, MemberEvent
from chibo.testing.api import call


def test_the_page_and_the_api_record_the_reason(world, cast, client_for):
    c = client_for(cast.base_officer)
    c.cookies["django_language"] = "en"
    r = c.post(
        f"/members/{world.member.pk}/events/new/",
        {"kind": "exempted", "date": "01/03/2026", "end_date": "31/08/2026", "reason": "illness"},
    )
    assert r.status_code == 302
    e = MemberEvent.objects.get(member=world.member, kind=EventKind.EXEMPTED)
    assert (e.reason, e.date, e.end_date) == ("illness", dt.date(2026, 3, 1), dt.date(2026, 8, 31))

    body = {
        "member": world.member2.pk,
        "kind": "exempted",
        "date": "2026-04-01",
        "reason": "maternity",
    }
    r = call(c, "POST", "/events", body)
    assert r.status_code == 201 and r.json()["reason"] == "maternity"

    before = MemberEvent.objects.count()
    r = call(c, "POST", "/events", {**body, "kind": "reprimand"})
    assert r.status_code == 422 and "Only an exemption has a reason." in r.content.decode()
    r = c.post(
        f"/members/{world.member.pk}/events/new/",
        {"kind": "warning", "date": "01/04/2026", "reason": "illness"},
    )
    assert r.status_code == 422 and "Only an exemption has a reason." in r.content.decode()
    r = call(c, "POST", "/events", {**body, "reason": "boredom"})
    assert r.status_code == 422
    assert MemberEvent.objects.count() == before
