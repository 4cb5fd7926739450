"""Numbers and dates the way Vietnamese readers write them, whatever the UI language.

1561 -> "1.561"; 0.99744 -> "99,74%"; (1561, 1565) -> "1.561/1.565 (99,74%)"; dates dd/mm/yyyy.
"""

import datetime as dt
from decimal import ROUND_HALF_UP, Decimal


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
    from django.utils import timezone

    if timezone.is_aware(value):
        value = timezone.localtime(value)
    return value.strftime("%H:%M %d/%m/%Y")


DATE_INPUT_FORMATS = ["%d/%m/%Y", "%d-%m-%Y", "%d.%m.%Y", "%Y-%m-%d"]


def parse_date(text: str) -> dt.date:
    """Read a date the way people type it (dd/mm/yyyy first, ISO accepted). Raises ValueError."""
    text = text.strip()
    for fmt in DATE_INPUT_FORMATS:
        try:
            return dt.datetime.strptime(text, fmt).date()
        except ValueError:
            continue
    raise ValueError(text)
