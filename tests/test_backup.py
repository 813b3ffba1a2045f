"""Backups and restore: the drill an operator would run, and the checks that keep it safe.

The SQLite drill runs `manage.py` in a separate process against its own database file in a
temporary DATA_DIR, exactly as in a container, whichever database the rest of the suite uses.
The PostgreSQL drill runs in the PostgreSQL run of the suite, with pg_dump and pg_restore.
"""

import os
import shutil
import sqlite3
import stat
import subprocess
import sys
from contextlib import closing
from pathlib import Path

import pytest
from django.contrib.auth import get_user_model
from django.core.management import CommandError, call_command
from django.db import connection

from hechting.lib import backups
from tests.factories import ChildFactory, MomentFactory, UserFactory

REPO = Path(__file__).resolve().parent.parent
SEED = """
from django.contrib.sessions.backends.db import SessionStore
from django.core.cache import cache
from tests.factories import ChildFactory, MomentFactory, UserFactory

for number in range(3):
    parent = UserFactory(email=f"parent{number}@example.org")
    child = ChildFactory(owner=parent)
    MomentFactory.create_batch(2, owner=parent, child=child)
    MomentFactory(owner=parent, mismatch=True)
    MomentFactory(owner=parent, repaired=True)
session = SessionStore()
session["seen"] = True
session.create()
cache.set("a-rate-limit-counter", 3, 600)
"""


def manage(data_dir: Path, *args: str, **extra_env: str) -> subprocess.CompletedProcess:
    env = {
        **os.environ,
        "DATA_DIR": str(data_dir),
        "DATABASE_URL": "",  # the default: SQLite in DATA_DIR
        "SECRET_KEY": "a-test-key-" + "x" * 50,
        "JOURNAL_KEYS": "k1:" + "A" * 43 + "=",  # 32 zero bytes: a production-like start
        "PYTHONPATH": str(REPO),
    }
    env.pop("BACKUP_KEEP", None)
    env.pop("BACKUP_COPY_DIR", None)
    env.update(extra_env)
    result = subprocess.run(
        [sys.executable, "manage.py", *args],
        cwd=REPO,
        env=env,
        capture_output=True,
        text=True,
        check=False,
    )
    return result


def run(data_dir: Path, *args: str) -> str:
    result = manage(data_dir, *args)
    assert result.returncode == 0, result.stderr
    return result.stdout


def row_counts(database: Path) -> dict[str, int]:
    with closing(sqlite3.connect(database)) as db:
        tables = [
            row[0]
            for row in db.execute(
                "SELECT name FROM sqlite_master WHERE type = 'table' AND name NOT LIKE 'sqlite_%'"
            )
        ]
        query = 'SELECT count(*) FROM "{}"'
        return {table: db.execute(query.format(table)).fetchone()[0] for table in tables}


def integrity(database: Path) -> list[str]:
    with closing(sqlite3.connect(database)) as db:
        return [row[0] for row in db.execute("PRAGMA integrity_check")]


def written_backup(output: str) -> Path:
    line = next(line for line in output.splitlines() if line.startswith("Backup written to "))
    return Path(line.removeprefix("Backup written to "))


@pytest.fixture(scope="module")
def seeded_site(tmp_path_factory) -> Path:
    """A DATA_DIR with a migrated database holding parents, children, moments, a session and a
    cached counter. Tests copy it, so the migrations and Argon2 hashes run only once."""
    data_dir = tmp_path_factory.mktemp("seeded")
    run(data_dir, "migrate", "--no-input", "-v0")
    run(data_dir, "shell", "-c", SEED)
    return data_dir


@pytest.fixture
def site(seeded_site, tmp_path) -> Path:
    data_dir = tmp_path / "data"
    data_dir.mkdir()
    with (
        closing(sqlite3.connect(seeded_site / "hechting.sqlite3")) as source,
        closing(sqlite3.connect(data_dir / "hechting.sqlite3")) as copy,
    ):
        source.backup(copy)
    return data_dir


def test_the_drill_restores_a_wiped_sqlite_database_row_for_row(site):
    database = site / "hechting.sqlite3"
    before = row_counts(database)
    assert before["reflect_moment"] == 12
    assert before["accounts_user"] == 3
    assert before["django_session"] == 1
    assert before["hechting_cache"] == 1

    backup = written_backup(run(site, "backup"))
    assert backup.parent == site / "backups"
    assert integrity(backup) == ["ok"]

    for path in site.glob("hechting.sqlite3*"):  # the database and its WAL files: all gone
        path.unlink()
    assert not database.exists()

    output = run(site, "restore", "--no-input", str(backup))
    assert "integrity check ok" in output
    assert integrity(database) == ["ok"]
    assert row_counts(database) == before


