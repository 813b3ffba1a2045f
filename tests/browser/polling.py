"""Waiting for something only a request from the page can tell.

``page.wait_for_function`` does not await a promise: an async predicate returns a promise, which
is truthy, so it "holds" at once. :func:`wait_in_page` runs the async predicate to its answer and
asks again until it holds.
"""

from playwright.sync_api import Page

TRIES = 300
PAUSE_MS = 100


def wait_in_page(page: Page, predicate: str, arg=None) -> None:
    """Ask ``predicate`` (an async JavaScript function of ``arg``) until it answers true."""
    for _ in range(TRIES):
        if page.evaluate(predicate, arg):
            return
        page.wait_for_timeout(PAUSE_MS)
    raise AssertionError(f"Still not true after {TRIES} tries: {predicate}")
