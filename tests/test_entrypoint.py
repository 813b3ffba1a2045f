"""The container's entrypoint (docker/entrypoint.sh with docker/prestart.py), run for real.

A stand-in `gunicorn` first on PATH records that the server was started and with which
process, so these tests see what the container would do without serving anything. Each test
has its own DATA_DIR with a SQLite database, as in the image.
"""

import os
import sqlite3
import subprocess
import sys
from contextlib import closing
from pathlib import Path

import pytest

from hechting.settings import INSECURE_DEV_SECRET_KEY

REPO = Path(__file__).resolve().parent.parent
ENTRYPOINT = REPO / "docker" / "entrypoint.sh"
GOOD_KEY = "k3y-" + "Qw8rT5yU2iO9pA4sD7fG1hJ6kL0zX3cV" * 2
FAKE_GUNICORN = """#!/bin/sh
echo "$$ $*" > "$DATA_DIR/served"
"""


class Site:
    def __init__(self, root: Path):
        self.root = root
        self.data = root / "data"
        self.data.mkdir(parents=True)
        bin_dir = root / "bin"
        bin_dir.mkdir()
        gunicorn = bin_dir / "gunicorn"
        gunicorn.write_text(FAKE_GUNICORN)
        gunicorn.chmod(0o755)
        python_dir = Path(sys.executable).parent
        self.env = {
            key: value
            for key, value in os.environ.items()
            if not key.startswith(
                ("DJANGO_", "SECRET_KEY", "JOURNAL_KEYS", "DATABASE_URL", "BACKUP_")
            )
            and key not in {"DEBUG", "DATA_DIR"}
        }
        self.env.update(
            PATH=f"{bin_dir}:{python_dir}:{os.environ['PATH']}",
            DATA_DIR=str(self.data),
            SECRET_KEY=GOOD_KEY,
            JOURNAL_KEYS="k1:" + "A" * 43 + "=",
            DB_WAIT_TIMEOUT="5",
        )

    @property
    def database(self) -> Path:
        return self.data / "hechting.sqlite3"

    @property
    def served(self) -> Path:
        return self.data / "served"

    @property
    def backups(self) -> list[Path]:
        folder = self.data / "backups"
        return sorted(folder.iterdir()) if folder.is_dir() else []

    def start(self, *command: str, **env: str) -> subprocess.Popen:
        return subprocess.Popen(
            [str(ENTRYPOINT), *command],
            env={**self.env, **env},
            stdout=subprocess.PIPE,
            stderr=subprocess.PIPE,
            text=True,
        )

    def run(self, *command: str, **env: str) -> subprocess.CompletedProcess:
        process = self.start(*command, **env)
        stdout, stderr = process.communicate(timeout=120)
        return subprocess.CompletedProcess(process.args, process.returncode, stdout, stderr)

    def manage(self, *args: str) -> None:
        result = self.run("python", "manage.py", *args)
        assert result.returncode == 0, result.stderr

    def tables(self, database: Path | None = None) -> set[str]:
        with closing(sqlite3.connect(database or self.database)) as db:
            return {row[0] for row in db.execute("SELECT name FROM sqlite_master")}


@pytest.fixture
def site(tmp_path) -> Site:
    return Site(tmp_path)


@pytest.fixture(scope="module")
def migrated_database(tmp_path_factory) -> Path:
    """One migrated SQLite database with a parent in it, copied by the tests that need one."""
    template = Site(tmp_path_factory.mktemp("template"))
    template.manage("migrate", "--no-input", "-v0")
    template.manage(
        "shell", "-c", "from tests.factories import UserFactory; UserFactory(email='a@example.org')"
    )
    return template.database


@pytest.fixture
def migrated_site(site, migrated_database) -> Site:
    with (
        closing(sqlite3.connect(migrated_database)) as source,
        closing(sqlite3.connect(site.database)) as copy,
    ):
        source.backup(copy)
    return site


# --- SECRET_KEY ---------------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("key", "reason"),
    [
        ("", "SECRET_KEY is missing"),
        (INSECURE_DEV_SECRET_KEY, "SECRET_KEY is missing"),
        ("django-insecure-" + "x1y2z3" * 10, "SECRET_KEY is still a placeholder"),
        ("change-me-" + "a1b2c3d4e5" * 5, "SECRET_KEY is still a placeholder"),
        ("short-but-random-9fQ", "SECRET_KEY is too short"),
    ],
)
def test_it_refuses_to_start_in_production_without_a_real_secret_key(site, key, reason):
    result = site.run(SECRET_KEY=key)

    assert result.returncode == 1
    assert reason in result.stderr
    assert "Refusing to start in production" in result.stderr
    assert "secrets.token_urlsafe(50)" in result.stderr  # says how to make one
    assert not site.served.exists()
    assert not site.database.exists()  # stopped before touching the database


