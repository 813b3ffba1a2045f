"""Data for a bench or concurrency run, made inside the site's own settings and database.

    python -m bench.data sessions EMAIL...          # parents (made if new) with a signed-in session
    python -m bench.data seed --parents 1000 ...    # the bench data set (see ``seed``)
    python -m bench.data moments EMAIL...           # each parent's stored moments (their words)

Run by :class:`bench.server.Site` with the site's environment; prints JSON. Sessions are made
by Django's own login (the same signals as the login form), without hashing a password per
parent: the bench measures pages, not Argon2.
"""

from __future__ import annotations

import argparse
import datetime
import json
import random
import sys

import django

django.setup()

from allauth.account.models import EmailAddress  # noqa: E402
from django.conf import settings  # noqa: E402
from django.contrib.auth import get_user_model  # noqa: E402
from django.contrib.auth.hashers import make_password  # noqa: E402
from django.db import transaction  # noqa: E402
from django.test import Client  # noqa: E402
from django.utils import timezone  # noqa: E402

from reflect.management.commands.seed_demo import TEXT  # noqa: E402
from reflect.management.commands.seed_demo import Command as SeedDemo  # noqa: E402
from reflect.models import Moment  # noqa: E402
from reflect.sharing.forms import period_bounds  # noqa: E402
from reflect.sharing.models import ShareLink  # noqa: E402

User = get_user_model()
PASSWORD = "a calm evening walk"  # noqa: S105 (bench accounts on a throwaway database)
BATCH = 2000


def parents(emails: list[str]) -> list:
    """The parents with these addresses, made with one shared password hash if new."""
    encoded = make_password(PASSWORD)
    existing = {user.email: user for user in User.objects.filter(email__in=emails)}
    new = [User(email=email, password=encoded, is_active=True) for email in emails]
    new = [user for user in new if user.email not in existing]
    for start in range(0, len(new), BATCH):
        User.objects.bulk_create(new[start : start + BATCH])
    users = {user.email: user for user in User.objects.filter(email__in=emails)}
    EmailAddress.objects.bulk_create(
        [
            EmailAddress(user=users[user.email], email=user.email, primary=True, verified=True)
            for user in new
        ],
        batch_size=BATCH,
    )
    return [users[email] for email in emails]


def session_for(user) -> str:
    client = Client()
    client.force_login(user)
    return client.cookies[settings.SESSION_COOKIE_NAME].value


def sessions(emails: list[str], per_parent: int = 1) -> dict:
    users = parents(emails)
    return {
        "cookie": settings.SESSION_COOKIE_NAME,
        "sessions": {user.email: [session_for(user) for _ in range(per_parent)] for user in users},
    }


def moments(emails: list[str]) -> dict:
    found: dict[str, list[str]] = {email: [] for email in emails}
    rows = Moment.objects.filter(owner__email__in=emails).select_related("owner")
    for moment in rows:
        found[moment.owner.email].append(moment.what_happened)
    return {"total": Moment.objects.count(), "moments": found}


def _moments_on(days, seeder, user, children, rng, today) -> list[Moment]:
    text = TEXT["nl"]
    return [seeder._moment(user, children, text, rng, day, today) for day in days]


@transaction.atomic
def seed(
    parent_count: int, years: int, per_day: int, small: int, others: int, session_count: int
) -> dict:
    """``parent_count`` parents: "big" with ``years`` of moments at ``per_day`` a day, "small"
    with ``small`` moments (the last days, at the same pace), the rest with ``others`` each.

    Both measured parents have two children and a share link of this month with their words
    (its dates fixed as the sharing form fixes them).
    """
    rng = random.Random(2024)  # noqa: S311 (demo text)
    today = timezone.localdate()
    seeder = SeedDemo()
    text = TEXT["nl"]
    big, little = "big@example.org", "small@example.org"
    rest = [f"parent{n:04d}@example.org" for n in range(1, parent_count - 1)]
    users = dict(zip([big, little, *rest], parents([big, little, *rest]), strict=True))
    Moment.objects.filter(owner__in=users.values()).delete()

    big_children = seeder._children(users[big], text, today)
    seeder._moments(users[big], big_children, text, rng, today, years, per_day)
    little_children = seeder._children(users[little], text, today)
    days = [today - datetime.timedelta(days=n // per_day) for n in range(small)]
    Moment.objects.bulk_create(
        _moments_on(days, seeder, users[little], little_children, rng, today)
    )
    batch: list[Moment] = []
    for email in rest:
        days = [today - datetime.timedelta(days=rng.randrange(365)) for _ in range(others)]
        batch += _moments_on(days, seeder, users[email], [], rng, today)
        if len(batch) >= BATCH:
            Moment.objects.bulk_create(batch)
            batch = []
    Moment.objects.bulk_create(batch)

    measured = {}
    for email in (big, little):
        user = users[email]
        link = ShareLink(
            owner=user,
            scope=ShareLink.Scope.MOMENTS,
            period_kind=ShareLink.PeriodKind.MONTH,
            valid_until=today + datetime.timedelta(days=30),
        )
        link.period_start, link.period_end = period_bounds(link.period_kind, today)
        token = link.issue_token()
        link.save()
        measured[email] = {
            "moments": Moment.objects.filter(owner=user).count(),
            "share_token": token,
            "sessions": [session_for(user) for _ in range(session_count)],
        }
    return {
        "cookie": settings.SESSION_COOKIE_NAME,
        "parents": User.objects.count(),
        "moments": Moment.objects.count(),
        "today": today.isoformat(),
        "big": measured[big],
        "small": measured[little],
    }


def main(argv: list[str]) -> dict:
    parser = argparse.ArgumentParser(prog="python -m bench.data")
    commands = parser.add_subparsers(dest="command", required=True)
    make = commands.add_parser("sessions")
    make.add_argument("emails", nargs="+")
    make.add_argument("--per-parent", type=int, default=1)
    read = commands.add_parser("moments")
    read.add_argument("emails", nargs="+")
    fill = commands.add_parser("seed")
    fill.add_argument("--parents", type=int, default=1000)
    fill.add_argument("--years", type=int, default=5)
    fill.add_argument("--per-day", type=int, default=3)
    fill.add_argument("--small", type=int, default=50)
    fill.add_argument("--others", type=int, default=20)
    fill.add_argument("--sessions", type=int, default=50)
    options = parser.parse_args(argv)
    if options.command == "sessions":
        return sessions(options.emails, options.per_parent)
    if options.command == "moments":
        return moments(options.emails)
    return seed(
        options.parents,
        options.years,
        options.per_day,
        options.small,
        options.others,
        options.sessions,
    )


if __name__ == "__main__":
    json.dump(main(sys.argv[1:]), sys.stdout)
