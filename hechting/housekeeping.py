"""Housekeeping: remove what has ended, so that nothing is kept longer than it is needed.

`manage.py housekeeping` runs every step in settings.HOUSEKEEPING, hourly (the `housekeeping`
service in compose.yaml, or the loop in docs/self-hosting.md) and at each container start. A
step is a function ``step(now) -> int`` that deletes what has ended by ``now`` and says how many
rows went; adding one is one line in settings.HOUSEKEEPING. Steps that touch the journal live
beside it (reflect/sharing/housekeeping.py), so this module imports nothing from reflect/.
The retention table in docs/practice/ names every step.
"""

import datetime
from collections.abc import Callable

from django.conf import settings
from django.contrib.sessions.models import Session
from django.core.cache import caches
from django.core.cache.backends.db import DatabaseCache
from django.db import connections, router, transaction
from django.utils import timezone
from django.utils.module_loading import import_string

Step = Callable[[datetime.datetime], int]


def ended_sessions(now: datetime.datetime) -> int:
    """Logins past their end (signed out, idle, or older than SESSION_COOKIE_AGE), with any
    sealed unsent form or message they held."""
    return Session.objects.filter(expire_date__lt=now).delete()[0]


def sessions_list_rows_without_a_session(now: datetime.datetime) -> int:
    """allauth's row per login (device and time on the sessions page) once its login is gone."""
    from allauth.usersessions.models import UserSession

    return UserSession.objects.exclude(
        session_key__in=Session.objects.values("session_key")
    ).delete()[0]


def expired_cache_rows(now: datetime.datetime) -> int:
    """Expired rows of the database cache: the rate-limit counters of logins, sign-ups,
    password resets and mistyped share tokens, past their window. Django removes them only
    when the table is full."""
    removed = 0
    for alias, config in settings.CACHES.items():
        cache = caches[alias]
        if not isinstance(cache, DatabaseCache):
            continue
        connection = connections[router.db_for_write(cache.cache_model_class)]
        table = connection.ops.quote_name(config["LOCATION"])
        with connection.cursor() as cursor:
            cursor.execute(
                f"DELETE FROM {table} WHERE expires < %s",  # noqa: S608 (a quoted setting)
                [connection.ops.adapt_datetimefield_value(now)],
            )
            removed += max(cursor.rowcount, 0)
    return removed


def steps() -> list[tuple[str, Step]]:
    return [(path.rsplit(".", 1)[-1], import_string(path)) for path in settings.HOUSEKEEPING]


def run(now: datetime.datetime | None = None) -> list[tuple[str, int]]:
    """Run every step, each in its own transaction; returns (step name, rows removed)."""
    now = now or timezone.now()
    done = []
    for name, step in steps():
        with transaction.atomic():
            removed = step(now)
        done.append((name, removed))
    return done
