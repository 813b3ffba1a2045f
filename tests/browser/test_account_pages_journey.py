"""The account pages in our own words, in a real browser: every page allauth draws with our
templates, in Dutch and English, light and dark, with axe finding nothing."""

import re

import pytest
from playwright.sync_api import expect

from tests.factories import UserFactory

PASSWORD = "a calm evening walk"  # tests/factories.PASSWORD
HEADINGS = {
    "nl": {
        "login": "Inloggen",
        "signup": "Account maken",
        "reset": "Wachtwoord vergeten?",
        "mail": "Kijk in je mail",
        "link_gone": "Deze link werkt niet meer",
        "emails": "E-mailadressen",
        "change": "Wachtwoord wijzigen",
        "logout": "Uitloggen",
    },
    "en": {
        "login": "Log in",
        "signup": "Sign up",
        "reset": "Forgot your password?",
        "mail": "Look in your mail",
        "link_gone": "This link no longer works",
        "emails": "Email addresses",
        "change": "Change password",
        "logout": "Log out",
    },
}


def _visit(page, axe, url, heading):
    page.goto(url)
    expect(page.locator("h1")).to_have_text(heading)
    axe(page)


@pytest.mark.parametrize("scheme", ["light", "dark"])
@pytest.mark.parametrize("language", ["nl", "en"])
def test_every_account_page_speaks_our_words_and_passes_axe(site, page, axe, language, scheme):
    page.emulate_media(color_scheme=scheme)
    words = HEADINGS[language]
    base = f"{site}/{language}/accounts"
    _visit(page, axe, f"{base}/signup/", words["signup"])
    # The menu marks "Log in" only on the log-in page itself.
    expect(page.locator("nav a[aria-current=page]")).to_have_count(0)
    _visit(page, axe, f"{base}/password/reset/", words["reset"])
    page.fill("input[name=email]", "nobody@example.org")
    page.locator("main form button[type=submit]").click()
    expect(page.locator("h1")).to_have_text(words["mail"])
    axe(page)
    _visit(page, axe, f"{base}/confirm-email/", words["mail"])
    _visit(page, axe, f"{base}/confirm-email/not-a-key/", words["link_gone"])
    _visit(page, axe, f"{base}/password/reset/key/1-not-a-key/", words["link_gone"])

    UserFactory(email="alice@example.org")
    _visit(page, axe, f"{base}/login/", words["login"])
    expect(page.locator("nav a[aria-current=page]")).to_have_text(words["login"])
    page.fill("input[name=login]", "alice@example.org")
    page.fill("input[name=password]", PASSWORD)
    page.locator("main form button[type=submit]").click()
    expect(page).to_have_url(re.compile(f"/{language}/journal/$"))
    page.goto(f"{base}/email/")
    if "/reauthenticate/" in page.url:  # changing addresses asks for the password again
        axe(page)
        page.fill("input[name=password]", PASSWORD)
        page.locator("main form button[type=submit]").click()
    expect(page.locator("h1")).to_have_text(words["emails"])
    axe(page)
    _visit(page, axe, f"{base}/password/change/", words["change"])
    _visit(page, axe, f"{base}/logout/", words["logout"])
    page.locator("main form button[type=submit]").click()
    expect(page).to_have_url(re.compile(f"/{language}/$"))
    axe(page)
