"""Hechting under gunicorn as in production, on a private database and a free loopback port.

A :class:`Site` has its own DATA_DIR (SQLite) or its own PostgreSQL database, its own
SECRET_KEY and collected static files. It runs the production settings (DEBUG off, HTTPS on)
with ``BEHIND_PROXY=1``: clients send ``X-Forwarded-Proto: https`` as a TLS proxy would.
Lighthouse cannot add that header to every request, so it gets a site with ``https=False``.
"""

from __future__ import annotations

import base64
import contextlib
import http.client
import json
import os
import secrets
import shutil
import signal
import socket
import subprocess
import sys
import tempfile
import time
from collections.abc import Callable, Iterator
from pathlib import Path
from urllib.parse import urlsplit, urlunsplit

REPO = Path(__file__).resolve().parent.parent
BIN = Path(sys.executable).parent
# Settings that must come from the Site, never from the shell that runs it.
_OWN = {
    "DATABASE_URL",
    "DATA_DIR",
    "DEBUG",
    "HTTPS",
    "BEHIND_PROXY",
    "SECRET_KEY",
    "SECRET_KEY_FILE",
    "JOURNAL_KEYS",
    "JOURNAL_KEYS_FILE",
    "STATIC_ROOT",
    "ALLOWED_HOSTS",
    "EMAIL_URL",
    "EMAIL_HOST",
    "LOG_LEVEL",
}


def free_port() -> int:
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        return probe.getsockname()[1]


