"""The bench's report (bench/run.py): every page against the floor and big against small."""

from bench.run import PAGES, table


def row(rps: float) -> dict:
    return {"rps": rps, "p50_ms": 1.0, "p99_ms": 2.0, "errors": 0}


def results_of(rows: dict, database: str) -> dict:
    """A bench run's results around these rows, as bench/run.py gathers them."""
    return {
        "rows": rows,
        "database": database,
        "date": "2026-12-01T02:38+00:00",
        "machine": "2 cores",
        "workers": 2,
        "connections": 4,
        "seconds": 6,
        "tool": "wrk",
        "parents": 1000,
        "moments": 25485,
        "big": 5475,
        "small": 50,
    }


def test_the_report_holds_every_page_with_its_ratios():
    rows = {"floor": row(1000), "floor:end": row(1000), "content": row(600)}
    for page in PAGES:
        rows[f"{page}:big"], rows[f"{page}:small"] = row(300), row(400)
    report = table(results_of(rows, "sqlite")).splitlines()
    journal = next(
        line for line in report if line.startswith("journal, first page") and "big" in line
    )
    assert journal.split()[-7:] == ["0.30", ">=", "0.25", "0.75", ">=", "0.9", "2.0"]
    # req/s, p50, p99, errors, ratio to the floor, big against small and its target
    assert journal.split()[4:] == [
        "300.0",
        "1.0",
        "2.0",
        "0",
        "0.30",
        ">=",
        "0.25",
        "0.75",
        ">=",
        "0.9",
        "2.0",
    ]
    small = next(
        line for line in report if line.startswith("journal, first page") and "small" in line
    )
    assert small.split()[-3:] == ["0", "0.40", "2.0"]  # the small parent: no ratio of its own
    assert not any("cold" in line for line in report)
    assert report[-2] == "floor used for the ratios: 1000.0 req/s (mean of start and end)"


def test_postgresql_has_its_own_page_targets():
    rows = {"floor": row(1000), "floor:end": row(1000), "content": row(600)}
    for page in PAGES:
        rows[f"{page}:big"], rows[f"{page}:small"] = row(300), row(300)
    report = table(results_of(rows, "postgres")).splitlines()
    share = next(line for line in report if line.startswith("share page") and "big" in line)
    adding = next(line for line in report if line.startswith("add a moment") and "big" in line)
    assert share.split()[-7:-4] == ["0.30", ">=", "0.2"]
    assert adding.split()[-7:-4] == ["0.30", ">=", "0.25"]
