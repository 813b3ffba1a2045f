"""How many active parents one CPU holds: ramp up until p99 reaches 300 ms.

    python -m bench.capacity                        # SQLite, steps of 60 s
    python -m bench.capacity --database postgres    # a fresh database hechting_capacity
    make bench BENCH_ARGS="--capacity --start 20 --step 20 --step-seconds 60"

The server is gunicorn with the container's settings (docker/gunicorn.conf.py: 2 sync workers,
``WEB_CONCURRENCY`` unset) pinned to one CPU with ``taskset -c 0``; this process, which makes the
load, keeps off that CPU. Each active parent is signed in with a session of its own, reads a page
every 10 s (the journal's first page, then the month, the journal, last week, and again) and saves
a moment once a minute through the real form (CSRF, 303), starting at a random moment. The
requests are sent at their planned times whatever the server does (an open loop, as real parents
are), and a request's time runs from its planned start, so waiting in line counts.

Step by step, ``--start`` parents and ``--step`` more each time, every step ``--step-seconds``
long on the same server: a step holds when its p99 is under ``--p99-ms`` and no request failed.
The first step that does not hold ends the run; the figure is the last step that held.

The database server (PostgreSQL) is not pinned: on a real one-CPU server it shares that CPU, so
the PostgreSQL figure here is the more generous of the two. The machine should be quiet (nothing
else on either CPU), or the figure says more about the neighbours than about Hechting.
"""

from __future__ import annotations

import argparse
import datetime
import http.client
import os
import random
import shutil
import statistics
import sys
import threading
import time
from concurrent.futures import ThreadPoolExecutor
from dataclasses import dataclass, field
from pathlib import Path
from urllib.parse import urlencode

from .client import Visitor
from .run import log, machine
from .server import Site, measure_on

READ_EVERY = 10.0  # seconds between two pages a parent reads
WRITE_EVERY = 60.0  # seconds between two moments a parent saves


@dataclass
class Parent:
    session: str
    csrf: dict[str, str] = field(default_factory=dict)
    token: str = ""
    reads: int = 0
    writes: int = 0


@dataclass
class Step:
    parents: int
    requests: int
    errors: int
    p50_ms: float
    p99_ms: float
    max_ms: float
    rps: float
    write_p99_ms: float
    holds: bool


def _paths(today: datetime.date) -> list[str]:
    last_monday = today - datetime.timedelta(days=today.weekday() + 7)
    return [
        "/nl/journal/",
        f"/nl/journal/look-back/{today.strftime('%Y-%m')}/",
        "/nl/journal/",
        f"/nl/journal/look-back/{last_monday.isoformat()}/",
    ]


class Load:
    """The planned requests of one step, sent on time from a pool of threads."""

    def __init__(self, port: int, cookie: str, paths: list[str]):
        self.port = port
        self.cookie = cookie
        self.paths = paths
        self.lock = threading.Lock()
        self.times: list[tuple[str, float]] = []
        self.errors = 0

    def send(self, parent: Parent, kind: str, planned: float) -> None:
        headers = {
            "Host": f"127.0.0.1:{self.port}",
            "X-Forwarded-Proto": "https",
            "Accept-Language": "nl",
            "Cookie": "; ".join(
                [f"{self.cookie}={parent.session}", *(f"{k}={v}" for k, v in parent.csrf.items())]
            ),
        }
        body = None
        if kind == "write":
            method, path, expect = "POST", "/nl/journal/new/", 303
            parent.writes += 1  # new words each time: the same words of a day are kept once
            body = urlencode(
                {
                    "csrfmiddlewaretoken": parent.token,
                    "what_happened": f"We lazen samen een boek ({parent.writes}).",
                    "kind": "connection",
                }
            )
            headers["Content-Type"] = "application/x-www-form-urlencoded"
            headers["Origin"] = f"https://127.0.0.1:{self.port}"
        else:
            method, expect = "GET", 200
            path = self.paths[parent.reads % len(self.paths)]
            parent.reads += 1
        ok = False
        connection = http.client.HTTPConnection("127.0.0.1", self.port, timeout=30)
        try:
            connection.request(method, path, body=body, headers=headers)
            answer = connection.getresponse()
            answer.read()
            ok = answer.status == expect
            if kind == "write":  # a new moment lands in the journal, not on a saved one
                ok = ok and "/nl/journal/#moment-" in (answer.getheader("Location") or "")
        except (OSError, http.client.HTTPException):
            ok = False
        finally:
            connection.close()
        took = (time.monotonic() - planned) * 1000
        with self.lock:
            self.times.append((kind, took))
            self.errors += not ok

    def run(self, parents: list[Parent], seconds: float, rng: random.Random) -> None:
        began = time.monotonic() + 0.5
        plan: list[tuple[float, int, str]] = []
        for n, _parent in enumerate(parents):
            at = rng.uniform(0, READ_EVERY)
            while at < seconds:
                plan.append((at, n, "read"))
                at += READ_EVERY
            at = rng.uniform(0, WRITE_EVERY)
            while at < seconds:
                plan.append((at, n, "write"))
                at += WRITE_EVERY
        plan.sort()
        with ThreadPoolExecutor(max_workers=min(256, 8 + len(parents))) as pool:
            for at, n, kind in plan:
                planned = began + at
                wait = planned - time.monotonic()
                if wait > 0:
                    time.sleep(wait)
                pool.submit(self.send, parents[n], kind, planned)


