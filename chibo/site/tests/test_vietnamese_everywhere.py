"""Every page a demo persona reaches, rendered in Vietnamese, shows no English string of the
catalogue: a visible text that is a msgid (of Chibo's catalogue or Django's) whose Vietnamese
is missing, or that shows as the English although a Vietnamese exists, fails the test. So does
a page that answers 500, or a link
shown to the reader that leads to a 403 or 404 page (a dead end).

The crawl starts at each persona's home page (its menu included), follows same-site links
(GET only), and renders one page per URL pattern and a few more of each, within a bound."""

import re
import time
from collections import Counter, deque
from html.parser import HTMLParser
from io import StringIO
from pathlib import Path
from urllib.parse import urldefrag, urlsplit

import django
import pytest
from django.conf import settings
from django.core.management import call_command
from django.test import Client
from django.urls import Resolver404, resolve

from chibo.accounts.demo import PERSONAS
from chibo.accounts.models import User

PER_PATTERN = 2  # pages of one URL pattern per persona ("one, and a few of each")
PER_PERSONA = 70  # pages per persona at most
SKIP = ("/i18n/", "/admin/", "/api/", "/static/", "/accounts/logout/")
# Catalogue strings that read the same in Vietnamese (names, formats, symbols).
SAME = {"Chibo", "Email", "E-mail", "CSV", "Excel", "Word", "OK", "ID", "dd/mm/yyyy"}


# The catalogues -------------------------------------------------------------------------------


def read_po(path: Path) -> dict[str, str]:
    """msgid -> msgstr ("" when untranslated or fuzzy) of a .po file; plural entries by their
    singular and plural msgids, with the first msgstr."""
    out: dict[str, str] = {}
    entry: dict[str, str] = {}
    fuzzy = False
    key = None

    def flush():
        nonlocal entry, fuzzy
        if entry.get("msgid"):
            text = "" if fuzzy else entry.get("msgstr", entry.get("msgstr[0]", ""))
            out.setdefault(entry["msgid"], text)
            if entry.get("msgid_plural"):
                out.setdefault(entry["msgid_plural"], text)
        entry, fuzzy = {}, False

    for line in path.read_text(encoding="utf-8").splitlines():
        line = line.strip()
        if not line:
            flush()
            key = None
        elif line.startswith("#,") and "fuzzy" in line:
            fuzzy = True
        elif line.startswith("#"):
            continue
        elif line.startswith('"') and key:
            entry[key] += unquote(line)
        else:
            key, _sp, rest = line.partition(" ")
            if key == "msgid" and "msgid" in entry:  # no blank line between entries
                flush()
            entry[key] = unquote(rest)
    flush()
    return out


def unquote(text: str) -> str:
    return text[1:-1].encode("raw_unicode_escape").decode("unicode_escape")


def catalogue() -> dict[str, str]:
    """English msgid -> the Vietnamese a page would show (ours first, then Django's)."""
    ours = read_po(Path(settings.LOCALE_PATHS[0]) / "vi" / "LC_MESSAGES" / "django.po")
    root = Path(django.__file__).parent
    theirs: dict[str, str] = {}
    for po in [
        root / "conf" / "locale" / "vi" / "LC_MESSAGES" / "django.po",
        *sorted(root.glob("contrib/*/locale/vi/LC_MESSAGES/django.po")),
    ]:
        for msgid, msgstr in read_po(po).items():
            if msgstr or msgid not in theirs:
                theirs[msgid] = msgstr
    merged = dict(theirs)
    for msgid, msgstr in ours.items():
        if msgstr or msgid not in merged:
            merged[msgid] = msgstr
    # Only whole strings a page can show as they are: letters, no placeholders.
    return {
        m: s
        for m, s in merged.items()
        if re.search(r"[A-Za-z]{2}", m) and "%" not in m and "{" not in m and m not in SAME
    }


# The pages ------------------------------------------------------------------------------------


class Visible(HTMLParser):
    """The text a reader sees or hears: text outside scripts and styles, the title, and the
    title, placeholder, aria-label and button values of elements; and the page's links."""

    HIDDEN = {"script", "style", "template"}

    def __init__(self):
        super().__init__(convert_charrefs=True)
        self.texts: list[str] = []
        self.links: list[str] = []
        self.hidden = 0

    def handle_starttag(self, tag, attrs):
        a = dict(attrs)
        if tag in self.HIDDEN:
            self.hidden += 1
        for name in ("title", "placeholder", "aria-label", "alt"):
            if a.get(name):
                self.texts.append(a[name])
        if a.get("value") and (
            tag == "button" or (tag == "input" and a.get("type") in ("submit", "button", "reset"))
        ):
            self.texts.append(a["value"])
        if tag == "a" and a.get("href"):
            self.links.append(a["href"])

    def handle_endtag(self, tag):
        if tag in self.HIDDEN and self.hidden:
            self.hidden -= 1

    def handle_data(self, data):
        if not self.hidden and data.strip():
            self.texts.append(data)


