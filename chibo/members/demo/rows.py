"""The rows members' services leave for the planned people: member_create, member_transfer
and event_create (members, placements, events and the status periods members.derive computes),
and the transfers of members.transfers, with their history."""

import datetime as dt
from bisect import bisect_right
from dataclasses import dataclass

from chibo import rules
from chibo.core.demo import Ids
from chibo.core.search import fold
from chibo.members import derive
from chibo.members.models import (
    EventKind,
    Gender,
    MemberEvent,
    Placement,
    PlacementKind,
    StatusPeriod,
    Transfer,
    TransferState,
)
from chibo.org.demo import Unit
from chibo.rules.models import RuleVersion

from .people import Person


@dataclass
class PeopleRows:
    members: list[dict]
    placements: list[dict]
    placement_history: list[tuple[dict, str]]
    events: list[dict]
    periods: list[dict]


def people_rows(people: list[Person], ids: Ids) -> PeopleRows:
    """The rows members.services.member_create / member_transfer / event_create would leave."""
    placements: list[dict] = []
    history: list[tuple[dict, str]] = []
    events: list[dict] = []

    def event(p: Person, kind: str, date: dt.date, **extra) -> None:
        events.append(
            {"id": ids.next(MemberEvent), "member_id": p.id, "kind": kind, "date": date, **extra}
        )

    for p in people:
        stays = p.stays()
        for n, (unit, start, end) in enumerate(stays):
            last = n == len(stays) - 1
            row = {
                "id": ids.next(Placement),
                "member_id": p.id,
                "unit_id": unit.id,
                "party_group_id": p.group.id if p.group and last and unit is p.cell else None,
                "kind": PlacementKind.OFFICIAL,
                "start": start,
                "end": end,
                "letter_number": p.letter if last and p.moved_from is not None else "",
            }
            placements.append(row)
            # Opened, then closed by a transfer or a removal: two history rows, as save() leaves.
            history += [({**row, "end": None}, "+"), (row, "~")] if end else [(row, "+")]
        t = p.temporary
        if t is not None and t.received is not None:
            # transfers.transfer_accept: the temporary placement, created with its end.
            row = {
                "id": ids.next(Placement),
                "member_id": p.id,
                "unit_id": t.to.id,
                "kind": PlacementKind.TEMPORARY,
                "start": t.received,
                "end": t.until,
                "letter_number": t.letter,
                "note": t.note,
            }
            placements.append(row)
            history.append((row, "+"))
        for n, stint in enumerate(p.stints()):
            admission = EventKind.ADMITTED if n == 0 else EventKind.READMITTED
            event(p, admission, stint.admitted, decision_number=stint.decision)
            if stint.ceremony:
                event(p, EventKind.CEREMONY, stint.ceremony)
            if stint.official:
                number = stint.official_decision
                event(p, EventKind.OFFICIAL, stint.official, decision_number=number)
            if n == 0 and p.removed:
                event(p, EventKind.REMOVED, p.removed, decision_number=p.removal_decision)
        if p.exempt_from:
            event(
                p,
                EventKind.EXEMPTED,
                p.exempt_from,
                end_date=p.exempt_to,
                note=p.exempt_note,
                reason=p.exempt_reason,
            )
        for kind, day, number, note in p.disciplines:
            event(p, kind, day, decision_number=number, note=note)
        if p.moved_from is not None:
            assert p.left_on is not None
            note = f"{p.moved_from.code} → {p.cell.code}"
            event(p, EventKind.TRANSFERRED, p.left_on, decision_number=p.letter, note=note)
        if p.deceased:
            event(p, EventKind.DECEASED, p.deceased)

    cached, periods = derived_rows(placements, events, ids)
    members = []
    for p in people:
        members.append(
            {
                "id": p.id,
                "code": p.code,
                "full_name": p.full_name,
                "search_name": fold(p.full_name),
                "gender": Gender.FEMALE if p.female else Gender.MALE,
                "birth_date": p.birth,
                "ethnicity": p.ethnicity,
                "phone": p.phone,
                "national_id": p.national_id,
                "card_number": p.card_number,
                **cached[p.id]._asdict(),
            }
        )
    return PeopleRows(members, placements, history, events, periods)


