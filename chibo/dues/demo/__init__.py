"""The dues ledger of the demo (chibo.core.demo): every member's dues from January of the demo's
year (six months at least) to the current month, as the dues services would leave them.

- A basis for each member from their first month (chibo.dues.models.DuesBasis): salaried with
  their social-insurance salary (state staff on the pay scale, 5-20 million đồng), pensioners,
  pupils and students, and the others by the area of their commune; a few raises and
  retirements during the year.
- A charge for each month the member owes (chibo.dues.roll: in the Party and officially placed
  during the month, in the cell that held their record first in the month), its amount
  mirroring chibo.dues.amounts: the rules of the month's first day (342-QĐ/TW until February
  2026, 01-QĐ/TW from March), percentages rounded half up to whole thousands of đồng.
- Payments: most members pay every month, by habit at the cell's monthly meeting, through the
  national public service portal (a payment statement with its reference) or to the cell's
  treasurer; a few pay a month late; some have one or two months unpaid, one or two three or
  more (the removal review shows them), one is waived for illness. The month in progress is
  paid by those whose day has come. Payments at meetings are left to the meetings' planner
  (chibo.meetings.demo), which records them in the meeting's dues record with the payment
  "meeting:<id>"; the ledger hands it what each member pays there (`Ledger.at_meetings`).
- Remittances: each cell under a base committee hands up its share of each month past
  (dues_kept_share), most the next month, a few not yet for the last one; base organisations
  hand theirs to the province a month later.

Charges and payments, a dozen a member, get no "+" history row each (1.2 million of each at
100,000 members): their history starts with the first change, as the meetings' roster rows."""

from chibo.core.demo import Key, Plan, planner
from chibo.core.formats import number
from chibo.dues.models import DuesBasis, DuesCharge, DuesPayment, DuesWaiver, Remittance
from chibo.members.demo import CAST, LIFE, PEOPLE
from chibo.org.demo import TREE

from .ledger import MEETING, TREASURER, Dues, Ledger, ledger_months, payment_row
from .stories import remittances, stories

__all__ = ["LEDGER", "Ledger", "payment_row"]

PEOPLE_PER_BATCH = 5000
WAIVER_REASON = "Ốm đau dài ngày, hoàn cảnh gia đình khó khăn; chi bộ xét miễn đóng đảng phí"

LEDGER: Key[Ledger] = Key("dues.ledger")


def dues_write(plan: Plan) -> Ledger:
    people, as_of, ids, writer = plan[PEOPLE], plan.as_of, plan.ids, plan.writer
    rng = plan.rng("dues")
    months = ledger_months(as_of)
    d = Dues(rng, plan[LIFE], months, ids, as_of)
    cast = plan[CAST]
    unpaid, waivers = stories(rng, people, months, cast)
    waived = {p.id for p, _a, _b in waivers}
    for start in range(0, len(people), PEOPLE_PER_BATCH):
        rows: dict[str, list[dict]] = {"bases": [], "charges": [], "payments": []}
        for p in people[start : start + PEOPLE_PER_BATCH]:
            # Members with arrears pay the rest of their months to the treasurer.
            habit = TREASURER if p.id in unpaid and p.id not in waived else None
            if p.id == cast.member.id:
                habit = MEETING
            d.member(p, unpaid.get(p.id, set()), habit, rows, p.id in waived)
        writer.insert(DuesBasis, rows["bases"])
        writer.insert(DuesCharge, rows["charges"], history=())
        writer.insert(DuesPayment, rows["payments"], history=())
        d.counts["charges"] += len(rows["charges"])
        d.counts["payments"] += len(rows["payments"])
    writer.insert(
        DuesWaiver,
        [
            {
                "id": ids.next(DuesWaiver),
                "member_id": p.id,
                "start": months[a],
                "end": months[b],
                "reason": WAIVER_REASON,
                "recorded_by_id": None,
            }
            for p, a, b in waivers
        ],
    )
    remitted = remittances(d, plan[TREE].units, rng, cast.cell, ids)
    writer.insert(Remittance, remitted)
    at_meetings = sum(len(flat) // 3 for flat in d.ledger.at_meetings.values())
    plan.report(
        f"{number(d.counts['charges'])} dues charges, "
        f"{number(d.counts['payments'] + at_meetings)} payments, "
        f"{number(d.counts['arrears'])} months in arrears, {number(len(remitted))} remittances"
    )
    return d.ledger


@planner("dues", after=["members", "members.personas"])
def plan_dues(plan: Plan) -> None:
    plan.put(LEDGER, dues_write(plan))
