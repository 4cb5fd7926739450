"""JSON API for cell meetings: the schedule, the meeting, its roster, votes and minutes, and
(read-only) the tasks and proposals of its record. Scoped like the pages (core/access.py);
every change names the meeting's `version` and a stale one is refused with 409."""

from .meetings import meetings

__all__ = ["meetings"]
