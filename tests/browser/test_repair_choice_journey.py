"""A parent notes a mismatch, then says it was fine already, in a real browser, in Dutch and
English, with and without JavaScript: the moment leaves "no repair written down yet", and the
look back of that week reads as sentences (no tallies, no list of open mismatches). axe checks
every page, light and dark."""

import re

import pytest
from playwright.sync_api import expect

from reflect.models import Moment
from tests.browser.journeys import log_in
from tests.factories import UserFactory

WORDS = {
    "nl": {
        "save": "Moment bewaren",
        "no_repair": "Herstel nog niet opgeschreven.",
        "write": "Schrijf op hoe jullie weer verbonden raakten",
        "fine": "Het was al goed",
        "noted_fine": "Je schreef op dat het al goed was.",
        "look_back": "Terugblik",
        "noted": "Je schreef één moment op waarin jullie uit de pas liepen.",
        "s_line": "Soothed (getroost) kwam voor in één moment.",
        "calm": "Niet elke S komt elke week voor.",
    },
    "en": {
        "save": "Save moment",
        "no_repair": "No repair written down yet.",
        "write": "Write how you reconnected",
        "fine": "It was fine already",
        "noted_fine": "You noted that it was fine already.",
        "look_back": "Look back",
        "noted": "You noted one moment when you were out of tune.",
        "s_line": "Soothed came up in one moment.",
        "calm": "Not every S comes up every week.",
    },
}


def check(page, axe):
    """axe in the light and in the dark."""
    axe(page)
    page.emulate_media(color_scheme="dark")
    axe(page)
    page.emulate_media(color_scheme="light")


def it_was_fine_already(page, site, axe, language, javascript):
    words = WORDS[language]
    parent = UserFactory(email=f"fine-{language}-{int(javascript)}@example.org")
    log_in(page, site, language, parent.email)

    # A mismatch, from the quick-add box, touching Soothed.
    page.fill("#id_what_happened", "Too rushed at the school gate")
    page.locator("label[for=id_four_s_soothed]").click()
    page.locator("label[for=id_kind_1]").click()
    page.get_by_role("button", name=words["save"]).click()
    card = page.locator(".moment", has_text="Too rushed at the school gate")
    expect(card).to_contain_text(words["no_repair"])
    expect(card.get_by_role("link", name=words["write"])).to_be_visible()
    expect(card.get_by_role("button", name=words["fine"])).to_be_visible()
    check(page, axe)

    # It was fine already: the moment leaves the "no repair written down" state.
    card.get_by_role("button", name=words["fine"]).click()
    expect(page).to_have_url(re.compile(rf"/{language}/journal/moments/\d+/$"))
    expect(page.locator("main")).to_contain_text(words["noted_fine"])
    expect(page.locator("main")).not_to_contain_text(words["no_repair"])
    check(page, axe)
    assert Moment.objects.get(owner=parent).repair_status == "not_needed"
    page.goto(f"{site}/{language}/journal/")
    expect(page.locator(".moment").first).not_to_contain_text(words["no_repair"])

    # The look back of this week reads as sentences, without a count of what did not happen.
    page.get_by_role("navigation", name=re.compile("Main|Hoofdmenu", re.I)).get_by_role(
        "link", name=words["look_back"]
    ).click()
    main = page.locator("main")
    expect(main.locator(".reflection").first).to_have_text(words["noted"])
    expect(main.locator(".s-line")).to_have_text([words["s_line"]])
    expect(main.locator(".look-back__four-s")).to_contain_text(words["calm"])
    expect(main.locator(".open-list, .counts")).to_have_count(0)
    assert not re.search(r"(?<![\d.:])0(?![\d.:])", main.locator(".look-back__four-s").inner_text())
    expect(main.locator("svg[role=img]")).to_have_count(2)
    expect(main.locator("details.chart__table table")).to_have_count(2)
    check(page, axe)


@pytest.mark.parametrize("language", ["nl", "en"])
def test_a_parent_marks_a_mismatch_as_fine_already(site, page, axe, language):
    it_was_fine_already(page, site, axe, language, javascript=True)


def test_it_was_fine_already_works_without_javascript(site, browser, browser_context_args):
    context = browser.new_context(**browser_context_args, java_script_enabled=False)
    page = context.new_page()

    def no_axe(page):
        """axe runs as a script, which this context forbids; the same pages pass axe above."""

    try:
        it_was_fine_already(page, site, no_axe, "nl", javascript=False)
    finally:
        context.close()
