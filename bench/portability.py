"""Export and import at scale, in the site's own settings and data (run by ``bench.run``).

    python -m bench.portability [--email big@example.org] [--moments 5000]

Exports the parent's journal (``export_json``, as the download does) and times it; then imports
the first ``--moments`` moments of that file into a new parent (``read_file`` and
``import_journal``, as the upload does: every moment checked, then written in batches), and
imports the same file again (every moment an update). Meanwhile a second thread, with its own
database connection, saves a moment for another parent every 50 ms: its slowest save is how long
an import can hold up another parent's write. The longest write transaction of the import itself
is timed too. Prints JSON.
"""

from __future__ import annotations

import argparse
import json
import threading
import time
import uuid

import django

django.setup()

from django.contrib.auth import get_user_model  # noqa: E402
from django.db import connection, transaction  # noqa: E402
from django.db.transaction import Atomic  # noqa: E402

from reflect.models import Moment  # noqa: E402
from reflect.yourdata import portability  # noqa: E402

User = get_user_model()

# What issue 18 asks: seconds, and the longest wait of another parent's write.
TARGETS = {"export_s": 3.0, "import_s": 10.0, "other_write_s": 1.0}


class LongestTransaction:
    """Times every outermost ``transaction.atomic`` block of this thread (a write transaction:
    SQLite's write lock, with IMMEDIATE, is held from its start to its end)."""

    def __init__(self):
        self.longest = 0.0
        self.count = 0
        self._began: float | None = None
        self._thread = threading.get_ident()

    def __enter__(self):
        watcher = self
        enter, exit_ = Atomic.__enter__, Atomic.__exit__

        def timed_enter(atomic):
            outermost = not connection.in_atomic_block
            enter(atomic)
            if outermost and threading.get_ident() == watcher._thread:
                watcher._began = time.perf_counter()

        def timed_exit(atomic, *exc):
            result = exit_(atomic, *exc)
            mine = threading.get_ident() == watcher._thread
            if mine and not connection.in_atomic_block and watcher._began is not None:
                watcher.longest = max(watcher.longest, time.perf_counter() - watcher._began)
                watcher.count += 1
                watcher._began = None
            return result

        self._saved = (enter, exit_)
        Atomic.__enter__, Atomic.__exit__ = timed_enter, timed_exit
        return self

    def __exit__(self, *exc):
        Atomic.__enter__, Atomic.__exit__ = self._saved


class OtherParent(threading.Thread):
    """Another parent saving a moment every 50 ms; ``slowest`` is its slowest save in seconds."""

    def __init__(self, user):
        super().__init__(daemon=True)
        self.user = user
        self.stop = threading.Event()
        self.slowest = 0.0
        self.saves = 0

    def run(self):
        try:
            while not self.stop.is_set():
                began = time.perf_counter()
                with transaction.atomic():
                    Moment.objects.create(
                        owner=self.user, what_happened="We lazen samen.", kind="connection"
                    )
                self.slowest = max(self.slowest, time.perf_counter() - began)
                self.saves += 1
                self.stop.wait(0.05)
        finally:
            connection.close()


def parent(email: str):
    user, _ = User.objects.get_or_create(email=email)
    Moment.objects.filter(owner=user).delete()
    return user


def timed_import(user, raw: bytes) -> dict:
    other = OtherParent(parent("other-writer@example.org"))
    other.start()
    try:
        with LongestTransaction() as longest:
            began = time.perf_counter()
            journal = portability.read_file(raw)
            checked = time.perf_counter() - began
            result = portability.import_journal(user, journal)
            seconds = time.perf_counter() - began
    finally:
        other.stop.set()
        other.join()
    return {
        "import_s": round(seconds, 2),
        "checking_s": round(checked, 2),
        "added": result.moments_added,
        "updated": result.moments_updated,
        "transactions": longest.count,
        "longest_transaction_s": round(longest.longest, 3),
        "other_write_s": round(other.slowest, 3),
        "other_saves": other.saves,
    }


def main() -> None:
    parser = argparse.ArgumentParser(prog="python -m bench.portability")
    parser.add_argument("--email", default="big@example.org")
    parser.add_argument("--moments", type=int, default=5000)
    options = parser.parse_args()
    source = User.objects.get(email=options.email)
    began = time.perf_counter()
    raw = portability.export_json(source)
    export_s = time.perf_counter() - began
    document = json.loads(raw)
    exported = len(document["moments"])
    document["moments"] = document["moments"][: options.moments]
    document["share_links"] = []
    raw = json.dumps(document, ensure_ascii=False).encode()
    user = parent(f"import-{uuid.uuid4().hex[:8]}@example.org")
    first = timed_import(user, raw)
    again = timed_import(user, raw)
    print(
        json.dumps(
            {
                "exported": exported,
                "export_s": round(export_s, 2),
                "export_mb": round(len(raw) / 1e6, 1),
                "import_new": first,
                "import_again": again,
                "targets": TARGETS,
            },
            indent=2,
        )
    )
    user.delete()


if __name__ == "__main__":
    main()
