"""Load from a second process: wrk (Debian's package) when installed, else Python threads.

Both keep ``connections`` open to the server for ``seconds`` and report requests per second,
the 50th and 99th percentile latency, and every answer that was not the expected status.
"""

from __future__ import annotations

import http.client
import re
import secrets
import shutil
import subprocess
import tempfile
import threading
import time
from dataclasses import dataclass, field
from pathlib import Path
from urllib.parse import urlencode

MAX_REQUESTS_PER_CONNECTION = 200_000  # a bound on the Python loop besides its time


@dataclass
class Target:
    """One page to load: the same request again and again, rotating through ``sessions``."""

    name: str
    path: str
    expect: int = 200
    method: str = "GET"
    form: dict | None = None
    cookie_name: str = ""
    sessions: list[str] = field(default_factory=list)
    cookies: dict[str, str] = field(default_factory=dict)  # sent with every request
    # A form field whose value gets " <run>-<thread>-<n>" added on each request, so that every
    # post is a new moment: the journal keeps the same words of the same day once (a form sent
    # again after going back), and would answer each repeat from the moment already saved.
    numbered: str = ""
    arrives: str = ""  # a part every answer's Location must hold (where a new moment lands)

    def body(self) -> str:
        """The form, urlencoded, with the numbered field last (a request appends its number)."""
        if self.form is None:
            return ""
        rest = {k: v for k, v in self.form.items() if k != self.numbered}
        last = {self.numbered: self.form[self.numbered]} if self.numbered else {}
        return "&".join(part for part in (urlencode(rest), urlencode(last)) if part)

    def cookie(self, n: int) -> str:
        parts = [f"{k}={v}" for k, v in self.cookies.items()]
        if self.sessions:
            parts.append(f"{self.cookie_name}={self.sessions[n % len(self.sessions)]}")
        return "; ".join(parts)


@dataclass
class Result:
    requests: int
    seconds: float
    p50_ms: float
    p99_ms: float
    errors: int
    tool: str

    @property
    def rps(self) -> float:
        return self.requests / self.seconds if self.seconds else 0.0


def combine(slices: list[Result]) -> Result:
    """Slices of one run as one: requests over seconds; p50 weighted by requests; worst p99."""
    requests = sum(one.requests for one in slices)
    return Result(
        requests=requests,
        seconds=sum(one.seconds for one in slices),
        p50_ms=sum(one.p50_ms * one.requests for one in slices) / max(requests, 1),
        p99_ms=max(one.p99_ms for one in slices),
        errors=sum(one.errors for one in slices),
        tool=slices[0].tool,
    )


def headers(target: Target, port: int) -> dict[str, str]:
    found = {"Host": f"127.0.0.1:{port}", "X-Forwarded-Proto": "https", "Accept-Language": "nl"}
    if target.form is not None:
        found["Content-Type"] = "application/x-www-form-urlencoded"
        found["Origin"] = f"https://127.0.0.1:{port}"
    return found


def run(target: Target, port: int, *, seconds: float, connections: int, tool: str) -> Result:
    if tool == "wrk" or (tool == "auto" and shutil.which("wrk")):
        return run_wrk(target, port, seconds=seconds, connections=connections)
    return run_python(target, port, seconds=seconds, connections=connections)


# --- wrk ----------------------------------------------------------------------------------------


def _lua(text: str) -> str:
    level = "=" * 4
    assert f"]{level}]" not in text
    return f"[{level}[{text}]{level}]"


def _wrk_script(target: Target, port: int) -> str:
    fixed = "".join(f"  h[ {_lua(k)} ] = {_lua(v)}\n" for k, v in headers(target, port).items())
    extra = "; ".join(f"{k}={v}" for k, v in target.cookies.items())
    sessions = ", ".join(_lua(s) for s in target.sessions)
    numbered = "true" if target.numbered else "false"
    return f"""
local sessions = {{{sessions}}}
local numbered = {numbered}
local run = {_lua(secrets.token_hex(4))}
local arrives = {_lua(target.arrives)}
local extra = {_lua(extra)}
local cookie_name = {_lua(target.cookie_name)}
local body = {_lua(target.body())}
local threads = {{}}
local n = 0

function setup(thread)
  table.insert(threads, thread)
  thread:set("id", #threads)
end

function init(args)
  unexpected = 0
end

function request()
  n = n + 1
  local h = {{}}
{fixed}  local cookie = extra
  if #sessions > 0 then
    local session = cookie_name .. "=" .. sessions[(n % #sessions) + 1]
    if cookie ~= "" then cookie = cookie .. "; " .. session else cookie = session end
  end
  if cookie ~= "" then h["Cookie"] = cookie end
  if body ~= "" then
    local sent = body
    if numbered then sent = body .. "+" .. run .. "-" .. id .. "-" .. n end
    return wrk.format({_lua(target.method)}, {_lua(target.path)}, h, sent)
  end
  return wrk.format({_lua(target.method)}, {_lua(target.path)}, h)
end

function response(status, headers, body)
  if status ~= {target.expect} then
    unexpected = unexpected + 1
  elseif arrives ~= "" and not string.find(headers["Location"] or "", arrives, 1, true) then
    unexpected = unexpected + 1
  end
end

function done(summary, latency, requests)
  local total = 0
  for _, thread in ipairs(threads) do
    total = total + thread:get("unexpected")
  end
  io.write(string.format("unexpected %d\\n", total))
  io.write(string.format("p50us %d\\n", latency:percentile(50)))
  io.write(string.format("p99us %d\\n", latency:percentile(99)))
end
"""


