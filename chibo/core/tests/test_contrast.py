"""Colours of text on Chibo's pages against WCAG AA (4.5:1): the colours chibo.css declares
(lines marked AA:base and AA:tinted) against the backgrounds Bootstrap paints: white and
light for every text, and the tinted table rows and list items (at rest, hovered, active)
for the text on them. Both files are read, so a change to either is checked."""

import re
from pathlib import Path

import pytest
from django.conf import settings

STATIC = Path(settings.BASE_DIR) / "chibo" / "static"
AA = 4.5


def _luminance(hex_colour: str) -> float:
    h = hex_colour.lstrip("#")
    channels = [int(h[i : i + 2], 16) / 255 for i in (0, 2, 4)]
    lin = [c / 12.92 if c <= 0.03928 else ((c + 0.055) / 1.055) ** 2.4 for c in channels]
    return 0.2126 * lin[0] + 0.7152 * lin[1] + 0.0722 * lin[2]


def ratio(a: str, b: str) -> float:
    hi, lo = sorted([_luminance(a), _luminance(b)], reverse=True)
    return (hi + 0.05) / (lo + 0.05)


def _hex(text: str) -> str:
    """The colour a declaration sets: #rrggbb, or an "r, g, b" triplet."""
    found = re.search(r"#[0-9a-fA-F]{6}", text)
    if found:
        return found[0]
    r, g, b = (int(x) for x in re.search(r"(\d+),\s*(\d+),\s*(\d+)", text).groups())
    return f"#{r:02x}{g:02x}{b:02x}"


def _declared(marker: str) -> list[str]:
    """The colour of each declaration on a line marked `marker` (the text colour: `color:`, or
    the first custom property on the line)."""
    out = []
    for line in (STATIC / "chibo.css").read_text().splitlines():
        if f"AA:{marker}" not in line:
            continue
        declaration = re.search(r"color:\s*[^;]+|--[\w-]+:\s*[^;]+", line)
        assert declaration, line
        out.append(_hex(declaration[0]))
    return out


def _bootstrap_tints() -> list[str]:
    css = (STATIC / "vendor" / "bootstrap" / "bootstrap.min.css").read_text()
    colours = []
    for name in ("warning", "danger", "success", "info"):
        rule = re.search(rf"\.table-{name}\{{([^}}]*)\}}", css)[1]
        for prop in ("--bs-table-bg", "--bs-table-hover-bg", "--bs-table-active-bg"):
            colours.append(re.search(rf"{prop}:(#[0-9a-f]{{6}})", rule)[1])
        colours.append(re.search(rf"--bs-{name}-bg-subtle:(#[0-9a-f]{{6}})", css)[1])
    return colours


BASE = ["#ffffff", "#f8f9fa", "#ededed"]  # white, light, a plain row hovered (7.5% black)


def test_bootstrap_defaults_fail_on_tinted_rows():
    # Why chibo.css sets its own: Bootstrap's link blue and red under 4.5 on a tinted row.
    assert min(ratio("#0d6efd", bg) for bg in _bootstrap_tints()) < AA
    assert min(ratio("#dc3545", bg) for bg in _bootstrap_tints()) < AA


@pytest.mark.parametrize("marker", ["base", "tinted"])
def test_declared_colours_meet_aa(marker):
    colours = _declared(marker)
    assert len(colours) >= 3
    backgrounds = BASE + (_bootstrap_tints() if marker == "tinted" else [])
    for colour in colours:
        worst = min(backgrounds, key=lambda bg: ratio(colour, bg))
        assert ratio(colour, worst) >= AA, f"{colour} on {worst}: {ratio(colour, worst):.2f}"
