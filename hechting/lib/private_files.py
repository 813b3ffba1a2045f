"""Files that hold parents' data (the SQLite database, its -wal and -shm, backups) are readable
by their owner only: mode 0600, whatever the umask of the process that created them.

SQLite gives a new -wal or -shm file the mode of its database file, so once the database is
0600 the files SQLite makes next to it are too.
"""

import stat
from pathlib import Path

OWNER_ONLY = 0o600
SQLITE_COMPANIONS = ("", "-wal", "-shm", "-journal")


def keep_private(path: Path | str) -> None:
    """Make ``path`` readable and writable by its owner only (nothing happens if it is gone)."""
    path = Path(path)
    try:
        mode = stat.S_IMODE(path.stat().st_mode)
        if mode & 0o077:
            path.chmod(mode & 0o700 | OWNER_ONLY)
    except FileNotFoundError:
        return


def keep_sqlite_private(database_file: Path | str) -> None:
    """The database file and the files SQLite keeps beside it."""
    for suffix in SQLITE_COMPANIONS:
        keep_private(f"{database_file}{suffix}")
