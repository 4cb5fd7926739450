"""Reading back the files the pages export (chibo.core.export), to check them in tests."""

import csv
import datetime as dt
import io
from dataclasses import dataclass
from typing import Any

import openpyxl


@dataclass
class Sheet:
    title: str
    heading: list[str]
    headers: list[str]
    rows: list[list[Any]]  # dates as datetime.date

    def column(self, header: str) -> list[Any]:
        i = self.headers.index(header)
        return [row[i] for row in self.rows]

    def dicts(self) -> list[dict[str, Any]]:
        return [dict(zip(self.headers, row, strict=True)) for row in self.rows]


def _value(value: Any) -> Any:
    if isinstance(value, dt.datetime) and value.time() == dt.time.min:
        return value.date()
    return value


def read_xlsx(content: bytes) -> list[Sheet]:
    """Each sheet: the lines above the header row, the header row (the first row with more
    than one value), and the rows below it."""
    wb = openpyxl.load_workbook(io.BytesIO(content))
    out = []
    for ws in wb.worksheets:
        lines = [list(r) for r in ws.iter_rows(values_only=True)]
        at = next(i for i, r in enumerate(lines) if sum(v is not None for v in r) > 1)
        heading = [r[0] for r in lines[:at] if r and r[0] is not None]
        width = max(i for i, v in enumerate(lines[at]) if v is not None) + 1
        rows = [[_value(v) for v in r[:width]] for r in lines[at + 1 :]]
        out.append(Sheet(ws.title, heading, list(lines[at][:width]), rows))
    return out


def read_csv(content: bytes) -> tuple[list[str], list[list[str]]]:
    text = content.decode("utf-8")
    assert text.startswith("\ufeff"), "a CSV for Excel starts with a byte order mark"
    rows = list(csv.reader(io.StringIO(text[1:])))
    return rows[0], rows[1:]
