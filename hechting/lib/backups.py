"""Backups of the database and their restore, for the `backup` and `restore` commands and the
container's start-up.

SQLite: a consistent copy made with SQLite's online backup API while the app keeps running,
checked with ``PRAGMA integrity_check`` before it counts as a backup. PostgreSQL: a dump in
pg_dump's custom format, restored with pg_restore. Files are named
``hechting-YYYYMMDD-HHMMSS[-label].sqlite3`` (or ``.dump``) so that sorting by name sorts by age;
only the newest ``keep`` files are kept. Backups hold everything (sealed words, email addresses,
password hashes), so every file is readable by its owner only (0600), and a folder made here too.
A second folder (``copy_backup``) receives a checked copy: another disk or a mounted share.

This module knows Django's ``DATABASES`` entry and nothing else of Django, so it can be used
before the app is fully set up.
"""

import os
import re
import shutil
import sqlite3
import subprocess
from contextlib import closing
from dataclasses import dataclass
from datetime import UTC, datetime
from pathlib import Path

from .private_files import keep_private

SQLITE_ENGINE = "django.db.backends.sqlite3"
POSTGRES_ENGINE = "django.db.backends.postgresql"
SQLITE_SUFFIX = ".sqlite3"
POSTGRES_SUFFIX = ".dump"
BACKUP_NAME = re.compile(r"^hechting-\d{8}-\d{6}(?:-[a-z0-9-]+)?\.(?:sqlite3|dump)$")
LABEL = re.compile(r"^[a-z0-9-]{1,40}$")


class BackupError(Exception):
    """A backup or restore that did not happen; the message says why, for an operator."""


class BackupUnavailable(BackupError):
    """This kind of database cannot be backed up from here (for example: no pg_dump)."""


@dataclass(frozen=True)
class Backup:
    path: Path
    pruned: tuple[Path, ...]


def backup_dir(data_dir: Path) -> Path:
    return Path(data_dir) / "backups"


def is_sqlite(database: dict) -> bool:
    return database["ENGINE"] == SQLITE_ENGINE


def is_postgres(database: dict) -> bool:
    return database["ENGINE"] == POSTGRES_ENGINE


def sqlite_path(database: dict) -> Path:
    name = str(database["NAME"])
    if name == ":memory:" or name.startswith("file:") or "mode=memory" in name:
        raise BackupError("An in-memory SQLite database cannot be backed up or restored.")
    return Path(name)


def sqlite_has_data(database: dict) -> bool:
    """Whether the SQLite database exists and holds Hechting's tables (not a new empty file)."""
    path = sqlite_path(database)
    if not path.is_file():
        return False
    try:
        with closing(sqlite3.connect(f"file:{path}?mode=ro", uri=True)) as db:
            found = db.execute(
                "SELECT 1 FROM sqlite_master WHERE type = 'table' AND name = 'django_migrations'"
            ).fetchone()
    except sqlite3.DatabaseError:
        return True  # something is there: let the backup itself report what is wrong
    return found is not None


# --- Taking a backup ----------------------------------------------------------------------------


def take_backup(database: dict, target_dir: Path, *, keep: int | None, label: str = "") -> Backup:
    """Back up the database described by a DATABASES entry into target_dir and keep the newest
    `keep` backups of its kind (None: delete nothing)."""
    if label and not LABEL.match(label):
        raise BackupError("A backup label may only hold lower-case letters, digits and '-'.")
    if keep is not None and keep < 1:
        raise BackupError("Keep at least one backup.")
    target_dir = Path(target_dir)
    try:
        target_dir.mkdir(mode=0o700, parents=True, exist_ok=True)
    except OSError as exc:
        raise BackupError(f"Cannot use {target_dir} for backups: {exc}") from exc
    if is_sqlite(database):
        path = _backup_sqlite(sqlite_path(database), target_dir, label)
        suffix = SQLITE_SUFFIX
    elif is_postgres(database):
        path = _backup_postgres(database, target_dir, label)
        suffix = POSTGRES_SUFFIX
    else:
        raise BackupUnavailable(f"No backup method for {database['ENGINE']}.")
    keep_private(path)
    pruned = prune(target_dir, suffix=suffix, keep=keep) if keep is not None else []
    return Backup(path=path, pruned=tuple(pruned))


