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
