"""axe-core (pinned in package-lock.json, installed by `make test` into node_modules) injected
into a page: the serious and critical accessibility violations, readable in a failure."""

import os
from pathlib import Path

import pytest

AXE = Path(__file__).resolve().parent.parent / "node_modules" / "axe-core" / "axe.min.js"
BLOCKING = {"serious", "critical"}


def axe_available() -> None:
    if AXE.exists():
        return
    message = f"{AXE} is missing: `make test` installs it with npm (package-lock.json)"
    if os.environ.get("CI"):
        pytest.fail(message)
    pytest.skip(message)


def violations(page) -> list[str]:
    """The serious and critical violations on the page as it is now, one line each."""
    axe_available()
    page.add_script_tag(path=str(AXE))
    result = page.evaluate("async () => await axe.run(document, {resultTypes: ['violations']})")
    found = []
    for v in result["violations"]:
        if v["impact"] not in BLOCKING:
            continue
        targets = [" ".join(map(str, n["target"])) for n in v["nodes"][:5]]
        found.append(f"{v['impact']} {v['id']}: {v['help']} at {targets}")
    return found