def _new_name(target_dir: Path, label: str, suffix: str) -> Path:
    stamp = datetime.now(UTC).strftime("%Y%m%d-%H%M%S")
    base = f"hechting-{stamp}" + (f"-{label}" if label else "")
    path = target_dir / f"{base}{suffix}"
    counter = 2
    while path.exists():
        # Two backups in the same second (a manual one next to the start-up one, say).
        path = target_dir / f"{base}-{counter}{suffix}"
        counter += 1
    return path


def _private_file(path: Path) -> None:
    """Create an empty file that only its owner can read, whatever the umask says."""
    os.close(os.open(path, os.O_WRONLY | os.O_CREAT | os.O_EXCL, 0o600))


def _backup_sqlite(source: Path, target_dir: Path, label: str) -> Path:
    if not source.is_file():
        raise BackupError(f"There is no SQLite database at {source} to back up.")
    path = _new_name(target_dir, label, SQLITE_SUFFIX)
    partial = path.with_name(path.name + ".partial")
    try:
        _private_file(partial)
        # The backup API copies a consistent snapshot while other processes keep writing.
        with (
            closing(sqlite3.connect(source, timeout=30)) as live,
            closing(sqlite3.connect(partial)) as copy,
        ):
            live.backup(copy)
            # One self-contained file, whatever journal mode the live database uses.
            copy.execute("PRAGMA journal_mode=DELETE")
        check_sqlite_file(partial)
        partial.replace(path)
    except sqlite3.Error as exc:
        raise BackupError(f"SQLite could not copy {source}: {exc}") from exc
    finally:
        partial.unlink(missing_ok=True)
    return path


def _postgres_environment(database: dict) -> dict[str, str]:
    """libpq's own variables, so that no password appears on a command line."""
    env = dict(os.environ)
    values = {
        "PGHOST": database.get("HOST"),
        "PGPORT": database.get("PORT"),
        "PGUSER": database.get("USER"),
        "PGPASSWORD": database.get("PASSWORD"),
        "PGDATABASE": database.get("NAME"),
        "PGSSLMODE": (database.get("OPTIONS") or {}).get("sslmode"),
    }
    env.update({key: str(value) for key, value in values.items() if value})
    return env


def _run_postgres_tool(tool: str, arguments: list[str], database: dict) -> str:
    program = shutil.which(tool)
    if program is None:
        raise BackupUnavailable(
            f"{tool} is not installed here, so PostgreSQL backups are the operator's job "
            "(see docs/self-hosting.md, 'Backups')."
        )
    result = subprocess.run(  # noqa: S603 (fixed program, arguments built here)
        [program, *arguments],
        env=_postgres_environment(database),
        capture_output=True,
        text=True,
        check=False,
    )
    if result.returncode != 0:
        raise BackupError(f"{tool} failed: {result.stderr.strip() or result.returncode}")
    return result.stdout


def _backup_postgres(database: dict, target_dir: Path, label: str) -> Path:
    path = _new_name(target_dir, label, POSTGRES_SUFFIX)
    partial = path.with_name(path.name + ".partial")
    try:
        _private_file(partial)  # pg_dump writes into it and keeps its mode
        _run_postgres_tool(
            "pg_dump",
            ["--format=custom", "--no-owner", "--no-privileges", f"--file={partial}"],
            database,
        )
        check_postgres_dump(partial, database)
        partial.replace(path)
    finally:
        partial.unlink(missing_ok=True)
    return path


def copy_backup(backup: Path, database: dict, target_dir: Path, *, keep: int | None) -> Backup:
    """Copy a finished backup into a second folder, check the copy as a backup of this database,
    and keep the newest `keep` there. The folder must exist: a missing mount must not turn into
    a folder on the same disk."""
    backup, target_dir = Path(backup), Path(target_dir)
    if not target_dir.is_dir():
        raise BackupError(
            f"The second backup folder {target_dir} does not exist (is the disk mounted?)."
        )
    path = target_dir / backup.name
    partial = path.with_name(path.name + ".partial")
    try:
        partial.unlink(missing_ok=True)  # left by a copy that was cut off
        _private_file(partial)
        with open(backup, "rb") as source, open(partial, "wb") as copy:
            shutil.copyfileobj(source, copy)
            copy.flush()
            os.fsync(copy.fileno())
        check_backup(database, partial, suffix=backup.suffix)
        partial.replace(path)
    except OSError as exc:
        raise BackupError(f"Cannot copy the backup into {target_dir}: {exc}") from exc
    finally:
        partial.unlink(missing_ok=True)
    pruned = prune(target_dir, suffix=backup.suffix, keep=keep) if keep is not None else []
    return Backup(path=path, pruned=tuple(pruned))


