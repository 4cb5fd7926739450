"""Builders for the evaluation tests: members with the histories the rules look at, a
campaign, and levels set on rows as a cell and a committee would."""

import datetime as dt

from chibo.core import audit
from chibo.evaluation import services
from chibo.evaluation.models import Campaign, Evaluation
from chibo.members import services as ms
from chibo.members.models import EventKind, ExemptionReason, Member
from chibo.org.models import OrgUnit
from chibo.rules.models import RuleVersion
from chibo.testing import factories as f

D = dt.date
LONG_AGO = D(2010, 5, 19)
SINCE_2018 = D(2018, 1, 1)


def member(cell: OrgUnit, name: str, admitted: dt.date = LONG_AGO, **kw) -> Member:
    return f.member(cell, full_name=name, admitted_on=admitted, **kw)


def members(cell: OrgUnit, n: int, prefix: str = "Đảng viên") -> list[Member]:
    return [member(cell, f"{prefix} {i:02d}") for i in range(n)]


def event(m: Member, kind: str, day: dt.date, end: dt.date | None = None, reason: str = ""):
    with audit.silenced():
        return ms.event_create(
            actor=None, member=m, kind=kind, date=day, end_date=end, reason=reason
        )


def ill(m: Member, start: dt.date, end: dt.date | None = None):
    return event(m, EventKind.EXEMPTED, start, end, ExemptionReason.ILLNESS)


def province_rule(province: OrgUnit, since: dt.date = SINCE_2018, **values) -> RuleVersion:
    """A province's own reading of the evaluation rules."""
    return RuleVersion.objects.create(
        effective_from=since, source="Hướng dẫn của Tỉnh ủy", province=province, values=values
    )


def campaign(unit: OrgUnit, year: int, actor=None) -> Campaign:
    with audit.silenced():
        return services.campaign_open(
            unit=unit,
            year=year,
            self_due=D(year, 12, 5),
            cell_due=D(year, 12, 15),
            decision_due=D(year, 12, 25),
            publish_due=D(year, 12, 31),
            actor=actor,
        )


def row(c: Campaign, subject) -> Evaluation:
    if isinstance(subject, Member):
        return Evaluation.objects.get(campaign=c, member=subject)
    return Evaluation.objects.get(campaign=c, unit=subject)


def set_level(c: Campaign, subject, level: str, *, proposed: bool = False) -> Evaluation:
    """A level on the row as the board reads it (decided, or only proposed), written
    directly: the checks read levels, however they were reached."""
    e = row(c, subject)
    if proposed:
        e.proposed_level = level
    else:
        e.level = level
    e.save()
    return e
