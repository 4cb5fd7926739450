"""What an import found, row by row: shown on the preview page, printed by the command,
and kept as JSON on the ImportJob."""

from collections.abc import Iterator
from dataclasses import asdict, dataclass, field, replace
from typing import Any

from chibo.core.sheets import CREATE, ERROR, STATUSES, UNCHANGED, UPDATE

# The statuses a row may come to are the framework's (the handlers return them).
__all__ = [
    "CREATE",
    "ERROR",
    "STATUSES",
    "UNCHANGED",
    "UPDATE",
    "Change",
    "Problem",
    "Report",
    "Row",
    "SheetResult",
]


SHOWN_ROWS = 500  # rows of a sheet listed on the preview page


@dataclass
class Problem:
    message: str
    column: str = ""  # the header as the file wrote it (or the template's, when missing)


@dataclass
class Change:
    column: str
    old: str
    new: str


@dataclass
class Row:
    number: int  # as the spreadsheet numbers it (the header is row 1)
    status: str = ""
    record: str = ""  # key and name, for people
    changes: list[Change] = field(default_factory=list)
    problems: list[Problem] = field(default_factory=list)
    warnings: list[Problem] = field(default_factory=list)  # not errors: the row is imported


@dataclass
class SheetResult:
    key: str
    label: str
    source: str  # the workbook tab or the CSV file
    rows: list[Row] = field(default_factory=list)
    problems: list[Problem] = field(default_factory=list)  # the whole sheet: missing column...
    notes: list[str] = field(default_factory=list)  # not errors: ignored columns

    def counts(self) -> dict[str, int]:
        counts = dict.fromkeys(STATUSES, 0)
        for row in self.rows:
            counts[row.status] += 1
        return counts


@dataclass
class Report:
    sheets: list[SheetResult] = field(default_factory=list)
    problems: list[Problem] = field(default_factory=list)  # the whole file: not a spreadsheet
    notes: list[str] = field(default_factory=list)
    committed: bool = False

    def counts(self) -> dict[str, int]:
        total = dict.fromkeys(STATUSES, 0)
        for sheet in self.sheets:
            for status, n in sheet.counts().items():
                total[status] += n
        return total

    @property
    def has_errors(self) -> bool:
        return bool(
            self.problems
            or any(s.problems for s in self.sheets)
            or any(r.status == ERROR for s in self.sheets for r in s.rows)
        )

    @property
    def has_changes(self) -> bool:
        counts = self.counts()
        return bool(counts[CREATE] or counts[UPDATE])

    def issues(self) -> Iterator[tuple[str, int | None, str, str]]:
        """Every problem as (sheet, row number, column, message), in file order."""
        for p in self.problems:
            yield "", None, p.column, p.message
        for sheet in self.sheets:
            for p in sheet.problems:
                yield sheet.source, None, p.column, p.message
            for row in sheet.rows:
                for p in row.problems:
                    yield sheet.source, row.number, p.column, p.message

    def warnings(self) -> Iterator[tuple[str, int, str, str]]:
        """Every warning as (sheet, row number, column, message), in file order."""
        for sheet in self.sheets:
            for row in sheet.rows:
                for p in row.warnings:
                    yield sheet.source, row.number, p.column, p.message

    def to_dict(self, *, shown: int = SHOWN_ROWS) -> dict[str, Any]:
        """Plain JSON for ImportJob.summary; the preview template reads this form. A sheet
        lists at most `shown` rows, those with errors first, then those with warnings (a
        province's 100,000 rows would make a page nobody reads, and megabytes of JSON); its
        counts count them all."""
        data = asdict(replace(self, sheets=[]))
        data["sheets"] = []
        for result in self.sheets:
            errors = [r for r in result.rows if r.status == ERROR][:shown]
            warned = [r for r in result.rows if r.status != ERROR and r.warnings]
            warned = warned[: shown - len(errors)]
            others = [r for r in result.rows if r.status != ERROR and not r.warnings]
            others = others[: shown - len(errors) - len(warned)]
            rows = sorted(errors + warned + others, key=lambda r: r.number)
            sheet = asdict(replace(result, rows=rows))
            sheet["counts"] = result.counts()
            sheet["hidden"] = len(result.rows) - len(rows)
            data["sheets"].append(sheet)
        data["counts"] = self.counts()
        data["has_errors"] = self.has_errors
        data["has_changes"] = self.has_changes
        data["warning_count"] = sum(1 for _w in self.warnings())
        return data
