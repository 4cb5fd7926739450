"""Forms of the member pages: they only read input; the rules are in the services (and
members.transfers for transfers)."""

import datetime as dt

from django import forms
from django.utils.translation import gettext_lazy as _

from chibo.accounts.models import Role
from chibo.core.forms import BootstrapForm, DateField
from chibo.core.versions import VersionForm
from chibo.org.forms import UnitCodeField

from .models import EventKind, ExemptionReason, Gender, Member, PlacementKind, PositionKind, Status

STATUS_FILTERS = [
    ("", _("In the Party")),
    (Status.OFFICIAL, _("Official")),
    (Status.PROBATIONARY, _("Probationary")),
    ("exempt", _("Exempt from activities")),
    ("left", _("No longer in the Party")),
    ("all", _("All records")),
]


class MemberFilterForm(forms.Form):
    q = forms.CharField(label=_("Search"), required=False, max_length=100)
    unit = forms.CharField(label=_("Unit code"), required=False, max_length=32)
    status = forms.ChoiceField(label=_("Status"), choices=STATUS_FILTERS, required=False)
    gender = forms.ChoiceField(
        label=_("Gender"), choices=[("", _("All")), *Gender.choices], required=False
    )


class ProfileForm(BootstrapForm):
    code = forms.CharField(label=_("Record code"), max_length=32)
    full_name = forms.CharField(label=_("Full name"), max_length=120)
    gender = forms.ChoiceField(label=_("Gender"), choices=Gender.choices)
    birth_date = DateField(label=_("Birth date"), past=True)
    ethnicity = forms.CharField(label=_("Ethnicity"), max_length=40, initial="Kinh")
    phone = forms.CharField(label=_("Phone"), max_length=20, required=False)
    email = forms.EmailField(label=_("E-mail"), required=False)
    national_id = forms.CharField(label=_("National ID"), max_length=12, required=False)
    card_number = forms.CharField(label=_("Party card number"), max_length=20, required=False)

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["phone"].widget.input_type = "tel"
        self.fields["phone"].widget.attrs["autocomplete"] = "tel"


class MemberCreateForm(ProfileForm):
    unit = UnitCodeField(label=_("Cell (code)"))
    placed_since = DateField(label=_("Active in this cell since"))
    admitted_on = DateField(label=_("Admission decision date"))
    admission_decision = forms.CharField(
        label=_("Admission decision number"), max_length=40, required=False
    )
    official_on = DateField(label=_("Official member date"), required=False)
    official_decision = forms.CharField(
        label=_("Official recognition decision number"), max_length=40, required=False
    )

    def __init__(self, *args, scope=None, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["unit"].queryset = scope


class ProfileEditForm(ProfileForm, VersionForm):
    """The profile as edited: with the version it was read at (core.versions)."""


def profile_initial(member: Member) -> dict:
    return {f: getattr(member, f) for f in ProfileForm.base_fields}


class EventForm(BootstrapForm):
    kind = forms.ChoiceField(label=_("Event"), choices=EventKind.choices)
    date = DateField(label=_("Date"))
    end_date = DateField(label=_("Until (exemption or suspension only)"), required=False)
    reason = forms.ChoiceField(
        label=_("Reason (exemption only)"),
        choices=[("", "—"), *ExemptionReason.choices],
        required=False,
    )
    decision_number = forms.CharField(label=_("Decision number"), max_length=40, required=False)
    note = forms.CharField(label=_("Note"), max_length=300, required=False)


class PositionForm(BootstrapForm):
    kind = forms.ChoiceField(label=_("Position"), choices=PositionKind.choices)
    unit = UnitCodeField(label=_("Party unit (code), for party posts"), required=False)
    village: forms.ModelChoiceField = forms.ModelChoiceField(
        label=_("Village, for village posts"), queryset=None, required=False
    )
    start = DateField(label=_("From"))
    end = DateField(label=_("Until"), required=False)
    decision_number = forms.CharField(label=_("Decision number"), max_length=40, required=False)

    def __init__(self, *args, units=None, villages=None, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["unit"].queryset = units
        self.fields["village"].queryset = villages


class PlacementForm(BootstrapForm):
    unit = UnitCodeField(label=_("Cell (code)"))
    kind = forms.ChoiceField(label=_("Kind"), choices=PlacementKind.choices)
    start = DateField(label=_("From"))
    end = DateField(label=_("Left on"), required=False)
    letter_number = forms.CharField(label=_("Letter number"), max_length=40, required=False)
    note = forms.CharField(label=_("Note"), max_length=300, required=False)

    def __init__(self, *args, scope=None, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["unit"].queryset = scope


class EventEditForm(EventForm, VersionForm):
    pass


class PositionEditForm(PositionForm, VersionForm):
    pass


class PlacementEditForm(PlacementForm, VersionForm):
    pass


class TransferForm(BootstrapForm):
    to_unit = UnitCodeField(label=_("Receiving cell (code)"))
    left_on = DateField(label=_("Left the current cell on"))
    arrived_on = DateField(label=_("Arrived on"), required=False)
    letter_number = forms.CharField(
        label=_("Transfer letter number"), max_length=40, required=False
    )

    def __init__(self, *args, scope=None, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["to_unit"].queryset = scope


# Transfers -----------------------------------------------------------------------------------


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


class TransferAcceptForm(BootstrapForm, VersionForm):
    received_on = DateField(label=_("Received on"))


class TemporaryEndForm(BootstrapForm, VersionForm):
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


# The Access page ----------------------------------------------------------------------------


class GrantForm(BootstrapForm):
    """Grant a role to an existing account, or create the account at the same time."""

    username = forms.CharField(label=_("User name"), max_length=150)
    role = forms.ChoiceField(label=_("Role"), choices=Role.choices)
    new_account = forms.BooleanField(label=_("Create this account"), required=False)
    full_name = forms.CharField(label=_("Full name (new account)"), max_length=150, required=False)
    password = forms.CharField(
        label=_("Initial password (new account)"),
        required=False,
        widget=forms.PasswordInput(render_value=False),
    )
    member_code = forms.CharField(
        label=_("Member record code (to link the account)"), max_length=32, required=False
    )

    def __init__(self, *args, roles=(), **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["role"].choices = [(v, label) for v, label in Role.choices if v in roles]

    def clean(self):
        data = super().clean()
        if data.get("new_account") and not data.get("password"):
            self.add_error("password", _("A new account needs an initial password."))
        return data
