"""Health check, error pages, logging and the static budget."""

import logging
from pathlib import Path

import pytest
from django.conf import settings
from django.db import DatabaseError
from django.test import Client, RequestFactory
from django.utils import translation
from django.views import defaults

ROOT = Path(__file__).resolve().parent.parent


@pytest.mark.django_db
def test_the_health_check_says_ok_and_the_version_over_plain_http_without_details():
    response = Client().get("/healthz")
    assert response.status_code == 200
    assert response["Content-Type"] == "application/json"
    assert response.json() == {"status": "ok", "version": settings.VERSION}
    assert "no-cache" in response["Cache-Control"]


@pytest.mark.django_db
def test_the_health_check_reports_a_broken_database_without_details(monkeypatch, caplog):
    def broken_cursor(*args, **kwargs):
        raise DatabaseError("connection refused to secret-host:5432")

    monkeypatch.setattr("hechting.views.connection.cursor", broken_cursor)
    with caplog.at_level(logging.ERROR):
        response = Client().get("/healthz")
    assert response.status_code == 503
    assert response.json() == {"status": "unavailable", "version": settings.VERSION}
    assert "secret-host" not in response.text


@pytest.mark.django_db
def test_the_health_check_only_answers_get():
    assert Client().post("/healthz").status_code == 405


@pytest.mark.django_db
def test_robots_may_read_the_learn_pages_but_not_the_journal():
    text = Client().get("/robots.txt", secure=True).text
    assert "Disallow: /nl/journal/" in text
    assert "Disallow: /nl/learn/" not in text


@pytest.mark.parametrize(
    ("view", "args", "status", "dutch", "english"),
    [
        (
            defaults.bad_request,
            (Exception(),),
            400,
            "Er ging iets mis met het verzoek",
            "Something was wrong with the request",
        ),
        (
            defaults.permission_denied,
            (Exception(),),
            403,
            "Deze pagina kun je niet openen",
            "You cannot open this page",
        ),
        (defaults.page_not_found, (Exception(),), 404, "Pagina niet gevonden", "Page not found"),
        (defaults.server_error, (), 500, "Er ging iets mis", "Something went wrong"),
    ],
)
@pytest.mark.django_db
def test_error_pages_speak_both_languages_without_stack_traces(view, args, status, dutch, english):
    for language, text in (("nl", dutch), ("en", english)):
        request = RequestFactory().get(f"/{language}/somewhere/")
        request.user = __import__("django.contrib.auth.models", fromlist=["x"]).AnonymousUser()
        with translation.override(language):
            response = view(request, *args)
        html = response.content.decode()
        assert response.status_code == status
        assert text in html
        assert f'lang="{language}"' in html
        assert "Traceback" not in html
        assert 'href="/static/css/hechting.' in html


@pytest.mark.django_db
@pytest.mark.urls("tests.crash_urls")
def test_a_crash_shows_our_calm_page_and_is_logged(client, caplog):
    client.raise_request_exception = False
    with caplog.at_level(logging.ERROR, logger="django.request"):
        response = client.get("/crash/")
    assert response.status_code == 500
    assert "Er ging iets mis" in response.text
    assert "boom" not in response.text
    assert any(record.status_code == 500 for record in caplog.records)


def test_logs_go_to_stdout():
    handler = settings.LOGGING["handlers"]["stdout"]
    assert handler["stream"] == "ext://sys.stdout"


def test_the_css_stays_under_30_kb_and_the_scripts_stay_tiny():
    css = sum(p.stat().st_size for p in (ROOT / "static").rglob("*.css"))
    # 30 KB for every area together (a page loads the site's and its own area's): the learn
    # pages' drawings in dark mode and print, and the repair card, came with issue 17.
    assert css < 30 * 1024
    scripts = sum(p.stat().st_size for p in (ROOT / "static").rglob("*.js"))
    # 16 KB: drafts go to the server and quick exit ends the login (a shared phone, issue 14);
    # a counter near a text's limit, so nothing is cut without a word (issue 21).
    assert scripts < 16 * 1024


def test_the_home_screen_icons_and_manifest_exist():
    import json

    manifest = json.loads((ROOT / "static/manifest.webmanifest").read_text())
    assert manifest["start_url"] == "/"
    for icon in manifest["icons"]:
        assert (ROOT / "static" / icon["src"]).exists()


@pytest.mark.django_db
def test_every_page_links_the_manifest_and_no_service_worker(client):
    html = client.get("/nl/").text
    assert 'rel="manifest"' in html
    assert "serviceWorker" not in (ROOT / "static/js/hechting.js").read_text()
