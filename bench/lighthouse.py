"""Lighthouse 12.8.2 (mobile) on the home page, a learn page, the journal and a month summary.

    npm install --prefix bench/lighthouse      # once: Lighthouse into bench/lighthouse/
    python -m bench.lighthouse                 # CHROME_PATH defaults to /usr/bin/chromium

Serves a seeded SQLite site with gunicorn as the bench does, but with HTTPS=0: Lighthouse cannot
add X-Forwarded-Proto to every request, and the production redirect to https would otherwise
send it away. The journal and summary are read with a signed-in session (``--extra-headers``).
Prints the four scores per page; the JSON reports go to bench/results/lighthouse/.
"""

from __future__ import annotations

import datetime
import json
import os
import shutil
import subprocess
import sys
import tempfile
from pathlib import Path

from .server import REPO, Site

LIGHTHOUSE = REPO / "bench" / "lighthouse" / "node_modules" / ".bin" / "lighthouse"
CATEGORIES = ["performance", "accessibility", "best-practices", "seo"]
CHROME_FLAGS = (
    "--headless=new --no-sandbox --disable-gpu --disable-quic --no-first-run "
    "--disable-background-networking --disable-component-update --disable-sync"
)


def audit(url: str, out: Path, cookie: str = "") -> dict:
    command = [
        str(LIGHTHOUSE),
        url,
        f"--only-categories={','.join(CATEGORIES)}",
        "--output=json",
        f"--output-path={out}",
        f"--chrome-flags={CHROME_FLAGS}",
        "--quiet",
    ]
    if cookie:
        command.append("--extra-headers=" + json.dumps({"Cookie": cookie}))
    env = dict(os.environ, CHROME_PATH=os.environ.get("CHROME_PATH", "/usr/bin/chromium"))
    subprocess.run(command, env=env, check=True, timeout=240)  # noqa: S603
    report = json.loads(out.read_text())
    scores = {key: round(report["categories"][key]["score"] * 100) for key in CATEGORIES}
    failing = [
        f"{audit_id}: {result['title']}"
        for audit_id, result in report["audits"].items()
        if result.get("score") is not None
        and result["score"] < 1
        and result.get("scoreDisplayMode") in {"binary", "numeric"}
        and any(
            ref["id"] == audit_id
            for key in CATEGORIES[1:]
            for ref in report["categories"][key]["auditRefs"]
            if ref.get("weight", 0) > 0
        )
    ]
    return {"scores": scores, "failing": failing}


def main() -> int:
    if not LIGHTHOUSE.exists():
        print("Install Lighthouse first: npm install --prefix bench/lighthouse", file=sys.stderr)
        return 2
    root = Path(tempfile.mkdtemp(prefix="hechting-lighthouse-"))
    out = REPO / "bench" / "results" / "lighthouse"
    out.mkdir(parents=True, exist_ok=True)
    results = {}
    try:
        site = Site(root, https=False)
        site.prepare()
        seeded = site.data("seed", "--parents", "3", "--years", "1", "--sessions", "1")
        cookie = f"{seeded['cookie']}={seeded['big']['sessions'][0]}"
        month = datetime.date.fromisoformat(seeded["today"]).strftime("%Y-%m")
        pages = {
            "home": ("/nl/", ""),
            "content page": ("/nl/learn/secure-attachment/", ""),
            "journal": ("/nl/journal/", cookie),
            "month summary": (f"/nl/journal/look-back/{month}/", cookie),
        }
        with site:
            site.start(workers=2, threads=1)
            for name, (path, page_cookie) in pages.items():
                url = f"http://127.0.0.1:{site.port}{path}"
                results[name] = audit(url, out / f"{name.replace(' ', '-')}.json", page_cookie)
                print(f"{name:<15} {results[name]['scores']}", flush=True)
                for line in results[name]["failing"]:
                    print(f"    below 100: {line}", flush=True)
    finally:
        shutil.rmtree(root, ignore_errors=True)
    (out / "summary.json").write_text(json.dumps(results, indent=2))
    return 0


if __name__ == "__main__":
    sys.exit(main())
