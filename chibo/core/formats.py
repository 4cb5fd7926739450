"""Numbers and dates the way Vietnamese readers write them, whatever the UI language.

1561 -> "1.561"; 0.99744 -> "99,74%"; (1561, 1565) -> "1.561/1.565 (99,74%)"; dates dd/mm/yyyy.

And the one reader of dates and times as people type them, used by every form field
(chibo.core.forms) and by the import (chibo.core.sheets.cells): parse_date, parse_time,
parse_datetime. Each raises ParseError, whose text says the expected format with an example.
"""

import datetime as dt
import re
from decimal import ROUND_HALF_UP, Decimal

from django.utils import timezone
from django.utils.translation import gettext as _

from chibo.core.search import fold


def number(value: int | float | Decimal | None, decimals: int = 0) -> str:
    if value is None:
        return ""
    quantum = Decimal(1).scaleb(-decimals)
    d = Decimal(str(value)).quantize(quantum, rounding=ROUND_HALF_UP)
    sign = "-" if d < 0 else ""
    whole, _, frac = f"{abs(d):f}".partition(".")
    groups: list[str] = []
    while len(whole) > 3:
        groups.insert(0, whole[-3:])
        whole = whole[:-3]
    groups.insert(0, whole)
    text = ".".join(groups)
    return f"{sign}{text},{frac}" if frac else f"{sign}{text}"


def percent(part: int | float | Decimal, whole: int | float | Decimal, decimals: int = 2) -> str:
    """Share of `whole` as a percentage; an empty whole gives an empty string, not 0%."""
    if not whole:
        return ""
    return number(Decimal(str(part)) * 100 / Decimal(str(whole)), decimals) + "%"


def ratio(part: int, whole: int, decimals: int = 2) -> str:
    """'1.561/1.565 (99,74%)'."""
    text = f"{number(part)}/{number(whole)}"
    share = percent(part, whole, decimals)
    return f"{text} ({share})" if share else text


def date(value: dt.date | dt.datetime | None) -> str:
    if value is None:
        return ""
    return value.strftime("%d/%m/%Y")


def datetime(value: dt.datetime | None) -> str:
    if value is None:
        return ""
    if timezone.is_aware(value):
        value = timezone.localtime(value)
    return value.strftime("%H:%M %d/%m/%Y")


class ParseError(ValueError):
    """Text that is not a date or a time; str() is the message for people, in the UI language.
    `code` is "invalid" (not the format), or "year" (a date whose year cannot be meant)."""

    def __init__(self, message: str, code: str = "invalid") -> None:
        super().__init__(message)
        self.code = code


# Years outside this range are typing slips (01/01/0198, 06/12/20026 cut short, ...), and
# nothing Chibo computes reaches beyond them: the pages, the API (chibo.core.api.Day, Year)
# and the imports refuse other dates rather than carry them into date arithmetic that would
# overflow (9999-12-31 + a few days is a server error, not an answer).
FIRST_YEAR, LAST_YEAR = 1900, 2100
FIRST_DAY, LAST_DAY = dt.date(FIRST_YEAR, 1, 1), dt.date(LAST_YEAR, 12, 31)
# A two-digit year is read in the hundred years that end this many years after the current
# one: in 2026, 00-36 are 2000-2036 and 37-99 are 1937-1999. Plans reach a few years ahead;
# people born or admitted before 1937 are rare, and a four-digit year is always possible.
# A date that cannot be in the future (a birth date: past=True) takes the latest such year
# that is not after today instead: in 2026, 6/12/30 born is 1930.
TWO_DIGIT_YEARS_AHEAD = 10

_SEP = r"\s*[/.\-]\s*"
_DMY = re.compile(rf"(\d{{1,2}}){_SEP}(\d{{1,2}}){_SEP}(\d{{4}}|\d{{2}})")
_YMD = re.compile(rf"(\d{{4}}){_SEP}(\d{{1,2}}){_SEP}(\d{{1,2}})")
_DIGITS = re.compile(r"(\d{2})(\d{2})(\d{4}|\d{2})")  # ddmmyyyy, ddmmyy


def range_hint() -> str:
    return _("Choose a date from %(first)s to %(last)s.") % {
        "first": date(FIRST_DAY),
        "last": date(LAST_DAY),
    }


def check_day(day: dt.date) -> dt.date:
    """`day` if it is inside FIRST_DAY..LAST_DAY; raises ParseError (code "year") if not."""
    value = day.date() if isinstance(day, dt.datetime) else day
    if not FIRST_DAY <= value <= LAST_DAY:
        raise ParseError(range_hint(), "year")
    return day


