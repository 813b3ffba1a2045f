"""Nothing lost or doubled at the edges of a form, in a real browser (issue 21): 20,000 characters
pasted give a counter (with JavaScript) and the server's message, and stay in the field; a double
click or going back and sending again stores one moment; the copy and print buttons appear only
when their script runs; a day 30 years back or before the child's birth month is explained with
the words kept, and words typed right to left read right to left on the card and the moment's
page. In Dutch and English, with and without JavaScript, axe light and dark."""

import datetime
import re

import pytest
from django.utils import timezone
from playwright.sync_api import expect

from reflect.models import Moment
from tests.browser.conftest import assert_accessible_light_and_dark
from tests.browser.journeys import log_in
from tests.factories import PASSWORD, ChildFactory, MomentFactory, UserFactory
from tests.reading import as_shown
from tests.sharing_helpers import days

LONG = "Lange avond. " * 1538 + "einde!"  # 20,000 characters

WORDS = {
    "nl": {
        "save": "Moment bewaren",
        "near": "Tekens over: 100",
        "over": "Te veel tekens: 16000",
        "message": "Dit is langer dan 4000 tekens (het zijn er 20000)",
        "saved": "Je moment is bewaard.",
        "once": "Dit moment was al bewaard",
        "print": "Deze pagina printen",
        "copy": "Kopieer de link",
        "words": "De terugblik en de woorden van mijn momenten",
        "make_link": "Maak de link",
    },
    "en": {
        "save": "Save moment",
        "near": "Characters left: 100",
        "over": "Too many characters: 16000",
        "message": "This is longer than 4000 characters (it has 20000)",
        "saved": "Your moment is saved.",
        "once": "This moment was already saved",
        "print": "Print this page",
        "copy": "Copy the link",
        "words": "The look back and the words of my moments",
        "make_link": "Make the link",
    },
}


def no_axe(page):
    """axe runs as a script, which a context without JavaScript forbids."""


def javascript_page(browser, browser_context_args, javascript: bool):
    context = browser.new_context(**browser_context_args, java_script_enabled=javascript)
    return context, context.new_page()


@pytest.mark.parametrize("javascript", [True, False], ids=["js", "no-js"])
@pytest.mark.parametrize("language", ["nl", "en"])
def test_a_long_paste_is_counted_explained_and_kept_whole(
    site, browser, browser_context_args, axe, language, javascript
):
    words = WORDS[language]
    check = axe if javascript else no_axe
    context, page = javascript_page(browser, browser_context_args, javascript)
    try:
        parent = UserFactory(email=f"long-{language}-{int(javascript)}@example.org")
        log_in(page, site, language, parent.email, f"/{language}/journal/new/")
        field, counter = page.locator("#id_what_happened"), page.locator(".counter").first
        page.fill("#id_what_happened", "x" * 3900)
        if javascript:
            expect(counter).to_have_text(words["near"])
            expect(counter).to_be_visible()
        else:
            expect(counter).to_be_hidden()
        page.fill("#id_what_happened", LONG)
        assert len(field.input_value()) == 20_000  # nothing cut while pasting
        if javascript:
            expect(counter).to_have_text(re.compile(re.escape(words["over"])))
            check(page)
            page.emulate_media(color_scheme="dark")
            check(page)
            page.emulate_media(color_scheme="light")
        page.get_by_role("button", name=words["save"]).click()
        expect(page.locator("main")).to_contain_text(words["message"])
        assert page.locator("#id_what_happened").input_value() == LONG
        check(page)
        page.emulate_media(color_scheme="dark")
        check(page)
        assert not Moment.objects.exists()
    finally:
        context.close()