def test_a_restore_undoes_later_changes_and_keeps_them_in_a_before_restore_backup(site):
    database = site / "hechting.sqlite3"
    before = row_counts(database)
    backup = written_backup(run(site, "backup"))
    with closing(sqlite3.connect(database)) as db, db:
        db.execute("DELETE FROM reflect_moment WHERE kind = 'mismatch'")
    changed = row_counts(database)
    assert changed["reflect_moment"] == before["reflect_moment"] - 6

    run(site, "restore", "--no-input", str(backup))

    assert row_counts(database) == before
    (saved,) = (site / "backups").glob("*-before-restore.sqlite3")
    assert row_counts(saved) == changed


def test_the_backup_command_keeps_only_the_newest_backups(site):
    folder = site / "backups"
    folder.mkdir()
    for name in ["hechting-20250101-031500.sqlite3", "hechting-20250102-031500-nightly.sqlite3"]:
        (folder / name).write_text("an older backup")

    output = run(site, "backup", "--keep", "2")

    assert "Removed old backup hechting-20250101-031500.sqlite3" in output
    assert sorted(folder.iterdir()) == [
        folder / "hechting-20250102-031500-nightly.sqlite3",
        written_backup(output),
    ]


def test_the_restore_command_refuses_a_damaged_backup_and_leaves_the_database_alone(site):
    database = site / "hechting.sqlite3"
    before = row_counts(database)
    damaged = site / "backups" / "hechting-20260101-000000.sqlite3"
    damaged.parent.mkdir()
    damaged.write_bytes(b"SQLite format 3\x00" + b"\x00" * 200)

    result = manage(site, "restore", "--no-input", str(damaged))

    assert result.returncode == 1
    assert "not a readable SQLite database" in result.stderr
    assert row_counts(database) == before
    assert [path.name for path in damaged.parent.iterdir()] == [damaged.name]


def test_the_drill_restores_from_the_second_folder_when_the_first_disk_is_lost(site, tmp_path):
    database = site / "hechting.sqlite3"
    before = row_counts(database)
    second = tmp_path / "offsite"
    second.mkdir()

    output = run(site, "backup", "--copy-to", str(second))

    backup = written_backup(output)
    (copy,) = second.iterdir()
    assert f"Copy written to {copy}" in output
    assert copy.name == backup.name
    assert copy.read_bytes() == backup.read_bytes()
    shutil.rmtree(site)  # the whole data disk: database, WAL and the first backups
    site.mkdir()
    run(site, "restore", "--no-input", str(copy))
    assert row_counts(site / "hechting.sqlite3") == before


def test_the_second_folder_can_come_from_the_environment_and_keeps_as_many(site, tmp_path):
    second = tmp_path / "offsite"
    second.mkdir()
    (second / "hechting-20250101-031500.sqlite3").write_text("an older copy")
    (second / "someone-elses-file.txt").write_text("left alone")

    result = manage(site, "backup", "--keep", "1", BACKUP_COPY_DIR=str(second))

    assert result.returncode == 0, result.stderr
    assert "Removed old backup hechting-20250101-031500.sqlite3" in result.stdout
    assert sorted(path.name for path in second.iterdir()) == sorted(
        [written_backup(result.stdout).name, "someone-elses-file.txt"]
    )


def test_a_missing_second_folder_fails_loudly_instead_of_filling_the_same_disk(site, tmp_path):
    result = manage(site, "backup", "--copy-to", str(tmp_path / "not-mounted"))

    assert result.returncode != 0
    assert "does not exist (is the disk mounted?)" in result.stderr
    assert not (tmp_path / "not-mounted").exists()


def test_backups_and_their_copies_are_readable_by_their_owner_only(site, tmp_path):
    second = tmp_path / "offsite"
    second.mkdir()

    output = run(site, "backup", "--copy-to", str(second))

    (copy,) = second.iterdir()
    assert stat.S_IMODE(written_backup(output).stat().st_mode) == 0o600
    assert stat.S_IMODE(copy.stat().st_mode) == 0o600
    assert stat.S_IMODE((site / "backups").stat().st_mode) == 0o700


# --- The library, in process ----------------------------------------------------------------------


def make_hechting_database(path: Path, rows: int = 1) -> dict:
    with closing(sqlite3.connect(path)) as db, db:
        db.execute("CREATE TABLE django_migrations (id INTEGER PRIMARY KEY, name TEXT)")
        db.executemany("INSERT INTO django_migrations (name) VALUES (?)", [("m",)] * rows)
    return {"ENGINE": backups.SQLITE_ENGINE, "NAME": str(path)}


def test_a_backup_is_a_single_file_even_from_a_database_in_wal_mode(tmp_path):
    database = make_hechting_database(tmp_path / "live.sqlite3", rows=5)
    with closing(sqlite3.connect(database["NAME"])) as db:
        db.execute("PRAGMA journal_mode=WAL")
        db.execute("INSERT INTO django_migrations (name) VALUES ('in the wal')")
        db.commit()
        # The writer is still open, so the last row is only in the -wal file.
        result = backups.take_backup(database, tmp_path / "backups", keep=3)
    with closing(sqlite3.connect(result.path)) as copy:
        assert copy.execute("PRAGMA journal_mode").fetchone() == ("delete",)
        assert copy.execute("SELECT count(*) FROM django_migrations").fetchone() == (6,)
    assert result.path.name.startswith("hechting-")


