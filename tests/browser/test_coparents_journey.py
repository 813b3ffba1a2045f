"""Two parents, one child, in a real browser: Alice invites Bob for Noor, Bob accepts, Alice shares
one moment and keeps one private, Bob sees only the shared one and adds a note, Alice sees the
note, Alice ends the link and Bob sees nothing of her any more. axe checks every page, in Dutch
and in English, light and dark."""

import re

import pytest
from playwright.sync_api import expect

from tests.browser.conftest import assert_accessible_light_and_dark
from tests.browser.journeys import log_in
from tests.factories import PASSWORD, ChildFactory, UserFactory
from tests.reading import as_shown

SHARED = "Samen de trap op geteld"
PRIVATE = "Alleen voor mijn ogen vanavond"
NOTE = "Ik zag het ook, bij mij ging het net zo"

TEXT = {
    "nl": {
        "send": "Uitnodiging versturen",
        "have_account": "Ik heb al een account",
        "yes": "Ja, samen bijhouden",
        "answer": "Mijn antwoord versturen",
        "share": "Dit moment delen met mijn mede-ouder",
        "save": "Moment bewaren",
        "save_note": "Notitie bewaren",
        "end": "Stoppen met samen bijhouden",
        "end_now": "Nu stoppen",
        "ended": "Het gedeelde dagboek over Noor is gestopt.",
        "together": "Samen",
    },
    "en": {
        "send": "Send the invitation",
        "have_account": "I already have an account",
        "yes": "Yes, keep it together",
        "answer": "Send my answer",
        "share": "Share this moment with my co-parent",
        "save": "Save moment",
        "save_note": "Save note",
        "end": "End this shared journal",
        "end_now": "End it now",
        "ended": "This shared journal about Noor ended.",
        "together": "Together",
    },
}


def _note_a_moment(page, site, language, words, text, *, share):
    page.goto(f"{site}/{language}/journal/new/")
    page.fill("textarea[name=what_happened]", text)
    if share:
        page.get_by_label(words["share"]).check()
    page.get_by_role("button", name=words["save"]).click()
    expect(page).to_have_url(re.compile(rf"/{language}/journal/"))


@pytest.mark.parametrize("language", ["nl", "en"])
def test_two_parents_keep_a_journal_together_and_one_ends_it(
    site, page, browser, axe, mailoutbox, language
):
    words = TEXT[language]
    alice = UserFactory(email=f"alice-{language}@example.org")
    bob = UserFactory(email=f"bob-{language}@example.org")
    ChildFactory(owner=alice, nickname="Noor")

    # Alice invites Bob from her children page.
    log_in(page, site, language, alice.email, f"/{language}/journal/children/")
    page.locator(f"a[href='/{language}/together/']").click()
    assert_accessible_light_and_dark(page)
    page.fill("input[name=email]", bob.email)
    page.fill("input[name=inviter_name]", "Mama")
    page.get_by_role("button", name=words["send"]).click()
    # Inviting asks for the password again; after it, the invitation is sent (no JavaScript).
    expect(page).to_have_url(re.compile(r"/accounts/reauthenticate/\?next="))
    axe(page)
    page.fill("input[name=password]", PASSWORD)
    page.locator("main form button[type=submit]").first.click()
    expect(page).to_have_url(re.compile(rf"/{language}/together/$"))
    assert_accessible_light_and_dark(page)
    mail = next(m for m in mailoutbox if m.to == [bob.email])
    url = re.search(r"https?://\S+/together/i/\S+/", mail.body).group(0)
    assert "Noor" not in mail.body

    # Bob opens it in his own browser, logs in and says yes.
    context = browser.new_context(
        viewport={"width": 390, "height": 844}, locale="nl-NL" if language == "nl" else "en-GB"
    )
    bob_page = context.new_page()
    bob_page.goto(site + re.sub(r"^https?://[^/]+", "", url))
    expect(bob_page).to_have_url(re.compile(r"/together/invitation/[0-9a-f-]+/$"))
    expect(bob_page.get_by_text("Noor").first).to_be_visible()
    assert_accessible_light_and_dark(bob_page)
    bob_page.get_by_role("link", name=words["have_account"]).click()
    bob_page.fill("input[name=login]", bob.email)
    bob_page.fill("input[name=password]", PASSWORD)
    bob_page.locator("main form button[type=submit]").first.click()
    expect(bob_page).to_have_url(re.compile(r"/together/invitation/[0-9a-f-]+/$"))
    assert_accessible_light_and_dark(bob_page)
    bob_page.get_by_label(words["yes"]).check()
    bob_page.fill("input[name=name]", "Papa")
    bob_page.get_by_role("button", name=words["answer"]).click()
    expect(bob_page).to_have_url(re.compile(rf"/{language}/together/$"))
    assert_accessible_light_and_dark(bob_page)

    # Alice shares one moment and keeps one private.
    _note_a_moment(page, site, language, words, SHARED, share=True)
    _note_a_moment(page, site, language, words, PRIVATE, share=False)
    assert_accessible_light_and_dark(page)

    # Bob sees only the shared one, signed with Alice's chosen name, and adds a note.
    bob_page.goto(f"{site}/{language}/journal/?view=together")
    expect(bob_page.get_by_text(SHARED)).to_be_visible()
    assert PRIVATE not in bob_page.content()
    assert_accessible_light_and_dark(bob_page)
    bob_page.locator("article.moment--shared h4 a").first.click()
    expect(bob_page).to_have_url(re.compile(r"/together/moments/\d+/$"))
    assert_accessible_light_and_dark(bob_page)
    bob_page.fill("textarea[name=words]", NOTE)
    bob_page.get_by_role("button", name=words["save_note"]).click()
    expect(bob_page.get_by_text(NOTE)).to_be_visible()
    assert_accessible_light_and_dark(bob_page)

    # Alice sees the note on her moment.
    page.goto(f"{site}/{language}/journal/")
    page.locator("article.moment h4 a").nth(1).click()
    expect(page.get_by_text(NOTE)).to_be_visible()
    assert_accessible_light_and_dark(page)

    # Alice ends the link; from Bob's next request nothing of her is left.
    page.goto(f"{site}/{language}/together/")
    page.get_by_role("link", name=re.compile(words["end"])).click()
    assert_accessible_light_and_dark(page)
    page.get_by_role("button", name=words["end_now"]).click()
    expect(page).to_have_url(re.compile(rf"/{language}/together/$"))

    for path in ["/journal/?view=together", "/journal/", "/together/"]:
        bob_page.goto(f"{site}/{language}{path}")
        html = bob_page.content()
        assert SHARED not in html
        assert PRIVATE not in html
    expect(bob_page.get_by_text(as_shown(words["ended"]))).to_be_visible()
    assert_accessible_light_and_dark(bob_page)
    context.close()
