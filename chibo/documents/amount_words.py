"""Amounts of money in Vietnamese words, as a receipt writes them under the figures:
1.250.000 -> "Một triệu hai trăm năm mươi nghìn đồng".

The reading of accounting documents: "mười" for ten, "mươi" for the other tens, "mốt" for
one after them (hai mươi mốt), "lăm" for five after any ten (mười lăm, hai mươi lăm), "linh"
for a zero ten before a unit (một trăm linh năm), "không trăm" for a zero hundred inside the
number (một triệu không trăm năm mươi nghìn), and groups of three digits named nghìn, triệu,
tỷ, then nghìn tỷ, triệu tỷ..."""

DIGITS = ("không", "một", "hai", "ba", "bốn", "năm", "sáu", "bảy", "tám", "chín")
SCALES = ("", "nghìn", "triệu")  # then tỷ, and the three again before each further tỷ
BILLION = 10**9


def _below_thousand(n: int, *, leading: bool) -> list[str]:
    """A group of three digits; `leading`: the first group of the number, whose zero hundreds
    and tens are not read ("năm", not "không trăm linh năm")."""
    hundreds, rest = divmod(n, 100)
    tens, units = divmod(rest, 10)
    words: list[str] = []
    if hundreds or not leading:
        words += [DIGITS[hundreds], "trăm"]
    if tens == 0:
        if units:
            if words:
                words.append("linh")
            words.append(DIGITS[units])
        return words
    words += ["mười"] if tens == 1 else [DIGITS[tens], "mươi"]
    if units == 1 and tens > 1:
        words.append("mốt")
    elif units == 5:
        words.append("lăm")
    elif units:
        words.append(DIGITS[units])
    return words


def _below_billion(n: int, *, leading: bool) -> list[str]:
    groups = []
    while n:
        n, group = divmod(n, 1000)
        groups.append(group)
    words: list[str] = []
    for i in range(len(groups) - 1, -1, -1):
        group = groups[i]
        if group == 0:
            continue
        first = leading and not words
        words += _below_thousand(group, leading=first)
        if SCALES[i]:
            words.append(SCALES[i])
    return words


def _words(n: int, *, leading: bool = True) -> list[str]:
    if n >= BILLION:
        high, low = divmod(n, BILLION)
        words = [*_words(high, leading=leading), "tỷ"]
        if low:
            words += _below_billion(low, leading=False)
        return words
    return _below_billion(n, leading=leading)


def number_in_words(n: int) -> str:
    """A whole number, not negative, in lower-case words: 21 -> "hai mươi mốt"."""
    if n < 0:
        raise ValueError("a negative amount has no reading here")
    if n == 0:
        return DIGITS[0]
    return " ".join(_words(n))


def amount_in_words(n: int) -> str:
    """An amount of đồng as a receipt writes it: capitalised, with "đồng"."""
    text = f"{number_in_words(n)} đồng"
    return text[0].upper() + text[1:]
