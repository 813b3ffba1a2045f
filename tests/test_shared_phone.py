"""Discreet mode (a neutral title, icon and home-screen name) and the help page about a shared
phone. Quick exit and logging out are tested in test_account_security.py."""

import json
import re

import pytest
from django.conf import settings
from django.contrib.staticfiles import finders
from django.urls import reverse
from django.utils import translation

from tests.conftest import HttpsClient

pytestmark = pytest.mark.django_db


def url(name, language="nl", *args):
    with translation.override(language):
        return reverse(name, args=args)


def turn(client, choice: str, language="nl", **extra):
    return client.post(url("accounts:discreet", language), {"discreet": choice}, **extra)


def title(html: str) -> str:
    return re.search(r"<title>(.*?)</title>", html, re.S).group(1).strip()


def test_discreet_mode_is_off_by_default(parent, parent_client, built_static):
    assert parent.discreet is False
    html = parent_client.get(url("reflect:journal")).text
    assert title(html) == "Dagboek · Hechting"
    assert re.search(r'rel="icon" href="/static/img/icon\.[0-9a-f]+\.svg"', html)
    assert re.search(r'rel="manifest" href="/static/manifest\.[0-9a-f]+\.webmanifest"', html)
    assert "Zet de discrete stand aan" in parent_client.get(url("account")).text


@pytest.mark.parametrize(("language", "name"), [("nl", "Notities"), ("en", "Notes")])
def test_with_discreet_mode_every_page_has_a_neutral_title_and_icon(
    parent, parent_client, language, name, built_static
):
    response = turn(parent_client, "on", language)
    assert response.status_code == 303
    assert response["Location"] == url("account", language) + "#discreet"
    parent.refresh_from_db()
    assert parent.discreet is True
    pages = ["reflect:journal", "reflect:moment_add", "reflect:look_back", "account"]
    pages += ["learn:index", "learn:help", "privacy"]
    for page in pages:
        html = parent_client.get(url(page, language)).text
        assert title(html) == name, page
        assert "Hechting</title>" not in html
        assert re.search(r'rel="icon" href="/static/img/notes\.[0-9a-f]+\.svg"', html), page
        assert re.search(
            r'rel="apple-touch-icon" href="/static/img/notes-180\.[0-9a-f]+\.png"', html
        )
        manifest = (
            rf'rel="manifest" href="/static/manifest-notes-{language}\.[0-9a-f]+\.webmanifest"'
        )
        assert re.search(manifest, html), page
        assert "img/icon." not in html.split("</head>")[0]  # the page itself stays the same


def test_the_message_says_what_changed(parent_client):
    page = parent_client.get(turn(parent_client, "on", "en")["Location"]).text
    assert "Discreet mode is on" in page
    assert "Turn discreet mode off" in page
    page = parent_client.get(turn(parent_client, "off")["Location"]).text
    assert "De discrete stand staat uit." in page
    assert title(page) == "Account · Hechting"


def test_the_journal_follows_the_mode_at_once(parent_client):
    journal = url("reflect:journal")
    assert title(parent_client.get(journal).text) == "Dagboek · Hechting"
    turn(parent_client, "on")
    assert title(parent_client.get(journal).text) == "Notities"
    turn(parent_client, "off")
    assert title(parent_client.get(journal).text) == "Dagboek · Hechting"


def test_discreet_mode_is_one_parents_own(parent_client, other_parent_client, client):
    turn(parent_client, "on")
    assert title(other_parent_client.get(url("reflect:journal")).text) == "Dagboek · Hechting"
    assert title(client.get(url("learn:index")).text).endswith("· Hechting")


def test_the_neutral_manifests_name_nothing_of_the_app():
    for language, name in [("nl", "Notities"), ("en", "Notes")]:
        path = finders.find(f"manifest-notes-{language}.webmanifest")
        with open(path, encoding="utf-8") as file:
            text = file.read()
        manifest = json.loads(text)
        assert manifest["name"] == manifest["short_name"] == name
        assert "hecht" not in text.lower()
        assert "journal" not in text.lower()
        assert "dagboek" not in text.lower()
        for icon in manifest["icons"]:
            assert finders.find(icon["src"]), icon["src"]
            assert icon["src"].startswith("img/notes")


def test_turning_it_on_needs_a_login(client, parent):
    response = turn(client, "on")
    assert response.status_code == 302
    assert "/accounts/login/" in response["Location"]
    parent.refresh_from_db()
    assert parent.discreet is False


def test_turning_it_on_needs_a_post_from_this_site(parent):
    assert HttpsClient().get(url("accounts:discreet")).status_code in {302, 405}
    client = HttpsClient(enforce_csrf_checks=True)
    client.force_login(parent)
    assert client.get(url("accounts:discreet")).status_code == 405
    assert turn(client, "on").status_code == 403
    parent.refresh_from_db()
    assert parent.discreet is False


@pytest.mark.parametrize("choice", ["", "yes", "ON", "on\x00"])
def test_an_odd_choice_changes_nothing_and_says_why(parent, parent_client, choice):
    response = turn(parent_client, choice, "en")
    assert response.status_code == 400
    assert "Choose to turn discreet mode on or off." in response.text
    parent.refresh_from_db()
    assert parent.discreet is False


def test_htmx_is_sent_back_to_the_account_page(parent, parent_client):
    response = turn(parent_client, "on", headers={"HX-Request": "true"})
    assert response.status_code == 200
    assert response["HX-Redirect"] == url("account") + "#discreet"
    parent.refresh_from_db()
    assert parent.discreet is True


@pytest.mark.parametrize(
    ("language", "words"),
    [
        ("nl", ["Discrete stand", "privévenster", "Snel weg", "geschiedenis", "verzegeld"]),
        ("en", ["Discreet mode", "private window", "Leave quickly", "history", "sealed"]),
    ],
)
def test_the_help_page_explains_using_a_shared_phone(client, language, words):
    html = client.get(url("learn:help", language)).text
    section = html[
        html.index('id="shared-device"') : html.index(
            "</section>", html.index('id="shared-device"')
        )
    ]
    for word in words:
        assert word.lower() in section.lower(), word


def test_the_account_page_links_to_the_help_section(parent_client):
    html = parent_client.get(url("account", "en")).text
    assert f'href="{url("learn:help", "en")}#shared-device"' in html
    assert settings.DRAFT_LIFE.days == 7  # "for a week", as the help page says