def prune(target_dir: Path, *, suffix: str, keep: int) -> list[Path]:
    """Delete all but the newest `keep` backups of one kind; returns what was deleted."""
    backups = sorted(
        (
            path
            for path in Path(target_dir).iterdir()
            if path.is_file() and path.suffix == suffix and BACKUP_NAME.match(path.name)
        ),
        # The time in the name first (it survives copying), then the file's own time for
        # backups made within the same second.
        key=lambda path: (path.name[len("hechting-") :][:15], path.stat().st_mtime_ns),
    )
    old = backups[:-keep]
    for path in old:
        path.unlink()
    return old


# --- Checking and restoring ---------------------------------------------------------------------


def check_sqlite_file(path: Path) -> None:
    """Raise BackupError unless path is an intact SQLite database that Hechting made."""
    path = Path(path)
    if not path.is_file():
        raise BackupError(f"{path} does not exist.")
    try:
        with closing(sqlite3.connect(f"file:{path}?mode=ro", uri=True)) as db:
            result = [row[0] for row in db.execute("PRAGMA integrity_check")]
            if result != ["ok"]:
                raise BackupError(f"{path} is damaged: {'; '.join(result[:5])}")
            tables = {row[0] for row in db.execute("SELECT name FROM sqlite_master")}
    except sqlite3.DatabaseError as exc:
        raise BackupError(f"{path} is not a readable SQLite database: {exc}") from exc
    if "django_migrations" not in tables:
        raise BackupError(f"{path} is a SQLite database, but not one of Hechting's.")


def check_postgres_dump(path: Path, database: dict) -> None:
    """pg_restore reads the whole table of contents; a cut-off or foreign file fails here."""
    listing = _run_postgres_tool("pg_restore", ["--list", str(path)], database)
    if "django_migrations" not in listing:
        raise BackupError(f"{path} is a PostgreSQL dump, but not one of Hechting's.")


def check_backup(database: dict, backup_file: Path, *, suffix: str | None = None) -> None:
    """Raise BackupError unless backup_file is an intact backup this database can take back
    (``suffix``: the kind, for a file whose name does not show it yet)."""
    backup_file = Path(backup_file)
    if not backup_file.is_file():
        raise BackupError(f"{backup_file} does not exist.")
    suffix = suffix or backup_file.suffix
    if is_sqlite(database):
        if suffix != SQLITE_SUFFIX:
            raise BackupError("This is a SQLite installation; restore a .sqlite3 backup.")
        check_sqlite_file(backup_file)
    elif is_postgres(database):
        if suffix != POSTGRES_SUFFIX:
            raise BackupError("This is a PostgreSQL installation; restore a .dump backup.")
        check_postgres_dump(backup_file, database)
    else:
        raise BackupUnavailable(f"No restore method for {database['ENGINE']}.")


def restore(database: dict, backup_file: Path) -> None:
    """Replace the database's contents with the backup's, after checking the backup."""
    backup_file = Path(backup_file)
    check_backup(database, backup_file)
    if is_sqlite(database):
        _restore_sqlite(backup_file, sqlite_path(database))
    else:
        _restore_postgres(backup_file, database)


def _restore_sqlite(backup_file: Path, target: Path) -> None:
    target.parent.mkdir(parents=True, exist_ok=True)
    try:
        with (
            closing(sqlite3.connect(f"file:{backup_file}?mode=ro", uri=True)) as source,
            closing(sqlite3.connect(target, timeout=30)) as live,
        ):
            # Page by page, in one locked step: readers see the old or the new database.
            source.backup(live)
    except sqlite3.Error as exc:
        raise BackupError(f"SQLite could not restore into {target}: {exc}") from exc
    check_sqlite_file(target)


def _restore_postgres(backup_file: Path, database: dict) -> None:
    _run_postgres_tool(
        "pg_restore",
        [
            "--clean",
            "--if-exists",
            "--no-owner",
            "--no-privileges",
            "--single-transaction",
            "--exit-on-error",
            f"--dbname={database['NAME']}",
            str(backup_file),
        ],
        database,
    )
