"""A paginator whose count stops at a bound, for lists whose scope can hold a province.

Why: a list's page needs 25 rows, which the database finds through an index whatever the
scope; its count of every row does not: a province's member list counted its 99,600 members
(and in a database of ten provinces, joined them to the status periods of all ten) on every
page, more than the rest of the page together. Counting up to the bound lets the database
stop early, so the page costs what a page shows. Nobody pages through ten thousand rows:
past the bound the page says "more than 10.000" and asks for a filter; exact figures for a
unit are on its page (kept counts, chibo.members.counts)."""

from functools import cached_property
from typing import Any

from django.core.paginator import Paginator

BOUND = 10_000


class BoundedPaginator(Paginator):
    """Django's Paginator counting at most `bound` rows of a queryset: `count` is then the
    bound, `more` says there were more, and the pages stop at the bound's."""

    def __init__(
        self,
        object_list: Any,
        per_page: int,
        *,
        bound: int = BOUND,
        listed: bool = False,
        **kwargs: Any,
    ):
        """`listed`: the rows are few and costly to find (a search by name): their ids are
        read once, in order, and the count and the page come from that list, rather than
        finding every match twice (once to count, once for the page)."""
        super().__init__(object_list, per_page, **kwargs)
        if listed and self.orphans:
            raise ValueError("a listed paginator cuts its pages by `per_page` alone (no orphans)")
        self.bound = bound
        self.listed = listed

    @cached_property
    def _ids(self) -> list:
        rows: Any = self.object_list
        return list(rows.values_list("pk", flat=True)[: self.bound + 1])

    @cached_property
    def _counted(self) -> int:
        if self.listed:
            return len(self._ids)
        # `qs[:n].count()` is SELECT COUNT(*) FROM (SELECT ... LIMIT n): the database may
        # stop once it has found n rows.
        # Only the ids, in no order: the count needs neither the page's columns nor its sort.
        rows: Any = self.object_list  # a queryset (Paginator's type allows any sequence)
        return rows.order_by().values("pk")[: self.bound + 1].count()

    def page(self, number: Any) -> Any:
        if not self.listed:
            return super().page(number)
        number = self.validate_number(number)
        start = (number - 1) * self.per_page
        ids = self._ids[: self.count][start : start + self.per_page]
        # The page's rows by id: the database looks up these few, not the matches again.
        at = {pk: i for i, pk in enumerate(ids)}
        rows: Any = self.object_list
        found = sorted(rows.filter(pk__in=ids), key=lambda row: at[row.pk])
        return self._get_page(found, number, self)  # type: ignore[attr-defined]

    @cached_property
    def count(self) -> int:  # type: ignore[override]
        return min(self._counted, self.bound)

    @property
    def more(self) -> bool:
        """More rows than the bound matched (`count` is the bound)."""
        return self._counted > self.bound