def test_it_reads_the_secret_key_from_a_file(migrated_site):
    site = migrated_site
    key_file = site.root / "secret_key"
    key_file.write_text(GOOD_KEY + "\n")
    env = {key: value for key, value in site.env.items() if key != "SECRET_KEY"}
    site.env = env

    result = site.run(SECRET_KEY_FILE=str(key_file))

    assert result.returncode == 0, result.stderr
    assert site.served.exists()


def test_it_refuses_to_start_in_production_without_journal_keys(site):
    result = site.run(JOURNAL_KEYS="")

    assert result.returncode == 1
    assert "JOURNAL_KEYS is missing" in result.stderr
    assert "os.urandom(32)" in result.stderr  # says how to make one
    assert not site.served.exists()
    assert not site.database.exists()


def test_it_reads_the_journal_keys_from_a_file(migrated_site):
    site = migrated_site
    keys_file = site.root / "journal_keys"
    keys_file.write_text(site.env.pop("JOURNAL_KEYS") + "\n")

    result = site.run(JOURNAL_KEYS_FILE=str(keys_file))

    assert result.returncode == 0, result.stderr
    assert site.served.exists()


def test_it_starts_without_a_key_when_debug_is_on_but_warns(migrated_site):
    site = migrated_site
    result = site.run(SECRET_KEY="", DEBUG="1")

    assert result.returncode == 0, result.stderr
    assert "never do this in production" in result.stderr
    assert site.served.exists()


def test_it_stops_with_the_settings_message_when_a_setting_is_invalid(site):
    result = site.run(LOG_LEVEL="LOUD")

    assert result.returncode == 1
    assert "the configuration is not valid: LOG_LEVEL must be" in result.stderr
    assert "Traceback" not in result.stderr


# --- Migrations and the backup before them ------------------------------------------------------


def test_a_first_start_migrates_an_empty_data_folder_without_a_backup(site):
    result = site.run()

    assert result.returncode == 0, result.stderr
    assert {"django_migrations", "reflect_moment", "hechting_cache"} <= site.tables()
    assert site.backups == []
    assert "backed up" not in result.stderr


def test_it_hands_its_process_to_the_server_with_the_default_command(migrated_site):
    site = migrated_site
    process = site.start()
    process.communicate(timeout=120)

    assert process.returncode == 0
    pid, arguments = site.served.read_text().split(" ", 1)
    assert int(pid) == process.pid  # exec: signals from `docker stop` reach gunicorn itself
    assert arguments.strip() == ("--config docker/gunicorn.conf.py hechting.wsgi:application")


def test_it_backs_up_the_database_before_applying_a_waiting_migration(migrated_site):
    site = migrated_site
    site.manage("migrate", "sessions", "zero", "-v0")  # as if an upgrade brought a migration
    assert "django_session" not in site.tables()

    result = site.run()

    assert result.returncode == 0, result.stderr
    (backup,) = site.backups
    assert backup.name.endswith("-before-migrate.sqlite3")
    assert f"backed up the database before migrating: {backup}" in result.stderr
    with closing(sqlite3.connect(backup)) as db:
        assert db.execute("PRAGMA integrity_check").fetchone() == ("ok",)
        assert db.execute("SELECT email FROM accounts_user").fetchall() == [("a@example.org",)]
    assert "django_session" not in site.tables(backup)  # the state before the migration
    assert "django_session" in site.tables()  # and the migration ran after it
    assert site.served.exists()


def test_each_start_removes_the_sessions_that_have_ended(migrated_site):
    with closing(sqlite3.connect(migrated_site.database)) as db, db:
        db.executemany(
            "INSERT INTO django_session (session_key, session_data, expire_date) VALUES (?, ?, ?)",
            [("ended", "x", "2020-01-01 00:00:00"), ("current", "x", "2999-01-01 00:00:00")],
        )
    assert migrated_site.run().returncode == 0
    with closing(sqlite3.connect(migrated_site.database)) as db:
        left = {row[0] for row in db.execute("SELECT session_key FROM django_session")}
    assert left == {"current"}


def test_it_takes_no_backup_when_the_database_is_up_to_date(migrated_site):
    result = migrated_site.run()

    assert result.returncode == 0, result.stderr
    assert "the database is up to date" in result.stderr
    assert migrated_site.backups == []


