"""A shared phone, in a real browser (phone size, both languages): after "leave quickly" (Escape
twice, the button, with and without JavaScript) or logging out, nothing the parent typed is left
in the browser's storage and the journal asks for a login again. Discreet mode, and axe on every
page this touches, light and dark."""

import json
import re

import pytest
from django.contrib.sessions.models import Session
from playwright.sync_api import expect

from reflect.models import Draft
from reflect.sharing.models import CounsellorProfile
from tests.browser.journeys import log_in
from tests.browser.polling import wait_in_page
from tests.factories import UserFactory
from tests.sharing_helpers import make_invitation, make_link

WORDS = {"nl": "Vanavond schreeuwde ik tegen haar", "en": "Tonight I shouted at her"}
EXIT = {"nl": "Snel weg", "en": "Leave quickly"}
LOGOUT = {"nl": "Uitloggen", "en": "Log out"}

# Everything the site can keep in the browser, as one text.
TRACES = """async () => {
  const idb = indexedDB.databases ? (await indexedDB.databases()).map(d => d.name) : [];
  const cached = [];
  for (const name of await caches.keys()) {
    const cache = await caches.open(name);
    for (const request of await cache.keys()) {
      cached.push(name + " " + request.url + " " + await (await cache.match(request)).text());
    }
  }
  return JSON.stringify({
    local: Object.entries(localStorage), session: Object.entries(sessionStorage), idb, cached
  });
}"""

# Words put in every kind of storage, as any script of the site could have left them.
PLANT = """async (words) => {
  localStorage.setItem("hechting:trace", words);
  sessionStorage.setItem("hechting:trace", words);
  const cache = await caches.open("hechting-trace");
  await cache.put("/trace", new Response(words));
  await new Promise((done, fail) => {
    const open = indexedDB.open("hechting-trace", 1);
    open.onupgradeneeded = () => open.result.createObjectStore("t");
    open.onerror = fail;
    open.onsuccess = () => {
      const tx = open.result.transaction("t", "readwrite");
      tx.objectStore("t").put(words, "k");
      tx.oncomplete = () => { open.result.close(); done(); };
    };
  });
}"""

EMPTY = {"local": [], "session": [], "idb": [], "cached": []}


def traces(page) -> dict:
    return json.loads(page.evaluate(TRACES))


def left_behind(page) -> dict:
    """What is still stored, besides htmx's note of the page now shown (its own address)."""
    found = traces(page)
    here = page.evaluate("location.pathname")
    found["session"] = [
        item for item in found["session"] if item != ["htmx-current-path-for-history", here]
    ]
    return found


def logged_out_on_the_server(page, language) -> None:
    """Wait until the exit request has ended the login (it goes on after the page has gone)."""
    wait_in_page(
        page,
        "async (url) => (await fetch(url, {redirect: 'manual'})).type === 'opaqueredirect'",
        f"/{language}/journal/",
    )


def type_a_moment(page, language) -> None:
    """Type a moment and do not save it; wait until the server holds the draft."""
    expect(page.locator("form[data-draft-ready]").first).to_be_attached()
    page.fill("#id_what_happened", WORDS[language])
    expect(page.locator("form[data-draft-kept]").first).to_be_attached()
    assert Draft.objects.count() == 1
    assert WORDS[language] not in json.dumps(traces(page))  # never kept in the browser
    page.evaluate(PLANT, WORDS[language])
    assert WORDS[language] in json.dumps(traces(page))


def session_key(context) -> str:
    return next(c["value"] for c in context.cookies() if c["name"].endswith("sessionid"))


def asks_for_a_login(page, site, language) -> None:
    page.goto(f"{site}/{language}/journal/")
    expect(page).to_have_url(re.compile(f"/{language}/accounts/login/"))


@pytest.fixture
def neutral(site, settings):
    """The neutral site, on the same origin here so that the test can read what is left."""
    settings.QUICK_EXIT_URL = f"{site}/robots.txt"
    return settings.QUICK_EXIT_URL


@pytest.mark.parametrize("language", ["nl", "en"])
@pytest.mark.parametrize("way", ["escape", "button"])
def test_leaving_quickly_leaves_nothing_behind(site, page, context, neutral, language, way):
    parent = UserFactory(email=f"leave-{way}-{language}@example.org")
    log_in(page, site, language, parent.email)
    type_a_moment(page, language)
    key = session_key(context)
    length = page.evaluate("history.length")

    with page.expect_request(lambda r: r.url.endswith("/leave/")) as request:
        if way == "escape":
            page.keyboard.press("Escape")
            page.keyboard.press("Escape")
        else:
            page.get_by_role("link", name=re.compile(EXIT[language])).click()
    expect(page).to_have_url(neutral)
    assert request.value.method == "POST"
    assert page.evaluate("history.length") == length  # the journal's entry was replaced

    logged_out_on_the_server(page, language)
    assert left_behind(page) == EMPTY
    assert not Session.objects.filter(session_key=key).exists()
    asks_for_a_login(page, site, language)


@pytest.mark.parametrize("language", ["nl", "en"])
def test_logging_out_leaves_nothing_behind(site, page, context, language):
    parent = UserFactory(email=f"logout-{language}@example.org")
    log_in(page, site, language, parent.email)
    type_a_moment(page, language)
    key = session_key(context)

    page.goto(f"{site}/{language}/account/")
    page.get_by_role("button", name=LOGOUT[language]).click()
    expect(page).not_to_have_url(re.compile("/account/$"))

    assert left_behind(page) == EMPTY
    assert not Session.objects.filter(session_key=key).exists()
    asks_for_a_login(page, site, language)


