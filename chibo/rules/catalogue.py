"""The rules Chibo reads, each declared by the app that reads it (its `rules.py`): what it is
called, and the codec between the stored JSON value, the value `rules.at(day)` gives, and
the one-line text an office types in the form ("2/3", "30, 40, 45", "03/02, 19/05",
"reprimand=6, warning=9")."""

from dataclasses import dataclass
from fractions import Fraction

from django.core.exceptions import ValidationError
from django.utils.functional import Promise
from django.utils.translation import gettext as _

from chibo.core import formats
from chibo.core.registry import Registry


@dataclass(frozen=True)
class Entry:
    """A rule Chibo reads: its name (the attribute of `rules.at(day)`), how people call it,
    and how its value is written. Declared by the app that reads it, in its `rules.py`."""

    name: str
    label: str | Promise
    kind: str  # int, fraction, years, occasions, map, choice
    unit: str | Promise = ""
    keys: tuple[str, ...] = ()  # maps: the keys allowed (empty: integers); choices: the values
    # For maps: how people call each key (the keys stay the form's syntax), or the unit of
    # integer keys ("30 years of party age: 12 months").
    key_labels: tuple[str | Promise, ...] = ()
    key_unit: str | Promise = ""
    group: str | Promise = ""  # the heading the rules page lists it under
    order: int = 0  # its place on the rules page
    provincial: bool = False  # a province may set its own value (shared/DOMAIN.md: scoring)

    def parse(self, stored):
        """The stored JSON value as `rules.at(day)` gives it (None: no rule in force)."""
        if stored is None:
            return None
        if self.kind == "fraction":
            return Fraction(str(stored))  # stored as text, e.g. "1/2", "17/20"
        if self.kind == "choice":
            return str(stored)  # one of `keys` (a reading of a rule, such as the rating form)
        if self.kind == "map":
            cast = str if self.keys else int
            return {cast(k): int(v) for k, v in stored.items()}
        if self.kind == "years":
            return sorted(int(v) for v in stored)
        if self.kind == "occasions":  # stored as "dd/mm" texts
            days = [tuple(int(x) for x in str(v).split("/")) for v in stored]
            return sorted((month, day) for day, month in days)
        return int(stored)


ENTRIES: Registry[Entry] = Registry("party rules", discover="rules")


def rule(name: str, label: str | Promise, kind: str, **options) -> Entry:
    """Declare a rule (in an app's `rules.py`): `rules.at(day).<name>` reads it from then on,
    and the rules page lists it."""
    return ENTRIES.register(name, Entry(name, label, kind, **options))


def ordered() -> list[Entry]:
    """Every rule, in the rules page's order."""
    return ENTRIES.sorted(key=lambda e: (e.order, e.name))


def groups() -> list[tuple[str | Promise, list[Entry]]]:
    """The rules in page order, under their headings."""
    out: list[tuple[str | Promise, list[Entry]]] = []
    for entry in ordered():
        if not out or out[-1][0] != entry.group:
            out.append((entry.group, []))
        out[-1][1].append(entry)
    return out


def _items(entry: Entry, stored: dict) -> list:
    """A map's entries in a reading order that does not depend on the database: the keys as
    the catalogue declares them, integer keys by number (PostgreSQL's jsonb keeps its own
    key order, SQLite the order written)."""
    if entry.keys:
        rank = {key: n for n, key in enumerate(entry.keys)}
        return sorted(stored.items(), key=lambda kv: (rank.get(kv[0], len(rank)), kv[0]))
    return sorted(stored.items(), key=lambda kv: int(kv[0]))


def to_text(entry: Entry, stored) -> str:
    """The stored JSON value as the form shows it."""
    if stored is None:
        return ""
    if entry.kind in ("int", "fraction", "choice"):
        return str(stored)
    if entry.kind in ("years", "occasions"):
        return ", ".join(str(v) for v in stored)
    return ", ".join(f"{k}={v}" for k, v in _items(entry, stored))


def display(entry: Entry, stored) -> str:
    """The stored JSON value as people read it (Vietnamese number style). A map's values carry
    their unit and its keys their names ("Chuẩn bị: 15 điểm"); the other kinds' unit is
    written after the value (`with_unit`)."""
    if stored is None:
        return "—"
    if entry.kind == "int":
        return formats.number(int(stored))
    if entry.kind == "choice":
        names = dict(zip(entry.keys, entry.key_labels, strict=False))
        return str(names.get(str(stored), stored))
    if entry.kind == "fraction":
        f = Fraction(str(stored))
        return f"{f} ({formats.number(float(f * 100), 2)}%)"
    if entry.kind == "map":
        names = dict(zip(entry.keys, entry.key_labels, strict=False))
        parts = []
        for key, value in _items(entry, stored):
            if entry.keys:
                name = str(names.get(key, key))
            else:
                name = f"{formats.number(int(key))} {entry.key_unit}".strip()
            parts.append(f"{name}: {formats.number(int(value))} {entry.unit}".strip())
        return "; ".join(parts)
    return to_text(entry, stored)


def with_unit(entry: Entry, stored) -> str:
    """`display`, with the unit after the value where the value does not carry it."""
    text = display(entry, stored)
    if stored is None or not entry.unit or entry.kind == "map":
        return text
    return f"{text} {entry.unit}"


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
    if entry.kind == "choice":
        if text not in entry.keys:
            raise ValidationError(
                _("%(rule)s: “%(text)s” is not one of %(keys)s.")
                % {"rule": entry.label, "text": text, "keys": ", ".join(entry.keys)}
            )
        return text
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
                _("%(rule)s: each number of years is at least one.") % {"rule": entry.label}
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
