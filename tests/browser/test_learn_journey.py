"""A parent reads the learn pages on a phone, at night and in daylight, in Dutch and English."""

import datetime
import re

import pytest
from django.utils import timezone
from playwright.sync_api import expect

from hechting.learn.pages import PAGES
from tests.browser.journeys import log_in
from tests.factories import UserFactory

LANGUAGES = {
    "nl": {"start": "Begin met lezen", "next": "Volgende", "help": "Hulp en grenzen"},
    "en": {"start": "Start reading", "next": "Next", "help": "Help and limits"},
}


@pytest.mark.parametrize("language", LANGUAGES)
def test_a_parent_reads_every_page_in_order_and_finds_help(site, page, axe, language):
    words = LANGUAGES[language]
    page.goto(f"{site}/{language}/learn/")
    expect(page.locator("html")).to_have_attribute("lang", language)
    axe(page)

    page.get_by_role("link", name=words["start"]).click()
    for number, learn_page in enumerate(PAGES):
        expect(page).to_have_url(f"{site}/{language}/learn/{learn_page.slug}/")
        expect(page.get_by_role("heading", level=1)).to_have_text(learn_page.title[language])
        for scheme in ("light", "dark"):
            page.emulate_media(color_scheme=scheme)
            axe(page)
        if number + 1 < len(PAGES):
            page.get_by_role("navigation", name=re.compile("order|volgorde", re.I)).get_by_role(
                "link", name=re.compile(words["next"])
            ).click()
    page.emulate_media(color_scheme="light")

    page.get_by_role("contentinfo").get_by_role("link", name=words["help"]).click()
    expect(page).to_have_url(f"{site}/{language}/learn/help/")
    expect(page.get_by_role("heading", level=1)).to_have_text(words["help"])
    expect(page.get_by_role("link", name="112")).to_have_attribute("href", "tel:112")
    for scheme in ("light", "dark"):
        page.emulate_media(color_scheme=scheme)
        axe(page)


def test_the_print_view_shows_the_text_without_navigation(site, page):
    page.goto(f"{site}/nl/learn/mismatch-and-repair/")
    header_nav = page.get_by_role("navigation", name="Hoofdmenu")
    expect(header_nav).to_be_visible()

    page.emulate_media(media="print")

    expect(page.locator(".site-header nav")).to_be_hidden()
    expect(page.locator(".pager")).to_be_hidden()
    expect(page.locator(".toc")).to_be_hidden()
    expect(page.locator(".site-footer")).to_be_hidden()
    expect(page.get_by_role("heading", level=1)).to_be_visible()
    expect(page.get_by_role("heading", name="Het Still Face-onderzoek")).to_be_visible()
    expect(page.get_by_role("img", name="Het Still Face-onderzoek in drie stappen")).to_be_visible()
    expect(page.get_by_text("Het is nooit te laat om te herstellen.")).to_be_visible()
    expect(page.get_by_text("Gebaseerd op:")).to_be_visible()


def test_an_s_page_leads_into_the_journal_with_that_s(site, page):
    page.goto(f"{site}/en/learn/seen/")
    link = page.get_by_role("link", name="Note a moment about Seen")

    expect(link).to_have_attribute("href", "/en/journal/new/?s=seen")


def test_a_section_anchor_scrolls_to_its_heading(site, page):
    page.goto(f"{site}/en/learn/the-developing-brain/")
    page.get_by_role("navigation", name="On this page").get_by_role(
        "link", name="Without words"
    ).click()

    expect(page).to_have_url(re.compile(r"#without-words$"))
    expect(page.locator("#without-words")).to_be_in_viewport()


BAND_WORDS = {
    "nl": {"add": "Kind toevoegen", "toddler": "Peuter", "yours": "de leeftijd van je kind"},
    "en": {"add": "Add child", "toddler": "Toddler", "yours": "your child's age"},
}


@pytest.mark.parametrize("language", LANGUAGES)
def test_a_parent_who_gives_a_birth_month_sees_that_childs_band_first(site, page, axe, language):
    words = BAND_WORDS[language]
    UserFactory(email="alice@example.org")
    log_in(page, site, language, "alice@example.org")

    # Before a birth month: every band, baby first.
    page.goto(f"{site}/{language}/learn/safe/")
    bands = page.locator(".age-band h3")
    expect(bands).to_have_count(4)
    expect(bands.first).to_contain_text("Baby")
    expect(page.locator(".age-band__yours")).to_have_count(0)

    # The children page: a child of about two and a half.
    born = timezone.localdate() - datetime.timedelta(days=30 * 30)
    page.goto(f"{site}/{language}/journal/children/")
    page.fill("#id_nickname", "Noor")
    page.select_option("#id_birth_month", str(born.month))
    page.fill("#id_birth_year", str(born.year))
    page.get_by_role("button", name=words["add"]).click()
    expect(page.locator(".child-list__name", has_text="Noor")).to_be_visible()

    for slug in ("safe", "seen", "soothed", "secure"):
        page.goto(f"{site}/{language}/learn/{slug}/")
        expect(bands).to_have_count(4)
        expect(bands.first).to_contain_text(words["toddler"])
        expect(bands.first.locator(".age-band__yours")).to_have_text(words["yours"])
        expect(page.locator(".age-band__yours")).to_have_count(1)
    for scheme in ("light", "dark"):
        page.emulate_media(color_scheme=scheme)
        axe(page)
    page.emulate_media(color_scheme="light")

    # The journal's prompts put the toddler's question first too.
    page.goto(f"{site}/{language}/journal/new/")
    page.locator("details.prompts > summary").click()
    first_age = page.locator(".prompts__group--safe .prompts__age").first
    expect(first_age).to_have_text(f"{words['toddler']}:")


@pytest.mark.parametrize("language", LANGUAGES)
def test_the_repair_card_prints_alone_on_one_a5_page(site, page, language):
    page.goto(f"{site}/{language}/learn/repair-card/")
    card = page.locator(".repair-card")
    expect(card.locator("dt")).to_have_count(5)

    page.emulate_media(media="print")
    expect(card).to_be_visible()
    expect(page.locator(".learn-page > header")).to_be_hidden()
    expect(page.locator(".learn-sources")).to_be_hidden()
    expect(page.locator(".learn-body > .lead")).to_be_hidden()

    pdf = page.pdf(prefer_css_page_size=True)
    assert len(re.findall(rb"/Type\s*/Page[^s]", pdf)) == 1
    # A5 is 148 x 210 mm: 420 x 595 points.
    box = re.search(rb"/MediaBox\s*\[\s*0 0 ([\d.]+) ([\d.]+)\s*\]", pdf)
    assert box
    assert (round(float(box[1])), round(float(box[2]))) == (420, 595)


def test_the_drawings_stay_visible_in_the_dark_and_in_print(site, page, axe):
    page.goto(f"{site}/en/learn/mismatch-and-repair/")
    for name in ("In tune, out of tune, and repair", "The Still Face study in three steps"):
        drawing = page.get_by_role("img", name=name)
        expect(drawing).to_be_visible()
        page.emulate_media(color_scheme="dark")
        line = drawing.locator(".art__line").first
        stroke = line.evaluate("element => getComputedStyle(element).stroke")
        assert stroke == "rgb(241, 233, 223)"  # the text colour of the dark theme
        page.emulate_media(media="print", color_scheme="dark")
        stroke = line.evaluate("element => getComputedStyle(element).stroke")
        assert stroke == "rgb(0, 0, 0)"
        page.emulate_media(media="screen", color_scheme="light")
