"""JSON API for cell meetings, scoped like the pages (meetings/access.py) and written through the
same services: the cell's schedule and planning, the meeting, its roster, guests, votes and
minutes, its record (tasks and their review, speeches, dues, proposals) and quality score, and
the rating of a cell's year. Every change to a meeting names the meeting's `version` and a
stale one is refused with 409."""

from .meetings import meetings

__all__ = ["meetings"]
