"""A payment statement: the payments of Party dues made through the national public service
portal (Cổng Dịch vụ công quốc gia), as it exports them, a CSV or xlsx file of one row per
payment with its reference, the member's record code, the month paid for, the amount and,
optionally, the day paid.

Headers are matched without accents or case, in Vietnamese or English (`COLUMNS`); a title
block above the header row is skipped. Every row is checked before anything is written
(`statement_plan`); the service (chibo.dues.services.statement_import) writes only a plan
without bad rows. Nothing here writes."""

import csv
import datetime as dt
import io
import re
import warnings
from collections.abc import Iterable
from dataclasses import dataclass, field
from decimal import Decimal
from pathlib import PurePath
from typing import Any, Protocol

from django.core.exceptions import ValidationError
from django.db.models import Q
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from chibo.core import formats
from chibo.core.sheets import DATE, CellError, Column, Sheet, match_headers, read_cell, text
from chibo.core.sql import chunks
from chibo.members.models import Member
from chibo.org.models import OrgUnit

from . import months
from .models import DuesPayment, Source
from .roll import placements_during, subtree_during

MAX_BYTES = 5 * 1024 * 1024
MAX_ROWS = 20_000
HEADER_SEARCH = 10  # rows a title block above the header may take
ZIP_MAGIC = b"PK\x03\x04"
OLE_MAGIC = b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1"  # old .xls
REFERENCE_MAX = DuesPayment._meta.get_field("reference").max_length or 120
AHEAD_MONTHS = 12  # as chibo.dues.services: dues paid at most a year ahead

# The headers are data: what the portal's export and offices' sheets write.
COLUMNS = Sheet(
    "statement",
    "Bảng kê nộp đảng phí",
    gettext_lazy("Payment statement"),
    "",
    (
        Column(
            "reference",
            "Mã giao dịch",
            gettext_lazy("The payment's reference."),
            required=True,
            aliases=(
                "Số giao dịch",
                "Mã tham chiếu",
                "Số tham chiếu",
                "Mã thanh toán",
                "Mã hồ sơ thanh toán",
                "Số biên lai",
                "Transaction",
                "Transaction ID",
                "Reference number",
            ),
        ),
        Column(
            "member",
            "Mã đảng viên",
            gettext_lazy("The member's record code."),
            required=True,
            aliases=(
                "Mã hồ sơ đảng viên",
                "Mã ĐV",
                "Member code",
                "member_code",
                "Code",
            ),
        ),
        Column(
            "month",
            "Tháng đóng",
            gettext_lazy("The month paid for, mm/yyyy."),
            required=True,
            aliases=("Tháng", "Kỳ đóng", "Kỳ nộp", "Đảng phí tháng", "Tháng nộp", "Period"),
        ),
        Column(
            "amount",
            "Số tiền",
            gettext_lazy("The amount in đồng."),
            required=True,
            aliases=(
                "Số tiền (đồng)",
                "Số tiền nộp",
                "Số tiền đã nộp",
                "Thành tiền",
                "Amount paid",
            ),
        ),
        Column(
            "paid_on",
            "Ngày nộp",
            gettext_lazy("The day paid (empty: the day of the import)."),
            DATE,
            aliases=(
                "Ngày thanh toán",
                "Ngày giao dịch",
                "Ngày nộp tiền",
                "Thời gian thanh toán",
                "Date",
                "Payment date",
            ),
        ),
    ),
)
REQUIRED = [c for c in COLUMNS.columns if c.required]


class NamedFile(Protocol):
    """An uploaded file (Django's UploadedFile, ContentFile with a name)."""

    name: str | None

    def read(self, *args: Any) -> bytes: ...


@dataclass
class StatementRow:
    number: int  # the spreadsheet's row number
    reference: str
    member_code: str
    month: dt.date
    amount: int
    paid_on: dt.date
    member_id: int = 0
    full_name: str = ""


@dataclass
class BadRow:
    number: int
    reasons: list[str]
    reference: str = ""
    member_code: str = ""
    month: str = ""
    amount: str = ""


@dataclass
class StatementPlan:
    """What importing the statement does: the payments to record, those already recorded
    (the same reference, member and month), and the rows refused with their reasons."""

    name: str
    to_record: list[StatementRow] = field(default_factory=list)
    already: list[StatementRow] = field(default_factory=list)
    bad: list[BadRow] = field(default_factory=list)

    @property
    def total(self) -> int:
        return sum(r.amount for r in self.to_record)


