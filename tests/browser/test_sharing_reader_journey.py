"""Sharing as its readers see it, in a real browser (issue 21, parts 1 to 3), in Dutch and
English, with axe on every page state in the light and in the dark:

- a parent shares a month from the look back ("share this period" fills in the form), names
  themselves for the reader, and a visitor reads "Alice wrote..." with the language links on one
  line; the parent stops the link from the menu's "Sharing" and reads so on that page, with and
  without JavaScript; the visitor's reload answers "this link no longer works" (410);
- a visitor finds the page for counsellors from the footer; an invited parent reads that the
  counsellor's details are as described, and, once the administrator checked them, that they
  were checked; the counsellor's overview names each client.
"""

import datetime
import re

import pytest
from django.utils import timezone
from playwright.sync_api import expect

from reflect.sharing.models import CounsellorProfile, ShareLink
from reflect.summaries import month_of
from tests.browser.conftest import assert_accessible_light_and_dark
from tests.browser.journeys import log_in
from tests.browser.test_sharing_journey import _fresh_page, _password_again
from tests.factories import PASSWORD, ChildFactory, MomentFactory, UserFactory
from tests.reading import as_shown
from tests.sharing_helpers import make_invitation, make_link

TEXT = {
    "nl": {
        "share_period": "Deel deze periode",
        "name_label": "Je naam voor wie het leest",
        "words": "De terugblik en de woorden van mijn momenten",
        "make_link": "Maak de link",
        "title": "Een terugblik van Alice",
        "noted": "Alice schreef één moment van verbinding op.",
        "sharing": "Delen",
        "stop": "Stop deze link",
        "stopped": "De link werkt niet meer. Niemand kan hem nog openen.",
        "ended": "Deze link werkt niet meer",
        "for_counsellors": "Voor hulpverleners",
        "how": "Zo word je hier hulpverlener",
        "as_described": "zoals de hulpverlener ze zelf beschreef",
        "checked": "heeft deze naam en praktijk gecontroleerd op",
        "unnamed": "Een cliënt die deelt sinds",
    },
    "en": {
        "share_period": "Share this period",
        "name_label": "Your name for the reader",
        "words": "The look back and the words of my moments",
        "make_link": "Make the link",
        "title": "A look back from Alice",
        "noted": "Alice noted one moment of connection.",
        "sharing": "Sharing",
        "stop": "Stop this link",
        "stopped": "The link has stopped working. Nobody can open it any more.",
        "ended": "This link no longer works",
        "for_counsellors": "For counsellors",
        "how": "How to become a counsellor here",
        "as_described": "as the counsellor described them",
        "checked": "checked this name and practice on",
        "unnamed": "A client sharing since",
    },
}


def assert_language_links_on_one_line(page):
    """The label, the current language and the other language sit on one line, centred alike."""
    boxes = [
        page.locator(selector).bounding_box()
        for selector in (
            ".language-switch__title",
            ".language-links .language-switch__current",
            ".language-links a",
        )
    ]
    middles = [box["y"] + box["height"] / 2 for box in boxes]
    assert max(middles) - min(middles) <= 2, middles


@pytest.mark.parametrize("language", ["nl", "en"])
def test_a_parent_shares_a_month_from_the_look_back_and_stops_it(site, page, browser, language):
    words = TEXT[language]
    parent = UserFactory(email=f"alice-{language}@example.org")
    noor = ChildFactory(owner=parent, nickname="Noor")
    today = timezone.localdate()
    MomentFactory(
        owner=parent,
        child=noor,
        date=today,
        safe=True,
        what_happened="Noor klom op schoot",
        what_helped="Samen ademhalen",
    )
    month = month_of(today)

    # From the look back of this month, for Noor, to a share form filled in with both.
    path = f"/{language}/journal/look-back/{month.slug}/?child={noor.pk}"
    log_in(page, site, language, parent.email, path)
    page.get_by_role("link", name=words["share_period"]).click()
    expect(page).to_have_url(re.compile(r"/share/\?period="))
    expect(page.locator("input[name=period_kind][value=month]")).to_be_checked()
    expect(page.locator("select[name=child]")).to_have_value(str(noor.pk))
    expect(page.get_by_role("link", name=words["sharing"], exact=True)).to_have_attribute(
        "aria-current", "page"
    )
    assert_accessible_light_and_dark(page)
    page.get_by_label(words["words"]).check()
    page.get_by_label(words["name_label"]).fill("Alice")
    page.get_by_role("button", name=words["make_link"]).click()
    _password_again(page, PASSWORD)
    expect(page).to_have_url(re.compile(r"/share/links/[0-9a-f-]+/created/$"))
    link_url = page.locator("#new-link").input_value()
    link = ShareLink.objects.get(owner=parent)
    assert link.child_id == noor.pk
    assert (link.period_start, link.period_end) == (month.start, month.end)

    # The visitor reads about Alice, in the third person, with the language links on one line.
    context, visitor = _fresh_page(browser, language)
    visitor.goto(link_url)
    expect(visitor.locator("h1")).to_have_text(words["title"])
    expect(visitor.get_by_text(as_shown(words["noted"]))).to_be_visible()
    assert_language_links_on_one_line(visitor)
    assert_accessible_light_and_dark(visitor)

    # The parent stops it from the menu's "Sharing", and reads so on that page (htmx).
    page.get_by_role("link", name=words["sharing"], exact=True).click()
    expect(page).to_have_url(re.compile(f"/{language}/share/$"))
    page.get_by_role("button", name=re.compile(words["stop"])).click()
    expect(page.locator("#sharing-status")).to_have_text(words["stopped"])
    expect(page.locator("#sharing-status .message")).to_be_focused()  # read out, keyboard there
    expect(page).to_have_url(re.compile(f"/{language}/share/$"))
    assert_accessible_light_and_dark(page)

    # The visitor reloads the page they had: the same "no longer works" as the token (410).
    response = visitor.reload()
    assert response.status == 410
    expect(visitor.locator("h1")).to_have_text(words["ended"])
    assert_language_links_on_one_line(visitor)
    assert_accessible_light_and_dark(visitor)
    assert visitor.goto(link_url).status == 410
    context.close()