def run_wrk(target: Target, port: int, *, seconds: float, connections: int) -> Result:
    with tempfile.NamedTemporaryFile("w", suffix=".lua", delete=False) as script:
        script.write(_wrk_script(target, port))
    try:
        output = subprocess.run(  # noqa: S603
            [  # noqa: S607 (wrk from PATH, a documented prerequisite)
                "wrk",
                f"-t{min(2, connections)}",
                f"-c{connections}",
                f"-d{seconds:g}s",
                "--timeout",
                "10s",
                "-s",
                script.name,
                f"http://127.0.0.1:{port}",
            ],
            capture_output=True,
            text=True,
            timeout=seconds + 60,
            check=True,
        ).stdout
    finally:
        Path(script.name).unlink()
    done = re.search(r"(\d+) requests in ([\d.]+)(m?s)", output)
    if not done:
        raise RuntimeError(f"wrk said:\n{output}")
    elapsed = float(done.group(2)) / (1000 if done.group(3) == "ms" else 1)
    socket_errors = re.search(
        r"Socket errors: connect (\d+), read (\d+), write (\d+), timeout (\d+)", output
    )
    errors = int(re.search(r"unexpected (\d+)", output).group(1))
    if socket_errors:
        errors += sum(int(n) for n in socket_errors.groups())
    return Result(
        requests=int(done.group(1)),
        seconds=elapsed,
        p50_ms=int(re.search(r"p50us (\d+)", output).group(1)) / 1000,
        p99_ms=int(re.search(r"p99us (\d+)", output).group(1)) / 1000,
        errors=errors,
        tool="wrk",
    )


# --- Python threads (when wrk is not installed) -------------------------------------------------


def run_python(target: Target, port: int, *, seconds: float, connections: int) -> Result:
    latencies: list[list[float]] = [[] for _ in range(connections)]
    errors = [0] * connections
    counter = iter(range(10**12))
    lock = threading.Lock()
    deadline = time.monotonic() + seconds

    def worker(slot: int) -> None:
        connection = http.client.HTTPConnection("127.0.0.1", port, timeout=10)
        fixed = headers(target, port)
        body = target.body() or None
        run = secrets.token_hex(4)
        for _ in range(MAX_REQUESTS_PER_CONNECTION):
            if time.monotonic() >= deadline:
                break
            with lock:
                n = next(counter)
            request_headers = dict(fixed)
            cookie = target.cookie(n)
            if cookie:
                request_headers["Cookie"] = cookie
            sent = f"{body}+{run}-{slot}-{n}" if body and target.numbered else body
            began = time.perf_counter()
            try:
                connection.request(target.method, target.path, body=sent, headers=request_headers)
                answer = connection.getresponse()
                answer.read()
                where = answer.getheader("Location") or ""
                if answer.status != target.expect or target.arrives not in where:
                    errors[slot] += 1
            except (OSError, http.client.HTTPException):
                errors[slot] += 1
                connection.close()
            latencies[slot].append(time.perf_counter() - began)
        connection.close()

    began = time.monotonic()
    threads = [threading.Thread(target=worker, args=(slot,)) for slot in range(connections)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join(timeout=seconds + 30)
    elapsed = time.monotonic() - began
    every = sorted(latency for slot in latencies for latency in slot)
    if not every:
        raise RuntimeError(f"{target.name}: no request finished")

    def percentile(p: float) -> float:
        return every[min(len(every) - 1, int(len(every) * p / 100))] * 1000

    return Result(
        requests=len(every),
        seconds=elapsed,
        p50_ms=percentile(50),
        p99_ms=percentile(99),
        errors=sum(errors),
        tool="python",
    )
