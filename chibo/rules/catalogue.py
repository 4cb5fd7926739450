"""What each rule is called and how it is written: the labels people read, and the codec
between the stored JSON values and the one-line text an office types in the form
("2/3", "30, 40, 45", "03/02, 19/05", "reprimand=6, warning=9")."""

from dataclasses import dataclass
from fractions import Fraction

from django.core.exceptions import ValidationError
from django.utils.functional import Promise
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy as _l

from chibo.core import formats


@dataclass(frozen=True)
class Entry:
    name: str
    label: str | Promise
    kind: str  # int, fraction, years, occasions, map
    unit: str | Promise = ""
    keys: tuple[str, ...] = ()  # for maps: the keys allowed (empty: integers)


GROUPS: list[tuple[str | Promise, list[Entry]]] = [
    (
        _l("Meetings"),
        [
            Entry("meeting_min_minutes", _l("Shortest monthly meeting"), "int", _l("minutes")),
            Entry(
                "meeting_min_minutes_combined",
                _l("Shortest meeting when a thematic and a monthly meeting are held together"),
                "int",
                _l("minutes"),
            ),
            Entry(
                "documents_days_before",
                _l("Documents posted to the members before the meeting"),
                "int",
                _l("days"),
            ),
            Entry("min_official_members", _l("Official members a cell needs at least"), "int"),
            Entry(
                "ordinary_majority",
                _l("An ordinary resolution passes with more than"),
                "fraction",
                _l("of the official members counted"),
            ),
            Entry(
                "special_majority",
                _l("Admission and official recognition need at least"),
                "fraction",
                _l("of the official members counted"),
            ),
        ],
    ),
    (
        _l("Meeting quality score"),
        [
            Entry(
                "quality_max",
                _l("Points per part of the checklist"),
                "map",
                keys=("preparation", "attendance", "conduct", "closing"),
            ),
            Entry("quality_good", _l("Good (Tốt) from"), "int", _l("points")),
            Entry("quality_fair", _l("Fair (Khá) from"), "int", _l("points")),
            Entry("quality_average", _l("Average (Trung bình) from"), "int", _l("points")),
            Entry(
                "good_meeting_attendance",
                _l("A good meeting has attendance above"),
                "fraction",
            ),
            Entry(
                "year_good_min_good_meetings",
                _l("A good year needs at least this many good meetings"),
                "int",
            ),
        ],
    ),
    (
        _l("Admission and probation"),
        [
            Entry("admission_min_age", _l("Youngest age at admission"), "int", _l("years")),
            Entry(
                "admission_max_age",
                _l("Oldest age at admission without a higher approval"),
                "int",
                _l("years"),
            ),
            Entry(
                "introducer_min_months",
                _l("An introducer has worked with the candidate at least"),
                "int",
                _l("months"),
            ),
            Entry(
                "ceremony_working_days",
                _l("Admission ceremony within, after the decision"),
                "int",
                _l("working days"),
            ),
            Entry("probation_months", _l("Probation from the ceremony"), "int", _l("months")),
            Entry(
                "review_working_days",
                _l("The cell considers official membership within, after probation ends"),
                "int",
                _l("working days"),
            ),
            Entry(
                "removal_missed_meetings",
                _l("Unexcused missed meetings in a year that call for a removal review"),
                "int",
            ),
        ],
    ),
    (
        _l("Party badges"),
        [
            Entry("badge_years", _l("Badges at these years of party age"), "years"),
            Entry("badge_occasions", _l("Award occasions"), "occasions"),
            Entry(
                "badge_early_ill_months",
                _l("Serious illness: months early, per badge"),
                "map",
            ),
            Entry(
                "badge_posthumous_months",
                _l("Posthumous award: months early at most"),
                "int",
                _l("months"),
            ),
            Entry(
                "badge_discipline_wait_months",
                _l("A disciplined member waits, per discipline"),
                "map",
                keys=("reprimand", "warning", "dismissal"),
            ),
        ],
    ),
]
ENTRIES = {e.name: e for _group, entries in GROUPS for e in entries}


