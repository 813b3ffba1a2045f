"""`make bench`: Hechting's pages under load, against the cheapest response of the same server.

    python -m bench.run                          # SQLite, 6 seconds a page
    python -m bench.run --database postgres      # a fresh database hechting_bench (dropped after)
    python -m bench.run --seconds 10 --profile   # and profile the slowest page (cProfile)
    python -m bench.run --portability            # and export 5,500 / import 5,000 moments
    python -m bench.run --capacity               # active parents one CPU holds (bench/capacity.py)

Seeds 1,000 parents (one with 5 years at 3 moments a day, one with 50 moments), starts gunicorn
with the production settings and 2 sync workers on 127.0.0.1, loads each page from a second
process (wrk, or Python threads without it) with 2 connections per worker, and prints requests
per second, p50 and p99, the ratio to the floor (/healthz) and the ratio of the 5,500-moment
parent to the 50-moment parent. Results also go to bench/results/ as JSON.
"""

from __future__ import annotations

import argparse
import datetime
import json
import os
import platform
import shutil
import sys
import time
from pathlib import Path

from . import load
from .client import Visitor
from .server import REPO, Site, measure_on

# What issue 18 asks of each page, every page rendered for its request (ratio to the floor).
_PAGES_TARGET = {"journal": 0.25, "week": 0.25, "month": 0.25, "share": 0.25}
FLOOR_TARGETS = {
    "sqlite": {"content": 0.5, "add": 0.25, **_PAGES_TARGET},
    "postgres": {"content": 0.5, "add": 0.25, **dict.fromkeys(_PAGES_TARGET, 0.2)},
}
DATA_TARGET = 0.9
TAIL_TARGET = 4  # p99 at most 4 times p50, under the bench's load
PAGES = ["journal", "week", "month", "share", "add"]
LABELS = {
    "floor": "floor: /healthz",
    "content": "content page",
    "journal": "journal, first page",
    "week": "week summary",
    "month": "month summary",
    "share": "share page",
    "add": "add a moment (POST)",
}


def log(message: str) -> None:
    print(message, file=sys.stderr, flush=True)


def targets_for(site: Site, seeded: dict, who: str, today: datetime.date) -> dict:
    """The measured pages for one parent, each checked once by hand first."""
    parent = seeded[who]
    cookie = seeded["cookie"]
    sessions = parent["sessions"]
    visitor = Visitor(site.port)
    visitor.cookies[cookie] = sessions[0]
    token = visitor.csrf_token("/nl/journal/new/")
    csrf = {name: value for name, value in visitor.cookies.items() if "csrf" in name}
    last_monday = today - datetime.timedelta(days=today.weekday() + 7)
    reader = Visitor(site.port)
    opened = reader.get(f"/nl/share/t/{parent['share_token']}/")
    assert opened.status == 303, f"share link: {opened.status}"
    share_path = opened.location
    found = {
        "journal": load.Target("journal", "/nl/journal/", cookie_name=cookie, sessions=sessions),
        "week": load.Target(
            "week",
            f"/nl/journal/look-back/{last_monday.isoformat()}/",
            cookie_name=cookie,
            sessions=sessions,
        ),
        "month": load.Target(
            "month",
            f"/nl/journal/look-back/{today.strftime('%Y-%m')}/",
            cookie_name=cookie,
            sessions=sessions,
        ),
        "share": load.Target("share", share_path, cookies=dict(reader.cookies)),
        "add": load.Target(
            "add",
            "/nl/journal/new/",
            expect=303,
            method="POST",
            numbered="what_happened",
            arrives="/nl/journal/#moment-",
            form={
                "csrfmiddlewaretoken": token,
                "what_happened": "We lazen samen een boek en ze lachte om de plaatjes.",
                "kind": "connection",
                "safe": "",
            },
            cookie_name=cookie,
            sessions=sessions,
            cookies=csrf,
        ),
    }
    for target in found.values():
        if target.method == "GET":
            check = Visitor(site.port)
            check.cookies.update(target.cookies)
            if target.sessions:
                check.cookies[cookie] = target.sessions[0]
            answer = check.get(target.path)
            assert answer.status == 200, f"{who} {target.name}: {answer.status} {answer.location}"
    return found