@pytest.mark.parametrize("language", ["nl", "en"])
def test_a_double_click_without_javascript_stores_one_moment(
    site, browser, browser_context_args, language
):
    words = WORDS[language]
    context, page = javascript_page(browser, browser_context_args, javascript=False)
    try:
        parent = UserFactory(email=f"twice-{language}@example.org")
        log_in(page, site, language, parent.email, f"/{language}/journal/new/")
        page.fill("#id_what_happened", "Samen de trap op geteld")
        page.get_by_role("button", name=words["save"]).dblclick()
        expect(page.locator("main")).to_contain_text("Samen de trap op geteld")
        page.wait_for_load_state("load")
        assert Moment.objects.filter(owner=parent).count() == 1

        # Back to the form and send it again: the browser puts the words back (the page itself,
        # never cached, comes fresh), and the same moment is found instead of stored twice.
        page.goto(f"{site}/{language}/journal/new/")
        page.fill("#id_what_happened", "Een tweede moment")
        page.get_by_role("button", name=words["save"]).click()
        expect(page.locator("main")).to_contain_text(words["saved"])
        assert Moment.objects.filter(owner=parent).count() == 2
        page.go_back()
        expect(page.locator("#id_what_happened")).to_have_value("Een tweede moment")
        page.get_by_role("button", name=words["save"]).click()
        expect(page.locator("main")).to_contain_text(words["once"])
        assert Moment.objects.filter(owner=parent).count() == 2
    finally:
        context.close()


@pytest.mark.parametrize("language", ["nl", "en"])
def test_a_double_click_with_javascript_stores_one_moment(site, page, axe, language):
    words = WORDS[language]
    parent = UserFactory(email=f"twice-js-{language}@example.org")
    log_in(page, site, language, parent.email)
    page.fill("#id_what_happened", "Bellen blazen in de tuin")
    page.get_by_role("button", name=words["save"]).dblclick()
    expect(page.locator("#journal-status")).to_contain_text(words["saved"])
    expect(page.locator(".moment")).to_have_count(1)
    assert Moment.objects.filter(owner=parent).count() == 1
    axe(page)

    page.goto(f"{site}/{language}/journal/new/")
    page.fill("#id_what_happened", "Op de fiets naar opa")
    page.get_by_role("button", name=words["save"]).dblclick()
    expect(page).to_have_url(re.compile(r"/journal/(moments/\d+/)?(#moment-\d+)?$"))
    page.wait_for_load_state("load")
    assert Moment.objects.filter(owner=parent, what_happened__isnull=False).count() == 2
    axe(page)


@pytest.mark.parametrize("language", ["nl", "en"])
def test_buttons_that_need_javascript_appear_only_with_it(
    site, browser, browser_context_args, axe, language
):
    words = WORDS[language]
    parent = UserFactory(email=f"buttons-{language}@example.org")
    MomentFactory(owner=parent, date=days(0), what_happened="Voorlezen onder een deken")
    for javascript in (False, True):
        context, page = javascript_page(browser, browser_context_args, javascript)
        try:
            brief = f"/{language}/journal/look-back/{days(0):%Y-%m}/print/"
            log_in(page, site, language, parent.email, brief)
            button = page.get_by_role("button", name=words["print"])
            if javascript:
                expect(button).to_be_visible()
                axe(page)
            else:
                expect(button).to_be_hidden()
            page.goto(f"{site}/{language}/share/")
            page.get_by_label(words["words"]).check()
            page.get_by_role("button", name=words["make_link"]).click()
            if "reauthenticate" in page.url:
                page.fill("input[name=password]", PASSWORD)
                page.locator("main form button[type=submit]").first.click()
            expect(page).to_have_url(re.compile(r"/share/links/[0-9a-f-]+/created/$"))
            copy = page.locator("[data-copy]")
            if javascript:
                page.wait_for_load_state("load")
                axe(page)
            else:
                expect(copy).to_be_hidden()
                assert copy.get_attribute("hidden") is not None
        finally:
            context.close()


# --- The day of a moment, and words in any script (issue 21 part 5) ------------------------------

