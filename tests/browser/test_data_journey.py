"""Your data in a real browser: download the journal, import it into another account (twice, no
duplicates), a bad file, the printable journal, and deleting the account for good.

axe checks every new page, in Dutch and in English, including the error states.
"""

import json
import re

import pytest
from django.contrib.auth import get_user_model
from playwright.sync_api import expect

from reflect.models import Moment
from tests.factories import ChildFactory, MomentFactory, UserFactory

PASSWORD = "a calm evening walk"  # tests/factories.PASSWORD

TEXT = {
    "nl": {
        "section": "Je dagboek downloaden of importeren",
        "download": "Mijn dagboek downloaden (een .json-bestand)",
        "print": "Mijn hele dagboek als pagina om te lezen of te printen",
        "import": "Importeren",
        "file": "Dagboekbestand (.json)",
        "imported_3": "Nieuwe momenten: 3",
        "imported_0": "Nieuwe momenten: 0",
        "not_json": "het is geen JSON",
        "delete": "Mijn account verwijderen",
        "password": "Je wachtwoord",
        "confirm": "Mijn account en dagboek verwijderen",
        "wrong": "Dit is niet je wachtwoord",
        "deleted": "Je account is verwijderd",
    },
    "en": {
        "section": "Download or import your journal",
        "download": "Download my journal (a .json file)",
        "print": "My whole journal as a page to read or print",
        "import": "Import",
        "file": "Journal file (.json)",
        "imported_3": "New moments: 3",
        "imported_0": "New moments: 0",
        "not_json": "it is not JSON",
        "delete": "Delete my account",
        "password": "Your password",
        "confirm": "Delete my account and journal",
        "wrong": "This is not your password",
        "deleted": "Your account is deleted",
    },
}


def _log_in(page, site, language, email, next_path):
    page.goto(f"{site}/{language}/accounts/login/?next={next_path}")
    page.fill("input[name=login]", email)
    page.fill("input[name=password]", PASSWORD)
    page.locator("main form button[type=submit]").first.click()
    if next_path.endswith("/data/"):
        _password_again(page)
    expect(page).to_have_url(re.compile(re.escape(next_path) + "$"))


def _password_again(page):
    """Your data asks for the password again (it was typed more than five minutes ago, or,
    as allauth counts it, not since logging in), then carries on where the parent was."""
    expect(page).to_have_url(re.compile(r"/accounts/reauthenticate/\?next="))
    page.fill("input[name=password]", PASSWORD)
    page.locator("main form button[type=submit]").first.click()


def _log_out(page, site, language):
    page.context.clear_cookies()
    page.goto(f"{site}/{language}/")


@pytest.mark.parametrize("language", ["nl", "en"])
def test_a_parent_downloads_the_journal_and_imports_it_into_another_account(
    site, page, axe, tmp_path, language
):
    words = TEXT[language]
    alice = UserFactory(email=f"alice-data-{language}@example.org")
    noor = ChildFactory(owner=alice, nickname="Noor")
    MomentFactory(owner=alice, child=noor, what_happened="Samen soep gekookt")
    MomentFactory(owner=alice, mismatch=True, what_happened="Boos bij het tandenpoetsen")
    MomentFactory(owner=alice, repaired=True, what_happened="Te laat op school")

    _log_in(page, site, language, alice.email, f"/{language}/account/")
    page.get_by_role("link", name=words["section"]).click()
    axe(page)
    _password_again(page)
    expect(page).to_have_url(re.compile(f"/{language}/account/data/$"))
    axe(page)

    with page.expect_download() as download_info:
        page.get_by_role("link", name=words["download"]).click()
    download = download_info.value
    assert re.match(r"hechting-journal-\d{4}-\d{2}-\d{2}\.json$", download.suggested_filename)
    path = tmp_path / download.suggested_filename
    download.save_as(path)
    document = json.loads(path.read_text(encoding="utf-8"))
    assert document["version"] == 1
    assert len(document["moments"]) == 3

    page.get_by_role("link", name=words["print"]).click()
    expect(page.get_by_text("Samen soep gekookt")).to_be_visible()
    axe(page)

    _log_out(page, site, language)
    bob = UserFactory(email=f"bob-data-{language}@example.org")
    _log_in(page, site, language, bob.email, f"/{language}/account/data/")

    bad = tmp_path / "notes.json"
    bad.write_text("these are my notes, not a journal", encoding="utf-8")
    page.get_by_label(words["file"]).set_input_files(bad)
    page.get_by_role("button", name=words["import"], exact=True).click()
    expect(page.get_by_text(words["not_json"])).to_be_visible()
    axe(page)

    for expected in ("imported_3", "imported_0"):
        page.get_by_label(words["file"]).set_input_files(path)
        page.get_by_role("button", name=words["import"], exact=True).click()
        expect(page).to_have_url(re.compile(f"/{language}/account/data/$"))
        expect(page.get_by_text(words[expected])).to_be_visible()
    axe(page)
    assert Moment.objects.for_owner(bob).count() == 3

    page.goto(f"{site}/{language}/journal/")
    expect(page.get_by_text("Samen soep gekookt")).to_be_visible()


@pytest.mark.parametrize("language", ["nl", "en"])
def test_a_parent_deletes_the_account_and_is_logged_out(site, page, axe, language):
    words = TEXT[language]
    alice = UserFactory(email=f"alice-delete-{language}@example.org")
    MomentFactory(owner=alice, what_happened="Een rustige ochtend")

    _log_in(page, site, language, alice.email, f"/{language}/account/")
    page.get_by_role("link", name=words["delete"]).first.click()
    expect(page).to_have_url(re.compile(f"/{language}/account/data/delete/$"))
    axe(page)

    page.get_by_label(words["password"]).fill("not my password at all")
    page.get_by_role("button", name=words["confirm"]).click()
    expect(page.get_by_text(words["wrong"])).to_be_visible()
    axe(page)
    assert get_user_model().objects.filter(pk=alice.pk).exists()

    page.get_by_label(words["password"]).fill(PASSWORD)
    page.get_by_role("button", name=words["confirm"]).click()
    expect(page).to_have_url(re.compile(f"/{language}/account/data/deleted/$"))
    expect(page.get_by_role("heading", name=words["deleted"])).to_be_visible()
    axe(page)
    assert not get_user_model().objects.filter(pk=alice.pk).exists()
    assert not Moment.objects.exists()

    page.goto(f"{site}/{language}/journal/")
    expect(page).to_have_url(re.compile(f"/{language}/accounts/login/"))
