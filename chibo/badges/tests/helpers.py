"""Builders for the badge tests: members with the histories the rules look at."""

import datetime as dt

from chibo.badges.models import BadgeAward
from chibo.badges.services import keep_badge_years
from chibo.members import services as ms
from chibo.members.models import EventKind, ExemptionReason, Member
from chibo.org.models import OrgUnit
from chibo.rules.calendar import add_years
from chibo.testing import factories as f

D = dt.date


def veteran(cell: OrgUnit, admitted: dt.date, name: str, **kw) -> Member:
    """A member admitted on `admitted`, official a year later (the end of February for a
    29 February admission), born 1940."""
    kw.setdefault("official_on", add_years(admitted, 1))
    kw.setdefault("birth_date", D(1940, 1, 1))
    return f.member(cell, full_name=name, admitted_on=admitted, **kw)


def ill(member: Member, start: dt.date, end: dt.date | None = None, reason=ExemptionReason.ILLNESS):
    e = ms.event_create(
        actor=None, member=member, kind=EventKind.EXEMPTED, date=start, end_date=end
    )
    return ms.event_update(actor=None, event=e, reason=reason)


def event(member: Member, kind: str, date: dt.date):
    return ms.event_create(actor=None, member=member, kind=kind, date=date, decision_number="QĐ-1")


def awarded(member: Member, years: int, on: dt.date) -> BadgeAward:
    """An award from the past, written directly: the record the lists start from."""
    award = BadgeAward.objects.create(
        member=member, years=years, occasion_date=on, decision_number=f"{years}-QĐ/TU"
    )
    keep_badge_years(Member.all_objects.filter(pk=member.pk))
    return award
