"""The dues pages' forms: they only read what people type (a month mm/yyyy, đồng with the
thousands dots people write); the services check the rest."""

import datetime as dt
from typing import Any

from django import forms
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from chibo.core.forms import BootstrapForm, DateField

from . import months
from .models import Area, Category
from .services import NOTE_MAX, REASON_MAX, REFERENCE_MAX
from .statement import MAX_BYTES


class MonthField(forms.CharField):
    """A month typed mm/yyyy (also m/yyyy or yyyy-mm), cleaned to its first day."""

    def __init__(self, **kwargs: Any) -> None:
        kwargs.setdefault("max_length", 10)
        kwargs.setdefault(
            "widget",
            forms.TextInput(
                attrs={"placeholder": "mm/yyyy", "inputmode": "numeric", "autocomplete": "off"}
            ),
        )
        super().__init__(**kwargs)

    def prepare_value(self, value: Any) -> Any:
        return months.text(value) if isinstance(value, dt.date) else value

    def clean(self, value: Any) -> dt.date | None:  # type: ignore[override]
        text = super().clean(value)
        if not text:
            return None
        return months.parse(text)


class AmountField(forms.CharField):
    """Đồng as a whole number; the thousands dots people type (50.000) are accepted."""

    def __init__(self, **kwargs: Any) -> None:
        kwargs.setdefault("max_length", 18)
        kwargs.setdefault("widget", forms.TextInput(attrs={"inputmode": "numeric"}))
        super().__init__(**kwargs)

    def clean(self, value: Any) -> int | None:  # type: ignore[override]
        text = super().clean(value)
        if not text:
            return None
        digits = text.replace(".", "").replace(" ", "").removesuffix("đ")
        if not digits.isdigit():
            raise forms.ValidationError(_("Give the amount in đồng, a whole number above 0."))
        return int(digits)


class MonthPickForm(forms.Form):
    """?month=mm/yyyy on the dues pages (empty: this month)."""

    month = MonthField(label=_("Month"), required=False)

    def month_or_current(self) -> dt.date:
        if self.is_valid() and self.cleaned_data["month"]:
            return self.cleaned_data["month"]
        return months.first(timezone.localdate())


class QuickPayForm(forms.Form):
    """The one-tap payment of the cell page: the member pays what is left of the month."""

    member = forms.IntegerField(min_value=1)
    month = MonthField()
    amount = forms.IntegerField(min_value=1)
    paid_before = forms.IntegerField(min_value=0)


class PaymentForm(BootstrapForm):
    month = MonthField(label=_("Month paid for"))
    amount = AmountField(label=_("Amount (đồng)"))
    paid_on = DateField(label=_("Paid on"))
    reference = forms.CharField(
        label=_("Receipt or transaction number"), max_length=REFERENCE_MAX, required=False
    )


class BasisForm(BootstrapForm):
    valid_from = MonthField(label=_("From the month of"))
    category = forms.ChoiceField(label=_("Category"), choices=Category.choices)
    base_amount = AmountField(
        label=_("Salary or pension (đồng)"),
        required=False,
        help_text=_("Salaried members and pensioners: the social-insurance salary or pension."),
    )
    area = forms.ChoiceField(
        label=_("Area"),
        choices=[("", "—"), *Area.choices],
        required=False,
        help_text=_("Others, and students before 01-QĐ/TW: the area of the fixed amount."),
    )
    note = forms.CharField(label=_("Note"), max_length=NOTE_MAX, required=False)


class WaiverForm(BootstrapForm):
    start = MonthField(label=_("From the month of"))
    end = MonthField(label=_("Until the month of"))
    reason = forms.CharField(label=_("Reason"), max_length=REASON_MAX)


class StatementForm(BootstrapForm):
    file = forms.FileField(
        label=_("Payment statement (.xlsx or CSV)"),
        help_text=_(
            "The national public service portal's export: reference, member code, month, "
            "amount, and optionally the day paid."
        ),
    )

    def clean_file(self) -> Any:
        upload = self.cleaned_data["file"]
        if upload.size > MAX_BYTES:
            raise forms.ValidationError(
                _("The file is larger than %(size)s MB; split it.")
                % {"size": MAX_BYTES // (1024 * 1024)}
            )
        return upload