def machine() -> str:
    cpu = platform.processor() or platform.machine()
    try:
        for line in Path("/proc/cpuinfo").read_text().splitlines():
            if line.startswith("model name"):
                cpu = line.split(":", 1)[1].strip()
                break
    except OSError:
        pass
    return f"{os.cpu_count()} cores, {cpu}, Python {platform.python_version()}, {platform.system()}"


def measure(args: argparse.Namespace, database_url: str, root: Path) -> dict:
    site = Site(root, database_url=database_url)
    began = time.monotonic()
    log(f"Preparing a {args.database} site in {root} ...")
    site.prepare()
    seeded = site.data(
        "seed",
        "--parents",
        str(args.parents),
        "--years",
        str(args.years),
        "--per-day",
        str(args.per_day),
        "--small",
        str(args.small),
        "--sessions",
        "50",
    )
    today = datetime.date.fromisoformat(seeded["today"])
    log(
        f"Seeded {seeded['parents']} parents and {seeded['moments']} moments "
        f"(big: {seeded['big']['moments']}, small: {seeded['small']['moments']}) "
        f"in {time.monotonic() - began:.0f} s"
    )
    results: dict = {"rows": {}}
    parents = ("big", "small")
    with site:
        site.start(workers=args.workers, threads=1)
        per_parent = {who: targets_for(site, seeded, who, today) for who in parents}
        plan = [("floor", None, [load.Target("floor", "/healthz")])]
        plan.append(("content", None, [load.Target("content", "/nl/learn/secure-attachment/")]))
        for page in PAGES:  # the POST last: it adds moments
            plan.append((page, parents, [per_parent[w][page] for w in parents]))
        plan.append(("floor", ("end",), [load.Target("floor", "/healthz")]))
        run_plan(plan, site, args, results)
        if "Traceback" in site.log:
            log(site.log[-3000:])
            results["server_errors"] = True
    results.update(
        database=args.database,
        date=datetime.datetime.now().astimezone().isoformat(timespec="minutes"),
        machine=machine(),
        workers=args.workers,
        connections=args.connections,
        seconds=args.seconds,
        tool=next(iter(results["rows"].values()))["tool"],
        parents=seeded["parents"],
        moments=seeded["moments"],
        big=seeded["big"]["moments"],
        small=seeded["small"]["moments"],
        today=seeded["today"],
    )
    if args.portability:  # after the pages: it adds a parent with 5,000 moments
        results["portability"] = json.loads(site.run("-m", "bench.portability"))
    if args.profile:
        results["profile"] = site.run(
            "-m", "bench.profile", "--email", "big@example.org", "--page", args.profile_page
        )
    return results


def run_plan(plan: list, site: Site, args: argparse.Namespace, results: dict) -> None:
    """Load each page of the plan; ``results["rows"]`` gets a row per page (and parent)."""
    for page, who, targets in plan:
        for target in targets:  # warm up
            load.run(target, site.port, seconds=1, connections=args.connections, tool=args.load)
        # The two parents take turns in short slices, so that a busy moment on the machine
        # falls on both alike.
        slices: dict[int, list[load.Result]] = {n: [] for n in range(len(targets))}
        for _round in range(args.rounds):
            for n, target in enumerate(targets):
                slices[n].append(
                    load.run(
                        target,
                        site.port,
                        seconds=args.seconds / args.rounds,
                        connections=args.connections,
                        tool=args.load,
                    )
                )
        for n in slices:
            result = load.combine(slices[n])
            key = page if who is None else f"{page}:{who[n]}"
            results["rows"][key] = result.__dict__ | {"rps": result.rps}
            log(f"  {key:<18} {result.rps:8.1f} req/s  p50 {result.p50_ms:6.1f} ms")


