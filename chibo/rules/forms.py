from django import forms
from django.core.exceptions import ValidationError
from django.utils.translation import gettext_lazy as _

from chibo.core.forms import BootstrapForm, DateField, style_fields

from .catalogue import from_text, ordered


class VersionForm(BootstrapForm):
    """A new version: its date, its regulation, whose it is, and the values it sets (one
    text box per rule; left empty, a rule keeps the value it had)."""

    effective_from = DateField(label=_("Takes effect on"))
    source = forms.CharField(label=_("Regulation"), max_length=200)
    province = forms.TypedChoiceField(label=_("Applies to"), coerce=int)

    def __init__(self, *args, provinces=(), current: dict | None = None, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["province"].choices = [(0, _("Nationwide"))] + [  # type: ignore[attr-defined]
            (p.pk, p.name) for p in provinces
        ]
        for entry in ordered():
            name = entry.name
            label = f"{entry.label} ({entry.unit})" if entry.unit else str(entry.label)
            now = (current or {}).get(name, "")
            helps = [_("In force now: %(value)s") % {"value": now}] if now else []
            if entry.key_labels:  # the keys are typed as they are; say what each one is
                helps.append(
                    _("Keys: %(keys)s")
                    % {
                        "keys": ", ".join(
                            f"{k} ({label})"
                            for k, label in zip(entry.keys, entry.key_labels, strict=False)
                        )
                    }
                )
            self.fields[f"v_{name}"] = forms.CharField(
                label=label,
                required=False,
                max_length=300,
                help_text=" · ".join(str(h) for h in helps),
            )
            if entry.kind != "choice":  # a choice's key alone would read as an English word
                self.fields[f"v_{name}"].widget.attrs["placeholder"] = now
        style_fields(self)

    def clean(self):
        data = super().clean()
        values = {}
        for entry in ordered():
            name = entry.name
            text = (data.get(f"v_{name}") or "").strip()
            if not text:
                continue
            try:
                values[name] = from_text(entry, text)
            except ValidationError as e:
                self.add_error(f"v_{name}", e)
        if not values and not self.errors:
            raise ValidationError(_("Give at least one value."))
        data["values"] = values
        return data


class DayChangeForm(BootstrapForm):
    date = DateField(label=_("Date"))
    working = forms.BooleanField(
        label=_("A weekend day that is worked"),
        required=False,
        help_text=_("Leave unticked for a weekday off."),
    )
    name = forms.CharField(label=_("Reason"), max_length=200)
