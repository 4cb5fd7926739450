"""The Vietnamese catalogue is complete, its placeholders match, and the compiled .mo that
ships in the repository says the same as the .po (a fresh machine need not have gettext)."""

import ast
import gettext
import re
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parents[2]
PO = ROOT / "locale" / "vi" / "LC_MESSAGES" / "django.po"
MO = PO.with_suffix(".mo")
PLACEHOLDER = re.compile(r"%\((\w+)\)[sd]")


def _unquote(lines: list[str]) -> str:
    return "".join(ast.literal_eval(line) for line in lines)


def parse_po(path: Path) -> list[dict]:
    """A small .po reader: enough for Django's catalogues (contexts, plurals, flags)."""
    entries, entry, key = [], None, None
    for raw in path.read_text(encoding="utf-8").splitlines() + [""]:
        line = raw.strip()
        if not line:
            if entry:
                entries.append(entry)
            entry, key = None, None
            continue
        entry = entry if entry is not None else {"flags": "", "fields": {}}
        if line.startswith("#,"):
            entry["flags"] += line
        elif line.startswith("#"):
            continue
        elif line.startswith('"'):
            entry["fields"][key].append(line)
        else:
            key, _, rest = line.partition(" ")
            entry["fields"][key] = [rest]
    out = []
    for e in entries:
        fields = {k: _unquote(v) for k, v in e["fields"].items()}
        if fields.get("msgid") == "":
            continue  # header
        out.append({"flags": e["flags"], **fields})
    return out


@pytest.fixture(scope="module")
def entries():
    return parse_po(PO)


def test_every_entry_is_translated(entries):
    missing = [
        e["msgid"]
        for e in entries
        if "fuzzy" in e["flags"] or not (e.get("msgstr") or e.get("msgstr[0]"))
    ]
    assert missing == []


def test_placeholders_match(entries):
    wrong = []
    for e in entries:
        expected = set(PLACEHOLDER.findall(e["msgid"] + e.get("msgid_plural", "")))
        got = set(PLACEHOLDER.findall(e.get("msgstr") or e.get("msgstr[0]", "")))
        if got != expected:
            wrong.append(e["msgid"])
    assert wrong == []


def test_plural_entries_have_the_catalogues_number_of_forms(entries):
    """Vietnamese has one plural form (the header's nplurals=1): a second msgstr[1] is an
    error for `msgfmt -c`, the check translators' tools run."""
    header = PO.read_text(encoding="utf-8")
    nplurals = int(re.search(r"nplurals=(\d+)", header).group(1))  # type: ignore[union-attr]
    assert nplurals == 1
    wrong = [
        e["msgid"]
        for e in entries
        if "msgid_plural" in e
        and sorted(k for k in e if k.startswith("msgstr["))
        != [f"msgstr[{i}]" for i in range(nplurals)]
    ]
    assert wrong == []


def test_compiled_catalogue_is_current(entries):
    with MO.open("rb") as fh:
        catalog = gettext.GNUTranslations(fh)._catalog  # type: ignore[attr-defined]
    stale = []
    for e in entries:
        key = e["msgid"] if "msgctxt" not in e else f"{e['msgctxt']}\x04{e['msgid']}"
        if "msgid_plural" in e:
            if catalog.get((key, 0)) != e["msgstr[0]"]:
                stale.append(e["msgid"])
        elif catalog.get(key) != e["msgstr"]:
            stale.append(e["msgid"])
    assert stale == [], "run: make messages"


TEMPLATE_STRING = re.compile(r"""\{%\s*translate\s+(["'])(.+?)\1""")
PY_STRING = re.compile(r"""\b(?:_|gettext|gettext_lazy)\(\s*"((?:[^"\\]|\\.)+)"\s*[,)]""")


def test_strings_in_the_code_are_in_the_catalogue(entries):
    known = {e["msgid"] for e in entries}
    unknown = set()
    for path in ROOT.rglob("*"):
        if "tests" in path.parts or "migrations" in path.parts or not path.is_file():
            continue
        if path.suffix == ".html":
            for _, text in TEMPLATE_STRING.findall(path.read_text(encoding="utf-8")):
                if text not in known:
                    unknown.add((path.name, text))
        elif path.suffix == ".py":
            for text in PY_STRING.findall(path.read_text(encoding="utf-8")):
                text = ast.literal_eval(f'"{text}"')
                if text not in known:
                    unknown.add((path.name, text))
    assert sorted(unknown) == [], "run: make messages, then translate"


# makemessages extracts the strings of these names only (xgettext's Python keywords and
# Django's): a string marked through another alias is never translated.
EXTRACTED = {
    "_",
    "gettext",
    "gettext_lazy",
    "ngettext",
    "ngettext_lazy",
    "gettext_noop",
    # with a context (msgctxt): Django's makemessages passes these keywords to xgettext too
    "pgettext",
    "pgettext_lazy",
    "npgettext",
    "npgettext_lazy",
}
ALIAS = re.compile(r"from django\.utils\.translation import ([^\n]+)")


def test_translation_functions_go_by_names_makemessages_extracts():
    wrong = set()
    for path in ROOT.rglob("*.py"):
        if "tests" in path.parts or "migrations" in path.parts:
            continue
        for names in ALIAS.findall(path.read_text(encoding="utf-8")):
            for name in names.strip("()").split(","):
                original, _sep, alias = name.strip().partition(" as ")
                if "gettext" in original and (alias or original) not in EXTRACTED:
                    wrong.add((path.name, name.strip()))
    assert sorted(wrong) == []
