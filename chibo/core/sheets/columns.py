"""A sheet of the import template and its columns: the header the template writes, the
spellings a workbook may use instead, and the values each column accepts.

Headers and the alias tables are Vietnamese *data* (what offices type in their workbooks),
not UI strings: they are matched after folding (no diacritics, no case), so "Ngày sinh",
"ngay sinh" and the English key "birth_date" all name the same column."""

from collections.abc import Iterable
from dataclasses import dataclass, field
from functools import cached_property

from django.db import models
from django.utils import translation
from django.utils.functional import Promise
from django.utils.translation import gettext_lazy

from chibo.core.search import fold

from .cells import BOOL, CHOICE, TEXT

Spellings = dict[str, list[str | Promise]]  # stored value -> accepted spellings


def limit(model: type[models.Model], name: str) -> int | None:
    return getattr(model._meta.get_field(name), "max_length", None)


def labels(
    choices: Iterable[models.TextChoices] | type[models.TextChoices], vi: dict[str, list[str]]
) -> Spellings:
    """Vietnamese spellings first, then the (lazy) English label, for every enum value: the
    first spelling is the one the template offers; the English label and the stored value
    are accepted as well."""
    return {c.value: [*vi[c.value], c.label] for c in choices}


YES, NO = "yes", "no"
YES_NO: Spellings = {
    YES: ["Có", "x", "1", "True", "Yes"],
    NO: ["Không", "0", "False", "No"],
}


@dataclass(frozen=True)
class Column:
    key: str
    label: str  # the Vietnamese header the template writes
    help: Promise | str
    type: str = TEXT
    required: bool = False
    max_length: int | None = None
    # CHOICE and BOOL: stored value -> accepted spellings, the first one being the template's.
    choices: Spellings = field(default_factory=dict)
    aliases: tuple[str, ...] = ()  # more header spellings
    # Numbers typed into Excel lose leading zeros: (digits seen, digits meant).
    zero_pad: tuple[tuple[int, int], ...] = ()
    # DATE: cannot be after today (a birth date), so 6/12/30 is 1930 (chibo.core.formats).
    past: bool = False

    def names(self) -> set[str]:
        spellings = {self.key, self.key.replace("_", " "), self.label, *self.aliases}
        return {fold(s) for s in spellings}

    @cached_property
    def lookup(self) -> dict[str, str]:
        """Folded spelling -> stored value: the enum value, its English label, the aliases."""
        table: dict[str, str] = {}
        with translation.override("en"):
            for value, spellings in self.choices.items():
                for s in (value, value.replace("_", " "), *spellings):
                    table[fold(str(s))] = value
        return table

    def shown_choices(self) -> list[str]:
        """The spelling the template offers for each value."""
        return [str(spellings[0]) for spellings in self.choices.values()]

    @property
    def offers_choices(self) -> bool:
        return self.type in (CHOICE, BOOL)


@dataclass(frozen=True)
class Sheet:
    """A kind of record in the template. Where it goes among the other sheets: after the
    sheets whose records its rows may name (`after`), before those whose rows may name its
    records (`before`, so that a lower app need not name a higher one), and otherwise by
    `order`, as the unit page orders its panels (chibo.core.sheets.registry)."""

    key: str
    title: str  # the Vietnamese sheet name the template writes
    label: Promise | str  # UI name
    match: Promise | str  # how rows find existing records, for people
    columns: tuple[Column, ...]
    aliases: tuple[str, ...] = ()
    after: tuple[str, ...] = ()
    before: tuple[str, ...] = ()
    order: int = 100
    guide: Promise | str = ""  # a paragraph for the template's instructions sheet

    def names(self) -> set[str]:
        return {fold(s) for s in (self.key, self.title, *self.aliases)}

    def column(self, key: str) -> Column:
        return next(c for c in self.columns if c.key == key)


DATE_HELP = gettext_lazy(
    "A date: dd/mm/yyyy (also 06122026 or 6/12/26), yyyy-mm-dd or an Excel date cell."
)


def match_headers(sheet: Sheet, headers: list[str]) -> tuple[dict[str, int], list[str], list[str]]:
    """Map column keys to positions. Returns (positions, duplicated labels, unknown headers)."""
    positions: dict[str, int] = {}
    duplicated, unknown = [], []
    for i, header in enumerate(headers):
        if not header:
            continue
        folded = fold(header)
        column = next((c for c in sheet.columns if folded in c.names()), None)
        if column is None:
            unknown.append(header)
        elif column.key in positions:
            duplicated.append(header)
        else:
            positions[column.key] = i
    return positions, duplicated, unknown
