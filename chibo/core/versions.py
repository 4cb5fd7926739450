"""Optimistic locking of the records people edit: nothing is lost when two people edit at once.

A record carries a `version` (the `Versioned` mixin). Whoever changes it names the version
they read; the service calls `check_version` first, inside its transaction: one compare-and-set
UPDATE bumps the version only if it is still the one named, which also locks the row until the
transaction ends. The second of two concurrent saves therefore waits for the first to commit,
then finds the version moved on and is refused (`Stale`): the page shows the message and the
form again with the person's input, the API answers 409. Without a version (an older API
client) the row is still locked and re-read before the change, so a change to some fields
never writes back stale values of the others.

The version is a counter, not a fact about the record: the history leaves it out, as the
meetings' did first (chibo.meetings)."""

from typing import Any

from django import forms
from django.core.exceptions import ValidationError
from django.db import models, transaction
from django.db.models import F
from django.http import QueryDict
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from chibo.core import formats

STALE = "stale"


class Versioned(models.Model):
    """A record people edit: every change names the version it was made from."""

    version = models.PositiveIntegerField(
        gettext_lazy("version"),
        default=1,
        editable=False,
        help_text=gettext_lazy("Raised by one at every change (optimistic locking)."),
    )

    class Meta:
        abstract = True


class Stale(ValidationError):
    """A change made from an old version of a record: someone else saved in between.
    `current` is the record as it is now (None if it is gone)."""

    def __init__(self, current: models.Model | None, message: str | None = None) -> None:
        self.current = current
        super().__init__(
            message
            or _(
                "Someone else changed this record since you opened it, so your changes were"
                " not saved. Reload it and try again."
            ),
            code=STALE,
        )


def is_stale(error: ValidationError) -> bool:
    """A service refused a change made on an old version: the error carries the code "stale"
    (a `Stale`, or the meetings' own message)."""
    return any(e.code == STALE for e in getattr(error, "error_list", []))


def check_version[M: models.Model](obj: M, expected: int | None) -> M:
    """Claim `obj` for a change in the current transaction and return it re-read.

    One UPDATE ... SET version = version + 1 WHERE id = ... [AND version = expected]: on
    PostgreSQL the row stays locked until commit, and a second claimant blocks on it, then
    re-checks the WHERE against the committed row and matches nothing, so exactly one of two
    saves from the same version wins (SQLite writes one transaction at a time). `expected`
    None claims without a check (an API client that sends no version). The object is then
    re-read under the lock, so the change is applied to the values as they are now."""
    if not transaction.get_connection().in_atomic_block:
        raise RuntimeError("check_version needs a transaction (a service is @audit.write).")
    model = type(obj)
    rows = model._base_manager.filter(pk=obj.pk)
    if expected is not None:
        rows = rows.filter(version=expected)
    if not rows.update(version=F("version") + 1):
        raise Stale(model._base_manager.filter(pk=obj.pk).first())
    obj.refresh_from_db()
    return obj


class VersionForm(forms.Form):
    """The hidden version of an edit form (mixed into the app's form). Not required: a page
    rendered before versions existed still saves, as an API call without one does."""

    version = forms.IntegerField(widget=forms.HiddenInput, min_value=1, required=False)


def shown_stale(form: forms.BaseForm, error: Stale) -> None:
    """Show a stale save on its form: the message, the current values of the fields where
    the person's input differs from them, and the current version, so that saving again
    (after reading what changed) is a deliberate overwrite. The person's input is kept.

    The form's `initial` must be the record's current values, as edit views build it."""
    current = error.current
    said = [
        _("Someone else changed this record since you opened it, so your changes were not saved.")
    ]
    if current is not None:
        differ = []
        for name in form.changed_data:
            if name == "version":
                continue
            field = form.fields[name]
            differ.append(
                f"{field.label}: {_shown(field, form.get_initial_for_field(field, name))}"
            )
        if differ:
            said.append(_("Now: %(values)s.") % {"values": "; ".join(differ)})
        if "version" in form.fields:
            data = QueryDict(mutable=True)
            data.update(form.data)  # a QueryDict keeps every value of a multiple choice
            data[form.add_prefix("version")] = str(getattr(current, "version", ""))
            form.data = data
            said.append(_("Your input is kept below: save again to make your change."))
    form.add_error(None, " ".join(said))


def _shown(field: forms.Field, value: Any) -> str:
    if value in (None, ""):
        return _("(empty)")
    choices = dict(getattr(field, "choices", None) or [])
    if value in choices and not isinstance(field, forms.ModelChoiceField):
        return str(choices[value])
    if hasattr(value, "year") and hasattr(value, "day") and not hasattr(value, "hour"):
        return formats.date(value)
    return str(value)