# Reading the file -----------------------------------------------------------------------------


def _file_error(message: str) -> ValidationError:
    return ValidationError({"file": message})


def _not_a_spreadsheet(name: str) -> ValidationError:
    return _file_error(
        _("%(name)s: this file is not a spreadsheet. Upload the statement as .xlsx or CSV.")
        % {"name": name}
    )


def _looks_binary(content: bytes) -> bool:
    sample = content[:8192]
    if b"\x00" in sample or sample.startswith(b"%PDF"):
        return True
    control = sum(1 for b in sample if b < 32 and b not in (9, 10, 12, 13))
    return control > len(sample) // 100


def _rows_xlsx(name: str, content: bytes) -> list[list[Any]]:
    import openpyxl

    try:
        with warnings.catch_warnings():
            warnings.simplefilter("ignore")
            book = openpyxl.load_workbook(io.BytesIO(content), read_only=True, data_only=True)
            try:
                # The sheet holding the statement: the first with a header row.
                for ws in book.worksheets:
                    ws.reset_dimensions()
                    rows = [list(r) for r in ws.iter_rows(values_only=True)]
                    if _header_at(rows) is not None:
                        return rows
                return [list(r) for r in book.worksheets[0].iter_rows(values_only=True)]
            finally:
                book.close()
    except Exception:  # a broken workbook fails in many ways inside openpyxl and zipfile
        raise _not_a_spreadsheet(name) from None


def _rows_csv(name: str, content: bytes) -> list[list[Any]]:
    if _looks_binary(content):
        raise _not_a_spreadsheet(name)
    try:
        body = content.decode("utf-8-sig")
    except UnicodeDecodeError:
        raise _file_error(
            _(
                "%(name)s: this CSV file is not UTF-8 text. In Excel, save it as "
                "“CSV UTF-8 (Comma delimited)” and upload it again."
            )
            % {"name": name}
        ) from None
    first_line = body.split("\n", 1)[0]
    delimiter = max([",", ";", "\t"], key=first_line.count)
    try:
        return [list(r) for r in csv.reader(io.StringIO(body, newline=""), delimiter=delimiter)]
    except csv.Error:
        raise _not_a_spreadsheet(name) from None


def _header_at(rows: list[list[Any]]) -> int | None:
    """The index of the header row: the first of the first non-empty rows that names at
    least three of the statement's columns."""
    seen = 0
    for i, cells in enumerate(rows):
        shown = [text(c) for c in cells]
        if not any(shown):
            continue
        positions, _duplicated, _unknown = match_headers(COLUMNS, shown)
        if len(positions) >= 3:
            return i
        seen += 1
        if seen == HEADER_SEARCH:
            return None
    return None