def table(results: dict) -> str:
    rows = results["rows"]
    floor = (rows["floor"]["rps"] + rows["floor:end"]["rps"]) / 2
    lines = [
        f"Hechting bench · {results['database']} · {results['date']} · {results['machine']}",
        f"gunicorn {results['workers']} sync workers · {results['connections']} connections · "
        f"{results['seconds']:g} s a page · load by {results['tool']} · {results['parents']} "
        f"parents, {results['moments']} moments (big: {results['big']}, small: "
        f"{results['small']})",
        "",
        f"{'page':<22}{'parent':>7}{'req/s':>9}{'p50 ms':>9}{'p99 ms':>9}{'errors':>8}"
        f"{'/floor':>9}{'target':>8}{'big/small':>11}{'target':>8}{'p99/p50':>9}",
    ]
    lines.append("-" * len(lines[-1]))

    def line(page: str, who: str, label: str = "") -> None:
        row = rows[page if not who else f"{page}:{who}"]
        ratio = row["rps"] / floor
        target = FLOOR_TARGETS[results["database"]].get(page)
        data = ""
        if who == "big":
            small = rows[f"{page}:small"]["rps"]
            data = f"{row['rps'] / small:.2f}" if small else "-"
        lines.append(
            f"{label or LABELS[page]:<22}{who or '-':>7}{row['rps']:>9.1f}{row['p50_ms']:>9.1f}"
            f"{row['p99_ms']:>9.1f}{row['errors']:>8}{ratio:>9.2f}"
            f"{(f'>= {target}' if target and who != 'small' else ''):>8}{data:>11}"
            f"{(f'>= {DATA_TARGET}' if who == 'big' else ''):>8}"
            f"{row['p99_ms'] / row['p50_ms'] if row['p50_ms'] else 0:>9.1f}"
        )

    line("floor", "", "floor: /healthz")
    line("content", "")
    for page in PAGES:
        line(page, "big")
        line(page, "small")
    line("floor", "end", "floor again, at end")
    lines.append("")
    lines.append(f"floor used for the ratios: {floor:.1f} req/s (mean of start and end)")
    lines.append(f"p99/p50: the target is at most {TAIL_TARGET} on every page")
    return "\n".join(lines)


def main(argv: list[str] | None = None) -> int:
    argv = sys.argv[1:] if argv is None else argv
    if "--capacity" in argv:  # make bench BENCH_ARGS="--capacity ...": see bench/capacity.py
        from . import capacity

        return capacity.main([arg for arg in argv if arg != "--capacity"])
    parser = argparse.ArgumentParser(prog="python -m bench.run", description=__doc__.split("\n")[0])
    parser.add_argument("--database", choices=["sqlite", "postgres"], default="sqlite")
    parser.add_argument("--seconds", type=float, default=6, help="per page and parent")
    parser.add_argument("--rounds", type=int, default=3, help="slices the seconds are cut in")
    parser.add_argument("--workers", type=int, default=2)
    parser.add_argument("--connections", type=int, default=4, help="2 per worker by default")
    parser.add_argument("--parents", type=int, default=1000)
    parser.add_argument("--years", type=int, default=5)
    parser.add_argument("--per-day", type=int, default=3)
    parser.add_argument("--small", type=int, default=50)
    parser.add_argument("--load", choices=["auto", "wrk", "python"], default="auto")
    parser.add_argument("--profile", action="store_true", help="profile a page with cProfile")
    parser.add_argument("--profile-page", default="month")
    parser.add_argument(
        "--portability", action="store_true", help="and export 5,500 / import 5,000 moments"
    )
    parser.add_argument(
        "--postgres",
        default=os.environ.get("BENCH_POSTGRES_URL", "postgres://postgres@127.0.0.1:5432/postgres"),
        help="a PostgreSQL server where the bench may create and drop --postgres-name",
    )
    parser.add_argument("--postgres-name", default="hechting_bench")
    args = parser.parse_args(argv)
    if args.load == "wrk" and not shutil.which("wrk"):
        parser.error("wrk is not installed (apt-get install wrk), or use --load python")
    results = measure_on(args, measure, "hechting-bench-")
    report = table(results)
    print(report)
    if results.get("portability"):
        print("\nExport and import (bench/portability.py):")
        print(json.dumps(results["portability"], indent=2))
    if results.get("profile"):
        print("\n" + results["profile"])
    out = REPO / "bench" / "results"
    out.mkdir(exist_ok=True)
    stamp = results["date"][:16].replace(":", "")
    (out / f"{args.database}-{stamp}.json").write_text(json.dumps(results, indent=2))
    (out / f"{args.database}-{stamp}.txt").write_text(report + "\n")
    return 1 if results.get("server_errors") else 0


if __name__ == "__main__":
    sys.exit(main())
