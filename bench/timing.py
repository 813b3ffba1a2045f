"""Time a request to each page in-process, without a profiler: the median of many.

    python -m bench.timing [--email big@example.org] [--requests 100] [--pages journal week]

Run with the bench site's environment (``python -m bench.run --timing``) or by hand with
DATA_DIR / DATABASE_URL pointing at a seeded database. It goes through every middleware with
Django's test client, so it measures the app without the server and the network: a steadier
figure than requests per second on a shared machine, and the one to compare before and after
a change.
"""

from __future__ import annotations

import argparse
import statistics
import time

import django

django.setup()

from django.contrib.auth import get_user_model  # noqa: E402
from django.db import connection  # noqa: E402
from django.test import Client  # noqa: E402
from django.test.utils import CaptureQueriesContext  # noqa: E402

from bench.client import CSRF_INPUT  # noqa: E402
from bench.profile import path_for  # noqa: E402

PAGES = ["floor", "content", "journal", "week", "month", "share", "add"]
ADDED = "We lazen samen een boek en ze lachte om de plaatjes."


def adding(user):
    """Adding a moment as the bench does: the form's POST with its CSRF token, 303 back."""
    client = Client(HTTP_HOST="127.0.0.1", HTTP_X_FORWARDED_PROTO="https", enforce_csrf_checks=True)
    client.force_login(user)
    form = client.get("/nl/journal/new/", secure=True).content.decode()
    token = CSRF_INPUT.search(form).group(1)
    data = {"csrfmiddlewaretoken": token, "what_happened": ADDED, "kind": "connection"}

    def post():
        response = client.post(
            "/nl/journal/new/", data, secure=True, HTTP_ORIGIN="https://127.0.0.1"
        )
        assert response.status_code == 303, response.status_code
        return response

    return post


def time_page(page: str, user, requests: int) -> dict:
    if page == "add":
        path, post = "/nl/journal/new/ (POST)", adding(user)
        request = post
    elif page == "floor":
        client, path = path_for("content", user)
        path = "/healthz"
    else:
        client, path = path_for(page, user)
    if page != "add":

        def request(client=client, path=path):
            response = client.get(path, secure=True)
            assert response.status_code == 200, (path, response.status_code)
            return response

    for _ in range(3):  # warm up: templates, translations, connections
        request()
    wall, cpu = [], []
    for _ in range(requests):
        began, began_cpu = time.perf_counter(), time.process_time()
        request()
        wall.append((time.perf_counter() - began) * 1000)
        cpu.append((time.process_time() - began_cpu) * 1000)
    with CaptureQueriesContext(connection) as queries:
        request()
    return {
        "page": page,
        "path": path,
        "ms": statistics.median(wall),
        "cpu_ms": statistics.median(cpu),
        "queries": len(queries),
    }


def main() -> None:
    parser = argparse.ArgumentParser(prog="python -m bench.timing")
    parser.add_argument("--email", default="big@example.org")
    parser.add_argument("--requests", type=int, default=100)
    parser.add_argument("--pages", nargs="+", default=PAGES, choices=PAGES)
    options = parser.parse_args()
    user = get_user_model().objects.get(email=options.email)
    print(f"{'page':<10}{'ms':>10}{'cpu ms':>8}{'queries':>8}  path")
    for page in options.pages:
        row = time_page(page, user, options.requests)
        print(
            f"{page:<10}{row['ms']:>10.2f}{row['cpu_ms']:>8.2f}{row['queries']:>8}  {row['path']}"
        )


if __name__ == "__main__":
    main()
