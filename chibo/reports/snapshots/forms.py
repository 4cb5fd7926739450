"""The two forms of the year panel: closing (a ticked confirmation) and re-opening (why)."""

from django import forms
from django.utils.translation import gettext_lazy as _

from .services import REASON_LENGTH


class CloseForm(forms.Form):
    confirm = forms.BooleanField(
        label=_("I confirm that these figures are final"),
        required=True,
        error_messages={"required": _("Tick the box to confirm that the figures are final.")},
    )


class ReopenForm(forms.Form):
    reason = forms.CharField(
        label=_("Reason for re-opening"),
        max_length=REASON_LENGTH,
        widget=forms.Textarea(attrs={"rows": 2, "class": "form-control"}),
        error_messages={"required": _("Say why the year is re-opened.")},
    )