def test_pruning_keeps_the_newest_backups_of_one_kind_and_nothing_else(tmp_path):
    names = [
        "hechting-20260101-000000.sqlite3",
        "hechting-20260102-000000-before-migrate.sqlite3",
        "hechting-20260103-000000.sqlite3",
        "hechting-20260101-000000.dump",
        "notes.sqlite3",
    ]
    for name in names:
        (tmp_path / name).write_text("x")

    removed = backups.prune(tmp_path, suffix=".sqlite3", keep=2)

    assert [path.name for path in removed] == ["hechting-20260101-000000.sqlite3"]
    assert sorted(path.name for path in tmp_path.iterdir()) == sorted(names[1:])


def test_a_restore_refuses_a_sqlite_file_that_is_not_hechtings(tmp_path):
    target = make_hechting_database(tmp_path / "live.sqlite3")
    stranger = tmp_path / "stranger.sqlite3"
    with closing(sqlite3.connect(stranger)) as db:
        db.execute("CREATE TABLE notes (text TEXT)")

    with pytest.raises(backups.BackupError, match="not one of Hechting's"):
        backups.restore(target, stranger)


def test_a_restore_refuses_a_postgresql_dump_on_sqlite(tmp_path):
    target = make_hechting_database(tmp_path / "live.sqlite3")
    dump = tmp_path / "hechting-20260101-000000.dump"
    dump.write_bytes(b"PGDMP")
    with pytest.raises(backups.BackupError, match=r"restore a \.sqlite3 backup"):
        backups.restore(target, dump)


def test_without_pg_dump_a_postgresql_backup_says_it_is_the_operators_job(tmp_path, monkeypatch):
    monkeypatch.setenv("PATH", str(tmp_path))  # an empty folder: no pg_dump anywhere
    database = {"ENGINE": backups.POSTGRES_ENGINE, "NAME": "hechting", "HOST": "db"}

    with pytest.raises(backups.BackupUnavailable, match="backups are the operator's job"):
        backups.take_backup(database, tmp_path / "backups", keep=3)


def test_a_backup_of_a_missing_database_fails_clearly(tmp_path):
    database = {"ENGINE": backups.SQLITE_ENGINE, "NAME": str(tmp_path / "absent.sqlite3")}
    with pytest.raises(backups.BackupError, match="no SQLite database"):
        backups.take_backup(database, tmp_path / "backups", keep=3)


def test_a_backup_label_cannot_reach_outside_the_backup_folder(tmp_path):
    database = make_hechting_database(tmp_path / "live.sqlite3")
    with pytest.raises(backups.BackupError, match="label"):
        backups.take_backup(database, tmp_path / "backups", keep=3, label="../../etc")


# --- PostgreSQL -----------------------------------------------------------------------------------


def table_counts() -> dict[str, int]:
    with connection.cursor() as cursor:
        tables = connection.introspection.table_names(cursor)
        counts = {}
        for table in tables:
            cursor.execute(f'SELECT count(*) FROM "{table}"')  # noqa: S608
            counts[table] = cursor.fetchone()[0]
    return counts


@pytest.mark.django_db(transaction=True)
def test_the_drill_restores_a_wiped_postgresql_database_row_for_row(settings, tmp_path):
    if connection.vendor != "postgresql":
        pytest.skip("the PostgreSQL drill runs in the PostgreSQL run (make test-postgres)")
    settings.DATA_DIR = tmp_path
    for number in range(2):
        parent = UserFactory(email=f"drill{number}@example.org")
        MomentFactory.create_batch(3, owner=parent, child=ChildFactory(owner=parent))
    before = table_counts()

    second = tmp_path / "offsite"
    second.mkdir()
    settings.BACKUP_COPY_DIR = second

    call_command("backup", keep=2)
    (dump,) = (tmp_path / "backups").glob("*.dump")
    (copy,) = second.glob("*.dump")
    assert copy.read_bytes() == dump.read_bytes()
    assert stat.S_IMODE(copy.stat().st_mode) == 0o600
    dump.unlink()  # restore from the second folder
    get_user_model().objects.all().delete()  # cascades to children and moments
    assert table_counts()["reflect_moment"] == 0

    call_command("restore", str(copy), interactive=False)

    assert table_counts() == before


def test_the_restore_command_names_a_missing_file(tmp_path, settings):
    settings.DATA_DIR = tmp_path
    with pytest.raises(CommandError, match="does not exist"):
        call_command("restore", str(tmp_path / "hechting-20260101-0.sqlite3"), interactive=False)


def test_an_empty_database_file_counts_as_no_data_so_a_restore_does_not_save_it(tmp_path):
    empty = tmp_path / "empty.sqlite3"
    empty.touch()
    hechting = make_hechting_database(tmp_path / "live.sqlite3")

    assert backups.sqlite_has_data({"NAME": str(empty)}) is False
    assert backups.sqlite_has_data({"NAME": str(tmp_path / "absent.sqlite3")}) is False
    assert backups.sqlite_has_data(hechting) is True
