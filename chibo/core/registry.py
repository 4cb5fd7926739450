"""Registries: how a lower floor lets the apps above it contribute, the way
`django.contrib.admin` lets each app register its models in its own `admin.py`.

A hub declares a `Registry` of the things it runs or shows (the import sheets, the demo
planners, the rules, the unit page's panels...); each app keeps its own in one module of a
fixed name (`importing.py`, `demo.py`, `rules.py`, `units.py`...), which registers them when
it is imported; the hub imports those modules of every installed app with `discover`. So a
new domain adds its slices in its own folder, and the hub never names it."""

from collections.abc import Callable, Iterator
from typing import Any

from django.utils.module_loading import autodiscover_modules


def discover(module: str) -> None:
    """Import `<app>.<module>` of every installed app that has one (once; later calls are
    free). Hubs call it before reading their registry."""
    if module not in _discovered:
        autodiscover_modules(module)
        _discovered.add(module)


_discovered: set[str] = set()


class Registry[T]:
    """Items by key, in registration order unless the hub orders them itself. Registering a
    key twice is a mistake (two apps claiming one name) and fails at start-up."""

    def __init__(self, what: str, *, discover: str | None = None) -> None:
        self.what = what
        self.module = discover  # the module name whose import fills this registry
        self._items: dict[str, T] = {}

    def register(self, key: str, item: T) -> T:
        if key in self._items:
            raise ValueError(f"{self.what}: {key!r} is registered twice")
        self._items[key] = item
        return item

    def _ready(self) -> None:
        if self.module is not None:
            discover(self.module)

    def __getitem__(self, key: str) -> T:
        self._ready()
        return self._items[key]

    def get(self, key: str, default: T | None = None) -> T | None:
        self._ready()
        return self._items.get(key, default)

    def __contains__(self, key: object) -> bool:
        self._ready()
        return key in self._items

    def __iter__(self) -> Iterator[T]:
        self._ready()
        return iter(list(self._items.values()))

    def __len__(self) -> int:
        self._ready()
        return len(self._items)

    def names(self) -> list[str]:
        """The keys registered (iterating the registry gives the items)."""
        self._ready()
        return list(self._items)

    def items(self) -> list[tuple[str, T]]:
        self._ready()
        return list(self._items.items())

    def sorted(self, key: Callable[[T], Any]) -> list[T]:
        return sorted(self, key=key)