def normal(text: str) -> str:
    return " ".join(text.split())


def shown_in_english(page: Visible, english: dict[str, str]) -> list[tuple[str, str]]:
    """The page's texts that are English strings of the catalogue, each with a note."""
    out = []
    for text in page.texts:
        text = normal(text)
        if text not in english:
            continue
        if english[text] in ("", text):
            out.append((text, ""))
        else:
            # A Vietnamese exists, yet the page shows the English: a string not marked for
            # translation where it is shown (or translated in the wrong language).
            out.append((text, f" (Vietnamese exists: {english[text]})"))
    return out


def pattern_of(path: str) -> str | None:
    try:
        match = resolve(path)
    except Resolver404:
        return None
    return match.route or match.view_name


def same_site(href: str, here: str) -> str | None:
    href, _frag = urldefrag(href.strip())
    if not href or href.startswith(("mailto:", "tel:", "javascript:", "data:")):
        return None
    parts = urlsplit(href)
    if parts.scheme or parts.netloc:
        return None
    if not parts.path.startswith("/"):
        base = here.rsplit("/", 1)[0]
        href = f"{base}/{href}" if parts.path else f"{urlsplit(here).path}{href}"
    if href.startswith(SKIP):
        return None
    return href


def crawl(client: Client, who: str, english: dict[str, str], found: dict, errors: list) -> int:
    seen: set[str] = set()
    per_pattern: Counter = Counter()
    queue = deque([("/", "")])  # (url, the page that links to it)
    pages = 0
    while queue and pages < PER_PERSONA:
        url, linked_from = queue.popleft()
        if url in seen:
            continue
        seen.add(url)
        pattern = pattern_of(urlsplit(url).path)
        if pattern is None or per_pattern[pattern] >= PER_PATTERN:
            continue
        per_pattern[pattern] += 1
        r = client.get(url)
        pages += 1
        if r.status_code >= 500 or r.status_code in (403, 404):
            # A link shown to the reader leads to an error page: a dead end (or a 500).
            errors.append(f"{who} {url}: {r.status_code} (linked from {linked_from})")
            continue
        if r.status_code != 200 or "text/html" not in r.get("Content-Type", ""):
            continue
        page = Visible()
        page.feed(r.content.decode())
        for text, note in shown_in_english(page, english):
            found.setdefault(text, f"{who} {url}{note}")
        for href in page.links:
            nxt = same_site(href, urlsplit(url).path)
            if nxt and nxt not in seen:
                queue.append((nxt, url))
    return pages


def test_the_check_sees_english_in_text_and_attributes():
    english = {"Save": "Lưu", "Search": "", "Close": "Đóng", "Meetings": "Sinh hoạt chi bộ"}
    page = Visible()
    page.feed(
        '<title>Meetings</title><p>Lưu</p><input placeholder="Search">'
        '<button aria-label="Close">×</button><script>var s = "Save";</script>'
        '<input type="submit" value="Save">'
    )
    assert dict(shown_in_english(page, english)) == {
        "Meetings": " (Vietnamese exists: Sinh hoạt chi bộ)",
        "Search": "",
        "Close": " (Vietnamese exists: Đóng)",
        "Save": " (Vietnamese exists: Lưu)",
    }


@pytest.mark.slow
def test_every_page_of_the_demo_personas_is_in_vietnamese(db):
    started = time.monotonic()
    call_command("demo", "--members", "60", "--seed", "3", "--no-serve", stdout=StringIO())
    built = time.monotonic()
    english = catalogue()
    for username in User.objects.values_list("username", flat=True):  # logins are data
        english.pop(username, None)
    found: dict[str, str] = {}
    errors: list[str] = []
    counts = {}
    for persona in PERSONAS:
        user = User.objects.get(username=persona.username)
        client = Client(raise_request_exception=False)
        client.cookies["django_language"] = "vi"
        client.force_login(user)
        counts[persona.username] = crawl(client, persona.username, english, found, errors)
    took = time.monotonic() - built
    print(f"demo built in {built - started:.1f} s; {counts} pages crawled in {took:.1f} s")
    assert all(n >= 5 for n in counts.values()), counts  # the crawl did reach pages
    assert not errors, "Pages that failed:\n" + "\n".join(errors)
    assert not found, f"English shown in the Vietnamese UI ({len(found)}):\n" + "\n".join(
        f"  {text!r}  on {where}" for text, where in sorted(found.items())
    )
