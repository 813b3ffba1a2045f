"""Deny by default, and the same strict headers on every kind of response."""

import pytest
from django.test import Client

from tests.urlwalk import all_routes

pytestmark = pytest.mark.django_db

# Every view that may be opened without logging in. Anything else must send visitors to log in.
PUBLIC_VIEWS = {
    "healthz",
    "robots_txt",
    "security_txt",
    "set_language",
    "home",
    "privacy",
    "quick_exit",  # "leave quickly": ends a visit, signed in or not
    "admin:login",
    "account_login",
    "account_logout",
    "account_signup",
    "account_inactive",
    "account_email_verification_sent",
    "account_confirm_email",
    "account_confirm_login_code",
    "account_reset_password",
    "account_reset_password_done",
    "account_reset_password_from_key",
    "account_reset_password_from_key_done",
    "mfa_authenticate",  # the second step of logging in, before the session is signed in
    "learn:index",
    "learn:help",
    "learn:page",
    # Sharing: a token address, and what it opens (checked against the session's grant).
    "sharing:link_open",
    "sharing:link_view",
    "sharing:invitation_open",
    "sharing:invitation_welcome",
    "sharing:counsellors",
    # Co-parents: the invitation's token address, and what it opens (the session's grant).
    "coparents:invitation_open",
    "coparents:invitation_answer",
    "yourdata:deleted",  # the goodbye after deleting an account (the session is gone by then)
}

CSP = (
    "default-src 'none'; script-src 'self'; style-src 'self'; img-src 'self' data:; "
    "font-src 'self'; connect-src 'self'; manifest-src 'self'; form-action 'self'; "
    "frame-ancestors 'none'; base-uri 'none'"
)


def test_the_public_views_are_exactly_the_allowlist():
    public = {route.name for route in all_routes() if route.is_public}
    assert public == PUBLIC_VIEWS


def test_the_admin_login_goes_through_the_rate_limited_account_login(client):
    response = client.get("/admin/login/?next=/admin/")
    assert response.status_code == 302
    assert response["Location"] == "/nl/accounts/login/?next=%2Fadmin%2F"


def test_the_url_walk_finds_the_whole_site():
    names = {route.name for route in all_routes()}
    assert {"home", "account", "reflect:journal", "learn:index", "admin:index"} <= names


@pytest.mark.parametrize(
    "route",
    [r for r in all_routes() if not r.is_public and r.path],
    ids=lambda r: r.name,
)
def test_an_anonymous_visitor_of_a_private_page_is_sent_to_log_in(client, route):
    response = client.get(route.path)
    if route.name == "reflect:draft":  # asked by journal.js: 401, never the log-in page
        assert response.status_code == 401
        return
    assert response.status_code == 302
    assert response["Location"].startswith(("/nl/accounts/login/?next=", "/admin/login/?next="))


def _assert_strict_headers(response):
    assert response["Content-Security-Policy"] == CSP
    assert "unsafe" not in response["Content-Security-Policy"]
    assert response["Strict-Transport-Security"].startswith("max-age=31536000")
    assert response["X-Content-Type-Options"] == "nosniff"
    assert response["Referrer-Policy"] == "same-origin"
    assert response["Cross-Origin-Opener-Policy"] == "same-origin"
    assert response["Cross-Origin-Resource-Policy"] == "same-origin"
    assert response["X-Frame-Options"] == "DENY"
    assert "camera=()" in response["Permissions-Policy"]
    assert "geolocation=()" in response["Permissions-Policy"]
    assert "microphone=()" in response["Permissions-Policy"]


def test_a_normal_page_has_every_security_header(client):
    response = client.get("/nl/")
    assert response.status_code == 200
    _assert_strict_headers(response)


def test_a_missing_page_has_every_security_header(client):
    response = client.get("/nl/does-not-exist/")
    assert response.status_code == 404
    _assert_strict_headers(response)


def test_an_htmx_fragment_has_every_security_header(parent_client):
    response = parent_client.get("/nl/journal/", headers={"HX-Request": "true"})
    assert response.status_code == 200
    _assert_strict_headers(response)
    assert "no-store" in response["Cache-Control"]


def test_pages_for_a_signed_in_parent_are_never_stored(parent_client):
    response = parent_client.get("/nl/account/")
    assert response.status_code == 200
    assert "no-store" in response["Cache-Control"]
    assert "private" in response["Cache-Control"]


def test_public_pages_for_visitors_may_be_cached(client):
    response = client.get("/nl/privacy/")
    assert "no-store" not in response.get("Cache-Control", "")


def test_plain_http_is_sent_to_https():
    response = Client().get("/nl/")
    assert response.status_code == 301
    assert response["Location"] == "https://testserver/nl/"


def test_cookies_are_host_only_secure_httponly_and_lax(client, parent, password):
    client.get("/nl/accounts/login/")
    response = client.post("/nl/accounts/login/", {"login": parent.email, "password": password})
    assert response.status_code == 302
    session = response.cookies["__Host-sessionid"]
    assert session["secure"] is True
    assert session["httponly"] is True
    assert session["samesite"] == "Lax"
    assert session["path"] == "/"
    assert not session["domain"]
    csrf = client.cookies["__Host-csrftoken"]
    assert csrf["secure"] is True
    assert csrf["samesite"] == "Lax"


def test_forms_without_a_csrf_token_are_refused_kindly(parent):
    client = Client(enforce_csrf_checks=True)
    response = client.post("/nl/accounts/login/", {"login": parent.email}, secure=True)
    assert response.status_code == 403
    assert "Dit formulier is verlopen" in response.text


def test_the_page_loads_nothing_from_other_sites(client):
    html = client.get("/nl/").text
    for attribute in ('src="http', "src='http", 'href="http', "href='http", 'src="//', 'href="//'):
        assert attribute not in html


def test_htmx_is_configured_for_the_strict_policy(client):
    import json
    import re

    html = client.get("/nl/").text
    config = json.loads(re.search(r"<meta name=\"htmx-config\" content='([^']+)'>", html).group(1))
    assert config["includeIndicatorStyles"] is False
    assert config["allowEval"] is False
    assert config["allowScriptTags"] is False
    assert config["historyCacheSize"] == 0
    assert config["selfRequestsOnly"] is True
    assert "/static/django_htmx/htmx-2.min." in html
    assert "<script>" not in html
    assert " style=" not in html
