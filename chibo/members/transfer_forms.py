"""Forms of the transfer pages: they only read input; the rules are in members.transfers."""

import datetime as dt

from django import forms
from django.utils.translation import gettext_lazy as _

from chibo.core.forms import BootstrapForm, DateField
from chibo.org.forms import UnitCodeField

from .models import PlacementKind


class CellCodeField(UnitCodeField):
    """A receiving cell anywhere in the tree: the sender may not be able to read it."""

    def clean(self, value):
        try:
            return super().clean(value)
        except forms.ValidationError:
            raise forms.ValidationError(
                _("No cell with code %(code)s."), params={"code": value}
            ) from None


class TransferSendForm(BootstrapForm):
    kind = forms.ChoiceField(
        label=_("Kind of transfer"),
        choices=PlacementKind.choices,
        initial=PlacementKind.OFFICIAL,
        help_text=_(
            "Official: the record moves to the receiving cell. Temporary: the member keeps "
            "the record here and also takes part in the receiving cell for a time."
        ),
    )
    to_unit = CellCodeField(label=_("Receiving cell (code)"))
    letter_number = forms.CharField(label=_("Transfer letter number"), max_length=40)
    sent_on = DateField(label=_("Sent on"))
    until = DateField(
        label=_("Temporary until (not included)"),
        required=False,
        help_text=_("Temporary transfers only: the first day the member is back."),
    )
    note = forms.CharField(label=_("Note"), max_length=300, required=False)

    def __init__(self, *args, targets=None, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["to_unit"].queryset = targets


class TransferAcceptForm(BootstrapForm):
    received_on = DateField(label=_("Received on"))


class TemporaryEndForm(BootstrapForm):
    on = DateField(label=_("Ends on (not included)"))


class TransferPeriodForm(forms.Form):
    """?from=&to= of the unit's list; `to` is the report date (today when left out)."""

    def __init__(self, *args, today: dt.date, **kwargs) -> None:
        super().__init__(*args, **kwargs)
        self.today = today
        self.fields["from"] = DateField(label=_("From"), required=False)
        self.fields["to"] = DateField(label=_("To"), required=False)

    def clean(self) -> dict:
        data = super().clean() or {}
        end = data.get("to") or self.today
        start = data.get("from") or end.replace(month=1, day=1)
        if start > end:
            raise forms.ValidationError(_("The start of the period is after its end."))
        data["from"], data["to"] = start, end
        return data