def derived_rows(
    placements: list[dict], events: list[dict], ids: Ids
) -> tuple[dict[int, derive.Copies], list[dict]]:
    """What members.services.member_refresh derives, by the same code (members.derive):
    member id -> the copies on the member row, and the status period rows."""
    facts_p: dict[int, list[derive.PlacementFact]] = {}
    for pl in placements:
        facts_p.setdefault(pl["member_id"], []).append(
            derive.PlacementFact(pl["id"], pl["unit_id"], pl["kind"], pl["start"], pl["end"])
        )
    facts_e: dict[int, list[derive.EventFact]] = {}
    for e in events:
        facts_e.setdefault(e["member_id"], []).append(
            derive.EventFact(e["id"], e["kind"], e["date"])
        )
    book = rules.RuleBook()
    # The national rules change only on the days versions take effect: read them per version
    # (rules.at(day) for every ceremony day of 100,000 members would build each day's set).
    starts = sorted(
        set(RuleVersion.objects.filter(province=None).values_list("effective_from", flat=True))
    )

    def probation_months(day: dt.date) -> int | None:
        i = bisect_right(starts, day)
        return book.at(starts[i - 1], None).probation_months if i else None

    cached = {}
    periods = []
    for m in set(facts_p) | set(facts_e):
        evs = facts_e.get(m, [])
        cached[m] = derive.copies(facts_p.get(m, []), evs, probation_months)
        for period in derive.status_periods(evs):
            periods.append({"id": ids.next(StatusPeriod), "member_id": m, **period._asdict()})
    return cached, periods


def transfer_rows(
    people: list[Person], placements: list[dict], ids: Ids
) -> tuple[list[dict], list[tuple[dict, str]]]:
    """The Transfer rows of members.transfers: sent ("+"), then accepted ("~")."""
    placement_id = {
        (pl["member_id"], pl["unit_id"], pl["kind"], pl["start"]): pl["id"] for pl in placements
    }
    rows: list[dict] = []
    history: list[tuple[dict, str]] = []

    def add(
        p: Person,
        kind: str,
        from_unit: Unit,
        to: Unit,
        letter: str,
        sent: dt.date,
        received: dt.date | None,
        until: dt.date | None = None,
        note: str = "",
    ) -> None:
        sent_row = {
            "id": ids.next(Transfer),
            "member_id": p.id,
            "kind": kind,
            "from_unit_id": from_unit.id,
            "to_unit_id": to.id,
            "letter_number": letter,
            "sent_on": sent,
            "received_on": None,
            "until": until,
            "state": TransferState.PENDING,
            "note": note,
            "placement_id": None,
        }
        history.append((sent_row, "+"))
        if received is None:
            rows.append(sent_row)
            return
        accepted = {
            **sent_row,
            "received_on": received,
            "state": TransferState.ACCEPTED,
            "placement_id": placement_id[(p.id, to.id, kind, received)],
        }
        rows.append(accepted)
        history.append((accepted, "~"))

    for p in people:
        if p.moved_from is not None:
            assert p.left_on is not None
            add(p, PlacementKind.OFFICIAL, p.moved_from, p.cell, p.letter, p.left_on, p.start)
        if p.pending is not None:
            t = p.pending
            add(p, PlacementKind.OFFICIAL, p.cell, t.to, t.letter, t.sent, None)
        if p.temporary is not None:
            t = p.temporary
            add(p, PlacementKind.TEMPORARY, p.cell, t.to, t.letter, t.sent, t.received, t.until,
                t.note)  # fmt: skip
    return rows, history
