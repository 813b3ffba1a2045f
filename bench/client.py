"""A small HTTP visitor for the bench and the concurrency test: cookies, CSRF and https.

The server runs behind no proxy, so every request says ``X-Forwarded-Proto: https`` (the
settings trust it with BEHIND_PROXY=1) and form posts carry the Origin a browser would send.
"""

from __future__ import annotations

import http.client
import re
from dataclasses import dataclass
from urllib.parse import urlencode

CSRF_INPUT = re.compile(r'name="csrfmiddlewaretoken" value="([^"]+)"')


@dataclass
class Response:
    status: int
    headers: http.client.HTTPMessage
    body: str

    @property
    def location(self) -> str:
        return self.headers.get("Location", "")


class Visitor:
    """One browser: one keep-alive connection and its cookies. Not shared between threads."""

    def __init__(self, port: int, *, https: bool = True, timeout: float = 60):
        self.port = port
        self.https = https
        self.cookies: dict[str, str] = {}
        self.connection = http.client.HTTPConnection("127.0.0.1", port, timeout=timeout)

    @property
    def origin(self) -> str:
        return f"{'https' if self.https else 'http'}://127.0.0.1:{self.port}"

    def headers(self) -> dict[str, str]:
        headers = {"Host": f"127.0.0.1:{self.port}", "Accept-Language": "nl"}
        if self.https:
            headers["X-Forwarded-Proto"] = "https"
        if self.cookies:
            headers["Cookie"] = "; ".join(f"{k}={v}" for k, v in self.cookies.items())
        return headers

    def request(self, method: str, path: str, form: dict | None = None) -> Response:
        headers = self.headers()
        body = None
        if form is not None:
            body = urlencode(form, doseq=True)
            headers["Content-Type"] = "application/x-www-form-urlencoded"
            headers["Origin"] = self.origin
        self.connection.request(method, path, body=body, headers=headers)
        answer = self.connection.getresponse()
        text = answer.read().decode("utf-8", errors="replace")
        self._keep_cookies(answer.headers)
        return Response(answer.status, answer.headers, text)

    def get(self, path: str) -> Response:
        return self.request("GET", path)

    def post(self, path: str, form: dict) -> Response:
        return self.request("POST", path, form)

    def csrf_token(self, path: str) -> str:
        """Open a page with a form and return its CSRF token (the cookie comes along)."""
        page = self.get(path)
        match = CSRF_INPUT.search(page.body)
        if page.status != 200 or not match:
            raise RuntimeError(f"GET {path}: {page.status}, no CSRF token on the page")
        return match.group(1)

    def _keep_cookies(self, headers: http.client.HTTPMessage) -> None:
        for line in headers.get_all("Set-Cookie") or []:
            pair, _, attributes = line.partition(";")
            name, _, value = pair.strip().partition("=")
            if "max-age=0" in attributes.lower().replace(" ", "") or value in {"", '""'}:
                self.cookies.pop(name, None)
            else:
                self.cookies[name] = value

    def close(self) -> None:
        self.connection.close()