def percentile(values: list[float], p: float) -> float:
    ordered = sorted(values)
    return ordered[min(len(ordered) - 1, int(len(ordered) * p / 100))] if ordered else 0.0


def step(site: Site, cookie: str, paths, parents: list[Parent], args, rng) -> Step:
    load = Load(site.port, cookie, paths)
    began = time.monotonic()
    load.run(parents, args.step_seconds, rng)
    elapsed = time.monotonic() - began
    every = [took for _kind, took in load.times]
    writes = [took for kind, took in load.times if kind == "write"]
    p99 = percentile(every, 99)
    return Step(
        parents=len(parents),
        requests=len(every),
        errors=load.errors,
        p50_ms=statistics.median(every) if every else 0.0,
        p99_ms=p99,
        max_ms=max(every, default=0.0),
        rps=len(every) / elapsed if elapsed else 0.0,
        write_p99_ms=percentile(writes, 99),
        holds=p99 < args.p99_ms and load.errors == 0 and bool(every),
    )


def server_memory_mb(site: Site) -> float:
    """Resident memory of gunicorn's master and workers (Linux), in MiB."""
    if site.process is None:
        return 0.0
    total = 0
    for entry in Path("/proc").iterdir():
        if not entry.name.isdigit():
            continue
        try:
            if os.getpgid(int(entry.name)) != site.process.pid:
                continue
            for line in (entry / "status").read_text().splitlines():
                if line.startswith("VmRSS:"):
                    total += int(line.split()[1])
        except (OSError, ProcessLookupError):
            continue
    return total / 1024


def prepare_parents(site: Site, cookie: str, sessions: list[str]) -> list[Parent]:
    parents = []
    for session in sessions:
        visitor = Visitor(site.port)
        visitor.cookies[cookie] = session
        token = visitor.csrf_token("/nl/journal/new/")
        csrf = {name: value for name, value in visitor.cookies.items() if "csrf" in name}
        visitor.close()
        parents.append(Parent(session=session, csrf=csrf, token=token))
    return parents


def warm_up(site: Site, cookie: str, paths: list[str], parents: list[Parent]) -> None:
    """Every page and the form a few times on each worker (templates, translations, connections),
    by parents that are not measured."""
    load = Load(site.port, cookie, paths)
    for _round in range(3):
        for parent in parents:
            for kind in ["read"] * len(paths) + ["write"]:
                load.send(parent, kind, time.monotonic())


