"""Writes to the rules: a new version of a regulation, a working-day change. A version takes
effect from today at the earliest, so the deadlines and checks of past dates keep reading
the rules they had (a regulation is never rewritten: a new one is added)."""

import datetime as dt

from django.core.exceptions import ValidationError
from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from chibo.core import audit
from chibo.org.models import Kind, OrgUnit

from . import calendar
from .catalogue import ENTRIES
from .models import DayChange, RuleVersion

VERSION_ADDED = audit.kind(
    "rules.version_added",
    gettext_lazy("Rule version added: %(source)s, in force from %(date)s"),
)
WORKING_DAY_ADDED = audit.kind(
    "rules.working_day_added", gettext_lazy("%(date)s made a working day: %(name)s")
)
DAY_OFF_ADDED = audit.kind("rules.day_off_added", gettext_lazy("%(date)s made a day off: %(name)s"))
DAY_CHANGE_DELETED = audit.kind(
    "rules.day_change_deleted", gettext_lazy("Working-day change on %(date)s deleted: %(name)s")
)


@audit.write
def version_add(
    *,
    actor,
    effective_from: dt.date,
    source: str,
    province: OrgUnit | None,
    values: dict,
    today: dt.date | None = None,
) -> RuleVersion:
    """`values`: stored JSON values by rule name (see chibo.rules.catalogue.from_text)."""
    today = today or _today()
    if effective_from < today:
        raise ValidationError(
            {
                "effective_from": _(
                    "A new version takes effect from today at the earliest: earlier dates "
                    "keep the rules they had."
                )
            }
        )
    source = " ".join(source.split())
    if not source:
        raise ValidationError({"source": _("Name the regulation.")})
    if province is not None and province.kind != Kind.PROVINCE:
        raise ValidationError({"province": _("A province's own rules belong to a province.")})
    if not values:
        raise ValidationError(_("Give at least one value."))
    unknown = sorted(set(values) - set(ENTRIES.names()))
    if unknown:
        raise ValidationError(_("Unknown rules: %(names)s.") % {"names": ", ".join(unknown)})
    national = sorted(name for name in values if not ENTRIES[name].provincial)
    if province is not None and national:
        raise ValidationError(
            _(
                "A province varies only the meeting quality scoring; these rules are the same "
                "nationwide: %(names)s."
            )
            % {"names": ", ".join(str(ENTRIES[n].label) for n in national)}
        )
    version = RuleVersion(
        effective_from=effective_from, source=source, province=province, values=values
    )
    version.full_clean()
    version.save()
    audit.record(
        VERSION_ADDED,
        actor=actor,
        obj=version,
        source=source,
        date=effective_from,
        province=province.name if province else None,
        count=len(values),
    )
    return version


def _today() -> dt.date:
    return timezone.localdate()


def _not_past(date: dt.date, today: dt.date | None) -> None:
    if date < (today or _today()):
        raise ValidationError(
            {
                "date": _(
                    "A day before today cannot change: the deadlines already counted keep "
                    "their count."
                )
            }
        )


@audit.write
def day_change_add(
    *, actor, date: dt.date, working: bool, name: str, today: dt.date | None = None
) -> DayChange:
    _not_past(date, today)
    name = " ".join(name.split())
    if not name:
        raise ValidationError({"name": _("Say why the day changes.")})
    if not calendar.FIRST <= date <= calendar.LAST:
        raise ValidationError(
            {
                "date": _("Chibo counts working days from %(first)s to %(last)s.")
                % {"first": f"{calendar.FIRST:%d/%m/%Y}", "last": f"{calendar.LAST:%d/%m/%Y}"}
            }
        )
    if DayChange.objects.filter(date=date).exists():
        raise ValidationError({"date": _("That day is already recorded.")})
    usual = calendar.is_working(date, {})
    if usual == working:
        raise ValidationError(
            {
                "working": (
                    _("%(day)s is already a working day.")
                    if working
                    else _("%(day)s is already a day off.")
                )
                % {"day": f"{date:%d/%m/%Y}"}
            }
        )
    change = DayChange(date=date, working=working, name=name)
    change.full_clean()
    change.save()
    calendar.rebuild(date)
    audit.record(
        WORKING_DAY_ADDED if working else DAY_OFF_ADDED,
        actor=actor,
        obj=change,
        date=date,
        name=name,
    )
    return change


@audit.write
def day_change_delete(*, actor, change: DayChange, today: dt.date | None = None) -> None:
    _not_past(change.date, today)
    date = change.date
    # Recorded before the row goes: the event keeps its id.
    audit.record(DAY_CHANGE_DELETED, actor=actor, obj=change, date=date, name=change.name)
    change.delete()
    calendar.rebuild(date)