@pytest.mark.parametrize("language", ["nl", "en"])
def test_the_logout_answer_alone_clears_the_storage(site, page, language):
    """Clear-Site-Data does it even when the script does not run first (another tab's page)."""
    parent = UserFactory(email=f"header-{language}@example.org")
    log_in(page, site, language, parent.email)
    page.evaluate(PLANT, WORDS[language])
    page.goto(f"{site}/{language}/accounts/logout/")
    page.evaluate(  # a plain POST of the logout form, without quick-exit.js noticing it
        "() => HTMLFormElement.prototype.submit.call(document.querySelector("
        "\"main form[action$='/accounts/logout/']\"))"
    )
    expect(page).not_to_have_url(re.compile("/accounts/logout/"))
    assert left_behind(page) == EMPTY


@pytest.mark.parametrize("language", ["nl", "en"])
def test_without_javascript_the_button_ends_the_login_too(
    site, browser, browser_context_args, neutral, language
):
    context = browser.new_context(**browser_context_args, java_script_enabled=False)
    page = context.new_page()
    try:
        parent = UserFactory(email=f"nojs-{language}@example.org")
        log_in(page, site, language, parent.email)
        page.fill("#id_what_happened", WORDS[language])
        key = session_key(context)
        page.get_by_role("link", name=re.compile(EXIT[language])).click()
        expect(page).to_have_url(neutral)
        assert not Session.objects.filter(session_key=key).exists()
        state = context.storage_state(indexed_db=True)
        assert WORDS[language] not in json.dumps(state)
        assert all(not origin.get("localStorage") for origin in state["origins"])
        assert not Draft.objects.exists()
        asks_for_a_login(page, site, language)
    finally:
        context.close()


@pytest.mark.parametrize(("language", "name"), [("nl", "Notities"), ("en", "Notes")])
def test_discreet_mode_gives_every_page_a_neutral_title(site, page, axe, language, name):
    parent = UserFactory(email=f"discreet-{language}@example.org")
    log_in(page, site, language, parent.email)
    expect(page).to_have_title(re.compile("Hechting"))
    page.goto(f"{site}/{language}/account/")
    turn_on = {"nl": "Zet de discrete stand aan", "en": "Turn discreet mode on"}[language]
    page.get_by_role("button", name=turn_on).click()
    expect(page).to_have_url(re.compile("/account/#discreet$"))
    expect(page.locator(".messages")).to_contain_text(name)
    for path in ["account/", "journal/", "journal/look-back/", "learn/", "learn/help/"]:
        page.goto(f"{site}/{language}/{path}")
        expect(page).to_have_title(name)
        manifest = page.locator("link[rel=manifest]").get_attribute("href")
        assert f"manifest-notes-{language}" in manifest
        assert "notes" in page.locator("link[rel=icon]").get_attribute("href")
    page.goto(f"{site}/{language}/account/")
    axe(page)


def shared_pages(site, language) -> list[str]:
    """The public pages a parent may read at night: home, learn, help, log in, a share link and
    a counsellor's invitation (their token addresses, which lead on to the pages)."""
    owner = UserFactory(email=f"owner-{language}@example.org")
    counsellor = UserFactory(email=f"counsellor-{language}@example.org")
    CounsellorProfile.objects.create(user=counsellor, name="Sanne", practice="Praktijk Zon")
    _link, link_token = make_link(owner)
    _invitation, invitation_token = make_invitation(counsellor)
    return [
        f"{site}/{language}/",
        f"{site}/{language}/learn/",
        f"{site}/{language}/learn/secure-attachment/",
        f"{site}/{language}/learn/help/",
        f"{site}/{language}/privacy/",
        f"{site}/{language}/accounts/login/",
        f"{site}/{language}/share/t/{link_token}/",
        f"{site}/{language}/share/i/{invitation_token}/",
    ]


@pytest.mark.parametrize("scheme", ["light", "dark"])
@pytest.mark.parametrize("language", ["nl", "en"])
def test_every_public_page_has_quick_exit_and_passes_axe(
    site, page, axe, neutral, language, scheme
):
    page.emulate_media(color_scheme=scheme)
    for address in shared_pages(site, language):
        page.goto(address)
        exit_link = page.get_by_role("link", name=re.compile(EXIT[language]))
        expect(exit_link).to_be_visible()
        axe(page)
    page.keyboard.press("Escape")
    page.keyboard.press("Escape")
    expect(page).to_have_url(neutral)


@pytest.mark.parametrize("scheme", ["light", "dark"])
@pytest.mark.parametrize("language", ["nl", "en"])
def test_the_signed_in_pages_this_touches_pass_axe(site, page, context, axe, language, scheme):
    page.emulate_media(color_scheme=scheme)
    parent = UserFactory(email=f"axe-{scheme}-{language}@example.org")
    log_in(page, site, language, parent.email)
    type_a_moment(page, language)
    page.reload()
    expect(page.locator("[data-draft-restored]")).to_be_visible()
    axe(page)
    page.goto(f"{site}/{language}/account/")
    expect(page.locator("#discreet")).to_be_visible()
    axe(page)
    page.get_by_role("button", name=re.compile("discre", re.I)).click()
    expect(page.locator(".messages")).to_be_visible()
    axe(page)
    page.goto(f"{site}/{language}/learn/help/")
    expect(page.locator("#quick-exit")).to_be_visible()
    axe(page)
    # The notice of a form whose session has ended.
    page.goto(f"{site}/{language}/journal/new/")
    expect(page.locator("form[data-draft-checked]")).to_be_attached()
    context.clear_cookies(name="__Host-sessionid")
    page.fill("#id_what_happened", WORDS[language] + "!")
    expect(page.locator("[data-session-ended]")).to_be_visible()
    axe(page)
