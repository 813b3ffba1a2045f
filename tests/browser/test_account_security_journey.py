"""Account security in a real browser: two-step login, passkeys, the idle notice, quick exit.

Every new page is checked with axe in Dutch and English, and no page may trip the strict
Content Security Policy (Chromium reports each violation on the console).
"""

import re
import time

import pytest
from allauth.mfa.models import Authenticator
from allauth.mfa.recovery_codes.internal.auth import RecoveryCodes
from allauth.mfa.totp.internal.auth import (
    TOTP,
    format_hotp_value,
    generate_totp_secret,
    hotp_value,
)
from django.conf import settings
from playwright.sync_api import expect

from hechting.accounts import sessions
from hechting.accounts.models import SecurityEvent
from tests.browser.conftest import assert_accessible_light_and_dark
from tests.factories import PASSWORD, UserFactory

TEXT = {
    "nl": {
        "set_up": "Inloggen in twee stappen instellen",
        "two_step": "Inloggen in twee stappen",
        "set_up_app": "App instellen",
        "turn_on": "Inloggen in twee stappen aanzetten",
        "codes": "Herstelcodes",
        "second_step": "Inloggen: tweede stap",
        "login": "Inloggen",
        "logout": "Uitloggen",
        "journal": "Dagboek",
        "notice": "word je over een paar minuten uitgelogd",
        "stay": "Ingelogd blijven",
        "ended": "Je bent uitgelogd omdat het een tijdje stil was",
        "exit": "Snel weg",
        "sessions": "Waar je bent ingelogd",
        "elsewhere": "Overal elders uitloggen",
        "add_passkey": "Passkey toevoegen",
        "passkeys": "Passkeys en beveiligingssleutels",
        "remove_passkey": "Passkey verwijderen",
        "use_passkey": "Gebruik een passkey of beveiligingssleutel",
    },
    "en": {
        "set_up": "Set up two-step login",
        "two_step": "Two-step login",
        "set_up_app": "Set up the app",
        "turn_on": "Turn on two-step login",
        "codes": "Recovery codes",
        "second_step": "Log in: second step",
        "login": "Log in",
        "logout": "Log out",
        "journal": "Journal",
        "notice": "you will be logged out in a few minutes",
        "stay": "Stay logged in",
        "ended": "You have been logged out because it was quiet for a while",
        "exit": "Leave quickly",
        "sessions": "Where you are logged in",
        "elsewhere": "Log out everywhere else",
        "add_passkey": "Add passkey",
        "passkeys": "Passkeys and security keys",
        "remove_passkey": "Remove passkey",
        "use_passkey": "Use a passkey or security key",
    },
}


