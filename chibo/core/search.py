"""Diacritic-free, case-free search keys: "Nguyễn Văn Hùng" -> "nguyen van hung", "đ" -> "d"."""

import re
import unicodedata

_SPACES = re.compile(r"\s+")


def fold(text: str | None) -> str:
    if not text:
        return ""
    text = text.replace("đ", "d").replace("Đ", "D")
    decomposed = unicodedata.normalize("NFD", text)
    stripped = "".join(c for c in decomposed if unicodedata.category(c) != "Mn")
    return _SPACES.sub(" ", stripped).strip().lower()


def terms(query: str | None) -> list[str]:
    """The folded words of a query; every word must match for a row to be found."""
    return [t for t in fold(query).split(" ") if t]


_DIGITS = re.compile(r"\d+")
SORT_DIGITS = 10  # a number in a name up to 10 digits long sorts by its value


def sort_key(text: str | None) -> str:
    """A key that sorts names the way people read them: folded as for search, and each run
    of digits padded with zeros, so "Chi bộ khu phố 2" comes before "Chi bộ khu phố 10"
    (in SQL, by a plain ORDER BY on the stored key)."""
    return _DIGITS.sub(lambda m: m[0].zfill(SORT_DIGITS), fold(text))
