"""No lost words: a parent types, the session expires, they save, log in again, and the text is
saved without retyping, with JavaScript (a draft kept sealed on the server, reflect/drafts.py)
and without (the server keeps the late post, reflect/unsent.py). Nothing of it in the browser."""

import re

import pytest
from django.contrib.sessions.backends.db import SessionStore
from django.contrib.sessions.models import Session
from playwright.sync_api import expect

from hechting.accounts import sessions
from reflect.models import Draft, Moment
from tests.browser.polling import wait_in_page
from tests.factories import PASSWORD, MomentFactory, UserFactory

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


def draft_kept(page) -> None:
    """The server answered the last draft journal.js sent (it marks the form)."""
    expect(page.locator("form[data-draft-kept]").first).to_be_attached()


def draft_checked(page) -> None:
    """journal.js has asked the server for the form's draft (and put it back if there was one)."""
    expect(page.locator("form[data-draft-checked]").first).to_be_attached()


def storage_in_browser(page) -> str:
    return page.evaluate(
        "() => JSON.stringify([Object.entries(localStorage), Object.entries(sessionStorage)])"
    )


@pytest.fixture
def parent(db):
    return UserFactory(email="drafts@example.org")


def test_the_quick_add_text_survives_an_expired_session(site, page, context, parent):
    log_in(page, site, parent.email)
    expect(page).to_have_url(re.compile("/nl/journal/$"))
    drafts_ready(page)
    page.fill("#id_what_happened", LONG_TEXT)
    draft_kept(page)
    assert "avondeten" not in storage_in_browser(page)

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
    assert not Draft.objects.exists()


def test_the_full_form_text_survives_a_flushed_session_without_htmx(site, page, parent):
    log_in(page, site, parent.email)
    expect(page).to_have_url(re.compile("/nl/journal/$"))  # logged in before going on
    page.goto(f"{site}/en/journal/new/")
    drafts_ready(page)
    page.fill("#id_what_happened", "A long English evening, all written down.")
    page.locator("summary", has_text="Feelings").click()
    page.fill("#id_what_helped", "Breathing together")
    draft_kept(page)

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
    assert not Draft.objects.exists()
    assert "Breathing" not in storage_in_browser(page)


def test_a_draft_can_be_removed_from_the_form(site, page, parent):
    log_in(page, site, parent.email)
    expect(page).to_have_url(re.compile("/nl/journal/$"))
    drafts_ready(page)
    page.fill("#id_what_happened", "Something I decided not to keep")
    draft_kept(page)
    page.reload()
    expect(page.locator("#id_what_happened")).to_have_value("Something I decided not to keep")
    page.get_by_role("button", name="Haal ze uit het formulier").click()
    expect(page.locator("#id_what_happened")).to_have_value("")
    draft_kept(page)
    assert not Draft.objects.exists()


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


WORDS = {
    "nl": ("Ze kon niet slapen. ", "We zongen zacht tot ze rustig werd.", "Moment bewaren"),
    "en": ("She could not sleep. ", "We sang softly until she was calm.", "Save moment"),
}


def end_the_session_quietly(context) -> None:
    """Thirty quiet minutes, exactly: the next request of this browser comes too late."""
    cookie = next(c for c in context.cookies() if c["name"].endswith("sessionid"))
    session = SessionStore(session_key=cookie["value"])
    session[sessions.LAST_ACTIVITY] = sessions.now() - 31 * 60
    session.save()


@pytest.mark.parametrize("language", ["nl", "en"])
def test_words_typed_as_the_session_ends_come_back_for_the_same_parent_only(
    site, page, context, parent, language
):
    first, more, save = WORDS[language]
    other = UserFactory(email=f"other-{language}@example.org")
    log_in(page, site, parent.email, path=f"/{language}/accounts/login/")
    expect(page).to_have_url(re.compile(f"/{language}/journal/$"))
    drafts_ready(page)
    page.fill("#id_what_happened", first)
    draft_kept(page)

    # The phone lay still for half an hour; then the parent types on. That draft is the request
    # in which the session ends: it is kept, sealed, for this parent.
    end_the_session_quietly(context)
    page.locator("#id_what_happened").press_sequentially(more)
    notice = page.locator("[data-session-ended]")
    expect(notice).to_be_visible()
    expect(page.locator("#id_what_happened")).to_have_value(first + more)
    assert not Moment.objects.exists()
    assert first.strip() not in storage_in_browser(page)

    # Someone else logs in on this browser: an empty form.
    notice.get_by_role("link").click()
    log_in(page, site, other.email, path=None)
    expect(page).to_have_url(re.compile(f"/{language}/journal/$"))
    draft_checked(page)
    expect(page.locator("#id_what_happened")).to_have_value("")
    expect(page.locator("[data-draft-restored]")).to_be_hidden()
    page.goto(f"{site}/{language}/account/")
    page.locator("main form[action$='/accounts/logout/'] button").click()

    # The same parent again: every word is back.
    log_in(page, site, parent.email, path=f"/{language}/accounts/login/")
    expect(page).to_have_url(re.compile(f"/{language}/journal/$"))
    expect(page.locator("#id_what_happened")).to_have_value(first + more)
    expect(page.locator("[data-draft-restored]")).to_be_visible()
    page.get_by_role("button", name=save).click()
    expect(page.locator("#journal-status p")).to_be_visible()
    assert Moment.objects.get().what_happened == first + more
    assert Moment.objects.get().owner == parent
    assert not Draft.objects.exists()


def test_a_draft_survives_a_lost_connection(site, page, context, parent):
    log_in(page, site, parent.email)
    expect(page).to_have_url(re.compile("/nl/journal/$"))
    drafts_ready(page)
    context.set_offline(True)
    with page.expect_event("requestfailed", lambda r: "/journal/drafts/new/" in r.url):
        page.fill("#id_what_happened", "Geschreven in de trein, zonder bereik")
    assert not Draft.objects.exists()
    context.set_offline(False)  # the browser says it is online again: the draft goes out
    draft_kept(page)
    page.reload()
    expect(page.locator("#id_what_happened")).to_have_value("Geschreven in de trein, zonder bereik")


def test_drafts_of_an_edit_and_a_repair_survive_a_closed_tab(site, context, parent):
    moment = MomentFactory(owner=parent, mismatch=True, what_happened="Ruzie over de jas")
    page = context.new_page()
    log_in(page, site, parent.email)
    expect(page).to_have_url(re.compile("/nl/journal/$"))
    for form, path, field, words in [
        ("moment", "edit", "#id_felt", "Moe en boos op mezelf"),
        ("repair", "repair", "#id_repair_how", "Sorry gezegd bij het bed"),
    ]:
        page.goto(f"{site}/nl/journal/moments/{moment.pk}/{path}/")
        drafts_ready(page)
        if field == "#id_felt":
            page.locator("summary", has_text="Gevoelens").click()
        page.fill(field, words)
        page.close(run_before_unload=True)  # a closed tab sends what was waiting
        page = context.new_page()
        page.goto(f"{site}/nl/journal/moments/{moment.pk}/{path}/")
        wait_in_page(  # the closed tab's request may still be on its way
            page,
            "async (url) => (await (await fetch(url)).json()).fields !== null",
            f"/nl/journal/drafts/{form}-{moment.pk}/",
        )
        page.reload()
        expect(page.locator(field)).to_have_value(words)
        expect(page.locator("[data-draft-restored]")).to_be_visible()
    assert Draft.objects.count() == 2
    assert "Moe en boos" not in storage_in_browser(page)
