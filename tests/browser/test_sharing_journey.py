"""Sharing in a real browser: a counsellor invites, a new parent signs up through the invitation
and shares the look back, the counsellor reads it, the parent stops it and the counsellor's next
request fails. And a parent's own link, opened in a fresh browser. axe checks every sharing and
counsellor page, in Dutch and in English."""

import re
from urllib.parse import urlsplit

import pytest
from django.contrib.auth import get_user_model
from playwright.sync_api import expect

from reflect.sharing.models import CounsellorProfile, ShareLink
from tests.browser.journeys import log_in
from tests.factories import PASSWORD, MomentFactory, UserFactory

NEW_PASSWORD = "een rustige avond aan zee"

TEXT = {
    "nl": {
        "make_invitation": "Maak een uitnodiging",
        "make_it": "Maak de uitnodiging",
        "start": "Begin je dagboek",
        "share_summaries": "Ja: mijn terugblik, zonder de woorden van mijn momenten",
        "confirm": "Bevestigen",
        "open": "Open de terugblik",
        "stop": "Stop deze link",
        "stopped": "Gestopt op",
        "ended": "Deze link werkt niet meer",
        "shared": "Een terugblik van Alice",
        "make_link": "Maak de link",
        "words": "De terugblik en de woorden van mijn momenten",
        "last_day": "Pas de laatste dag aan",
        "profile": "Je gegevens aanpassen",
        "see": "Bekijk wat zij zien",
    },
    "en": {
        "make_invitation": "Make an invitation",
        "make_it": "Make the invitation",
        "start": "Start your journal",
        "share_summaries": "Yes: my look back, without the words of my moments",
        "confirm": "Confirm",
        "open": "Open the look back",
        "stop": "Stop this link",
        "stopped": "Stopped on",
        "ended": "This link no longer works",
        "shared": "A look back from Alice",
        "make_link": "Make the link",
        "words": "The look back and the words of my moments",
        "last_day": "Change the last day",
        "profile": "Change your details",
        "see": "See what they see",
    },
}


def _password_again(page, password):
    """Sharing asks for the password again; after it, what was chosen is done (no JavaScript)."""
    expect(page).to_have_url(re.compile(r"/accounts/reauthenticate/\?next="))
    page.fill("input[name=password]", password)
    page.locator("main form button[type=submit]").first.click()


def _fresh_page(browser, language):
    context = browser.new_context(
        viewport={"width": 390, "height": 844}, locale="nl-NL" if language == "nl" else "en-GB"
    )
    return context, context.new_page()


