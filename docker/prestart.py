"""Start-up checks before the web server runs (called by docker/entrypoint.sh).

1. Refuse to run in production (DEBUG off) with a missing, default or weak SECRET_KEY, or
   without JOURNAL_KEYS (the key that encrypts the journal's words at rest).
2. Wait for the database to answer (DB_WAIT_TIMEOUT seconds, default 60).
3. If migrations are waiting and the database already holds data, back it up first
   (SQLite: a checked copy; PostgreSQL: pg_dump, or a clear log line when it is missing).
4. Apply the migrations. With PostgreSQL an advisory lock makes several web containers that
   start together take turns.
5. Housekeeping: remove ended sessions, links and other rows past their life.

Every value from the environment comes from hechting/settings.py (hechting/lib/env.py), so a
bad one stops here with the message that names it.

Exit status 0 means "start the server"; anything else stops the container with a message.
"""

import os
import sys
import time
from pathlib import Path

APP_DIR = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(APP_DIR))
os.environ.setdefault("DJANGO_SETTINGS_MODULE", "hechting.settings")

# Any number will do, as long as nothing else in the database uses it for an advisory lock.
MIGRATION_LOCK_ID = 48_656_368  # "Hech"


def say(message: str) -> None:
    print(f"hechting start-up: {message}", file=sys.stderr, flush=True)


def stop(message: str) -> None:
    say(message)
    sys.exit(1)


def check_secret_key(settings) -> None:
    if settings.DEBUG:
        if settings.SECRET_KEY == settings.INSECURE_DEV_SECRET_KEY:
            say("DEBUG is on and SECRET_KEY is the development key: never do this in production.")
        return
    key = settings.SECRET_KEY
    problem = None
    if key == settings.INSECURE_DEV_SECRET_KEY:
        problem = "SECRET_KEY is missing (set SECRET_KEY or SECRET_KEY_FILE)"
    elif key.startswith("django-insecure") or "change-me" in key or "changeme" in key:
        problem = "SECRET_KEY is still a placeholder"
    elif len(key) < 50 or len(set(key)) < 5:
        problem = "SECRET_KEY is too short (it needs at least 50 characters)"
    if problem:
        stop(
            f"{problem}. Refusing to start in production, because sessions and password reset "
            "links would be forgeable. Create a key with\n"
            '    python3 -c "import secrets; print(secrets.token_urlsafe(50))"\n'
            "and put it in SECRET_KEY (for example in your .env file), or in a file named by "
            "SECRET_KEY_FILE. Keep it the same across restarts and upgrades."
        )


def check_journal_keys(settings) -> None:
    if settings.DEBUG or settings.JOURNAL_KEYS:
        return  # a malformed JOURNAL_KEYS already stopped django.setup() with its message
    stop(
        "JOURNAL_KEYS is missing. Refusing to start in production, because the journal's words "
        "are encrypted at rest with it. Create a key with\n"
        "    python3 -c \"import base64, os; print('k1:' + base64.b64encode(os.urandom(32))"
        '.decode())"\n'
        "and put it in JOURNAL_KEYS (for example in your .env file), or in a file named by "
        "JOURNAL_KEYS_FILE. Keep a copy apart from your backups: without it the journal cannot "
        "be read."
    )


def wait_for_database(settings, connection) -> None:
    from django.db import OperationalError

    timeout = settings.DB_WAIT_TIMEOUT
    deadline = time.monotonic() + timeout
    while True:
        try:
            connection.ensure_connection()
            return
        except OperationalError as exc:
            if time.monotonic() >= deadline:
                stop(f"the database did not answer within {timeout:g} seconds: {exc}")
            say("waiting for the database...")
            time.sleep(2)


def pending_migrations(connection) -> list:
    from django.db.migrations.executor import MigrationExecutor

    executor = MigrationExecutor(connection)
    return executor.migration_plan(executor.loader.graph.leaf_nodes())


def backup_before_migrating(settings, connection) -> None:
    from hechting.lib import backups

    if not settings.BACKUP_BEFORE_MIGRATE:
        say("BACKUP_BEFORE_MIGRATE is off: migrating without a backup.")
        return
    try:
        result = backups.take_backup(
            connection.settings_dict,
            backups.backup_dir(settings.DATA_DIR),
            keep=settings.BACKUP_KEEP,
            label="before-migrate",
        )
    except backups.BackupUnavailable as exc:
        say(f"no automatic backup before migrating: {exc}")
        return
    except backups.BackupError as exc:
        stop(
            f"the backup before migrating failed, so nothing was migrated: {exc}\n"
            "Fix the cause, or make your own backup and start once with BACKUP_BEFORE_MIGRATE=0."
        )
    say(f"backed up the database before migrating: {result.path}")


def migrate(settings, connection) -> None:
    from django.core.management import call_command

    plan = pending_migrations(connection)
    if not plan:
        say("the database is up to date.")
        return
    has_data = "django_migrations" in connection.introspection.table_names()
    if has_data:
        backup_before_migrating(settings, connection)
    say(f"applying {len(plan)} migration(s)...")
    call_command("migrate", interactive=False, verbosity=1)


def housekeeping() -> None:
    """Remove what has ended (sessions, share links, invitations, old rate-limit rows, ...).
    The hourly housekeeping does the same; at start it also covers a long-stopped container."""
    from django.core.management import call_command

    call_command("housekeeping")


def main() -> None:
    try:
        import django

        django.setup()
    except Exception as exc:  # ImproperlyConfigured and friends: show the message, not a trace
        stop(f"the configuration is not valid: {exc}")
    from django.conf import settings
    from django.db import connection

    check_secret_key(settings)
    check_journal_keys(settings)
    if connection.vendor == "sqlite":
        Path(settings.DATA_DIR).mkdir(parents=True, exist_ok=True)
    wait_for_database(settings, connection)
    if connection.vendor == "postgresql":
        with connection.cursor() as cursor:
            cursor.execute("SELECT pg_advisory_lock(%s)", [MIGRATION_LOCK_ID])
        try:
            migrate(settings, connection)
        finally:
            with connection.cursor() as cursor:
                cursor.execute("SELECT pg_advisory_unlock(%s)", [MIGRATION_LOCK_ID])
    else:
        migrate(settings, connection)
    housekeeping()
    connection.close()


if __name__ == "__main__":
    main()
