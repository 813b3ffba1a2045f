"""The container's health check: GET /healthz must answer 200 {"status": "ok", ...}.
Standard library only.

The request carries the first ALLOWED_HOSTS entry as its Host header, because Django refuses
other hosts. /healthz is exempt from the redirect to https, so plain http inside the container
is fine.
"""

import http.client
import json
import os
import sys


def probe_host() -> str:
    for host in os.environ.get("ALLOWED_HOSTS", "localhost").split(","):
        host = host.strip()
        if host and host != "*":
            return host.lstrip(".")  # ".example.org" allows example.org itself too
    return "localhost"


def main() -> int:
    port = int(os.environ.get("PORT", "8000"))
    connection = http.client.HTTPConnection("127.0.0.1", port, timeout=5)
    try:
        connection.request("GET", "/healthz", headers={"Host": probe_host()})
        response = connection.getresponse()
        body = response.read(200)
    except OSError as exc:
        print(f"unhealthy: {exc}", file=sys.stderr)
        return 1
    finally:
        connection.close()
    try:
        status = json.loads(body).get("status")
    except (ValueError, AttributeError):
        status = None
    if response.status != 200 or status != "ok":
        print(f"unhealthy: HTTP {response.status} {body[:40]!r}", file=sys.stderr)
        return 1
    return 0


if __name__ == "__main__":
    sys.exit(main())
