"""What a parent meets when a request is too much, and the privacy page, in a real browser:
axe checks each page in both languages, light and dark."""

import pytest
from playwright.sync_api import expect

from tests.browser.journeys import log_in
from tests.factories import UserFactory

TOO_MUCH = {"nl": "Dat was te veel om in één keer te versturen", "en": "too much to send at once"}
TOO_LONG = {"nl": "hoogstens 200 tekens", "en": "at most 200 characters"}
PRIVACY = {"nl": "Wat we bewaren, en hoe", "en": "What we store, and how"}


@pytest.mark.parametrize("language", ["nl", "en"])
def test_the_privacy_page_lists_what_is_stored_and_passes_axe(site, page, axe, language):
    page.goto(f"{site}/{language}/privacy/")
    expect(page.get_by_role("heading", name=PRIVACY[language])).to_be_visible()
    for scheme in ("light", "dark"):
        page.emulate_media(color_scheme=scheme)
        axe(page)


@pytest.mark.parametrize("language", ["nl", "en"])
def test_a_search_that_is_too_long_says_so_and_passes_axe(site, page, axe, language):
    parent = UserFactory(email=f"long-search-{language}@example.org")
    log_in(page, site, language, parent.email)
    page.goto(f"{site}/{language}/journal/?q={'zee' * 100}")
    expect(page.get_by_role("alert")).to_contain_text(TOO_LONG[language])
    expect(page.get_by_role("searchbox")).to_have_attribute("aria-invalid", "true")
    for scheme in ("light", "dark"):
        page.emulate_media(color_scheme=scheme)
        axe(page)


@pytest.mark.parametrize("language", ["nl", "en"])
def test_too_much_text_without_javascript_gets_a_clear_page_and_passes_axe(
    site, browser, browser_context_args, page, axe, settings, language
):
    settings.DATA_UPLOAD_MAX_MEMORY_SIZE = 2_000
    parent = UserFactory(email=f"too-much-{language}@example.org")
    context = browser.new_context(**browser_context_args, java_script_enabled=False)
    no_js = context.new_page()
    try:
        log_in(no_js, site, language, parent.email)
        no_js.goto(f"{site}/{language}/journal/new/")
        no_js.fill("#id_what_happened", "We lazen samen. " * 200)
        no_js.locator("main form button[type=submit]").first.click()
        expect(no_js.get_by_role("heading", level=1)).to_contain_text(TOO_MUCH[language])
        shown = no_js.content()
    finally:
        context.close()
    # axe runs as a script, which the page above forbids: check the very same page where
    # scripts may run, served at an address of the site so that its styles load.
    page.route(f"{site}/too-much/", lambda route: route.fulfill(status=413, body=shown))
    page.goto(f"{site}/too-much/")
    for scheme in ("light", "dark"):
        page.emulate_media(color_scheme=scheme)
        axe(page)