@pytest.mark.parametrize("language", ["nl", "en"])
def test_without_javascript_stopping_a_link_says_so_on_the_sharing_page(
    site, browser, browser_context_args, language
):
    words = TEXT[language]
    parent = UserFactory(email=f"nojs-{language}@example.org")
    make_link(parent, label="Voor Anna")
    make_link(parent, label="Voor opa")
    context = browser.new_context(**browser_context_args, java_script_enabled=False)
    page = context.new_page()
    log_in(page, site, language, parent.email, f"/{language}/share/")
    page.get_by_role("button", name=re.compile(words["stop"])).first.click()
    expect(page).to_have_url(re.compile(f"/{language}/share/$"))
    expect(page.locator(".messages").first).to_contain_text(words["stopped"])
    page.goto(f"{site}/{language}/account/")
    expect(page.get_by_text(words["stopped"])).to_have_count(0)
    context.close()

    # The same page state for axe (a script, which the context above forbids): scripts run,
    # but htmx is held back, so the form posts and the page comes back with its message.
    context = browser.new_context(**browser_context_args)
    context.route(re.compile(r"htmx[^/]*\.js$"), lambda route: route.abort())
    page = context.new_page()
    log_in(page, site, language, parent.email, f"/{language}/share/")
    page.get_by_role("button", name=re.compile(words["stop"])).first.click()
    expect(page.locator(".messages").first).to_contain_text(words["stopped"])
    assert_accessible_light_and_dark(page)
    context.close()


@pytest.mark.parametrize("language", ["nl", "en"])
def test_counsellors_are_explained_and_parents_read_whether_they_were_checked(
    site, page, browser, language
):
    words = TEXT[language]
    counsellor = UserFactory(email=f"charlie-{language}@example.org")
    profile = CounsellorProfile.objects.create(user=counsellor, name="Charlie", practice="De Linde")

    # The page for counsellors, from the footer of the home page.
    page.goto(f"{site}/{language}/")
    page.locator("footer").get_by_role("link", name=words["for_counsellors"]).click()
    expect(page.get_by_role("heading", name=words["how"])).to_be_visible()
    assert_accessible_light_and_dark(page)

    # An invited parent reads that the details are as the counsellor described them ...
    _invitation, token = make_invitation(counsellor, note="Tot dinsdag!")
    context, parent_page = _fresh_page(browser, language)
    parent_page.goto(f"{site}/{language}/share/i/{token}/")
    expect(parent_page.locator(".invitation__checked")).to_contain_text(words["as_described"])
    assert_accessible_light_and_dark(parent_page)

    # ... and, once the administrator checked them, that they were checked.
    profile.checked_at = timezone.now()
    profile.save()
    parent_page.reload()
    expect(parent_page.locator(".invitation__checked")).to_contain_text(words["checked"])
    assert_accessible_light_and_dark(parent_page)
    context.close()

    # The counsellor's overview names each client: by name, or by the day they started.
    eva = UserFactory(email=f"eva-{language}@example.org")
    make_link(eva, counsellor=counsellor, client_name="Eva")
    dirk = UserFactory(email=f"dirk-{language}@example.org")
    unnamed, _t = make_link(dirk, counsellor=counsellor)
    ShareLink.objects.filter(pk=unnamed.pk).update(
        created=timezone.now() - datetime.timedelta(days=9)
    )
    log_in(page, site, language, counsellor.email, f"/{language}/share/dashboard/")
    expect(page.get_by_role("heading", name="Eva")).to_be_visible()
    expect(page.get_by_role("heading", name=re.compile(words["unnamed"]))).to_be_visible()
    assert_accessible_light_and_dark(page)
    page.get_by_role("link", name=re.compile("Eva")).click()
    expect(page.locator("h1")).to_contain_text("Eva")
    assert_accessible_light_and_dark(page)