def measure(args, database_url: str, root: Path) -> dict:
    site = Site(root, database_url=database_url)
    log(f"Preparing a {args.database} site in {root} ...")
    site.prepare()
    seeded = site.data("seed", "--parents", str(args.parents), "--years", "1", "--sessions", "1")
    emails = [f"parent{n:04d}@example.org" for n in range(1, args.parents - 1)]
    cookie = seeded["cookie"]
    made = site.data("sessions", *emails)["sessions"]
    sessions = [made[email][0] for email in emails]
    today = datetime.date.fromisoformat(seeded["today"])
    paths = _paths(today)
    rng = random.Random(18)  # noqa: S311 (a plan of requests)
    steps: list[Step] = []
    with site:
        site.start(workers=args.workers, threads=1, cpus=args.cpus)
        warm_up(site, cookie, paths, prepare_parents(site, cookie, sessions[-4:]))
        count = args.start
        parents: list[Parent] = []
        while count <= min(args.most, len(sessions)):
            parents += prepare_parents(site, cookie, sessions[len(parents) : count])
            result = step(site, cookie, paths, parents, args, rng)
            steps.append(result)
            log(
                f"  {result.parents:>5} parents  {result.rps:6.1f} req/s  p50 "
                f"{result.p50_ms:6.1f} ms  p99 {result.p99_ms:7.1f} ms  errors {result.errors}"
                f"  {'holds' if result.holds else 'too slow'}"
            )
            if not result.holds:
                break
            count += args.step
        memory = server_memory_mb(site)
        if "Traceback" in site.log:
            log(site.log[-3000:])
    good = [one for one in steps if one.holds]
    return {
        "database": args.database,
        "date": datetime.datetime.now().astimezone().isoformat(timespec="minutes"),
        "machine": machine(),
        "load_average": os.getloadavg(),
        "cpus": args.cpus,
        "workers": args.workers,
        "steps": [one.__dict__ for one in steps],
        "holds": good[-1].parents if good else 0,
        "ended": "p99" if steps and not steps[-1].holds else "most",
        "memory_mb": round(memory),
        "step_seconds": args.step_seconds,
        "p99_ms": args.p99_ms,
    }


def table(results: dict) -> str:
    lines = [
        f"Hechting capacity · {results['database']} · {results['date']} · {results['machine']}",
        f"gunicorn {results['workers']} sync workers on CPU {results['cpus']} (taskset) · "
        f"{results['step_seconds']:g} s a step · a page every {READ_EVERY:g} s and a moment "
        f"every {WRITE_EVERY:g} s per parent · load average at the end "
        + " ".join(f"{n:.2f}" for n in results["load_average"]),
        "",
        f"{'parents':>8}{'req/s':>8}{'p50 ms':>9}{'p99 ms':>9}{'max ms':>9}"
        f"{'write p99':>11}{'errors':>8}  result",
    ]
    lines.append("-" * len(lines[-1]))
    for one in results["steps"]:
        lines.append(
            f"{one['parents']:>8}{one['rps']:>8.1f}{one['p50_ms']:>9.1f}{one['p99_ms']:>9.1f}"
            f"{one['max_ms']:>9.1f}{one['write_p99_ms']:>11.1f}{one['errors']:>8}  "
            f"{'holds' if one['holds'] else 'too slow'}"
        )
    lines.append("")
    limit = "the first step over" if results["ended"] == "p99" else "the last step (--most)"
    lines.append(
        f"holds {results['holds']} active parents with p99 < {results['p99_ms']:g} ms "
        f"(ended at {limit}); server memory at the end {results['memory_mb']} MiB"
    )
    return "\n".join(lines)


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(
        prog="python -m bench.capacity", description=__doc__.split("\n")[0]
    )
    parser.add_argument("--database", choices=["sqlite", "postgres"], default="sqlite")
    parser.add_argument("--start", type=int, default=25, help="active parents in the first step")
    parser.add_argument("--step", type=int, default=25, help="parents added each step")
    parser.add_argument("--most", type=int, default=2000, help="stop here even if it holds")
    parser.add_argument("--step-seconds", type=float, default=60)
    parser.add_argument("--p99-ms", type=float, default=300)
    parser.add_argument("--cpus", default="0", help="taskset's CPU list for the server")
    parser.add_argument(
        "--workers", type=int, default=2, help="the container's default (WEB_CONCURRENCY)"
    )
    parser.add_argument("--parents", type=int, default=1000, help="parents seeded (and signed in)")
    parser.add_argument(
        "--postgres",
        default=os.environ.get("BENCH_POSTGRES_URL", "postgres://postgres@127.0.0.1:5432/postgres"),
        help="a PostgreSQL server where the run may create and drop --postgres-name",
    )
    parser.add_argument("--postgres-name", default="hechting_capacity")
    args = parser.parse_args(argv)
    if not shutil.which("taskset"):
        parser.error("taskset is not installed (util-linux)")
    # The load runs off the server's CPU (when there is another one).
    others = set(os.sched_getaffinity(0)) - {int(n) for n in args.cpus.split(",")}
    if others:
        os.sched_setaffinity(0, others)
    results = measure_on(args, measure, "hechting-capacity-")
    report = table(results)
    print(report)
    out = Path(__file__).resolve().parent / "results"
    out.mkdir(exist_ok=True)
    stamp = results["date"][:16].replace(":", "")
    (out / f"capacity-{args.database}-{stamp}.txt").write_text(report + "\n")
    return 0


if __name__ == "__main__":
    sys.exit(main())
