"""A sheet of the template and its columns: the header the template writes, the spellings a
workbook may use instead, and the values each column accepts."""

from dataclasses import dataclass, field
from functools import cached_property

from django.db import models
from django.utils import translation
from django.utils.functional import Promise
from django.utils.translation import gettext_lazy

from chibo.core.search import fold
from chibo.members.models import Member

from ..cells import BOOL, CHOICE, TEXT


def limit(model: type[models.Model], name: str) -> int | None:
    return getattr(model._meta.get_field(name), "max_length", None)


@dataclass(frozen=True)
class Column:
    key: str
    label: str  # the Vietnamese header the template writes
    help: Promise | str
    type: str = TEXT
    required: bool = False
    max_length: int | None = None
    # CHOICE and BOOL: stored value -> accepted spellings, the first one being the template's.
    choices: dict[str, list[str | Promise]] = field(default_factory=dict)
    aliases: tuple[str, ...] = ()  # more header spellings
    # Numbers typed into Excel lose leading zeros: (digits seen, digits meant).
    zero_pad: tuple[tuple[int, int], ...] = ()

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
    key: str
    title: str  # the Vietnamese sheet name the template writes
    label: Promise | str  # UI name
    match: Promise | str  # how rows find existing records, for people
    columns: tuple[Column, ...]
    aliases: tuple[str, ...] = ()

    def names(self) -> set[str]:
        return {fold(s) for s in (self.key, self.title, *self.aliases)}

    def column(self, key: str) -> Column:
        return next(c for c in self.columns if c.key == key)


DATE_HELP = gettext_lazy("A date: dd/mm/yyyy, yyyy-mm-dd or an Excel date cell.")
MEMBER_CODE = Column(
    "member_code",
    "Mã hồ sơ đảng viên",
    gettext_lazy("The member's record code, as in the members sheet or already in Chibo."),
    required=True,
    max_length=limit(Member, "code"),
    aliases=("Mã hồ sơ", "Mã đảng viên"),
)
