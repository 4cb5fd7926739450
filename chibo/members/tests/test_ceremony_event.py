"""The admission ceremony is the committee above the cell's to record, in the generic event
form and API too (the development pages already ask it)."""

import datetime as dt

from chibo.members import services
from chibo.members.models import EventKind, MemberEvent
from chibo.testing import factories as f
from chibo.testing.api import call


def test_the_cell_cannot_record_or_change_a_ceremony(world, cast, client_for):
    new = f.member(world.cell, admitted_on=dt.date(2025, 9, 1), official_on=None)
    secretary = client_for(cast.secretary)
    page = {"kind": "ceremony", "date": "10/09/2025"}
    assert secretary.post(f"/members/{new.pk}/events/new/", page).status_code == 403
    body = {"member": new.pk, "kind": "ceremony", "date": "2025-09-10"}
    assert call(secretary, "POST", "/events", body).status_code == 403
    assert not MemberEvent.objects.filter(kind=EventKind.CEREMONY).exists()

    office = client_for(cast.base_officer)
    assert office.post(f"/members/{new.pk}/events/new/", page).status_code == 302
    ceremony = MemberEvent.objects.get(kind=EventKind.CEREMONY)
    new.refresh_from_db()
    assert new.probation_ends_on == dt.date(2026, 9, 10)
    # The secretary can neither move it, turn it into something else, nor delete it...
    r = call(secretary, "PATCH", f"/events/{ceremony.pk}", {"date": "2025-09-12"})
    assert r.status_code == 403
    r = call(secretary, "PATCH", f"/events/{ceremony.pk}", {"kind": "reprimand"})
    assert r.status_code == 403
    assert secretary.post(f"/members/events/{ceremony.pk}/delete/").status_code == 403
    assert call(secretary, "DELETE", f"/events/{ceremony.pk}").status_code == 403
    # ...nor turn another event into a ceremony; other events stay the cell's to record.
    e = services.event_create(
        actor=None, member=new, kind=EventKind.REPRIMAND, date=dt.date(2026, 1, 5)
    )
    r = call(secretary, "PATCH", f"/events/{e.pk}", {"kind": "ceremony"})
    assert r.status_code == 403
    r = call(secretary, "PATCH", f"/events/{e.pk}", {"note": "Vắng họp"})
    assert r.status_code == 200
    ceremony.refresh_from_db()
    assert ceremony.date == dt.date(2025, 9, 10) and not ceremony.is_deleted
