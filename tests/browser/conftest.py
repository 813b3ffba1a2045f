"""Browser journeys: Playwright driving Debian's Chromium against a live server.

The live server serves static files through WhiteNoise (hashed names, as in production);
only the redirect to https is switched off, because the test server speaks plain http.
Chromium treats http://localhost as a secure context, so the Secure, __Host- cookies work.
"""

import os
import shutil
import threading

import pytest
from axe_playwright_python.sync_playwright import Axe
from django.core.cache import caches
from django.core.servers.basehttp import WSGIServer
from django.db import connections
from django.test import override_settings
from django.test.testcases import LiveServerThread
from playwright.sync_api import expect

from tests.conftest import BUILT_STORAGES

# Playwright's sync API runs an event loop in this thread; the ORM calls in these tests are safe.
os.environ.setdefault("DJANGO_ALLOW_ASYNC_UNSAFE", "true")

# An assertion waits for what it expects and passes as soon as it holds. Playwright's 5 s is
# short when the machine also runs another suite (CI beside a developer's `make test`): a
# single-threaded live server per worker, each with its own browser. A failing check takes 15 s.
expect.set_options(timeout=15_000)

CHROMIUM = shutil.which("chromium") or "/usr/bin/chromium"
CHROMIUM_ARGS = [
    "--headless",
    "--no-sandbox",
    "--disable-gpu",
    "--disable-background-networking",
    "--disable-component-update",
    "--no-first-run",
    "--disable-quic",
    "--disable-sync",
]


def pytest_collection_modifyitems(items):
    for item in items:
        if "tests/browser/" in str(item.fspath):
            item.add_marker(pytest.mark.browser)


@pytest.fixture(scope="session")
def browser_type_launch_args(browser_type_launch_args):
    args = {**browser_type_launch_args, "args": CHROMIUM_ARGS}
    if os.path.exists(CHROMIUM):
        args["executable_path"] = CHROMIUM
    return args


@pytest.fixture(scope="session")
def browser_context_args(browser_context_args):
    # A phone-sized screen: most parents use Hechting on a phone.
    return {**browser_context_args, "viewport": {"width": 390, "height": 844}, "locale": "nl-NL"}


# The test's thread and the live server's share the one in-memory SQLite connection. A query of
# the test (``Draft.objects.exists()``) while the server is inside a request would meet that
# request's open transaction ("database table is locked"), so each takes its turn: the server
# holds this lock for a whole request, and every query on the shared connection takes it too
# (re-entrant, so the server's own queries pass).
DATABASE_TURN = threading.RLock()


def _in_turn(execute, sql, params, many, context):
    with DATABASE_TURN:
        return execute(sql, params, many, context)


class OneRequestAtATime(WSGIServer):
    """The live server answers one request at a time. Its threads would share the one in-memory
    SQLite connection, so two requests at once (a draft, the session check, a save) would run
    in each other's transaction, and one's rollback could undo the other's writes: a session row
    gone in the middle of a journey. In production every request has its own connection.
    (Unthreaded, Django's server closes the connection after each answer: one request here.)"""

    def __init__(self, *args, connections_override=None, **kwargs):
        super().__init__(*args, **kwargs)  # the server thread itself holds the connections

    def finish_request(self, request, client_address):
        with DATABASE_TURN:
            super().finish_request(request, client_address)


class OneAtATimeThread(LiveServerThread):
    server_class = OneRequestAtATime


class LiveServer:
    def __init__(self):
        overrides = {}
        for conn in connections.all():
            if conn.vendor == "sqlite" and conn.is_in_memory_db():
                overrides[conn.alias] = conn
                conn.inc_thread_sharing()
                conn.execute_wrappers.append(_in_turn)
        self.overrides = overrides
        self.thread = OneAtATimeThread(
            "localhost", static_handler=lambda app: app, connections_override=overrides, port=0
        )
        self.thread.daemon = True
        self.thread.start()
        self.thread.is_ready.wait()
        if self.thread.error:
            raise self.thread.error
        self.url = f"http://localhost:{self.thread.port}"

    def stop(self):
        self.thread.terminate()
        for conn in self.overrides.values():
            conn.execute_wrappers.remove(_in_turn)
            conn.dec_thread_sharing()

    def __str__(self):
        return self.url


@pytest.fixture(scope="session")
def live_site(django_db_setup, django_db_blocker, collected_static):
    built = {"STATIC_ROOT": collected_static, "STORAGES": BUILT_STORAGES}
    with override_settings(SECURE_SSL_REDIRECT=False, **built):
        with django_db_blocker.unblock():
            server = LiveServer()
        yield server
        server.stop()


@pytest.fixture
def site(live_site, transactional_db, mailoutbox, built_static):
    """The live site's base address, with a database the server thread can see.

    Each test starts with an empty shared cache: the flush between tests empties the tables of
    models only, and the login rate limits (30 a minute from one address) counted there would
    otherwise add up over the whole run, all of it from 127.0.0.1.
    """
    caches["default"].clear()
    # The test's code must use the very connection the server was given. By the time a test
    # runs (Playwright started, pytest-django's set-up done) its own `connections["default"]`
    # can be another wrapper with its own connection to the shared in-memory database, and two
    # connections meet SQLite's table locks ("database table is locked") instead of taking turns.
    for alias, conn in live_site.overrides.items():
        connections[alias] = conn
    return live_site.url


_axe = Axe()


def assert_accessible(page, context=None):
    """Fail with a readable list when axe finds any violation on the current page.

    A click on a link returns once the next page has started loading: wait until it has loaded,
    or axe may run while the old document is being replaced."""
    page.wait_for_load_state("load")
    results = _axe.run(page, context=context)
    if results.violations_count:
        report = results.generate_report()
        raise AssertionError(f"axe found violations on {page.url}:\n{report}")


def assert_accessible_light_and_dark(page):
    """axe on the page as it is now, in the light and in the dark; the page ends in the light."""
    for scheme in ("light", "dark"):
        page.emulate_media(color_scheme=scheme)
        assert_accessible(page)
    page.emulate_media(color_scheme="light")


@pytest.fixture
def axe():
    return assert_accessible