def read_rows(file: NamedFile) -> tuple[str, list[tuple[int, dict[str, Any]]]]:
    """The file's name and its rows as {column key: raw cell} with their row numbers.
    ValidationError (on "file") when it is not a statement that can be read."""
    name = PurePath(file.name or "statement").name
    content = file.read(MAX_BYTES + 1)
    if not content:
        raise _file_error(_("%(name)s: the file is empty.") % {"name": name})
    if len(content) > MAX_BYTES:
        raise _file_error(
            _("%(name)s is larger than %(size)s MB; split it.")
            % {"name": name, "size": MAX_BYTES // (1024 * 1024)}
        )
    if content.startswith(OLE_MAGIC):
        raise _file_error(
            _("%(name)s: old Excel (.xls) files cannot be read; save it as .xlsx.") % {"name": name}
        )
    rows = _rows_xlsx(name, content) if content.startswith(ZIP_MAGIC) else _rows_csv(name, content)
    at = _header_at(rows)
    if at is None:
        raise _file_error(
            _("%(name)s: no header row naming the columns %(columns)s was found.")
            % {"name": name, "columns": ", ".join(c.label for c in REQUIRED)}
        )
    positions, duplicated, _unknown = match_headers(COLUMNS, [text(c) for c in rows[at]])
    missing = [c.label for c in REQUIRED if c.key not in positions]
    if missing:
        raise _file_error(
            _("%(name)s: the column %(columns)s is missing.")
            % {"name": name, "columns": ", ".join(missing)}
        )
    if duplicated:
        raise _file_error(
            _("%(name)s: the column %(columns)s appears twice.")
            % {"name": name, "columns": ", ".join(duplicated)}
        )
    out = []
    for number, cells in enumerate(rows[at + 1 :], start=at + 2):
        if not any(text(c) for c in cells):
            continue
        out.append(
            (number, {k: cells[i] if i < len(cells) else None for k, i in positions.items()})
        )
        if len(out) > MAX_ROWS:
            raise _file_error(
                _("%(name)s has more than %(max)s rows; split it.")
                % {"name": name, "max": formats.number(MAX_ROWS)}
            )
    if not out:
        raise _file_error(_("%(name)s: the statement has no payments.") % {"name": name})
    return name, out


_GROUPED = re.compile(r"\d{1,3}(?:([.,])\d{3})(?:\1\d{3})*")
_DECIMAL_ZERO = re.compile(r"(\d+)[.,]0+")
_CURRENCY = re.compile(r"\s*(đồng|đ|vnđ|vnd)\.?\s*$", re.IGNORECASE)


def read_amount(value: Any) -> int | None:
    """An amount in đồng as a statement writes it: 50000, 50.000, 50,000, "50.000 đ", or a
    number cell; None unless it is a whole number above 0."""
    if isinstance(value, bool) or value is None:
        return None
    if isinstance(value, int):
        return value if value > 0 else None
    if isinstance(value, float | Decimal):
        return int(value) if value == int(value) and value > 0 else None
    shown = _CURRENCY.sub("", text(value)).replace(" ", "")
    if _GROUPED.fullmatch(shown):
        shown = shown.replace(".", "").replace(",", "")
    elif _DECIMAL_ZERO.fullmatch(shown):
        shown = _DECIMAL_ZERO.fullmatch(shown)[1]  # type: ignore[index]
    if not shown.isdigit():
        return None
    number = int(shown)
    return number if number > 0 else None


# Checking the rows ----------------------------------------------------------------------------


def _members(codes: Iterable[str]) -> dict[str, Member]:
    found: dict[str, Member] = {}
    for part in _code_chunks(codes):
        for m in Member.objects.filter(code__in=part).only("pk", "code", "full_name", "home_unit"):
            found[m.code] = m
    return found


def _code_chunks(codes: Iterable[str], size: int = 500) -> Iterable[list[str]]:
    ordered = sorted(set(codes))
    for i in range(0, len(ordered), size):
        yield ordered[i : i + size]


Spans = dict[int, list[tuple[dt.date, dt.date | None]]]


def _in_unit(
    unit: OrgUnit, members: list[Member], span: tuple[dt.date, dt.date] | None
) -> tuple[set[int], Spans]:
    """(ids whose record the unit's subtree holds today, member id -> [(start, end)] of
    their official placements in the subtree during `span`)."""
    ids = [m.pk for m in members]
    now: set[int] = set()
    placed: Spans = {}
    inside = OrgUnit.all_objects.within(unit).values("pk")
    for part in chunks(ids):
        now |= set(
            Member.all_objects.filter(pk__in=part, home_unit__in=inside).values_list(
                "pk", flat=True
            )
        )
        if span is not None:
            start, end = span
            rows = (
                placements_during(start, end)
                .filter(member_id__in=part, unit_id__in=subtree_during(unit, start, end))
                .values_list("member_id", "start", "end")
            )
            for member_id, begin, finish in rows:
                placed.setdefault(member_id, []).append((begin, finish))
    return now, placed


def statement_plan(*, file: NamedFile, unit: OrgUnit, today: dt.date) -> StatementPlan:
    """Read and check every row of the statement for `unit`'s subtree. Raises ValidationError
    when the file cannot be read as a statement; bad rows are listed in the plan."""
    name, raw = read_rows(file)
    plan = StatementPlan(name)
    problems: dict[int, list[str]] = {}
    parsed: dict[int, dict[str, Any]] = {}
    for number, cells in raw:
        reasons: list[str] = []
        reference = text(cells.get("reference"))
        code = text(cells.get("member"))
        if not reference:
            reasons.append(_("The reference is missing."))
        elif len(reference) > REFERENCE_MAX:
            reasons.append(
                _("The reference has at most %(limit)d characters.") % {"limit": REFERENCE_MAX}
            )
        if not code:
            reasons.append(_("The member's record code is missing."))
        month = months.read(cells.get("month"))
        if month is None:
            reasons.append(
                _("“%(value)s” is not a month; write it as mm/yyyy.")
                % {"value": text(cells.get("month"))}
            )
        amount = read_amount(cells.get("amount"))
        if amount is None:
            reasons.append(
                _("“%(value)s” is not an amount: a whole number of đồng above 0.")
                % {"value": text(cells.get("amount"))}
            )
        paid_on: dt.date | None = today
        try:
            paid_on = read_cell(COLUMNS.column("paid_on"), cells.get("paid_on")) or today
        except CellError as e:
            reasons.append(str(e))
            paid_on = None
        if paid_on is not None and paid_on > today:
            reasons.append(_("The payment date cannot be in the future."))
        elif (
            paid_on is not None
            and month is not None
            and month > months.shift(months.first(paid_on), AHEAD_MONTHS)
        ):
            reasons.append(_("Dues are paid at most %(n)d months ahead.") % {"n": AHEAD_MONTHS})
        parsed[number] = {
            "reference": reference,
            "member_code": code,
            "month": month,
            "amount": amount,
            "paid_on": paid_on,
            "month_text": text(cells.get("month")),
            "amount_text": text(cells.get("amount")),
        }
        problems[number] = reasons
    # The same reference twice in the file: every row holding it is named.
    by_reference: dict[str, list[int]] = {}
    for number, row in parsed.items():
        if row["reference"]:
            by_reference.setdefault(row["reference"], []).append(number)
    for reference, numbers in by_reference.items():
        for number in numbers if len(numbers) > 1 else []:
            others = ", ".join(str(n) for n in numbers if n != number)
            problems[number].append(
                _("The reference %(reference)s is also on row %(rows)s.")
                % {"reference": reference, "rows": others}
            )
    members = _members(row["member_code"] for row in parsed.values() if row["member_code"])
    dated = [row["month"] for row in parsed.values() if row["month"] is not None]
    span = (min(dated), months.last_day(max(dated))) if dated else None
    now, placed = _in_unit(unit, list(members.values()), span)
    for number, row in parsed.items():
        member = members.get(row["member_code"])
        if row["member_code"] and member is None:
            problems[number].append(
                _("Unknown member code %(code)s.") % {"code": row["member_code"]}
            )
        elif member is not None and member.pk not in now:
            month = row["month"]
            during = month is not None and any(
                begin <= months.last_day(month) and (finish is None or finish > month)
                for begin, finish in placed.get(member.pk, [])
            )
            if not during:
                problems[number].append(
                    _("%(name)s (%(code)s) is not a member of %(unit)s.")
                    % {"name": member.full_name, "code": member.code, "unit": unit.name}
                )
        row["member"] = member
    recorded = _recorded(row["reference"] for row in parsed.values() if row["reference"])
    for number, row in parsed.items():
        if problems[number]:
            plan.bad.append(
                BadRow(
                    number,
                    problems[number],
                    row["reference"],
                    row["member_code"],
                    row["month_text"],
                    row["amount_text"],
                )
            )
            continue
        member = row["member"]
        good = StatementRow(
            number,
            row["reference"],
            member.code,
            row["month"],
            row["amount"],
            row["paid_on"],
            member.pk,
            member.full_name,
        )
        earlier = recorded.get(row["reference"])
        if earlier is None:
            plan.to_record.append(good)
            continue
        if (earlier.member_id, earlier.month) != (member.pk, good.month):
            reason = _("The reference %(reference)s was already recorded for %(name)s, %(month)s.")
            values = {
                "reference": good.reference,
                "name": earlier.member.full_name,
                "month": months.text(earlier.month),
            }
        elif earlier.amount != good.amount:
            reason = _("The reference %(reference)s was already recorded with %(amount)s đồng.")
            values = {"reference": good.reference, "amount": formats.number(earlier.amount)}
        else:
            plan.already.append(good)
            continue
        plan.bad.append(
            BadRow(
                number,
                [reason % values],
                good.reference,
                good.member_code,
                row["month_text"],
                row["amount_text"],
            )
        )
    return plan


def _recorded(references: Iterable[str]) -> dict[str, DuesPayment]:
    """Payments already recorded from statements, by reference."""
    found: dict[str, DuesPayment] = {}
    for part in _code_chunks(references):
        rows = DuesPayment.objects.filter(Q(source=Source.STATEMENT), reference__in=part)
        for p in rows.select_related("member").order_by("pk"):
            found.setdefault(p.reference, p)
    return found
