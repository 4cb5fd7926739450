"""The days badges are awarded on: the regular ones the rules name (3/2, 19/5, 2/9, 7/11 under
the current regulation), each read from the rules in force on its own date, and the special
occasions offices add (`BadgeOccasion`: nationwide, or one province's own)."""

import datetime as dt
from dataclasses import dataclass

from django.db.models import Q
from django.utils.functional import Promise
from django.utils.translation import gettext_lazy as _

from chibo.org.models import OrgUnit
from chibo.rules import RuleBook
from chibo.rules.models import RuleVersion

from ..models import BadgeOccasion

REGULAR_NAMES: dict[tuple[int, int], Promise] = {
    (2, 3): _("Anniversary of the founding of the Communist Party of Vietnam"),
    (5, 19): _("Birthday of President Hồ Chí Minh"),
    (9, 2): _("National Day"),
    (11, 7): _("Anniversary of the October Revolution"),
}
# How far ahead next_occasion looks (rules may have no occasion for a while).
LOOKAHEAD_YEARS = 3


@dataclass(frozen=True)
class Occasion:
    date: dt.date
    name: str
    special: bool = False
    pk: int | None = None  # the BadgeOccasion row of a special occasion
    province_id: int | None = None  # a province's own special occasion


def _province_id(province: OrgUnit | int | None) -> int | None:
    return province.pk if isinstance(province, OrgUnit) else province


def occasions(year: int, province: OrgUnit | int | None = None) -> list[Occasion]:
    """The occasions of `year` for the units of `province` (None: the nationwide ones only),
    in date order. A regular date counts when the rules in force on that very date list it,
    so a regulation taking effect mid-year changes the occasions from its first day."""
    pid = _province_id(province)
    book = RuleBook()
    changes = RuleVersion.objects.filter(effective_from__year=year).filter(
        Q(province__isnull=True) | Q(province_id=pid)
    )
    starts = {dt.date(year, 1, 1), *changes.values_list("effective_from", flat=True)}
    found: dict[dt.date, Occasion] = {}
    for start in sorted(starts):
        for month, day in book.at(start, pid).badge_occasions or []:
            try:
                date = dt.date(year, month, day)
            except ValueError:  # 29/02 in a common year
                continue
            if date in found or (month, day) not in (book.at(date, pid).badge_occasions or []):
                continue
            name = REGULAR_NAMES.get((month, day), _("Regular award occasion"))
            found[date] = Occasion(date, str(name))
    specials = BadgeOccasion.objects.filter(date__year=year).filter(
        Q(province__isnull=True) | Q(province_id=pid)
    )
    for o in specials:
        # A special occasion on a regular date (the rules changed after it was added) is one
        # occasion, under the name the office gave it.
        found[o.date] = Occasion(o.date, o.name, True, o.pk, o.province_id)
    return [found[d] for d in sorted(found)]


def occasion_on(day: dt.date, province: OrgUnit | int | None = None) -> Occasion | None:
    return next((o for o in occasions(day.year, province) if o.date == day), None)


def next_occasion(after: dt.date, province: OrgUnit | int | None = None) -> Occasion | None:
    """The first occasion strictly after `after`."""
    for year in range(after.year, after.year + LOOKAHEAD_YEARS + 1):
        for o in occasions(year, province):
            if o.date > after:
                return o
    return None