def totp_code(secret, steps_ahead=0):
    return format_hotp_value(hotp_value(secret, int(time.time()) // 30 + steps_ahead))


@pytest.fixture
def csp_violations(page):
    """Every Content Security Policy complaint Chromium writes to the console."""
    found = []
    page.on(
        "console",
        lambda message: (
            found.append(message.text) if "Content Security Policy" in message.text else None
        ),
    )
    return found


def log_in(page, site, language, email, password=PASSWORD):
    page.goto(f"{site}/{language}/accounts/login/")
    page.fill("input[name=login]", email)
    page.fill("input[name=password]", password)
    page.locator("main form button[type=submit]").first.click()
    # Wait for the answer: a goto right after the click could cancel the login on its way.
    expect(page).not_to_have_url(re.compile(r"/accounts/login/"))


def confirm_password_if_asked(page, password=PASSWORD):
    if "/accounts/reauthenticate/" in page.url:
        page.fill("input[name=password]", password)
        page.locator("main form button[type=submit]").first.click()


@pytest.mark.parametrize("language", ["nl", "en"])
def test_a_parent_turns_on_the_app_and_logs_in_with_a_code(
    site, page, axe, csp_violations, language
):
    words = TEXT[language]
    parent = UserFactory(email=f"totp-{language}@example.org")
    log_in(page, site, language, parent.email)
    expect(page.locator("h1")).to_have_text(words["journal"])

    page.goto(f"{site}/{language}/account/")
    axe(page)
    page.get_by_role("link", name=words["set_up"]).click()
    expect(page.locator("h1")).to_have_text(words["two_step"])
    axe(page)
    page.get_by_role("link", name=words["set_up_app"]).click()
    expect(page).to_have_url(re.compile("/accounts/reauthenticate/"))
    axe(page)
    confirm_password_if_asked(page)

    expect(page).to_have_url(re.compile("/accounts/2fa/totp/activate/"))
    qr = page.locator("img.qr-code")
    expect(qr).to_be_visible()
    assert qr.evaluate("img => img.complete && img.naturalWidth > 0")  # the data: SVG loaded
    axe(page)
    secret = page.locator("#authenticator_secret").input_value()
    assert re.fullmatch(r"[A-Z2-7]{32}", secret)
    page.get_by_label("Code").fill(totp_code(secret))
    page.get_by_role("button", name=words["turn_on"]).click()

    expect(page.locator("h1")).to_have_text(words["codes"])
    axe(page)
    assert page.locator(".code-list li").count() == 10
    assert Authenticator.objects.filter(user=parent, type="totp").exists()

    page.goto(f"{site}/{language}/account/")
    page.get_by_role("button", name=words["logout"]).click()
    log_in(page, site, language, parent.email)
    expect(page.locator("h1")).to_have_text(words["second_step"])
    axe(page)
    page.get_by_label("Code").fill(totp_code(secret, steps_ahead=1))
    page.get_by_role("button", name=words["login"], exact=True).click()
    expect(page.locator("h1")).to_have_text(words["journal"])
    assert SecurityEvent.objects.filter(user=parent, event="mfa_added").exists()
    assert csp_violations == []


@pytest.mark.parametrize("language", ["nl", "en"])
def test_a_parent_adds_a_passkey_with_the_browsers_authenticator(
    site, page, axe, csp_violations, settings, language
):
    settings.MFA_WEBAUTHN_ALLOW_INSECURE_ORIGIN = True  # the test server speaks plain http
    words = TEXT[language]
    parent = UserFactory(email=f"passkey-{language}@example.org")
    cdp = page.context.new_cdp_session(page)
    cdp.send("WebAuthn.enable")
    cdp.send(
        "WebAuthn.addVirtualAuthenticator",
        {
            "options": {
                "protocol": "ctap2",
                "transport": "internal",
                "hasResidentKey": True,
                "hasUserVerification": True,
                "isUserVerified": True,
            }
        },
    )
    log_in(page, site, language, parent.email)
    page.goto(f"{site}/{language}/accounts/2fa/webauthn/add/")
    confirm_password_if_asked(page)
    expect(page).to_have_url(re.compile("/accounts/2fa/webauthn/add/"))
    button = page.get_by_role("button", name=words["add_passkey"])
    expect(button).to_be_visible()  # shown because this browser supports passkeys
    axe(page)
    page.locator("input[name=name]").fill("phone")
    button.click()
    expect(page).not_to_have_url(re.compile("/webauthn/add/"))
    assert Authenticator.objects.filter(user=parent, type="webauthn").count() == 1
    page.goto(f"{site}/{language}/accounts/2fa/webauthn/")
    expect(page.locator("h1")).to_have_text(words["passkeys"])
    expect(page.locator(".security-events strong")).to_have_text("phone")
    page.get_by_role("link", name=re.compile("phone")).last.click()
    expect(page.locator("h1")).to_have_text(words["remove_passkey"])
    axe(page)

    # The passkey is now the second step when logging in.
    page.goto(f"{site}/{language}/account/")
    page.get_by_role("button", name=words["logout"]).click()
    log_in(page, site, language, parent.email)
    expect(page.locator("h1")).to_have_text(words["second_step"])
    page.get_by_role("button", name=words["use_passkey"]).click()
    expect(page.locator("h1")).to_have_text(words["journal"])
    axe(page)
    assert csp_violations == []


@pytest.mark.parametrize("language", ["nl", "en"])
def test_the_other_two_step_pages_are_accessible(site, page, axe, csp_violations, language):
    parent = UserFactory(email=f"pages-{language}@example.org")
    secret = generate_totp_secret()
    TOTP.activate(parent, secret)
    RecoveryCodes.activate(parent)
    log_in(page, site, language, parent.email)
    page.get_by_label("Code").fill(totp_code(secret))
    page.locator("main form button[type=submit]").first.click()
    page.goto(f"{site}/{language}/accounts/2fa/")
    confirm_password_if_asked(page)
    for path in [
        "",
        "totp/deactivate/",
        "recovery-codes/",
        "recovery-codes/generate/",
        "webauthn/",
    ]:
        page.goto(f"{site}/{language}/accounts/2fa/{path}")
        confirm_password_if_asked(page)
        expect(page).to_have_url(f"{site}/{language}/accounts/2fa/{path}")
        axe(page)
    assert csp_violations == []


@pytest.mark.parametrize("language", ["nl", "en"])
def test_the_sessions_page_logs_out_the_other_browser(
    site, page, browser, axe, csp_violations, language
):
    words = TEXT[language]
    parent = UserFactory(email=f"sessions-{language}@example.org")
    other = browser.new_context()
    other_page = other.new_page()
    log_in(other_page, site, language, parent.email)
    log_in(page, site, language, parent.email)

    page.goto(f"{site}/{language}/accounts/sessions/")
    expect(page.locator("h1")).to_have_text(words["sessions"])
    assert page.locator(".security-events li").count() == 2
    axe(page)
    page.get_by_role("button", name=words["elsewhere"]).click()
    expect(page.locator(".security-events li")).to_have_count(1)

    other_page.goto(f"{site}/{language}/journal/")
    expect(other_page).to_have_url(re.compile("/accounts/login/"))
    other.close()
    assert csp_violations == []


class ServerClock:
    """The server's idea of now for sessions (hechting/accounts/sessions.py), moved by hand."""

    def __init__(self, moment: int):
        self.moment = moment

    def __call__(self) -> int:
        return self.moment


@pytest.fixture
def clocks(page, monkeypatch):
    """The server's and the page's clocks, both moved only by the test: ``clocks(seconds)``
    moves both by that many seconds and runs the page's timers that fall due."""
    server = ServerClock(int(time.time()))
    monkeypatch.setattr(sessions, "now", server)
    page.clock.install(time=server.moment)

    def advance(seconds: int) -> None:
        server.moment += seconds
        page.clock.run_for(seconds * 1000)

    return advance


@pytest.mark.parametrize("language", ["nl", "en"])
def test_a_quiet_page_warns_first_then_says_it_logged_out_and_keeps_the_text(
    site, page, axe, settings, clocks, language
):
    """Thirty quiet minutes, the notice three minutes before: exact, whatever the machine does."""
    words = TEXT[language]
    timeout, warning = settings.IDLE_TIMEOUT, settings.IDLE_WARNING
    assert (timeout, warning) == (1800, 180)
    parent = UserFactory(email=f"idle-{language}@example.org")
    log_in(page, site, language, parent.email)
    expect(page.locator("h1")).to_have_text(words["journal"])
    # Type only once journal.js has set up the draft forms: words typed before that count as
    # already sent, and no draft would ever go out.
    expect(page.locator("form[data-draft]:not([data-draft-checked])")).to_have_count(0)
    page.locator("textarea").first.fill("We read a book together")
    notice = page.get_by_role("status").get_by_text(words["notice"])
    # The draft goes to the server a second after the last key (journal.js). Let it land now,
    # under a minute after logging in, so it moves no activity time; a later clock jump would
    # otherwise race with it.
    with page.expect_response(lambda r: "/drafts/" in r.url and r.request.method == "POST"):
        clocks(1)

    clocks(timeout - warning - 2)  # one second before the notice is due: nothing yet
    expect(notice).to_be_hidden()
    clocks(1)
    expect(notice).to_be_visible()
    axe(page)
    page.get_by_role("button", name=words["stay"]).click()  # activity: thirty minutes again
    expect(notice).to_be_hidden()

    clocks(timeout - warning)
    expect(notice).to_be_visible()
    clocks(warning + 1)  # the minute is over: the server has ended the session
    expect(page.get_by_text(words["ended"])).to_be_visible()
    axe(page)
    expect(page.locator("textarea").first).to_have_value("We read a book together")
    page.goto(f"{site}/{language}/journal/")
    expect(page).to_have_url(re.compile("/accounts/login/"))


@pytest.mark.parametrize("language", ["nl", "en"])
def test_escape_twice_leaves_without_the_journal_in_the_back_history(
    site, page, axe, settings, language
):
    words = TEXT[language]
    settings.QUICK_EXIT_URL = f"{site}/robots.txt"  # a neutral page; the tests have no internet
    parent = UserFactory(email=f"exit-{language}@example.org")
    log_in(page, site, language, parent.email)
    page.goto(f"{site}/{language}/learn/")
    page.goto(f"{site}/{language}/journal/")
    expect(page.get_by_role("link", name=re.compile(words["exit"]))).to_be_visible()
    axe(page)
    length = page.evaluate("history.length")

    page.keyboard.press("Escape")
    page.keyboard.press("Escape")
    expect(page).to_have_url(f"{site}/robots.txt")
    assert page.evaluate("history.length") == length
    page.go_back()
    expect(page).to_have_url(f"{site}/{language}/learn/")


def test_the_quick_exit_link_replaces_the_page_when_clicked(site, page, settings):
    settings.QUICK_EXIT_URL = f"{site}/robots.txt"
    parent = UserFactory(email="exit-click@example.org")
    log_in(page, site, "en", parent.email)
    page.goto(f"{site}/en/learn/")
    page.goto(f"{site}/en/journal/")
    page.get_by_role("link", name=re.compile("Leave quickly")).click()
    expect(page).to_have_url(f"{site}/robots.txt")
    page.go_back()
    expect(page).to_have_url(f"{site}/en/learn/")


def test_the_quick_exit_link_works_without_javascript(site, browser, settings):
    settings.QUICK_EXIT_URL = f"{site}/robots.txt"
    parent = UserFactory(email="exit-nojs@example.org")
    context = browser.new_context(java_script_enabled=False)
    page = context.new_page()
    log_in(page, site, "nl", parent.email)
    page.goto(f"{site}/nl/journal/")
    page.get_by_role("link", name=re.compile("Snel weg")).click()
    expect(page).to_have_url(f"{site}/robots.txt")
    context.close()


@pytest.mark.parametrize("language", ["nl", "en"])
def test_the_help_page_with_the_quick_exit_paragraph_is_accessible(site, page, axe, language):
    parent = UserFactory(email=f"help-{language}@example.org")
    log_in(page, site, language, parent.email)
    page.goto(f"{site}/{language}/learn/help/")
    expect(page.locator("#quick-exit")).to_be_visible()
    axe(page)


@pytest.mark.parametrize("language", ["nl", "en"])
def test_the_account_page_footer_names_the_version_and_passes_axe_light_and_dark(
    site, page, axe, language
):
    parent = UserFactory(email=f"version-{language}@example.org")
    log_in(page, site, language, parent.email)
    expect(page.locator("h1")).to_have_text(TEXT[language]["journal"])
    page.goto(f"{site}/{language}/account/")
    word = {"nl": "versie", "en": "version"}[language]
    expect(page.locator("footer")).to_contain_text(f"Hechting {word} {settings.VERSION}")
    assert_accessible_light_and_dark(page)
