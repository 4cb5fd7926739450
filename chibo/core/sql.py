"""Helpers for queries that must hold at any size."""

from collections.abc import Iterable, Iterator


def chunks(ids: Iterable[int], size: int = 500) -> Iterator[list[int]]:
    """Ids in sorted slices, so that no query carries more parameters than SQLite accepts."""
    ordered = sorted(set(ids))
    for i in range(0, len(ordered), size):
        yield ordered[i : i + size]