@pytest.mark.parametrize("language", ["nl", "en"])
def test_an_invited_parent_shares_and_stops_and_the_counsellor_sees_it_end(
    site, page, browser, axe, mailoutbox, language
):
    words = TEXT[language]
    counsellor = UserFactory(email=f"charlie-{language}@example.org")
    CounsellorProfile.objects.create(user=counsellor, name="Charlie", practice="De Linde")

    # The public page for counsellors.
    page.goto(f"{site}/{language}/share/counsellors/")
    axe(page)

    # The counsellor makes an invitation.
    log_in(page, site, language, counsellor.email, f"/{language}/share/dashboard/")
    axe(page)
    page.get_by_role("link", name=words["make_invitation"]).click()
    axe(page)
    page.fill("textarea[name=note]", "Fijn dat je er bent. Tot dinsdag!")
    page.select_option("select[name=focus]", "s:soothed")
    page.get_by_role("button", name=words["make_it"]).click()
    expect(page).to_have_url(re.compile(r"/share/invitations/[0-9a-f-]+/created/$"))
    axe(page)
    invitation_url = page.locator("#new-link").input_value()
    assert "/share/i/" in invitation_url
    page.goto(f"{site}/{language}/share/counsellor/")
    axe(page)
    page.goto(f"{site}/{language}/share/dashboard/")
    page.get_by_role("link", name=re.compile(words["last_day"])).first.click()
    axe(page)

    # A new parent opens it in their own browser, signs up and agrees to share summaries.
    context, parent_page = _fresh_page(browser, language)
    parent_page.goto(invitation_url)
    expect(parent_page).to_have_url(re.compile(r"/share/invitation/[0-9a-f-]+/$"))
    expect(parent_page.get_by_text("Tot dinsdag!")).to_be_visible()
    axe(parent_page)
    parent_page.get_by_role("link", name=words["start"]).click()
    parent_page.fill("input[name=email]", f"new-{language}@example.org")
    parent_page.fill("input[name=password1]", NEW_PASSWORD)
    parent_page.fill("input[name=password2]", NEW_PASSWORD)
    parent_page.locator("main form button[type=submit]").first.click()
    # The address first: the link from the mail, in this browser, carries on to the question.
    expect(parent_page).to_have_url(re.compile(r"/accounts/confirm-email/$"))
    mail = next(m for m in mailoutbox if m.to == [f"new-{language}@example.org"])
    link = re.search(r"https?://\S+/accounts/confirm-email/\S+", mail.body).group(0)
    parent_page.goto(site + urlsplit(link).path)
    parent_page.locator("main form button[type=submit]").first.click()
    expect(parent_page).to_have_url(re.compile(r"/share/invitation/[0-9a-f-]+/answer/$"))
    axe(parent_page)
    parent_page.get_by_label(words["share_summaries"]).check()
    parent_page.fill("input[name=client_name]", "Alice")
    parent_page.get_by_role("button", name=words["confirm"]).click()
    _password_again(parent_page, NEW_PASSWORD)
    expect(parent_page).to_have_url(re.compile(f"/{language}/share/$"))
    axe(parent_page)
    parent = get_user_model().objects.get(email=f"new-{language}@example.org")
    MomentFactory(owner=parent, what_happened="Samen soep gekookt op zondag")
    assert ShareLink.objects.get(owner=parent).scope == "summaries"

    # The counsellor sees that client's summary, without the words of the moments.
    page.goto(f"{site}/{language}/share/dashboard/")
    expect(page.get_by_text("Alice").first).to_be_visible()
    axe(page)
    page.get_by_role("link", name=re.compile(words["open"])).click()
    expect(page.locator("h1")).to_have_text(words["shared"])
    assert "Samen soep gekookt" not in page.content()
    axe(page)
    shared_url = page.url

    # The parent stops the link (one click, htmx swaps the list).
    parent_page.reload()
    parent_page.get_by_role("button", name=re.compile(words["stop"])).click()
    expect(parent_page.get_by_text(words["stopped"])).to_be_visible()

    # The counsellor's next request fails.
    response = page.goto(shared_url)
    assert response.status == 410
    expect(page.locator("h1")).to_have_text(words["ended"])
    axe(page)
    context.close()


@pytest.mark.parametrize("language", ["nl", "en"])
def test_a_parents_link_opens_in_a_fresh_browser_without_the_token(
    site, page, browser, axe, language
):
    words = TEXT[language]
    parent = UserFactory(email=f"alice-{language}@example.org")
    MomentFactory(owner=parent, what_happened="Voorlezen onder een deken")

    log_in(page, site, language, parent.email, f"/{language}/share/")
    axe(page)
    page.get_by_label(words["words"]).check()
    page.get_by_role("button", name=words["make_link"]).click()
    _password_again(page, PASSWORD)
    expect(page).to_have_url(re.compile(r"/share/links/[0-9a-f-]+/created/$"))
    axe(page)
    link_url = page.locator("#new-link").input_value()
    token = link_url.rstrip("/").rsplit("/", 1)[-1]
    page.goto(f"{site}/{language}/share/")
    page.get_by_role("link", name=re.compile(words["see"])).first.click()
    axe(page)

    context, visitor = _fresh_page(browser, language)
    response = visitor.goto(link_url)
    assert response.headers["referrer-policy"] == "no-referrer"
    assert "noindex" in response.headers["x-robots-tag"]
    assert "no-store" in response.headers["cache-control"]
    expect(visitor).to_have_url(re.compile(r"/share/view/[0-9a-f-]+/$"))
    assert token not in visitor.url
    expect(visitor.get_by_text("Voorlezen onder een deken")).to_be_visible()
    axe(visitor)
    context.close()

    page.goto(f"{site}/{language}/share/")
    axe(page)
