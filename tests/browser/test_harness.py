"""The browser journeys' own harness: what the other journeys rely on."""

from django.db import connections


def test_a_journey_queries_through_the_connection_the_live_server_uses(site, live_site, page):
    """One connection to the in-memory database for the test and the server, so that they take
    turns (conftest.DATABASE_TURN) instead of meeting SQLite's table locks."""
    page.goto(f"{site}/nl/")
    for alias, conn in live_site.overrides.items():
        assert connections[alias] is conn
