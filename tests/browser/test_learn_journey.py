"""A parent reads the learn pages on a phone, at night and in daylight, in Dutch and English."""

import re

import pytest
from playwright.sync_api import expect

from hechting.learn.pages import PAGES

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
    expect(page.get_by_role("heading", name="Het Still Face-experiment")).to_be_visible()
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
