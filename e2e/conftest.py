import os
import shutil
import threading

import pytest
from django.core.servers.basehttp import ThreadedWSGIServer

CHROMIUM = os.environ.get("CHIBO_CHROMIUM", "/usr/bin/chromium")
ARGS = [
    "--no-sandbox",
    "--disable-gpu",
    "--disable-background-networking",
    "--disable-component-update",
    "--disable-quic",
    "--no-first-run",
    "--disable-sync",
]


@pytest.hookimpl(tryfirst=True)  # before `-m "not slow"` deselects
def pytest_collection_modifyitems(items):
    """Every browser test is slow: a Chromium and a live server per worker, seconds a page."""
    for item in items:
        if item.get_closest_marker("e2e"):
            item.add_marker(pytest.mark.slow)


class _OneRequestAtATime(ThreadedWSGIServer):
    """The live server, answering one request at a time when it shares the tests' in-memory
    SQLite connection. Django's live server answers each connection in a thread, and with an
    in-memory database every thread uses the same connection: two requests at once (an htmx
    update still running when the form is sent) read each other's rows, and the page fails
    with an IndexError deep in the ORM. On PostgreSQL every thread has its own connection and
    the requests stay concurrent. The lock is taken per request, not per connection, so a
    browser's idle keep-alive connection does not hold up the next request."""

    def set_app(self, application):
        if not self.connections_override:
            return super().set_app(application)
        lock = threading.Lock()

        def one_at_a_time(environ, start_response):
            with lock:
                return application(environ, start_response)

        return super().set_app(one_at_a_time)


@pytest.fixture(scope="session", autouse=True)
def _live_server_one_request_at_a_time():
    from django.test.testcases import LiveServerThread

    original = LiveServerThread.server_class
    LiveServerThread.server_class = _OneRequestAtATime
    yield
    LiveServerThread.server_class = original


@pytest.fixture(scope="session")
def browser():
    if not shutil.which(CHROMIUM):
        if os.environ.get("CI"):
            pytest.fail(f"{CHROMIUM} is missing; .ci/run installs Debian's chromium package")
        pytest.skip(f"{CHROMIUM} not installed (apt-get install -y chromium)")
    # Playwright's sync API runs an event loop in this thread; Django's ORM calls made by the
    # test itself are still synchronous, so allow them.
    os.environ.setdefault("DJANGO_ALLOW_ASYNC_UNSAFE", "true")
    from playwright.sync_api import sync_playwright

    with sync_playwright() as p:
        b = p.chromium.launch(executable_path=CHROMIUM, headless=True, args=ARGS)
        yield CspBypassingBrowser(b)
        b.close()


class CspBypassingBrowser:
    """The browser, whose contexts bypass the pages' Content-Security-Policy unless asked not
    to: Playwright's own helpers (wait_for_function with an expression, add_script_tag for
    axe) evaluate strings in the page, which the policy refuses. The policy itself is tested
    with it on (e2e/test_csp.py: new_context(bypass_csp=False))."""

    def __init__(self, browser):
        self._browser = browser

    def new_context(self, **options):
        options.setdefault("bypass_csp", True)
        return self._browser.new_context(**options)

    def __getattr__(self, name):
        return getattr(self._browser, name)


@pytest.fixture
def page(browser):
    context = browser.new_context(viewport={"width": 360, "height": 740}, locale="vi-VN")
    pg = context.new_page()
    yield pg
    context.close()


SEEDED = (
    ("chibo.rules.migrations.0002_regulations", "load"),
    ("chibo.rules.migrations.0004_member_rules", "load"),
    ("chibo.evaluation.migrations.0002_regulations", "load"),
    ("chibo.dues.migrations.0002_regulations", "load"),
    ("chibo.meetings.migrations.0005_national_agenda_template", "seed"),
    ("chibo.documents.migrations.0002_national_terms", "seed"),
)


@pytest.fixture
def national_data(transactional_db):
    """Transactional tests empty every table after each test, the rows the migrations seed
    (rules, the national agenda, the document terms) included: load them again."""
    import importlib

    from django.apps import apps

    for module, function in SEEDED:
        getattr(importlib.import_module(module), function)(apps, None)


@pytest.fixture
def demo_site(national_data):
    """The demo province, small: its personas log in with their demo passwords."""
    from django.utils import timezone

    from chibo.demo.generate import MIN_MEMBERS, demo_generate

    demo_generate(members=MIN_MEMBERS * 2, seed=1, as_of=timezone.localdate())


def log_in(page, base_url: str, username: str, password: str) -> None:
    page.goto(f"{base_url}/accounts/login/")
    page.fill("input[name=username]", username)
    page.fill("input[name=password]", password)
    page.click("form button[type=submit]")
    page.wait_for_url(f"{base_url}/")
