"""A parent keeps a journal in a real browser, in Dutch and English, with and without JavaScript:
add a child, a moment of connection, a mismatch, repair it later, filter "no repair written
down yet", search, edit, delete. axe checks every journal page."""

import re

import pytest
from playwright.sync_api import expect

from reflect.models import Child, Moment
from tests.browser.journeys import log_in
from tests.factories import UserFactory

WORDS = {
    "nl": {
        "add_child": "Kind toevoegen",
        "save": "Moment bewaren",
        "mismatch": "uit de pas (mismatch)",
        "open": "Herstel nog niet opgeschreven.",
        "note_repair": "Schrijf op hoe jullie weer verbonden raakten",
        "save_repair": "Herstel bewaren",
        "reconnected": "Jullie vonden elkaar weer op",
        "filters": "Filters",
        "show_open": "herstel nog niet opgeschreven",
        "show": "Laat momenten zien",
        "edit": "Aanpassen",
        "save_changes": "Wijzigingen bewaren",
        "delete": "Verwijderen",
        "confirm": "Ja, verwijder dit moment",
        "saved": "Je moment is bewaard.",
        "feelings": "Gevoelens",
        "repair_summary": "Herstel (na een moment uit de pas)",
    },
    "en": {
        "add_child": "Add child",
        "save": "Save moment",
        "mismatch": "out of tune (mismatch)",
        "open": "No repair written down yet.",
        "note_repair": "Write how you reconnected",
        "save_repair": "Save repair",
        "reconnected": "You found each other again on",
        "filters": "Filters",
        "show_open": "no repair written down yet",
        "show": "Show moments",
        "edit": "Edit",
        "save_changes": "Save changes",
        "delete": "Delete",
        "confirm": "Yes, delete this moment",
        "saved": "Your moment is saved.",
        "feelings": "Feelings",
        "repair_summary": "Repair (after a moment out of tune)",
    },
}


def keep_a_journal(page, site, axe, language, javascript):
    words = WORDS[language]
    journal = f"{site}/{language}/journal/"
    parent = UserFactory(email=f"journey-{language}-{int(javascript)}@example.org")
    log_in(page, site, language, parent.email)
    axe(page)

    # A child, by nickname.
    page.goto(f"{journal}children/")
    axe(page)
    page.fill("#id_nickname", "Noor")
    page.select_option("#id_birth_month", "5")
    page.fill("#id_birth_year", "2021")
    page.get_by_role("button", name=words["add_child"]).click()
    expect(page.locator(".child-list")).to_contain_text("Noor")
    axe(page)
    assert Child.objects.get(owner=parent).nickname == "Noor"

    # A moment of connection from the quick-add box, touching Seen.
    page.goto(journal)
    page.fill("#id_what_happened", "We read the bear book and laughed")
    page.locator("label[for=id_four_s_seen]").click()
    page.get_by_role("button", name=words["save"]).click()
    if javascript:
        expect(page.locator("#journal-status")).to_contain_text(words["saved"])
        expect(page.locator(".moment").first).to_be_focused()
        expect(page.locator("#id_what_happened")).to_have_value("")
    expect(page.locator(".moment").first).to_contain_text("We read the bear book")
    axe(page)

    # A mismatch.
    page.fill("#id_what_happened", "I snapped at bedtime")
    page.locator("label[for=id_kind_1]").click()
    page.get_by_role("button", name=words["save"]).click()
    expect(page.locator(".moment", has_text="I snapped at bedtime")).to_contain_text(words["open"])
    axe(page)
    mismatch = Moment.objects.get(owner=parent, kind="mismatch")
    assert mismatch.child.nickname == "Noor"  # the only child was preselected
    assert mismatch.is_open_for_repair

    # Filter: no repair written down yet.
    page.locator("#journal-filters summary").click()
    page.select_option("#id_show", "open")
    page.get_by_role("button", name=words["show"]).click()
    expect(page.locator(".moment")).to_have_count(1)
    expect(page.locator(".moment")).to_contain_text("I snapped at bedtime")
    assert "show=open" in page.url
    axe(page)

    # Repair it later.
    page.get_by_role("link", name=words["note_repair"]).click()
    axe(page)
    page.fill("#id_repair_how", "We sat on the stairs and I said sorry")
    page.get_by_role("button", name=words["save_repair"]).click()
    expect(page.locator("main")).to_contain_text(words["reconnected"])
    expect(page.locator("main")).to_contain_text("We sat on the stairs")
    axe(page)
    mismatch.refresh_from_db()
    assert mismatch.is_repaired

    # Search.
    page.goto(journal)
    page.fill("input[name=q]", "bear")
    page.get_by_role("button", name=words["show"]).click()
    expect(page.locator(".moment")).to_have_count(1)
    expect(page.locator(".moment")).to_contain_text("We read the bear book")
    axe(page)

    # Edit: the same moment, new words.
    page.locator(".moment__title a").first.click()
    axe(page)
    page.get_by_role("link", name=words["edit"]).click()
    axe(page)
    page.fill("#id_what_happened", "We read the bear book twice and laughed")
    page.get_by_role("button", name=words["save_changes"]).click()
    expect(page.locator("main")).to_contain_text("bear book twice")
    connection = Moment.objects.get(owner=parent, kind="connection")
    assert connection.what_happened == "We read the bear book twice and laughed"
    assert connection.seen

    # Delete, after confirming.
    page.get_by_role("link", name=words["delete"]).click()
    page.wait_for_url(re.compile(r"/delete/$"))
    axe(page)
    page.get_by_role("button", name=words["confirm"]).click()
    expect(page).to_have_url(re.compile(f"/{language}/journal/$"))
    expect(page.locator(".moment")).to_have_count(1)
    assert not Moment.objects.filter(pk=connection.pk).exists()

    # The full add page, with an S preselected from a learn page link.
    page.goto(f"{journal}new/?s=soothed&kind=mismatch")
    expect(page.locator("#id_four_s_soothed")).to_be_checked()
    if javascript:
        expect(page.locator("summary", has_text=words["repair_summary"])).to_be_visible()
    axe(page)


