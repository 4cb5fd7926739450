"""The campaigns of the demo's evaluation: the published years' (a base organisation's rating
its members and cells, a province's rating its base organisations) and the demo year's open
one, planned cell by cell and written in slices (chibo.evaluation.demo)."""

import datetime as dt
from collections import defaultdict
from dataclasses import dataclass, field

from django.db import connection
from django.utils import timezone

from chibo.accounts.demo import COMMUNE, PROVINCE
from chibo.accounts.models import User
from chibo.core.demo import BulkWriter, Ids, Plan
from chibo.evaluation.models import Campaign, Evaluation, Level, SelfAssessment
from chibo.members.demo import CAST, LIFE, PEOPLE, Person, Rosters, Timeline
from chibo.members.models import IN_PARTY, Status
from chibo.org.demo import TREE, Unit
from chibo.org.models import Kind
from chibo.rules.models import RuleVersion

from .selves import self_row, submitted_at
from .verdicts import (
    BASE_WEIGHTS,
    MEMBER_WEIGHTS,
    UNIT_WEIGHTS,
    Verdict,
    draw,
    judge,
    keep_cap,
    score,
    scored,
)

FLUSH = 20_000  # rows kept before they are written
SELF_SHARE = 0.7  # of members rated in a scored year with a self-assessment on record
EXEMPT_SELF_SHARE = 0.3  # of exempt members who hand one in (and so are rated)
OPEN_SUBMITTED = 0.25  # of the open campaign's members who have submitted
OPEN_DRAFTS = 0.06
PERSONA_CELL_SUBMITTED = 4
CAPPED_NOTE = (
    "Chi bộ đề nghị Hoàn thành xuất sắc nhiệm vụ; cấp ủy xếp loại Hoàn thành tốt nhiệm vụ"
    " do vượt tỷ lệ đảng viên Hoàn thành xuất sắc nhiệm vụ"
)


def regulations() -> list[tuple[dt.date, str]]:
    """(effective from, source) of the national versions setting `evaluation_form`."""
    rows = RuleVersion.objects.filter(province=None).order_by("effective_from", "pk")
    return [(v.effective_from, v.source) for v in rows if "evaluation_form" in v.values]


def regulation(versions: list[tuple[dt.date, str]], on: dt.date) -> str:
    """The regulation in force on `on` (chibo.evaluation.ratable.regulation)."""
    return next((source for day, source in reversed(versions) if day <= on), "")


def _aware(day: dt.date, hour: int) -> object:
    """A moment of local time, as the bulk writer passes it to the database."""
    moment = timezone.make_aware(dt.datetime.combine(day, dt.time(hour)))
    return connection.ops.adapt_datetimefield_value(moment)


@dataclass
class Rows:
    """The rows planned and not yet written, and the year's unit ratings (for the meetings
    check, once the year is planned)."""

    campaigns: list[dict] = field(default_factory=list)
    evaluations: list[dict] = field(default_factory=list)
    selves: list[dict] = field(default_factory=list)
    units: list[dict] = field(default_factory=list)
    written: dict[str, int] = field(default_factory=lambda: defaultdict(int))

    def flush(self, writer: BulkWriter, at_least: int = 0) -> None:
        if len(self.evaluations) + len(self.selves) < at_least:
            return
        writer.insert(Campaign, self.campaigns)
        writer.insert(Evaluation, self.evaluations, history=())
        writer.insert(SelfAssessment, self.selves, history=())
        self.written["campaigns"] += len(self.campaigns)
        self.written["ratings"] += len(self.evaluations)
        self.campaigns, self.evaluations, self.selves = [], [], []


