"""Fifty parents writing at once lose nothing: the app under gunicorn, as in production.

The server runs the production settings (DEBUG off, HTTPS behind a proxy) with 2 workers of 4
threads, on its own database of the engine this test run uses: a SQLite file in WAL mode, or a
PostgreSQL database made for this run and dropped after it. Fifty visitors, each with their own
signed-in session, add 20 moments through the real form (CSRF token, Origin, 303 redirect) at
the same moment, then read their journal.
"""

import contextlib
import os
import re
import threading
from concurrent.futures import ThreadPoolExecutor
from dataclasses import dataclass, field

import pytest
from django.conf import settings

from bench.client import Visitor
from bench.server import Site, postgres_database

PARENTS = 50
MOMENTS_EACH = 20
MARKER = re.compile(r"Parent (\d\d) moment (\d\d)")


def email(n: int) -> str:
    return f"concurrent{n:02d}@example.org"


def words(n: int, m: int) -> str:
    return f"Parent {n:02d} moment {m:02d}: we built a tower together"


def private_database():
    """The engine of this test run, with a database of the server's own."""
    database = settings.DATABASES["default"]
    if database["ENGINE"] != "django.db.backends.postgresql":
        return contextlib.nullcontext("")  # SQLite: a file in the site's DATA_DIR
    user = database.get("USER") or "postgres"
    password = f":{database['PASSWORD']}" if database.get("PASSWORD") else ""
    host = database.get("HOST") or "127.0.0.1"
    port = database.get("PORT") or 5432
    server = f"postgres://{user}{password}@{host}:{port}/postgres"
    return postgres_database(server, f"hechting_concurrency_{os.getpid()}")


@pytest.fixture(scope="module")
def site(collected_static, tmp_path_factory):
    root = tmp_path_factory.mktemp("concurrency")
    with (
        private_database() as url,
        Site(root, database_url=url, static_root=collected_static) as server,
    ):
        server.prepare()
        server.start(workers=2, threads=4)
        yield server


@dataclass
class Outcome:
    number: int
    errors: list[str] = field(default_factory=list)
    journal_markers: set[tuple[str, str]] = field(default_factory=set)


def one_parent(site, cookie, session, number, start) -> Outcome:
    outcome = Outcome(number)
    visitor = Visitor(site.port)
    visitor.cookies[cookie] = session
    try:
        token = visitor.csrf_token("/nl/journal/new/")
        start.wait(timeout=60)
        for m in range(MOMENTS_EACH):
            answer = visitor.post(
                "/nl/journal/new/",
                {
                    "csrfmiddlewaretoken": token,
                    "what_happened": words(number, m),
                    "kind": "connection",
                },
            )
            if answer.status != 303 or not answer.location.startswith("/nl/journal/#moment-"):
                outcome.errors.append(f"POST {m}: {answer.status} {answer.location}")
        journal = visitor.get("/nl/journal/")
        if journal.status != 200:
            outcome.errors.append(f"journal: {journal.status}")
        outcome.journal_markers = set(MARKER.findall(journal.body))
    except Exception as exc:
        outcome.errors.append(f"{type(exc).__name__}: {exc}")
    finally:
        visitor.close()
    return outcome


def test_fifty_parents_adding_twenty_moments_at_once_lose_nothing(site):
    emails = [email(n) for n in range(PARENTS)]
    made = site.data("sessions", *emails)
    start = threading.Barrier(PARENTS)
    with ThreadPoolExecutor(max_workers=PARENTS) as pool:
        outcomes = list(
            pool.map(
                lambda n: one_parent(site, made["cookie"], made["sessions"][email(n)][0], n, start),
                range(PARENTS),
            )
        )

    assert [error for o in outcomes for error in o.errors] == [], site.log[-3000:]
    stored = site.data("moments", *emails)
    assert stored["total"] == PARENTS * MOMENTS_EACH
    for n in range(PARENTS):
        assert sorted(stored["moments"][email(n)]) == [words(n, m) for m in range(MOMENTS_EACH)]
    for outcome in outcomes:
        # Each journal shows all twenty of the parent's own moments and nobody else's.
        expected = {(f"{outcome.number:02d}", f"{m:02d}") for m in range(MOMENTS_EACH)}
        assert outcome.journal_markers == expected
    assert "Traceback" not in site.log