DAY_WORDS = {
    "nl": {
        "when": "Wanneer, en met wie",
        "too_early": "Kies een dag in de afgelopen 25 jaar.",
        "before_birth": "voor de geboorte van Noor",
        "saved": "Je moment is bewaard.",
    },
    "en": {
        "when": "When, and with whom",
        "too_early": "Choose a day in the last 25 years.",
        "before_birth": "before Noor was born",
        "saved": "Your moment is saved.",
    },
}
WORDS_TYPED = "Samen een boek gelezen voor het slapen"
RIGHT_TO_LEFT = {"nl": "قرأنا كتابا معا قبل النوم", "en": "קראנו ספר יחד לפני השינה"}


def reads_right_to_left(locator) -> bool:
    """dir="auto" on the element, and the browser resolved it to right-to-left."""
    assert locator.get_attribute("dir") == "auto"
    return locator.evaluate("el => el.matches(':dir(rtl)') && getComputedStyle(el).direction")


@pytest.mark.parametrize("language", ["nl", "en"])
def test_a_day_out_of_range_is_explained_and_the_words_stay(site, page, language):
    words = DAY_WORDS[language]
    today = timezone.localdate()  # the server's day, as the form checks it
    parent = UserFactory(email=f"days-{language}@example.org")
    born = today.replace(day=1) - datetime.timedelta(days=400)
    noor = ChildFactory(owner=parent, nickname="Noor", birth_year=born.year, birth_month=born.month)
    log_in(page, site, language, parent.email, f"/{language}/journal/new/")
    field = page.locator("#id_what_happened")

    # Thirty years back: a typing slip, said gently, the words kept.
    field.fill(WORDS_TYPED)
    page.get_by_text(words["when"]).click()
    page.fill("#id_date", today.replace(year=today.year - 30, day=1).isoformat())
    page.get_by_role("button", name=WORDS[language]["save"]).click()
    expect(page.locator("main")).to_contain_text(words["too_early"])
    assert field.input_value() == WORDS_TYPED
    assert_accessible_light_and_dark(page)

    # Before Noor's birth month: the message names Noor, the words still there.
    page.locator(f"#id_child_{noor.pk}").check()
    page.fill("#id_date", (born.replace(day=1) - datetime.timedelta(days=1)).isoformat())
    page.get_by_role("button", name=WORDS[language]["save"]).click()
    expect(page.locator("main")).to_contain_text(as_shown(words["before_birth"]))
    assert field.input_value() == WORDS_TYPED
    assert_accessible_light_and_dark(page)

    # A day in range saves it.
    page.fill("#id_date", today.isoformat())
    page.get_by_role("button", name=WORDS[language]["save"]).click()
    expect(page.locator("main")).to_contain_text(words["saved"])
    assert Moment.objects.get(owner=parent).child == noor


@pytest.mark.parametrize("language", ["nl", "en"])
def test_words_typed_right_to_left_keep_their_direction(site, page, language):
    typed = RIGHT_TO_LEFT[language]
    parent = UserFactory(email=f"rtl-{language}@example.org")
    log_in(page, site, language, parent.email, f"/{language}/journal/new/")
    field = page.locator("#id_what_happened")
    field.fill(typed)
    assert field.get_attribute("dir") == "auto"
    page.get_by_role("button", name=WORDS[language]["save"]).click()
    card = page.locator(".moment__text", has_text=typed)
    expect(card).to_be_visible()
    assert reads_right_to_left(card) == "rtl"
    assert_accessible_light_and_dark(page)

    moment = Moment.objects.get(owner=parent)
    page.locator(f"#moment-{moment.pk} .moment__title a").click()
    expect(page).to_have_url(re.compile(f"/journal/moments/{moment.pk}/$"))
    detail = page.locator("main .moment__text")
    expect(detail).to_have_text(typed)
    assert reads_right_to_left(detail) == "rtl"
    assert_accessible_light_and_dark(page)
