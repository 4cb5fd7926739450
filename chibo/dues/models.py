"""The party dues ledger (đảng phí): what each member owes each month and what they paid.

- DuesBasis: the member's category and base amount (their social-insurance salary, their
  pension) from a month on, dated like every record of a member's life.
- DuesCharge: the amount due for one member and one month, posted from the basis and the
  rates in force that month (`rules.at(month).dues_*`), or imported from a past ledger.
- DuesPayment: money received for one member and month: collected at the meeting (the
  meeting's dues record writes it), by the cell's treasurer, or read from a payment statement
  (the national public service portal's export), whose reference makes a re-import harmless.
- DuesWaiver: months a member is excused (a valid reason), left out of the removal review.
- Remittance: what a unit handed up to the level above for a month, with its receipt.

Arrears for a member and month: the charge less what was paid, when positive. What was paid is
kept on the charge (`DuesCharge.paid`, chibo.dues.paid) by the services that write payments."""

from django.conf import settings
from django.db import models
from django.db.models import Q
from django.utils.translation import gettext_lazy as _
from simple_history.models import HistoricalRecords

from chibo.members.models import Member
from chibo.org.models import OrgUnit


class Category(models.TextChoices):
    SALARIED = "salaried", _("Salary or wage (social-insurance salary)")
    PENSIONER = "pensioner", _("Pension or social-insurance allowance")
    STUDENT = "student", _("Pupil or student")
    OTHER = "other", _("Other (fixed amount by area)")


class Area(models.TextChoices):
    """The areas of the fixed amounts (342-QĐ/TW and its guidance); the amounts are rules."""

    AREA1 = "area1", _("Area 1 (cities, wards)")
    AREA2 = "area2", _("Area 2 (towns, lowland communes)")
    AREA3 = "area3", _("Area 3 (midland communes)")
    AREA4 = "area4", _("Area 4 (mountain and island communes)")


class DuesBasis(models.Model):
    """A member's dues category and base from `valid_from` (the first day of a month) until
    the next basis. Salaried and pensioners: `base_amount` is the salary or pension the rate
    applies to; others: `area` picks the fixed amount."""

    member = models.ForeignKey(
        Member, verbose_name=_("member"), on_delete=models.CASCADE, related_name="dues_bases"
    )
    valid_from = models.DateField(_("from the month of"))
    category = models.CharField(_("category"), max_length=12, choices=Category.choices)
    base_amount = models.PositiveBigIntegerField(
        _("salary or pension (đồng)"), null=True, blank=True
    )
    area = models.CharField(_("area"), max_length=8, choices=Area.choices, blank=True)
    note = models.CharField(_("note"), max_length=300, blank=True)
    recorded_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    created_at = models.DateTimeField(auto_now_add=True)

    history = HistoricalRecords(excluded_fields=["created_at"])

    class Meta:
        verbose_name = _("dues basis")
        verbose_name_plural = _("dues bases")
        ordering = ["member", "valid_from"]
        constraints = [
            models.UniqueConstraint(fields=["member", "valid_from"], name="dues_basis_once_a_month")
        ]

    def __str__(self) -> str:
        return f"{self.member} {self.valid_from:%m/%Y}: {self.category}"


class DuesCharge(models.Model):
    """The dues one member owes for one month (`month` is its first day), with the cell the
    member was placed in that month (where the ledger and the reports count it). `paid`: the
    sum of the payments for the member and month, kept by the services (chibo.dues.paid);
    the charge is settled when it is paid in full or the month is waived."""

    member = models.ForeignKey(
        Member, verbose_name=_("member"), on_delete=models.PROTECT, related_name="dues_charges"
    )
    month = models.DateField(_("month"))
    cell = models.ForeignKey(
        OrgUnit, verbose_name=_("cell"), on_delete=models.PROTECT, related_name="+"
    )
    amount = models.PositiveBigIntegerField(_("amount due (đồng)"))
    paid = models.PositiveBigIntegerField(_("paid (đồng)"), default=0)
    category = models.CharField(_("category"), max_length=12, choices=Category.choices, blank=True)
    imported = models.BooleanField(_("imported"), default=False)
    created_at = models.DateTimeField(auto_now_add=True)

    # `paid` follows the payments, which have their own history.
    history = HistoricalRecords(excluded_fields=["created_at", "paid"])

    class Meta:
        verbose_name = _("dues charge")
        verbose_name_plural = _("dues charges")
        ordering = ["month", "pk"]
        constraints = [
            models.UniqueConstraint(fields=["member", "month"], name="dues_charge_once_a_month")
        ]
        indexes = [
            # Every column the reports' sums by cell and month read (the member for the trash):
            # a province's year is read from the index alone, not the table.
            models.Index(
                fields=["month", "cell", "member", "amount", "paid"],
                name="dues_charge_month_cell",
            ),
            # The charges not paid in full (a few in a hundred): the removal review's unpaid
            # months of a year and the arrears read them alone.
            models.Index(
                fields=["month", "member"],
                condition=Q(paid__lt=models.F("amount")),
                name="dues_charge_unpaid",
            ),
            # A subtree's members' unpaid months (the removal review on the deadline
            # boards): each member's own few, found from the member.
            models.Index(
                fields=["member", "month"],
                condition=Q(paid__lt=models.F("amount")),
                name="dues_charge_unpaid_member",
            ),
        ]

    def __str__(self) -> str:
        return f"{self.member} {self.month:%m/%Y}: {self.amount}"

    @property
    def owed(self) -> int:
        """The amount less what was paid, when positive (waivers aside)."""
        return max(self.amount - self.paid, 0)


