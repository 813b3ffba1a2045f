"""A new parent in a real browser: sign up, log out, log in, reset the password, switch language.

Each page visited is checked with axe, in Dutch and in English.
"""

import re
from urllib.parse import urlsplit

import pytest
from django.contrib.auth import get_user_model
from playwright.sync_api import expect

PASSWORD = "warm soup on a cold night"
NEW_PASSWORD = "a slow walk in the rain"

TEXT = {
    "nl": {
        "start": "Begin je dagboek",
        "journal": "Dagboek",
        "account": "Account",
        "logout": "Uitloggen",
        "login": "Inloggen",
        "reset_link": "Wachtwoord vergeten?",
        "other": "English",
        "other_code": "en",
        "other_heading": "A calm notebook for you and your child",
    },
    "en": {
        "start": "Start your journal",
        "journal": "Journal",
        "account": "Account",
        "logout": "Log out",
        "login": "Log in",
        "reset_link": "Forgot your password?",
        "other": "Nederlands",
        "other_code": "nl",
        "other_heading": "Een rustig schrift voor jou en je kind",
    },
}


def submit(page):
    page.locator("main form button[type=submit]").first.click()


@pytest.mark.parametrize("language", ["nl", "en"])
def test_a_new_parent_signs_up_logs_out_logs_in_and_resets_the_password(
    site, page, axe, mailoutbox, language
):
    words = TEXT[language]
    email = f"new-{language}@example.org"

    page.goto(f"{site}/{language}/")
    axe(page)
    page.get_by_role("link", name=words["start"]).click()
    expect(page).to_have_url(re.compile(f"/{language}/accounts/signup/$"))
    axe(page)

    page.fill("input[name=email]", email)
    page.fill("input[name=password1]", PASSWORD)
    page.fill("input[name=password2]", PASSWORD)
    submit(page)
    # First the address: a page that says a mail is on its way, then the link from that mail
    # (printed in the terminal with `make run`), then one button, and the journal opens.
    expect(page).to_have_url(re.compile(f"/{language}/accounts/confirm-email/$"))
    axe(page)
    assert len(mailoutbox) == 1
    link = re.search(r"https?://\S+/accounts/confirm-email/\S+", mailoutbox[0].body).group(0)
    page.goto(site + urlsplit(link).path)
    axe(page)
    submit(page)
    expect(page).to_have_url(re.compile(f"/{language}/journal/$"))
    expect(page.locator("h1")).to_have_text(words["journal"])
    axe(page)
    assert get_user_model().objects.filter(email=email).exists()

    page.get_by_role("link", name=words["account"]).click()
    expect(page.get_by_text(email)).to_be_visible()
    axe(page)
    page.get_by_role("button", name=words["logout"]).click()
    expect(page).to_have_url(re.compile(f"/{language}/$"))
    expect(page.get_by_role("link", name=words["login"])).to_be_visible()

    page.get_by_role("link", name=words["login"]).click()
    axe(page)
    page.fill("input[name=login]", email)
    page.fill("input[name=password]", PASSWORD)
    submit(page)
    expect(page).to_have_url(re.compile(f"/{language}/journal/$"))

    page.get_by_role("link", name=words["account"]).click()
    page.get_by_role("button", name=words["logout"]).click()
    page.get_by_role("link", name=words["login"]).click()
    page.get_by_role("link", name=words["reset_link"]).click()
    axe(page)
    mailoutbox.clear()
    page.fill("input[name=email]", email)
    submit(page)
    expect(page).to_have_url(re.compile(f"/{language}/accounts/password/reset/done/$"))
    axe(page)

    assert len(mailoutbox) == 1
    link = re.search(r"https?://\S+/password/reset/key/\S+", mailoutbox[0].body).group(0)
    page.goto(site + urlsplit(link).path)
    axe(page)
    page.fill("input[name=password1]", NEW_PASSWORD)
    page.fill("input[name=password2]", NEW_PASSWORD)
    submit(page)
    expect(page).to_have_url(re.compile(f"/{language}/accounts/password/reset/key/done/$"))
    axe(page)
    assert get_user_model().objects.get(email=email).check_password(NEW_PASSWORD)

    page.goto(f"{site}/{language}/")
    page.get_by_role("button", name=words["other"]).click()
    expect(page).to_have_url(re.compile(f"/{words['other_code']}/$"))
    expect(page.locator("h1")).to_have_text(words["other_heading"])
    axe(page)


def test_the_error_pages_pass_axe_in_both_languages(site, page, axe):
    for language in ("nl", "en"):
        response = page.goto(f"{site}/{language}/no-such-page/")
        assert response.status == 404
        axe(page)


def test_the_pages_pass_axe_in_the_dark(site, page, axe):
    page.emulate_media(color_scheme="dark")
    for path in ("/nl/", "/en/privacy/", "/nl/accounts/login/", "/en/accounts/signup/"):
        page.goto(site + path)
        axe(page)
