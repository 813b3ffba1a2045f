"""How long a search of a large journal takes in-process: the blind index against opening every
moment (the search before the index), median and p90 of many.

    python -m bench.search [--moments 5500] [--runs 50] [--database sqlite|postgres]

Makes its own site: a temporary DATA_DIR (SQLite), or with ``--database postgres`` the database
``hechting_bench_search`` on BENCH_POSTGRES_URL (default postgres://postgres@127.0.0.1:5432),
created and dropped (and analysed after the seeding, as autovacuum would). One parent gets
``--moments`` moments of the demo journal's Dutch words (``seed_demo``), 20 other parents 50
each; the parent's index is then built once more on its own, to show what the index adds to an
import. Each search is timed as the journal uses it: the count
of matching moments and the first page of 25, every word read (the page shows them). No
wall-clock assertion anywhere: the figures go into docs/performance.md by hand.
"""

from __future__ import annotations

import argparse
import os
import statistics
import sys
import tempfile
import time

QUERIES = {
    "common word (samen)": "samen",
    "two words (voorlezen bank)": "voorlezen bank",
    "short word (de)": "de",
    "long word, checked (slaapkamerdeur)": "slaapkamerdeur",
    "accents aside (een)": "een",
    "nothing matches (olifant)": "olifant",
}


def _environment(database: str) -> str | None:
    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "hechting.settings")
    if database == "sqlite":
        os.environ["DATA_DIR"] = tempfile.mkdtemp(prefix="hechting-bench-search-")
        os.environ.pop("DATABASE_URL", None)
        return None
    import psycopg

    server = os.environ.get("BENCH_POSTGRES_URL", "postgres://postgres@127.0.0.1:5432")
    name = "hechting_bench_search"
    with psycopg.connect(f"{server}/postgres", autocommit=True) as admin:
        admin.execute(f"DROP DATABASE IF EXISTS {name}")
        admin.execute(f"CREATE DATABASE {name}")
    os.environ["DATABASE_URL"] = f"{server}/{name}"
    return name


def _drop(server_name: str | None) -> None:
    if server_name is None:
        return
    import psycopg
    from django.db import connections

    connections.close_all()
    server = os.environ.get("BENCH_POSTGRES_URL", "postgres://postgres@127.0.0.1:5432")
    with psycopg.connect(f"{server}/postgres", autocommit=True) as admin:
        admin.execute(f"DROP DATABASE IF EXISTS {server_name}")


def _seed(count: int):
    import datetime
    import random

    from django.contrib.auth import get_user_model
    from django.utils import timezone

    from reflect.management.commands.seed_demo import TEXT
    from reflect.management.commands.seed_demo import Command as SeedDemo
    from reflect.models import Moment

    rng = random.Random(2024)  # noqa: S311 (demo text)
    today = timezone.localdate()
    seeder, text = SeedDemo(), TEXT["nl"]
    users = get_user_model().objects
    big = users.create(email="big@example.org", is_active=True)
    children = seeder._children(big, text, today)
    days = [today - datetime.timedelta(days=n // 3) for n in range(count)]
    moments = [seeder._moment(big, children, text, rng, day, today) for day in days]
    # A few words the demo journal does not use: a long one, and one with accents.
    for n, moment in enumerate(moments[:: max(1, count // 40)]):
        moment.felt = "De slaapkamerdeur bleef open" if n % 2 else "Eén keer zuchten"
    Moment.objects.bulk_create(moments, batch_size=1000)
    for n in range(20):
        other = users.create(email=f"other{n}@example.org", is_active=True)
        Moment.objects.bulk_create(
            seeder._moment(other, [], text, rng, today, today) for _ in range(50)
        )
    return big


def _opening_every_moment(moments, text: str) -> list[int]:
    """The search before the index (reflect.models, up to migration 0008)."""
    from reflect.models import Moment

    needle = text.strip().casefold()
    rows = moments.select_related(None).order_by().only("pk", "uid", "owner", *Moment.TEXT_FIELDS)
    return [
        moment.pk
        for moment in rows
        if any(needle in getattr(moment, field).casefold() for field in Moment.TEXT_FIELDS)
    ]


def _time(run, runs: int) -> tuple[float, float, int]:
    run()  # warm up
    times, found = [], 0
    for _ in range(runs):
        began = time.perf_counter()
        found = run()
        times.append((time.perf_counter() - began) * 1000)
    times.sort()
    return statistics.median(times), times[int(len(times) * 0.9) - 1], found


def main() -> None:
    parser = argparse.ArgumentParser(prog="python -m bench.search")
    parser.add_argument("--moments", type=int, default=5500)
    parser.add_argument("--runs", type=int, default=50)
    parser.add_argument("--database", choices=["sqlite", "postgres"], default="sqlite")
    parser.add_argument("--before", action="store_true", help="also time the search before")
    options = parser.parse_args()
    dropped = _environment(options.database)
    import django

    django.setup()
    from django.core.management import call_command

    try:
        call_command("migrate", verbosity=0)
        call_command("createcachetable", verbosity=0)
        from reflect.models import Moment
        from reflect.search import SearchToken

        began = time.perf_counter()
        user = _seed(options.moments)
        seeded = time.perf_counter() - began
        if options.database == "postgres":
            # What autovacuum does on a real server after so many inserts: without statistics
            # the planner walks every moment of the parent instead of starting from the tokens.
            from django.db import connection

            with connection.cursor() as cursor:
                cursor.execute("VACUUM ANALYZE")
        mine = Moment.objects.for_owner(user)
        from reflect import search

        began = time.perf_counter()
        search.rebuild(mine)
        rebuilt = time.perf_counter() - began
        tokens = SearchToken.objects.filter(moment__owner=user).count()
        print(
            f"bench.search · {options.database} · {mine.count()} moments of one parent "
            f"({Moment.objects.count()} in all), {tokens} tokens "
            f"({tokens / mine.count():.0f} a moment) · seeded in {seeded:.1f} s, the parent's "
            f"index built again in {rebuilt:.1f} s · "
            f"{options.runs} runs · Python {sys.version.split()[0]}"
        )
        print(f"{'search':<38}{'found':>7}{'p50 ms':>9}{'p90 ms':>9}")

        def index_search(text):
            def run():
                found = mine.search(user, text).newest_first()
                page = list(found.select_related("child")[:25])
                for moment in page:
                    for field in Moment.TEXT_FIELDS:
                        getattr(moment, field)
                return found.count()

            return run

        def search_before(text):
            def run():
                ids = _opening_every_moment(mine, text)
                found = mine.filter(pk__in=ids).newest_first()
                list(found.select_related("child")[:25])
                return found.count()

            return run

        for label, text in QUERIES.items():
            p50, p90, found = _time(index_search(text), options.runs)
            print(f"{label:<38}{found:>7}{p50:>9.1f}{p90:>9.1f}")
        if options.before:
            print("the search before the index (opening every moment):")
            for label, text in QUERIES.items():
                p50, p90, found = _time(search_before(text), max(5, options.runs // 10))
                print(f"{label:<38}{found:>7}{p50:>9.1f}{p90:>9.1f}")
    finally:
        _drop(dropped)


if __name__ == "__main__":
    main()
