"""A section registered for the tests of the hub alone (the domains' own sections are tested
in their apps): members in the Party at the end of the period, as a count and as a share of
those at the start, counted from the raw rows by chibo.members.queries.unit_counts."""

import pytest
from django.utils.translation import gettext_lazy

from chibo.core import reporting
from chibo.core.reporting import Link, Rows, Section, share
from chibo.members.models import Member
from chibo.members.queries import unit_counts
from chibo.org.models import OrgUnit


class PlainSection(Section):
    key = "plain"
    order = 1
    title = gettext_lazy("Members")
    labels = {"end": "Members at the end", "kept": "Kept since the start"}
    table = ("end", "kept")
    headline = ("end", "kept")

    def figures(self, roots, period):
        units = list(OrgUnit.all_objects.filter(pk__in=roots))
        end = unit_counts(units, period.end)
        start = unit_counts(units, period.start)
        return {
            u.pk: {
                "end": end[u.pk]["in_party"],
                "kept": share(
                    min(start[u.pk]["in_party"], end[u.pk]["in_party"]), start[u.pk]["in_party"]
                ),
            }
            for u in units
        }

    def rows(self, figure, *, root, period, rest=False):
        unit = OrgUnit.all_objects.get(pk=root)
        items = Member.objects.placed_in(unit, period.end).order_by("search_name", "pk")
        return Rows(
            headers=["Name", "Code"],
            items=items,
            row=lambda m: [Link(m.full_name, f"/members/{m.pk}/"), m.code],
        )


@pytest.fixture
def plain_section(monkeypatch):
    """Only the test section, whatever the domains register."""
    reporting.SECTIONS._ready()
    monkeypatch.setattr(reporting.SECTIONS, "_items", {"plain": PlainSection()})
    return reporting.SECTIONS["plain"]
