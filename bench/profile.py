"""Where the time goes on one page: cProfile over repeated requests, in the site's own process.

    python -m bench.profile --email big@example.org --page month [--requests 20]

Run by ``python -m bench.run --profile`` with the bench site's environment and data, or by hand
with DATA_DIR / DATABASE_URL pointing at a seeded database. Prints the mean time per request and
the functions with the most cumulative time.
"""

from __future__ import annotations

import argparse
import cProfile
import datetime
import io
import pstats
import time

import django

django.setup()

from django.conf import settings  # noqa: E402
from django.contrib.auth import get_user_model  # noqa: E402
from django.test import Client  # noqa: E402
from django.utils import timezone  # noqa: E402

from reflect.sharing.forms import period_bounds  # noqa: E402
from reflect.sharing.models import ShareLink  # noqa: E402


def path_for(page: str, user) -> tuple[Client, str]:
    today = timezone.localdate()
    client = Client(HTTP_HOST="127.0.0.1", HTTP_X_FORWARDED_PROTO="https")
    if page == "share":
        link = ShareLink(
            owner=user,
            scope=ShareLink.Scope.MOMENTS,
            period_kind=ShareLink.PeriodKind.MONTH,
            valid_until=today + datetime.timedelta(days=1),
        )
        link.period_start, link.period_end = period_bounds(link.period_kind, today)
        token = link.issue_token()
        link.save()
        opened = client.get(f"/nl/share/t/{token}/", secure=True)
        return client, opened["Location"]
    client.force_login(user)
    last_monday = today - datetime.timedelta(days=today.weekday() + 7)
    return client, {
        "journal": "/nl/journal/",
        "week": f"/nl/journal/look-back/{last_monday.isoformat()}/",
        "month": f"/nl/journal/look-back/{today.strftime('%Y-%m')}/",
        "content": "/nl/learn/secure-attachment/",
        "all": "/nl/journal/look-back/all/",
    }[page]


def main() -> None:
    parser = argparse.ArgumentParser(prog="python -m bench.profile")
    parser.add_argument("--email", default="big@example.org")
    parser.add_argument("--page", default="month")
    parser.add_argument("--requests", type=int, default=20)
    parser.add_argument("--top", type=int, default=25)
    parser.add_argument("--sort", default="cumulative", help="cumulative or tottime")
    options = parser.parse_args()
    user = get_user_model().objects.get(email=options.email)
    client, path = path_for(options.page, user)
    assert client.get(path, secure=True).status_code == 200, path  # warm up
    profiler = cProfile.Profile()
    began = time.perf_counter()
    profiler.enable()
    for _ in range(options.requests):
        response = client.get(path, secure=True)
        assert response.status_code == 200
    profiler.disable()
    each = (time.perf_counter() - began) / options.requests * 1000
    out = io.StringIO()
    stats = pstats.Stats(profiler, stream=out).strip_dirs().sort_stats(options.sort)
    stats.print_stats(options.top)
    engine = settings.DATABASES["default"]["ENGINE"].rsplit(".", 1)[-1]
    print(f"Profile of {path} ({options.page}, {options.email}, {engine}): {each:.1f} ms a request")
    print(out.getvalue())


if __name__ == "__main__":
    main()