@pytest.mark.parametrize("language", ["nl", "en"])
def test_a_parent_keeps_a_journal_with_javascript(site, page, axe, language):
    keep_a_journal(page, site, axe, language, javascript=True)


@pytest.mark.parametrize("language", ["nl", "en"])
def test_a_parent_keeps_a_journal_without_javascript(
    site, browser, browser_context_args, axe, language
):
    context = browser.new_context(**browser_context_args, java_script_enabled=False)
    page = context.new_page()

    def no_axe(page):
        """axe runs as a script, which this context forbids; the same pages pass axe above."""

    try:
        keep_a_journal(page, site, no_axe, language, javascript=False)
    finally:
        context.close()


def test_an_invalid_quick_add_keeps_the_words_and_focuses_the_problem(site, page, axe):
    parent = UserFactory(email="errors@example.org")
    log_in(page, site, "en", parent.email)
    page.locator("summary", has_text="Feelings").click()
    page.fill("#id_felt", "Tired but hopeful")
    page.get_by_role("button", name="Save moment").click()
    expect(page.locator("#id_what_happened")).to_be_focused()
    expect(page.locator("#id_felt")).to_have_value("Tired but hopeful")
    expect(page.locator("main")).to_contain_text("Write a few words about what happened")
    axe(page)
    assert not Moment.objects.exists()


def test_the_journal_passes_axe_in_the_dark_with_a_full_page(
    site, browser, browser_context_args, axe
):
    context = browser.new_context(**browser_context_args, color_scheme="dark")
    page = context.new_page()
    try:
        parent = UserFactory(email="dark@example.org")
        Moment.objects.bulk_create(
            Moment(
                owner=parent, what_happened=f"Evening {n}", kind="mismatch", repair_status="open"
            )
            for n in range(30)
        )
        log_in(page, site, "nl", parent.email)
        axe(page)
        page.goto(f"{site}/nl/journal/?page=2")
        axe(page)
    finally:
        context.close()
