"""The reports' writes, where the audit registry finds them (`discover("services")`): closing
and re-opening a year (snapshots), asking for a file (files)."""

from .files.services import report_file_request
from .snapshots.services import year_close, year_reopen

__all__ = ["report_file_request", "year_close", "year_reopen"]