def to_text(entry: Entry, stored) -> str:
    """The stored JSON value as the form shows it."""
    if stored is None:
        return ""
    if entry.kind in ("int", "fraction"):
        return str(stored)
    if entry.kind in ("years", "occasions"):
        return ", ".join(str(v) for v in stored)
    return ", ".join(f"{k}={v}" for k, v in stored.items())


def display(entry: Entry, stored) -> str:
    """The stored JSON value as people read it (Vietnamese number style)."""
    if stored is None:
        return "—"
    if entry.kind == "int":
        return formats.number(int(stored))
    if entry.kind == "fraction":
        f = Fraction(str(stored))
        return f"{f} ({formats.number(float(f * 100), 2)}%)"
    return to_text(entry, stored)


def _positive(text: str, entry: Entry) -> int:
    try:
        value = int(text.strip())
    except ValueError:
        raise ValidationError(
            _("%(rule)s: “%(text)s” is not a whole number.")
            % {"rule": entry.label, "text": text.strip()}
        ) from None
    if value < 0:
        raise ValidationError(_("%(rule)s: the number cannot be negative.") % {"rule": entry.label})
    return value


def from_text(entry: Entry, text: str):
    """Parse what an office typed into the stored JSON value; ValidationError when wrong."""
    text = text.strip()
    if entry.kind == "int":
        return _positive(text, entry)
    if entry.kind == "fraction":
        try:
            value = Fraction(text.replace(" ", ""))
        except (ValueError, ZeroDivisionError):
            raise ValidationError(
                _("%(rule)s: write a share as a fraction, such as 2/3.") % {"rule": entry.label}
            ) from None
        if not 0 < value < 1:
            raise ValidationError(
                _("%(rule)s: a share lies between 0 and 1.") % {"rule": entry.label}
            )
        return str(value)
    parts = [p.strip() for p in text.split(",") if p.strip()]
    if not parts:
        raise ValidationError(_("%(rule)s: nothing was written.") % {"rule": entry.label})
    if entry.kind == "years":
        years = sorted({_positive(p, entry) for p in parts})
        if 0 in years:
            raise ValidationError(
                _("%(rule)s: a badge needs at least one year of party age.") % {"rule": entry.label}
            )
        return years
    if entry.kind == "occasions":
        out = []
        for p in parts:
            try:
                day, month = (int(x) for x in p.split("/"))
                formats.parse_date(f"{day:02d}/{month:02d}/2024")  # 2024: 29/02 exists
            except (ValueError, ValidationError):
                raise ValidationError(
                    _("%(rule)s: “%(text)s” is not a day and month such as 03/02.")
                    % {"rule": entry.label, "text": p}
                ) from None
            out.append(f"{day:02d}/{month:02d}")
        return sorted(set(out), key=lambda v: (v[3:], v[:2]))
    values = {}
    for p in parts:
        key, sep, number = p.partition("=")
        key = key.strip()
        if not sep or not key:
            raise ValidationError(
                _("%(rule)s: write each value as key=number, such as %(example)s.")
                % {"rule": entry.label, "example": f"{entry.keys[0] if entry.keys else 30}=12"}
            )
        if entry.keys and key not in entry.keys:
            raise ValidationError(
                _("%(rule)s: “%(key)s” is not one of %(keys)s.")
                % {"rule": entry.label, "key": key, "keys": ", ".join(entry.keys)}
            )
        if not entry.keys:
            key = str(_positive(key, entry))
        values[key] = _positive(number, entry)
    if entry.keys and set(values) != set(entry.keys):
        raise ValidationError(
            _("%(rule)s: give a value for each of %(keys)s.")
            % {"rule": entry.label, "keys": ", ".join(entry.keys)}
        )
    return values
