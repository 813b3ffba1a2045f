"""No lost words: a parent types, the session expires, they save, log in again, and the text is
saved without retyping, with JavaScript (a local draft) and without (the server keeps it)."""

import re

import pytest
from django.contrib.sessions.backends.db import SessionStore
from django.contrib.sessions.models import Session
from playwright.sync_api import expect

from hechting.accounts import sessions
from reflect.models import Moment
from tests.factories import PASSWORD, UserFactory

LONG_TEXT = (
    "Na het avondeten wilde ze niet in bad. Ik werd ongeduldig en zei dingen die ik niet meende. "
    "Later, op de bank, vroeg ze of ik nog boos was. We praatten en ze legde haar hoofd op mijn "
    "schouder. Dit wil ik onthouden."
)


def log_in(page, site, email, path="/nl/accounts/login/"):
    if path:
        page.goto(site + path)
    page.fill("input[name=login]", email)
    page.fill("input[name=password]", PASSWORD)
    page.locator("main form button[type=submit]").first.click()


def drafts_ready(page) -> None:
    """journal.js keeps drafts once it has set up the form: typing before that is not kept."""
    expect(page.locator("form[data-draft-ready]").first).to_be_attached()


def draft_in_browser(page) -> str:
    return page.evaluate(
        "() => Object.keys(localStorage).filter(k => k.startsWith('hechting:draft:'))"
        ".map(k => localStorage.getItem(k)).join('|')"
    )


@pytest.fixture
def parent(db):
    return UserFactory(email="drafts@example.org")


def test_the_quick_add_text_survives_an_expired_session(site, page, context, parent):
    log_in(page, site, parent.email)
    expect(page).to_have_url(re.compile("/nl/journal/$"))
    drafts_ready(page)
    page.fill("#id_what_happened", LONG_TEXT)
    page.wait_for_function("() => Object.keys(localStorage).some(k => k.includes(':new'))")
    assert "avondeten" in draft_in_browser(page)

    context.clear_cookies(name="__Host-sessionid")
    page.get_by_role("button", name="Moment bewaren").click()

    notice = page.locator("[data-session-ended]")
    expect(notice).to_be_visible()
    expect(notice).to_be_focused()
    expect(page.locator("#id_what_happened")).to_have_value(LONG_TEXT)
    assert not Moment.objects.exists()

    notice.get_by_role("link").click()
    expect(page).to_have_url(re.compile("/nl/accounts/login/"))
    log_in(page, site, parent.email, path=None)
    expect(page).to_have_url(re.compile("/nl/journal/$"))
    expect(page.locator("#id_what_happened")).to_have_value(LONG_TEXT)
    expect(page.locator("[data-draft-restored]")).to_be_visible()

    page.get_by_role("button", name="Moment bewaren").click()
    expect(page.locator("#journal-status")).to_contain_text("Je moment is bewaard.")
    assert Moment.objects.get().what_happened == LONG_TEXT
    assert Moment.objects.get().owner == parent
    expect(page.locator("#id_what_happened")).to_have_value("")
    page.wait_for_function(
        "() => !Object.keys(localStorage).some(k => k.startsWith('hechting:draft:'))"
    )


def test_the_full_form_text_survives_a_flushed_session_without_htmx(site, page, parent):
    log_in(page, site, parent.email)
    expect(page).to_have_url(re.compile("/nl/journal/$"))  # logged in before going on
    page.goto(f"{site}/en/journal/new/")
    drafts_ready(page)
    page.fill("#id_what_happened", "A long English evening, all written down.")
    page.locator("summary", has_text="Feelings").click()
    page.fill("#id_what_helped", "Breathing together")
    page.wait_for_function(
        "() => (localStorage.getItem(Object.keys(localStorage)[0]) || '').includes('Breathing')"
    )

    Session.objects.all().delete()
    page.get_by_role("button", name="Save moment").click()

    expect(page).to_have_url(re.compile("/en/accounts/login/"))
    log_in(page, site, parent.email, path=None)
    expect(page).to_have_url(re.compile("/en/journal/new/$"))
    expect(page.locator("#id_what_happened")).to_have_value(
        "A long English evening, all written down."
    )
    expect(page.locator("#id_what_helped")).to_have_value("Breathing together")
    page.get_by_role("button", name="Save moment").click()
    expect(page).to_have_url(re.compile("/en/journal/"))
    moment = Moment.objects.get()
    assert moment.what_helped == "Breathing together"
    assert "hechting:draft" not in ",".join(page.evaluate("() => Object.keys(localStorage)"))


def test_a_draft_can_be_removed_from_the_form(site, page, parent):
    log_in(page, site, parent.email)
    expect(page).to_have_url(re.compile("/nl/journal/$"))
    drafts_ready(page)
    page.fill("#id_what_happened", "Something I decided not to keep")
    page.wait_for_function("() => Object.keys(localStorage).length > 0")
    page.reload()
    expect(page.locator("#id_what_happened")).to_have_value("Something I decided not to keep")
    page.get_by_role("button", name="Haal ze uit het formulier").click()
    expect(page.locator("#id_what_happened")).to_have_value("")
    assert draft_in_browser(page) == ""


def test_without_javascript_the_words_come_back_after_the_session_ended(
    site, browser, browser_context_args, parent
):
    """No local draft without JavaScript: the server keeps the late POST, sealed, for the same
    parent, and fills the form with it after logging in again (reflect/unsent.py)."""
    context = browser.new_context(**browser_context_args, java_script_enabled=False)
    page = context.new_page()
    try:
        log_in(page, site, parent.email)
        expect(page).to_have_url(re.compile("/nl/journal/$"))
        page.goto(f"{site}/nl/journal/new/")
        page.fill("#id_what_happened", LONG_TEXT)
        page.locator("summary", has_text="Gevoelens").click()
        page.fill("#id_what_helped", "Samen ademhalen")

        cookie = next(c for c in context.cookies() if c["name"].endswith("sessionid"))
        session = SessionStore(session_key=cookie["value"])
        session[sessions.LAST_ACTIVITY] = sessions.now() - 31 * 60  # thirty quiet minutes
        session.save()
        page.get_by_role("button", name="Moment bewaren").click()

        expect(page).to_have_url(re.compile("/nl/accounts/login/"))
        assert not Moment.objects.exists()
        log_in(page, site, parent.email, path=None)
        expect(page).to_have_url(re.compile("/nl/journal/new/$"))
        expect(page.locator("#id_what_happened")).to_have_value(LONG_TEXT)
        expect(page.locator("#id_what_helped")).to_have_value("Samen ademhalen")
        expect(page.locator(".messages")).to_contain_text("Ze staan weer in het formulier")
        page.get_by_role("button", name="Moment bewaren").click()
        expect(page).to_have_url(re.compile("/nl/journal/"))
        assert Moment.objects.get().what_helped == "Samen ademhalen"
    finally:
        context.close()