class Site:
    """One installation: prepare() migrates and collects static files, start() serves it."""

    def __init__(
        self,
        root: Path,
        *,
        database_url: str = "",
        static_root: Path | None = None,
        https: bool = True,
    ):
        self.root = Path(root)
        self.data_dir = self.root / "data"
        self.static_root = Path(static_root) if static_root else self.root / "static"
        self.https = https
        self.database_url = database_url
        self.port = 0
        self.process: subprocess.Popen | None = None
        self.env = {key: value for key, value in os.environ.items() if key not in _OWN}
        self.env.update(
            DJANGO_SETTINGS_MODULE="hechting.settings",
            PYTHONPATH=str(REPO),
            DATA_DIR=str(self.data_dir),
            DATABASE_URL=database_url,
            SECRET_KEY=secrets.token_urlsafe(50),
            JOURNAL_KEYS="k1:" + base64.b64encode(secrets.token_bytes(32)).decode(),
            DEBUG="0",
            HTTPS="1" if https else "0",
            BEHIND_PROXY="1",
            ALLOWED_HOSTS="127.0.0.1,localhost",
            EMAIL_URL="dummy://",
            STATIC_ROOT=str(self.static_root),
            LOG_LEVEL="WARNING",
        )

    @property
    def is_sqlite(self) -> bool:
        return not self.database_url

    @property
    def sqlite_path(self) -> Path:
        return self.data_dir / "hechting.sqlite3"

    # --- Commands in the site's environment ----------------------------------------------------

    def run(self, *args: str, timeout: float = 600) -> str:
        result = subprocess.run(  # noqa: S603 (our own interpreter and arguments)
            [str(BIN / "python"), *args],
            cwd=REPO,
            env=self.env,
            capture_output=True,
            text=True,
            timeout=timeout,
            check=False,
        )
        if result.returncode:
            raise RuntimeError(f"{' '.join(args)} failed:\n{result.stdout}\n{result.stderr}")
        return result.stdout

    def manage(self, *args: str, timeout: float = 600) -> str:
        return self.run("manage.py", *args, timeout=timeout)

    def data(self, *args: str, timeout: float = 600):
        """Run bench/data.py (seeding, sessions, counts) here and return its JSON answer."""
        return json.loads(self.run("-m", "bench.data", *args, timeout=timeout))

    def prepare(self) -> None:
        self.data_dir.mkdir(parents=True, exist_ok=True)
        self.manage("migrate", "--no-input", "-v0")
        if not (self.static_root / "staticfiles.json").exists():
            self.manage("collectstatic", "--no-input", "-v0")

    # --- The server ---------------------------------------------------------------------------

    def start(
        self, *, workers: int = 2, threads: int = 1, wait: float = 30, cpus: str = ""
    ) -> None:
        """gunicorn with the container's settings (docker/gunicorn.conf.py), on 127.0.0.1.

        Workers are not recycled during a run (``--max-requests 0``): a restart in the middle
        of a measurement would be noise, not the app. ``cpus`` ("0") pins the server to those
        CPUs with ``taskset``, as a small server would have them.
        """
        for _attempt in range(5):
            self.port = free_port()
            command = [
                *(["taskset", "-c", cpus] if cpus else []),
                str(BIN / "gunicorn"),
                "--config",
                str(REPO / "docker" / "gunicorn.conf.py"),
                "--bind",
                f"127.0.0.1:{self.port}",
                "--workers",
                str(workers),
                "--threads",
                str(threads),
                "--max-requests",
                "0",
                "hechting.wsgi",
            ]
            log = (self.root / "gunicorn.log").open("ab")
            self.process = subprocess.Popen(  # noqa: S603
                command, cwd=REPO, env=self.env, stdout=log, stderr=log, start_new_session=True
            )
            log.close()
            if self._wait_until_ready(wait):
                return
            self.stop()
        raise RuntimeError(f"gunicorn did not start; see {self.root / 'gunicorn.log'}")

    def _wait_until_ready(self, wait: float) -> bool:
        deadline = time.monotonic() + wait
        while time.monotonic() < deadline:
            if self.process is None or self.process.poll() is not None:
                return False  # the port was taken between probing and binding, or a crash
            try:
                connection = http.client.HTTPConnection("127.0.0.1", self.port, timeout=2)
                connection.request("GET", "/healthz")
                if connection.getresponse().status == 200:
                    return True
            except OSError:
                pass
            finally:
                connection.close()
            time.sleep(0.2)
        return False

    def stop(self) -> None:
        if self.process is None:
            return
        if self.process.poll() is None:
            os.killpg(self.process.pid, signal.SIGTERM)
            try:
                self.process.wait(timeout=20)
            except subprocess.TimeoutExpired:
                os.killpg(self.process.pid, signal.SIGKILL)
                self.process.wait(timeout=10)
        self.process = None

    @property
    def log(self) -> str:
        path = self.root / "gunicorn.log"
        return path.read_text(errors="replace") if path.exists() else ""

    def __enter__(self) -> Site:
        return self

    def __exit__(self, *exc) -> None:
        self.stop()


@contextlib.contextmanager
def postgres_database(server_url: str, name: str) -> Iterator[str]:
    """A new, empty PostgreSQL database on the server of ``server_url``, dropped afterwards."""
    import psycopg

    parts = urlsplit(server_url)
    admin = urlunsplit(parts._replace(path="/postgres"))
    url = urlunsplit(parts._replace(path=f"/{name}"))
    with psycopg.connect(admin, autocommit=True, connect_timeout=5) as connection:
        connection.execute(f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)')
        connection.execute(f'CREATE DATABASE "{name}"')
    try:
        yield url
    finally:
        with psycopg.connect(admin, autocommit=True, connect_timeout=5) as connection:
            connection.execute(f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)')


def measure_on(args, measure: Callable[[object, str, Path], dict], prefix: str) -> dict:
    """Run ``measure(args, database_url, root)`` against a fresh database of ``args.database``
    (SQLite in a temporary folder, or a new PostgreSQL database) and clean up afterwards."""
    root = Path(tempfile.mkdtemp(prefix=prefix))
    try:
        if args.database == "postgres":
            with postgres_database(args.postgres, args.postgres_name) as url:
                return measure(args, url, root)
        return measure(args, "", root)
    finally:
        shutil.rmtree(root, ignore_errors=True)
