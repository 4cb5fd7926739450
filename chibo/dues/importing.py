"""The dues sheet of the import template (chibo.core.sheets): a past ledger from Excel, one
row per member and month (Đảng phí: the member's code, the month, the amount due, the amount
paid, the day paid), recorded through chibo.dues.services.ledger_import as an imported
charge (in the member's cell that month) and a payment of source "import" whose reference is
the row's key, so importing the same rows again changes nothing, and a corrected amount
updates them. A charge Chibo posted is never replaced by an imported one. Who may import a
member's rows is who may write the member's record (the cell's secretary, an office)."""

from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from chibo.core.sheets import (
    CREATE,
    DATE,
    NUMBER,
    UNCHANGED,
    UPDATE,
    Column,
    Context,
    Handler,
    Key,
    Outcome,
    Parsed,
    Sheet,
    Values,
    fail,
    record,
    register,
)
from chibo.members.importing import MEMBER_CODE, writable_member

from . import months
from .services import ledger_import

DUES = Sheet(
    "dues",
    "Đảng phí",
    gettext_lazy("Party dues"),
    gettext_lazy("the member's record code and the month"),
    (
        MEMBER_CODE,
        Column(
            "month",
            "Tháng",
            gettext_lazy("The month, mm/yyyy (e.g. 03/2025)."),
            required=True,
            max_length=20,
            aliases=("Tháng đóng", "Kỳ", "Tháng năm", "Đảng phí tháng"),
        ),
        Column(
            "amount_due",
            "Số phải đóng",
            gettext_lazy("The month's dues in đồng (empty: only a payment)."),
            NUMBER,
            aliases=("Phải đóng", "Đảng phí phải đóng", "Số tiền phải đóng", "Amount due"),
        ),
        Column(
            "amount_paid",
            "Số đã đóng",
            gettext_lazy("What the member paid for the month, in đồng (empty or 0: nothing)."),
            NUMBER,
            aliases=("Đã đóng", "Đảng phí đã đóng", "Số tiền đã đóng", "Amount paid"),
        ),
        Column(
            "paid_on",
            "Ngày đóng",
            gettext_lazy("The day paid (empty: the last day of the month)."),
            DATE,
            aliases=("Ngày nộp", "Ngày đóng đảng phí"),
        ),
    ),
    aliases=("Dang phi", "Sổ đảng phí", "So dang phi"),
    # The member's cell of the month comes from the placements the transfers write.
    after=("members", "transfers"),
    order=130,
    guide=gettext_lazy(
        "Party dues: one row per member and month of a past ledger, with the amount due and "
        "the amount paid. Importing the same rows again changes nothing."
    ),
)


def dues_key(v: Values) -> Key:
    month = months.read(v.get("month"))
    return (v["member_code"], month or v.get("month"))


def _by_month(items: list[Parsed]) -> list[Parsed]:
    return sorted(items, key=lambda i: (str(dues_key(i.values)[1]), i.number))


def _apply(ctx: Context, v: Values) -> Outcome:
    member = writable_member(ctx, v["member_code"], "member_code")
    month = months.read(v["month"])
    if month is None:
        fail(_("Give the month as mm/yyyy."), "month")
    label = record(member.code, member.full_name, months.text(month))
    created, changes = ledger_import(
        member=member,
        month=month,
        amount_due=v["amount_due"],
        amount_paid=v["amount_paid"],
        paid_on=v["paid_on"],
        actor=ctx.actor,
    )
    if created:
        return Outcome(CREATE, label)
    if changes:
        return Outcome(UPDATE, label, changes)
    return Outcome(UNCHANGED, label)


DUES_HANDLER = Handler(
    sheet=DUES,
    key=dues_key,
    apply=_apply,
    order=_by_month,
    fields={
        "member": "member_code",
        "month": "month",
        "amount_due": "amount_due",
        "amount_paid": "amount_paid",
        "amount": "amount_paid",
        "paid_on": "paid_on",
        "reference": "amount_paid",
    },
)


register(DUES_HANDLER)
