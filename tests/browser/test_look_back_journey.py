"""The demo parent looks back, in a real browser, in Dutch and English: this week, last month,
one child's month and the printable brief. axe checks every page (light and dark), the charts
have text alternatives, and the brief prints on at most two A4 pages without the navigation."""

import re

import pytest
from django.utils import timezone
from playwright.sync_api import expect

from reflect.models import Child
from reflect.summaries import month_of
from tests.browser.conftest import assert_accessible_light_and_dark
from tests.browser.journeys import log_in_as_the_demo_parent

WORDS = {
    "nl": {
        "look_back": "Terugblik",
        "month": "Maand",
        "previous_month": "Vorige maand",
        "show": "Laat zien",
        "print": "Printen, of meenemen naar mijn hulpverlener",
        "words": "Wat hielp, in je eigen woorden",
        "footer": "Het beoordeelt niet en stelt geen diagnose.",
        "table": "De aantallen als tabel",
    },
    "en": {
        "look_back": "Look back",
        "month": "Month",
        "previous_month": "Previous month",
        "show": "Show",
        "print": "Print, or take to my counsellor",
        "words": "What helped, in your words",
        "footer": "It does not assess or diagnose",
        "table": "Show the numbers as a table",
    },
}


def assert_charts_have_text_alternatives(page, count):
    charts = page.locator("svg[role=img]")
    expect(charts).to_have_count(count)
    for index in range(count):
        chart = charts.nth(index)
        ids = chart.get_attribute("aria-labelledby").split()
        assert len(ids) == 2
        title, desc = (page.locator(f"#{one}") for one in ids)
        assert title.evaluate("node => node.tagName") == "title"
        assert desc.evaluate("node => node.tagName") == "desc"
        assert len(title.text_content().strip()) > 10
        assert len(desc.text_content().strip()) > 40
    # The data table alternative of each chart.
    expect(page.locator("details.chart__table table")).to_have_count(count)


def pdf_pages(page) -> int:
    pdf = page.pdf(format="A4", print_background=True)
    return len(re.findall(rb"/Type\s*/Page[^s]", pdf))


@pytest.mark.parametrize("language", ["nl", "en"])
def test_the_demo_parent_looks_back(page, site, axe, language):
    words = WORDS[language]
    log_in_as_the_demo_parent(page, site, language)

    # This week, from the main navigation.
    page.get_by_role("navigation", name=re.compile("Main|Hoofdmenu", re.I)).get_by_role(
        "link", name=words["look_back"]
    ).click()
    expect(page).to_have_url(re.compile(f"/{language}/journal/look-back/$"))
    expect(page.locator("h1")).to_have_text(words["look_back"])
    axe(page)

    # Last month: the month switch and "previous", swapped in by htmx with the address kept.
    page.get_by_role("link", name=words["month"], exact=True).click()
    this_month = month_of(timezone.localdate())
    expect(page).to_have_url(re.compile(f"/look-back/{this_month.slug}/$"))
    page.get_by_role("link", name=words["previous_month"]).click()
    last_month = this_month.previous()
    expect(page).to_have_url(re.compile(f"/look-back/{last_month.slug}/$"))
    expect(page.get_by_role("heading", name=words["words"])).to_be_visible()
    assert_charts_have_text_alternatives(page, 2)
    axe(page)
    page.get_by_text(words["table"]).first.click()
    expect(page.locator("details.chart__table table").first).to_be_visible()
    axe(page)

    # One child's month.
    child = Child.objects.filter(owner__email="demo@example.org").order_by("nickname").first()
    page.select_option("#look-back-child", str(child.pk))
    page.get_by_role("button", name=words["show"], exact=True).click()
    expect(page).to_have_url(re.compile(rf"/look-back/{last_month.slug}/\?child={child.pk}$"))
    expect(page.locator(".look-back__period")).to_contain_text(child.nickname)
    assert_charts_have_text_alternatives(page, 2)
    assert_accessible_light_and_dark(page)  # dark mode reads as well

    # The printable brief of that month, for that child.
    page.get_by_role("link", name=words["print"]).click()
    expect(page).to_have_url(re.compile(rf"/look-back/{last_month.slug}/print/\?child={child.pk}$"))
    expect(page.locator(".brief__footer")).to_contain_text(words["footer"])
    assert_charts_have_text_alternatives(page, 2)
    axe(page)
    page.emulate_media(media="print")
    expect(page.locator(".site-header")).to_be_hidden()
    expect(page.locator(".look-back__nav, .brief .actions")).to_have_count(1)
    expect(page.locator(".brief .actions")).to_be_hidden()
    expect(page.locator(".brief__footer")).to_be_visible()
    assert 1 <= pdf_pages(page) <= 2


def test_the_look_back_works_without_javascript(browser, site):
    """Plain links and a plain form: every period and child without htmx. (axe needs JavaScript
    to run, so it checks these same pages in the journey above.)"""
    context = browser.new_context(java_script_enabled=False, viewport={"width": 390, "height": 844})
    page = context.new_page()
    try:
        log_in_as_the_demo_parent(page, site, "en")
        page.goto(f"{site}/en/journal/look-back/")
        page.get_by_role("link", name="Month", exact=True).click()
        expect(page).to_have_url(re.compile(r"/look-back/\d{4}-\d{2}/$"))
        page.get_by_role("link", name="Since the start").click()
        expect(page).to_have_url(re.compile(r"/look-back/all/$"))
        expect(page.locator(".look-back__period")).to_contain_text("Since the start")
        child = Child.objects.filter(owner__email="demo@example.org").order_by("nickname").first()
        page.select_option("#look-back-child", str(child.pk))
        page.get_by_role("button", name="Show", exact=True).click()
        expect(page).to_have_url(re.compile(rf"/look-back/all/\?child={child.pk}$"))
        expect(page.locator(".look-back__period")).to_contain_text(child.nickname)
    finally:
        context.close()