def parse_year(text: str | None) -> int | None:
    """A year asked for in a page's address (?year=2026): None when it is not a whole number
    in FIRST_YEAR..LAST_YEAR, for the page to fall back on its default."""
    try:
        year = int((text or "").strip())
    except ValueError:
        return None
    return year if FIRST_YEAR <= year <= LAST_YEAR else None


def date_hint(today: dt.date | None = None) -> str:
    """The refusal of a date: the format and an example, today."""
    return _("Date as dd/mm/yyyy, e.g. %(example)s") % {"example": date(today or _today())}


def time_hint() -> str:
    return _("Time as hh:mm, e.g. 19:30")


def datetime_hint(today: dt.date | None = None) -> str:
    return _("Date and time as dd/mm/yyyy hh:mm, e.g. %(example)s") % {
        "example": date(today or _today()) + " 19:30"
    }


def _today() -> dt.date:
    return timezone.localdate()


def parse_date(text: str, *, past: bool = False, today: dt.date | None = None) -> dt.date:
    """A date as people type it, day first: 06/12/2026, 6/12/2026, 06-12-2026, 06.12.2026,
    06122026, 061226, 6/12/26 (two-digit years: see TWO_DIGIT_YEARS_AHEAD), and ISO
    2026-12-06. `past`: the date cannot be after today (two-digit years are read so).
    Raises ParseError."""
    value = text.strip()
    if m := _YMD.fullmatch(value):
        year, month, day = int(m[1]), int(m[2]), int(m[3])
        digits = 4
    elif m := _DMY.fullmatch(value) or _DIGITS.fullmatch(value):
        day, month, year = int(m[1]), int(m[2]), int(m[3])
        digits = len(m[3])
    else:
        raise ParseError(date_hint(today))
    if digits == 4 and not FIRST_YEAR <= year <= LAST_YEAR:
        raise ParseError(_("The year %(year)d looks wrong.") % {"year": year}, "year")
    try:
        if digits == 2:
            return _two_digit_year(day, month, year, past=past, today=today or _today())
        return dt.date(year, month, day)
    except ValueError:  # 31/02, 29/02 of a common year, month 13
        raise ParseError(date_hint(today)) from None


def _two_digit_year(day: int, month: int, yy: int, *, past: bool, today: dt.date) -> dt.date:
    century = today.year - today.year % 100
    if past:
        # The latest of the candidate years whose date is not after today; 29/02 may exist
        # in only one of them.
        for year in (century + yy, century - 100 + yy):
            try:
                found = dt.date(year, month, day)
            except ValueError:
                continue
            if found <= today:
                return found
        raise ValueError(yy)
    year = century + yy
    if year > today.year + TWO_DIGIT_YEARS_AHEAD:
        year -= 100
    return dt.date(year, month, day)


# 19:30, 19.30, 7:30, 19:30:00; 19h30, 19h, 19g30, "19 giờ 30 phút" (folded); 1930, 730.
_HM = re.compile(r"(\d{1,2})\s*[:.]\s*(\d{2})(?:\s*:\s*(\d{2}))?")
_H = re.compile(r"(\d{1,2})\s*(?:h|g|gio)\s*(?:(\d{2})\s*(?:p|ph|phut)?)?")
_HHMM = re.compile(r"(\d{1,2})(\d{2})")


def parse_time(text: str) -> dt.time:
    """A time of day on the 24-hour clock as people type it: 19:30, 19.30, 1930, 19h30, 19h,
    7:30 (seconds are dropped). 24:00, 25:61, a bare "19" are refused. Raises ParseError."""
    value = fold(text)
    m = _HM.fullmatch(value) or _H.fullmatch(value) or _HHMM.fullmatch(value)
    if m is not None:
        hour, minute = int(m[1]), int(m[2] or 0)
        second = int(m[3] or 0) if m.re is _HM else 0
        if hour < 24 and minute < 60 and second < 60:
            return dt.time(hour, minute)
    raise ParseError(time_hint())


_JOINERS = re.compile(r"\s*,\s*|(?<=\d)T(?=\d)|\s+")


def parse_datetime(text: str, *, today: dt.date | None = None) -> dt.datetime:
    """A date and a time in either order: "06/12/2026 19:30", "19:30 06/12/2026" (as Chibo
    shows them), "19h30 ngày 6/12/2026", ISO "2026-12-06T19:30". Naive; raises ParseError."""
    words = [w for w in _JOINERS.split(text.strip()) if w]
    words = [w for w in words if fold(w) not in ("luc", "ngay")]
    for i in range(1, len(words)):
        for day_words, time_words in ((words[:i], words[i:]), (words[i:], words[:i])):
            try:
                day = parse_date(" ".join(day_words), today=today)
                time = parse_time(" ".join(time_words))
            except ParseError:
                continue
            return dt.datetime.combine(day, time)
    raise ParseError(datetime_hint(today))
