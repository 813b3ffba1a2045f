"""The app behind a real gunicorn started from docker/gunicorn.conf.py: what only the process
boundary shows. Its logs hold no client address, token or search words; a long search reaches
the app and is answered in the visitor's language; a body over the upload limit gets our 413
page instead of a reset connection."""

import http.client
import socket
import time
from urllib.parse import urlencode

import pytest

from bench.client import Visitor
from bench.server import Site
from reflect.sharing.tokens import new_token


@pytest.fixture(scope="module")
def site(collected_static, tmp_path_factory):
    with Site(tmp_path_factory.mktemp("gunicorn"), static_root=collected_static) as server:
        # The access log is off in the container; switched on here, it must be clean too.
        server.env["GUNICORN_CMD_ARGS"] = "--access-logfile -"
        server.prepare()
        server.start(workers=1)
        yield server


def wait_for_log(site: Site, marker: str, seconds: float = 20) -> str:
    """The log once ``marker`` is in it (gunicorn writes after it answered)."""
    deadline = time.monotonic() + seconds
    while marker not in site.log:
        if time.monotonic() > deadline:
            pytest.fail(f"{marker!r} never reached the log:\n{site.log[-2000:]}")
        time.sleep(0.05)
    return site.log


def raw_request(site: Site, data: bytes) -> bytes:
    with socket.create_connection(("127.0.0.1", site.port), timeout=10) as connection:
        connection.sendall(data)
        answer = b""
        while chunk := connection.recv(65536):
            answer += chunk
    return answer


def test_gunicorns_logs_hold_no_client_address_token_or_search(site):
    token = new_token()
    malformed = f"GET /nl/share/t/{token}/?q=onzeGeheimeWoorden HTTP/1.1 extra\r\n\r\n"
    assert raw_request(site, malformed.encode()).startswith(b"HTTP/1.1 400")
    second = new_token()
    visitor = Visitor(site.port)
    visitor.get(f"/nl/share/t/{second}/?q=nogMeerWoorden")
    visitor.get("/nl/journal/?q=zeeWoorden&marker=done")
    visitor.close()

    log = wait_for_log(site, "/nl/journal/?")
    assert "Invalid request from ip=[ip]" in log  # the error log did write the malformed line
    for secret in (token, second, "onzeGeheimeWoorden", "nogMeerWoorden", "zeeWoorden"):
        assert secret not in log
    assert "127.0.0.1" not in log


def test_a_5000_character_search_is_answered_by_the_app_in_dutch(site):
    made = site.data("sessions", "long-search@example.org")
    visitor = Visitor(site.port)
    visitor.cookies[made["cookie"]] = made["sessions"]["long-search@example.org"][0]
    response = visitor.get("/nl/journal/?" + urlencode({"q": "zee " * 1250}))
    visitor.close()
    assert response.status == 200
    assert "hoogstens 200 tekens" in response.body


@pytest.mark.parametrize("size", [3_000_000, 30_000_000])
def test_a_body_over_the_upload_limit_gets_our_413_page_not_a_reset(site, size):
    visitor = Visitor(site.port)
    csrf = visitor.csrf_token("/nl/accounts/login/")
    form = {"csrfmiddlewaretoken": csrf, "login": "a@example.org", "password": "x" * size}
    body = urlencode(form)
    headers = visitor.headers() | {
        "Content-Type": "application/x-www-form-urlencoded",
        "Origin": visitor.origin,
    }
    connection = http.client.HTTPConnection("127.0.0.1", site.port, timeout=60)
    try:
        connection.request("POST", "/nl/accounts/login/", body=body.encode(), headers=headers)
        response = connection.getresponse()
        page = response.read().decode()
    finally:
        connection.close()
        visitor.close()
    assert response.status == 413
    assert "Dat was te veel om in één keer te versturen" in page