def test_it_refuses_to_migrate_when_the_backup_fails(migrated_site):
    site = migrated_site
    site.manage("migrate", "sessions", "zero", "-v0")
    (site.data / "backups").write_text("a file where the backup folder should be")

    result = site.run()

    assert result.returncode == 1
    assert "the backup before migrating failed, so nothing was migrated" in result.stderr
    assert "BACKUP_BEFORE_MIGRATE=0" in result.stderr
    assert "django_session" not in site.tables()
    assert not site.served.exists()


@pytest.mark.parametrize("off", ["0", "off", "no", "False"])
def test_an_operator_can_migrate_without_the_automatic_backup(migrated_site, off):
    site = migrated_site
    site.manage("migrate", "sessions", "zero", "-v0")
    (site.data / "backups").write_text("a file where the backup folder should be")

    result = site.run(BACKUP_BEFORE_MIGRATE=off)

    assert result.returncode == 0, result.stderr
    assert "migrating without a backup" in result.stderr
    assert "django_session" in site.tables()


@pytest.mark.parametrize(
    ("name", "value", "message"),
    [
        ("DB_WAIT_TIMEOUT", "a minute", "DB_WAIT_TIMEOUT must be a whole number, not 'a minute'"),
        ("DB_WAIT_TIMEOUT", "-5", "DB_WAIT_TIMEOUT must be at least 0, not -5"),
        ("BACKUP_BEFORE_MIGRATE", "perhaps", "BACKUP_BEFORE_MIGRATE must be true or false"),
        ("BACKUP_KEEP", "none", "BACKUP_KEEP must be a whole number"),
    ],
)
def test_a_bad_start_up_value_stops_with_a_message_that_names_it(site, name, value, message):
    result = site.run(**{name: value})

    assert result.returncode == 1
    assert f"the configuration is not valid: {message}" in result.stderr
    assert "Traceback" not in result.stderr
    assert not site.served.exists()


def test_other_commands_run_as_given_without_touching_the_database(site):
    result = site.run("python", "-c", "print('a one-off command')", SECRET_KEY="")

    assert result.returncode == 0, result.stderr
    assert result.stdout == "a one-off command\n"
    assert not site.database.exists()


def test_it_gives_up_clearly_when_the_database_does_not_answer(site):
    result = site.run(DATABASE_URL="postgres://nobody@127.0.0.1:9/hechting", DB_WAIT_TIMEOUT="0")

    assert result.returncode == 1
    assert "the database did not answer within 0 seconds" in result.stderr
    assert not site.served.exists()


# --- PostgreSQL ---------------------------------------------------------------------------------


@pytest.fixture
def postgres_url():
    """A new, empty PostgreSQL database next to the suite's, dropped afterwards."""
    url = os.environ.get("DATABASE_URL", "")
    if not url.startswith(("postgres://", "postgresql://")):
        pytest.skip("runs in the PostgreSQL run of the suite (make test-postgres)")
    import psycopg

    base, _, name = url.rpartition("/")
    database = f"{name}_entrypoint"
    with psycopg.connect(f"{base}/postgres", autocommit=True) as admin:
        admin.execute(f'DROP DATABASE IF EXISTS "{database}" WITH (FORCE)')
        admin.execute(f'CREATE DATABASE "{database}"')
    yield f"{base}/{database}"
    with psycopg.connect(f"{base}/postgres", autocommit=True) as admin:
        admin.execute(f'DROP DATABASE IF EXISTS "{database}" WITH (FORCE)')


def test_web_containers_starting_together_on_postgresql_migrate_one_at_a_time(
    tmp_path, postgres_url
):
    sites = [Site(tmp_path / f"web{number}") for number in range(3)]
    processes = [site.start(DATABASE_URL=postgres_url) for site in sites]
    results = [process.communicate(timeout=180) for process in processes]

    for process, (_, stderr) in zip(processes, results, strict=True):
        assert process.returncode == 0, stderr
    assert all(site.served.exists() for site in sites)
    applied = ["applying" in stderr for _, stderr in results]
    assert applied.count(True) == 1  # one migrated; the others found the database up to date


def test_on_postgresql_it_backs_up_with_pg_dump_before_a_waiting_migration(site, postgres_url):
    site.env["DATABASE_URL"] = postgres_url
    assert site.run().returncode == 0
    site.manage("migrate", "sessions", "zero", "-v0")

    result = site.run()

    assert result.returncode == 0, result.stderr
    (backup,) = site.backups
    assert backup.name.endswith("-before-migrate.dump")
    listing = subprocess.run(
        ["pg_restore", "--list", str(backup)], capture_output=True, text=True, check=True
    ).stdout
    assert "TABLE public accounts_user" in listing
    assert "TABLE public django_session" not in listing  # the state before the migration