class Source(models.TextChoices):
    MEETING = "meeting", _("Collected at the meeting")
    TREASURER = "treasurer", _("Recorded by the treasurer")
    STATEMENT = "statement", _("Payment statement")
    IMPORT = "import", _("Imported ledger")


class DuesPayment(models.Model):
    """Money received from a member for one month. `reference`: the statement's transaction
    reference, the meeting ("meeting:<id>") or the import row; unique per source, so the same
    statement read twice records each payment once."""

    member = models.ForeignKey(
        Member, verbose_name=_("member"), on_delete=models.PROTECT, related_name="dues_payments"
    )
    month = models.DateField(_("month paid for"))
    amount = models.PositiveBigIntegerField(_("amount (đồng)"))
    paid_on = models.DateField(_("paid on"))
    source = models.CharField(_("source"), max_length=10, choices=Source.choices)
    reference = models.CharField(_("reference"), max_length=120, blank=True)
    recorded_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    created_at = models.DateTimeField(auto_now_add=True)

    history = HistoricalRecords(excluded_fields=["created_at"])

    class Meta:
        verbose_name = _("dues payment")
        verbose_name_plural = _("dues payments")
        ordering = ["month", "pk"]
        constraints = [
            models.UniqueConstraint(
                fields=["source", "reference", "member", "month"],
                condition=~Q(reference=""),
                name="dues_payment_reference_once",
            )
        ]
        indexes = [
            models.Index(fields=["member", "month"]),
            # The reports' payments received after a period's end, month by month.
            models.Index(fields=["month", "paid_on"], name="dues_payment_month_paid_on"),
        ]

    def __str__(self) -> str:
        return f"{self.member} {self.month:%m/%Y}: {self.amount}"


class DuesWaiver(models.Model):
    """Months a member is excused from dues for a valid reason (illness, hardship...), from
    `start` to `end` (first days of months, inclusive)."""

    member = models.ForeignKey(
        Member, verbose_name=_("member"), on_delete=models.CASCADE, related_name="dues_waivers"
    )
    start = models.DateField(_("from the month of"))
    end = models.DateField(_("until the month of"))
    reason = models.CharField(_("reason"), max_length=300)
    recorded_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    created_at = models.DateTimeField(auto_now_add=True)

    history = HistoricalRecords(excluded_fields=["created_at"])

    class Meta:
        verbose_name = _("dues waiver")
        verbose_name_plural = _("dues waivers")
        ordering = ["member", "start"]
        constraints = [
            models.CheckConstraint(
                condition=Q(end__gte=models.F("start")), name="waiver_end_after_start"
            )
        ]

    def __str__(self) -> str:
        return f"{self.member} {self.start:%m/%Y}-{self.end:%m/%Y}"


class Remittance(models.Model):
    """Dues a unit handed to the level above for a month (nộp cấp trên), with the receipt
    number (phiếu thu) the level above gave."""

    unit = models.ForeignKey(
        OrgUnit, verbose_name=_("unit"), on_delete=models.PROTECT, related_name="remittances"
    )
    month = models.DateField(_("month"))
    amount = models.PositiveBigIntegerField(_("amount (đồng)"))
    paid_on = models.DateField(_("handed over on"))
    receipt_number = models.CharField(_("receipt number"), max_length=40, blank=True)
    recorded_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    created_at = models.DateTimeField(auto_now_add=True)

    history = HistoricalRecords(excluded_fields=["created_at"])

    class Meta:
        verbose_name = _("remittance")
        verbose_name_plural = _("remittances")
        ordering = ["month", "pk"]
        constraints = [
            models.UniqueConstraint(fields=["unit", "month"], name="remittance_once_a_month")
        ]

    def __str__(self) -> str:
        return f"{self.unit} {self.month:%m/%Y}: {self.amount}"
