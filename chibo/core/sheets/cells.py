"""Reading one cell as its column's type: tidy text, a date, a time, a whole number, yes or
no, or one of the choices."""

import datetime as dt
import re
import unicodedata
from typing import Any, Protocol

from django.utils.translation import gettext as _

from chibo.core.formats import ParseError, parse_date, parse_time
from chibo.core.search import fold

TEXT, DATE, CHOICE = "text", "date", "choice"
TIME, NUMBER, BOOL = "time", "number", "bool"

# Text that a spreadsheet would run as a formula (chibo.core.formulas; a leading tab or
# carriage return is tidied away before this is checked). No name, code, address, note or
# task of a Party record starts with "=" or "@", and Excel itself refuses such text typed
# without a leading apostrophe: a cell holding it was made so on purpose, the attack's
# `=HYPERLINK(…)` or `=cmd|…`, and it is an error. "+" and "-" do start real text ("- đã
# nộp", "+84 912 345 678"): a warning, and Chibo's files keep it as text.
REFUSED_STARTS = ("=", "@")
WARNED_STARTS = ("+", "-")
SIGNED_NUMBER = re.compile(r"[+-][-+0-9 .,]*")  # "-", "-5", "+84 912 345 678": harmless
SHOWN_LENGTH = 40  # of a refused text, in its message


class Readable(Protocol):
    """What reading a cell needs of its column (chibo.core.sheets.columns.Column)."""

    @property
    def type(self) -> str: ...

    @property
    def zero_pad(self) -> tuple[tuple[int, int], ...]: ...

    @property
    def max_length(self) -> int | None: ...

    @property
    def past(self) -> bool: ...

    @property
    def lookup(self) -> dict[str, str]: ...

    def shown_choices(self) -> list[str]: ...


class CellError(ValueError):
    """A cell that cannot be read as its column's type; the message is for people."""


def text(value: Any) -> str:
    """Any cell as tidy text: NFC (Mac Excel writes decomposed accents), single spaces."""
    if value is None:
        return ""
    if isinstance(value, bool):
        return "1" if value else "0"
    if isinstance(value, float) and value.is_integer():
        value = int(value)
    if isinstance(value, dt.datetime):
        value = value.date()
    if isinstance(value, dt.date):
        return value.strftime("%d/%m/%Y")
    return " ".join(unicodedata.normalize("NFC", str(value)).split())


def read_cell(column: Readable, value: Any) -> Any:
    """The cell as its column's type; "" or None when empty. Raises CellError."""
    if column.type == DATE:
        return _date(value, past=column.past)
    if column.type == TIME:
        return _time(value)
    if column.type == NUMBER:
        return _number(value)
    shown = text(value)
    if not shown:
        return ""
    if column.type in (CHOICE, BOOL):
        found = column.lookup.get(fold(shown))
        if found is None:
            raise CellError(
                _("Unknown value “%(value)s”. Allowed: %(allowed)s.")
                % {"value": shown, "allowed": ", ".join(column.shown_choices())}
            )
        return found == "yes" if column.type == BOOL else found
    if isinstance(value, int | float) and column.zero_pad:
        for seen, meant in column.zero_pad:
            if len(shown) == seen:
                shown = shown.zfill(meant)
                break
    if column.max_length and len(shown) > column.max_length:
        raise CellError(
            _("Too long: %(length)d characters, at most %(limit)d.")
            % {"length": len(shown), "limit": column.max_length}
        )
    if shown.startswith(REFUSED_STARTS):
        raise CellError(
            _(
                "“%(value)s” starts with “%(char)s”: a spreadsheet would run it as a formula. "
                "Remove the “%(char)s” or correct the cell."
            )
            % {"value": _shortened(shown), "char": shown[0]}
        )
    return shown


def cell_warning(column: Readable, value: Any) -> str:
    """What a person should check in a cell read as `value` that is still imported: a text
    starting with "+" or "-" that a spreadsheet may read as a formula; "" when nothing."""
    if column.type != TEXT or not isinstance(value, str) or not value.startswith(WARNED_STARTS):
        return ""
    if SIGNED_NUMBER.fullmatch(value):
        return ""
    return _(
        "“%(value)s” starts with “%(char)s”: a spreadsheet may read it as a formula. Chibo "
        "keeps it as text; check that it is what you meant."
    ) % {"value": _shortened(value), "char": value[0]}


def _shortened(value: str) -> str:
    return value if len(value) <= SHOWN_LENGTH else value[: SHOWN_LENGTH - 1] + "…"


def _date(value: Any, *, past: bool = False) -> dt.date | None:
    if value is None or (isinstance(value, str) and not value.strip()):
        return None
    day: dt.date | None
    if isinstance(value, dt.datetime):
        day = value.date()
    elif isinstance(value, dt.date):
        day = value
    elif isinstance(value, int) and not isinstance(value, bool) and 10**6 <= value < 10**8:
        # 06122026 typed into a number cell: Excel dropped the leading zero.
        day = _date_text(f"{value:08d}", past)
    elif isinstance(value, str):
        day = _date_text(value, past)
    else:
        # Any other number is most likely a date cell that lost its format: refuse to guess.
        day = None
    if day is None:
        raise CellError(
            _("“%(value)s” is not a date; write it as dd/mm/yyyy.") % {"value": text(value)}
        )
    if day.year < 1900:
        raise CellError(_("The year %(year)d looks wrong.") % {"year": day.year})
    return day


def _date_text(value: str, past: bool) -> dt.date | None:
    try:
        return parse_date(value, past=past)
    except ParseError as e:
        if e.code == "year":
            raise CellError(str(e)) from None
    try:  # "2024-05-19 00:00:00", as spreadsheets and scripts export dates
        return dt.datetime.fromisoformat(value.strip()).date()
    except ValueError:
        return None


def _time(value: Any) -> dt.time | None:
    if value is None or (isinstance(value, str) and not value.strip()):
        return None
    if isinstance(value, dt.datetime):  # a date-and-time cell
        return value.time().replace(second=0, microsecond=0)
    if isinstance(value, dt.time):
        return value.replace(second=0, microsecond=0)
    if isinstance(value, int) and not isinstance(value, bool) and value >= 100:
        value = str(value)  # 1930 typed into a number cell
    # Any other number is most likely a time cell that lost its format: refuse to guess.
    if isinstance(value, str):
        try:
            return parse_time(value)
        except ParseError:
            pass
    raise CellError(
        _("“%(value)s” is not a time; write it as hh:mm, for example 19:30.")
        % {"value": text(value)}
    )


def _number(value: Any) -> int | None:
    if value is None or (isinstance(value, str) and not value.strip()):
        return None
    if isinstance(value, float) and value.is_integer():
        value = int(value)
    if isinstance(value, str) and re.fullmatch(r"[0-9]+", value.strip()):
        value = int(value.strip())
    if isinstance(value, bool) or not isinstance(value, int) or value < 0:
        raise CellError(
            _("“%(value)s” is not a whole number of 0 or more.") % {"value": text(value)}
        )
    return value
