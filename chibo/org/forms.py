from django import forms
from django.utils.translation import gettext_lazy as _

from chibo.core.forms import BootstrapForm, DateField
from chibo.core.versions import VersionForm

from .models import (
    BASE_KINDS,
    TYPED_KINDS,
    CellType,
    Kind,
    OrgUnit,
    Sector,
    VillageKind,
    child_kinds,
)


def sector_field() -> forms.ChoiceField:
    return forms.ChoiceField(
        label=_("Sector"),
        choices=[("", "—"), *Sector.choices],
        required=False,
        help_text=_("Base committees and base cells only."),
    )


class UnitCodeField(forms.CharField):
    """A unit typed by its code, resolved within a queryset the view gives (the user's scope)."""

    def __init__(self, *, queryset=None, **kwargs):
        self.queryset = queryset
        kwargs.setdefault("max_length", 32)
        super().__init__(**kwargs)

    def clean(self, value):
        value = super().clean(value)
        if not value:
            return None
        unit = self.queryset.filter(code__iexact=value.strip()).first()
        if unit is None:
            raise forms.ValidationError(
                _("No unit with code %(code)s in your scope."), params={"code": value}
            )
        return unit


class UnitCreateForm(BootstrapForm):
    code = forms.CharField(label=_("Code"), max_length=32)
    name = forms.CharField(label=_("Name"), max_length=200)
    kind = forms.ChoiceField(label=_("Kind"), choices=Kind.choices)
    cell_type = forms.ChoiceField(
        label=_("Cell type"), choices=[("", "—"), *CellType.choices], required=False
    )
    sector = sector_field()
    founded_on = DateField(label=_("Founded on"), required=False)

    def __init__(self, *args, parent: OrgUnit | None = None, **kwargs):
        super().__init__(*args, **kwargs)
        # Offer only the kinds that may sit under the parent (a cell takes party groups).
        kinds = child_kinds(parent.kind) if parent else [Kind.PROVINCE]
        self.fields["kind"].choices = [(k, Kind(k).label) for k in kinds]  # type: ignore[attr-defined]
        if len(kinds) == 1:
            self.fields["kind"].initial = kinds[0]
        if not TYPED_KINDS.intersection(kinds):
            del self.fields["cell_type"]
        if not BASE_KINDS.intersection(kinds):
            del self.fields["sector"]


class UnitEditForm(BootstrapForm, VersionForm):
    name = forms.CharField(label=_("Name"), max_length=200)
    cell_type = forms.ChoiceField(
        label=_("Cell type"), choices=[("", "—"), *CellType.choices], required=False
    )
    sector = sector_field()
    founded_on = DateField(label=_("Founded on"), required=False)
    dissolved_on = DateField(label=_("Dissolved on"), required=False)

    def __init__(self, *args, kind: str | None = None, dissolve: bool = True, **kwargs):
        super().__init__(*args, **kwargs)
        if kind is not None and kind not in TYPED_KINDS:
            del self.fields["cell_type"]  # only cells have a type
        if kind is not None and kind not in BASE_KINDS:
            del self.fields["sector"]  # only base organisations have a sector
        if not dissolve:
            del self.fields["dissolved_on"]


class UnitMoveForm(BootstrapForm):
    new_parent = UnitCodeField(label=_("New parent unit (code)"))
    on = DateField(label=_("From date"))

    def __init__(self, *args, scope=None, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["new_parent"].queryset = scope


class UnitMergeForm(BootstrapForm):
    target = UnitCodeField(label=_("Merge into unit (code)"))
    on = DateField(label=_("From date"))

    def __init__(self, *args, scope=None, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["target"].queryset = scope


class VillageForm(BootstrapForm):
    name = forms.CharField(label=_("Name"), max_length=200)
    kind = forms.ChoiceField(label=_("Kind"), choices=VillageKind.choices)


class VillageEditForm(VillageForm, VersionForm):
    pass


class CountsDateForm(forms.Form):
    on = DateField(label=_("Counts on"), required=False)


def unit_initial(unit: OrgUnit) -> dict:
    return {
        "name": unit.name,
        "cell_type": unit.cell_type,
        "sector": unit.sector,
        "founded_on": unit.founded_on,
        "dissolved_on": unit.dissolved_on,
        "version": unit.version,
    }


class SecondFactorRuleForm(BootstrapForm):
    required = forms.BooleanField(
        label=_(
            "Require two-step login of the office accounts of this unit and of every unit below it"
        ),
        required=False,
        help_text=_(
            "An account holding an office or viewer role here or below must set up an "
            "authenticator app before it can do anything else."
        ),
    )