class Evaluations:
    """Plans the ratings of the published years and the open campaign."""

    def __init__(self, plan: Plan) -> None:
        self.writer = plan.writer
        self.rng = plan.rng("evaluation")
        self.ids: Ids = plan.ids
        self.as_of = plan.as_of
        self.tree = plan[TREE]
        self.life: Timeline = plan[LIFE]
        self.cast = plan[CAST]
        self.rosters = Rosters(plan[PEOPLE])
        self.versions = regulations()
        users = (
            dict(
                User.objects.filter(username__in=[COMMUNE.username, PROVINCE.username]).values_list(
                    "username", "pk"
                )
            )
            if plan.personas
            else {}
        )
        self.commune_user = users.get(COMMUNE.username)
        self.province_user = users.get(PROVINCE.username)
        self.cells_of: dict[int, list[Unit]] = defaultdict(list)
        for cell in self.tree.cells:
            self.cells_of[cell.base().id].append(cell)
        self.rated = 0

    def user_for(self, unit: Unit) -> int | None:
        """The persona office that keeps this unit's campaigns, if any."""
        if unit is self.cast.commune:
            return self.commune_user
        if unit.kind == Kind.PROVINCE and unit is self.cast.province:
            return self.province_user
        return None

    def day(self, year: int, month: int, low: int, high: int) -> dt.date:
        """A day of the month, before as_of."""
        day = dt.date(year, month, self.rng.randint(low, high))
        return min(day, self.as_of - dt.timedelta(days=1))

    def listed(self, cell: Unit, on: dt.date) -> list[Person]:
        return [p for p, _s in self.rosters.placed(cell.id, on) if p.status_on(on) in IN_PARTY]

    def voters(self, cell: Unit, on: dt.date) -> int:
        """Official members voting at the cell's meeting: those placed, some away."""
        official = sum(
            1 for p, _s in self.rosters.placed(cell.id, on) if p.status_on(on) == Status.OFFICIAL
        )
        absent = sum(1 for _ in range(official) if self.rng.random() < 0.08)
        return max(1, official - absent)

    def votes(self, voters: int) -> int:
        """Mostly unanimous; a few against or abstaining, always more than half for."""
        if voters >= 5 and self.rng.random() < 0.1:
            return voters - self.rng.randint(1, max(1, (voters - 1) // 2 - 1))
        return voters

    # A published year ------------------------------------------------------------------------

    def year(self, year: int, out: Rows) -> None:
        last = dt.date(year, 12, 31)
        r = self.life.rules(last)
        name = regulation(self.versions, last)
        bases = [u for u in self.tree.units if u.kind in (Kind.BASE_COMMITTEE, Kind.BASE_CELL)]
        incomplete: dict[int, bool] = {}  # unit -> some rated member below failed duties
        for base in bases:
            self.base_campaign(base, year, r, name, incomplete, out)
            out.flush(self.writer, FLUSH)
        for province in self.tree.provinces:
            units = [b for b in bases if b.parent is province]
            if units:
                self.unit_campaign(province, units, year, r, name, incomplete, out)

    def campaign(self, unit: Unit, year: int, name: str, decided: dt.date) -> dict:
        published = min(
            decided + dt.timedelta(days=self.rng.randint(1, 5)), self.as_of - dt.timedelta(days=1)
        )
        user = self.user_for(unit)
        return {
            "id": self.ids.next(Campaign),
            "unit_id": unit.id,
            "year": year,
            "regulation": name,
            "self_due": dt.date(year, 12, 15),
            "cell_due": dt.date(year, 12, 25),
            "decision_due": dt.date(year + 1, 1, 15),
            "publish_due": dt.date(year + 1, 1, 25),
            "imported": False,
            "published_at": _aware(published, 9),
            "published_by_id": user,
            "opened_by_id": user,
        }

    def base_campaign(self, base: Unit, year: int, r, name: str,
                      incomplete: dict[int, bool], out: Rows) -> None:  # fmt: skip
        """A base organisation's campaign: its members, cell by cell, and its cells."""
        rng, last = self.rng, dt.date(year, 12, 31)
        decided = self.day(year + 1, 1, 5, 12)
        campaign = self.campaign(base, year, name, decided)
        out.campaigns.append(campaign)
        user = campaign["opened_by_id"]
        is_scored = scored(r)
        groups: dict[object, list[dict]] = defaultdict(list)
        units: list[tuple[Unit, dt.date, int]] = []
        for cell in self.cells_of[base.id]:
            proposed = min(self.day(year, 12, 8, 22), decided)
            voters = self.voters(cell, proposed)
            rows = []
            for p in self.listed(cell, last):
                submitted = is_scored and rng.random() < (
                    EXEMPT_SELF_SHARE if p.exempt_on(last) else SELF_SHARE
                )
                verdict = judge(p, year, last, r, submitted)
                row = self.member_row(campaign["id"], year, p, cell, verdict)
                if verdict.rated:
                    level = draw(rng, MEMBER_WEIGHTS, verdict.best)
                    row.update(self.decision(level, proposed, voters, decided, user))
                    row["_self"] = submitted
                    groups[cell.id if r.evaluation_cap_group == "cell" else "members"].append(row)
                rows.append(row)
            out.evaluations += rows
            if cell.kind == Kind.CELL:
                units.append((cell, proposed, voters))
        for group in groups.values():
            self.cap(group, r)
        for row in (row for group in groups.values() for row in group):
            self.scores(row, year, r, campaign["id"], out)
            if row["level"] == Level.INCOMPLETE:
                incomplete[row["cell_id"]] = True
                incomplete[base.id] = True
        unit_rows = []
        for cell, proposed, voters in units:
            level = draw(rng, UNIT_WEIGHTS)
            if level == Level.EXCELLENT and incomplete.get(cell.id):
                level = Level.GOOD
            row = self.unit_row(campaign["id"], year, cell)
            row.update(self.decision(level, proposed, voters, decided, user))
            unit_rows.append(row)
        self.unit_rows(unit_rows, year, r, campaign["id"], out)

    def unit_campaign(self, province: Unit, bases: list[Unit], year: int, r, name: str,
                      incomplete: dict[int, bool], out: Rows) -> None:  # fmt: skip
        """The province's campaign rating its base organisations."""
        decided = self.day(year + 1, 1, 15, 22)
        campaign = self.campaign(province, year, name, decided)
        out.campaigns.append(campaign)
        user = campaign["opened_by_id"]
        rows = []
        for base in bases:
            level = draw(self.rng, BASE_WEIGHTS)
            if level == Level.EXCELLENT and incomplete.get(base.id):
                level = Level.GOOD
            proposed = min(self.day(year, 12, 26, 30), decided)
            # The base committee's executive votes (a base cell: its official members).
            voters = self.voters(base, proposed) if base.kind == Kind.BASE_CELL else 0
            voters = voters or self.rng.randint(9, 15)
            row = self.unit_row(campaign["id"], year, base)
            row.update(self.decision(level, proposed, voters, decided, user))
            rows.append(row)
        self.unit_rows(rows, year, r, campaign["id"], out)

    def unit_rows(self, rows: list[dict], year: int, r, campaign_id: int, out: Rows) -> None:
        self.cap(rows, r)
        for row in rows:
            self.scores(row, year, r, campaign_id, out)
        out.evaluations += rows
        out.units += rows

    def member_row(self, campaign_id: int, year: int, p: Person, cell: Unit,
                   verdict: Verdict) -> dict:  # fmt: skip
        """A member listed, left out with the rule's code or to be rated (`decision`)."""
        return {
            "id": self.ids.next(Evaluation),
            "campaign_id": campaign_id,
            "year": year,
            "member_id": p.id,
            "cell_id": cell.id,
            "not_rated": "" if verdict.rated else verdict.code,
            "note": verdict.why[:300],
        }

    def unit_row(self, campaign_id: int, year: int, unit: Unit) -> dict:
        """A party organisation rated by its parent (`_kind`: for the meetings check, not a
        column)."""
        return {
            "id": self.ids.next(Evaluation),
            "campaign_id": campaign_id,
            "year": year,
            "unit_id": unit.id,
            "_kind": unit.kind,
        }

    def decision(self, level: Level, proposed: dt.date, voters: int, decided: dt.date,
                 user: int | None) -> dict:  # fmt: skip
        return {
            "proposed_level": level,
            "proposed_votes": self.votes(voters),
            "proposed_voters": voters,
            "proposed_on": proposed,
            "level": level,
            "decided_on": decided,
            "decided_by_id": user,
        }

    def cap(self, rows: list[dict], r) -> None:
        """Keep the cap in a group: excellent proposals over it decided good."""
        levels = [Level(row["level"]) for row in rows]
        for i in keep_cap(self.rng, levels, r):
            rows[i]["level"] = Level.GOOD
            rows[i]["_capped"] = True
            rows[i]["note"] = CAPPED_NOTE

    def scores(self, row: dict, year: int, r, campaign_id: int, out: Rows) -> None:
        """The score of a scored year (its level's range) and the member's self-assessment."""
        self.rated += 1
        capped = row.pop("_capped", False)
        wrote = row.pop("_self", False)
        if not scored(r):
            return
        row["score"] = score(self.rng, row["level"], r, top=capped)
        if not wrote or "member_id" not in row:
            return
        points = score(self.rng, Level.EXCELLENT, r) if capped else row["score"]
        when = submitted_at(self.rng, dt.date(year, 12, 1), dt.date(year, 12, 15))
        out.selves.append(
            self_row(
                self.rng, self.ids, campaign_id=campaign_id, member_id=row["member_id"],
                year=year, r=r, level=row["proposed_level"], submitted=when, points=points,
            )
        )  # fmt: skip

    # The demo's year -------------------------------------------------------------------------

    def open_campaign(self, out: Rows) -> None:
        """The personas' commune's campaign of the demo's year, at the self-assessment stage."""
        rng, as_of, cast = self.rng, self.as_of, self.cast
        year = as_of.year
        last = dt.date(year, 12, 31)
        on = min(last, as_of)
        r = self.life.rules(last)
        self_due = max(dt.date(year, 12, 15), as_of + dt.timedelta(days=10))
        cell_due = self_due + dt.timedelta(days=10)
        decision_due = cell_due + dt.timedelta(days=15)
        campaign_id = self.ids.next(Campaign)
        campaign = {
            "id": campaign_id,
            "unit_id": cast.commune.id,
            "year": year,
            "regulation": regulation(self.versions, last),
            "self_due": self_due,
            "cell_due": cell_due,
            "decision_due": decision_due,
            "publish_due": decision_due + dt.timedelta(days=10),
            "imported": False,
            "published_at": None,
            "published_by_id": None,
            "opened_by_id": self.commune_user,
        }
        out.campaigns.append(campaign)
        opened = as_of - dt.timedelta(days=12)
        for cell in self.cells_of[cast.commune.id]:
            listed = self.listed(cell, on)
            # Who has handed in: a quarter, a few at least in the personas' cell; never the
            # member persona, whose walk-through starts at the empty form.
            hands_in = {
                p.id for p in listed if not p.exempt_on(on) and rng.random() < OPEN_SUBMITTED
            }
            if cell is cast.cell:
                others = [p for p in listed if p is not cast.member and not p.exempt_on(on)]
                hands_in |= {p.id for p in others[:PERSONA_CELL_SUBMITTED]}
            hands_in.discard(cast.member.id)
            for p in listed:
                verdict = judge(p, year, on, r, p.id in hands_in)
                out.evaluations.append(self.member_row(campaign_id, year, p, cell, verdict))
                if p.id in hands_in and verdict.rated:
                    level = draw(rng, MEMBER_WEIGHTS, verdict.best)
                    when = submitted_at(rng, opened, as_of - dt.timedelta(days=1))
                    out.selves.append(
                        self_row(rng, self.ids, campaign_id=campaign_id, member_id=p.id,
                                 year=year, r=r, level=level, submitted=when)
                    )  # fmt: skip
                elif p is not cast.member and verdict.rated and rng.random() < OPEN_DRAFTS:
                    out.selves.append(
                        self_row(rng, self.ids, campaign_id=campaign_id, member_id=p.id,
                                 year=year, r=r, level="", submitted=None)
                    )  # fmt: skip
            if cell.kind == Kind.CELL:
                out.evaluations.append(self.unit_row(campaign_id, year, cell))
            out.flush(self.writer, FLUSH)
