"""The look back views: the owner's own journal only, every period, htmx, bad input, queries."""

import datetime
import re

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse
from django.utils import timezone, translation

from reflect.models import Moment
from reflect.summaries import month_of, week_of
from tests.factories import ChildFactory, MomentFactory

pytestmark = pytest.mark.django_db

DAY = datetime.timedelta(days=1)


def url(name, language="en", **kwargs):
    with translation.override(language):
        return reverse(f"reflect:{name}", kwargs=kwargs or None)


def this_week():
    return week_of(timezone.localdate())


def last_month():
    return month_of(timezone.localdate()).previous()


def every_view(child=None):
    """One URL of every look-back view (and every kind of period)."""
    query = f"?child={child.pk}" if child else ""
    return [
        url("look_back") + query,
        url("look_back_period", period=this_week().slug) + query,
        url("look_back_period", period=last_month().slug) + query,
        url("look_back_period", period="all") + query,
        url("look_back_print", period=last_month().slug) + query,
    ]


@pytest.fixture
def journal(parent):
    """Alice's journal: Noor, a connection, an open mismatch and a repair, this week."""
    noor = ChildFactory(owner=parent, nickname="Noor")
    today = timezone.localdate()
    MomentFactory(owner=parent, child=noor, date=today, what_helped="sitting at eye level")
    MomentFactory(
        owner=parent, child=noor, date=today, mismatch=True, what_happened="I snapped at bedtime."
    )
    MomentFactory(owner=parent, date=today, repaired=True, repair_how="a hug on the stairs")
    return noor


# --- The owner ----------------------------------------------------------------------------------


def test_the_look_back_shows_this_week_in_the_parents_own_words_first(parent_client, journal):
    response = parent_client.get(url("look_back"))
    assert response.status_code == 200
    html = response.content.decode()
    assert "sitting at eye level" in html
    assert "a hug on the stairs" in html
    # The parent's words come before any sentence of ours.
    assert html.index("sitting at eye level") < html.index("You noted three moments")
    assert "You noted three moments: one of connection and two when you were out of tune." in html
    assert "You noted one moment when you reconnected." in html
    assert "<html" in html


def test_the_look_back_is_marked_as_the_current_section(parent_client, journal):
    for address in every_view():
        html = parent_client.get(address).content.decode()
        assert f'<a href="{url("look_back")}" aria-current="page">Look back</a>' in html


def test_the_look_back_never_lists_open_mismatches_as_tasks(parent_client, journal, parent):
    mismatch = Moment.objects.for_owner(parent).open_for_repair().get()
    for language in ("en", "nl"):
        html = parent_client.get(url("look_back", language)).content.decode()
        assert url("moment_repair", language, pk=mismatch.pk) not in html
        assert "I snapped at bedtime." not in html
        for words in ("open for repair", "no repair written", "nog te herstellen", "opgeschreven"):
            assert words not in html.lower()


def test_the_repair_chart_has_one_bar_per_period_with_the_repaired_part_inside(
    parent_client, parent
):
    week = last_month().start
    MomentFactory(owner=parent, date=week, mismatch=True)
    MomentFactory(owner=parent, date=week, repaired=True)
    MomentFactory(owner=parent, date=week + 7 * DAY, mismatch=True)
    html = parent_client.get(url("look_back_period", period=last_month().slug)).content.decode()
    chart = html[
        html.index('id="chart-repair-title"') : html.index(
            "</details>", html.index('id="chart-repair-title"')
        )
    ]
    bars = re.findall(
        r'<rect class="chart__bar chart__bar--(\w+)" x="([\d.]+)" y="([\d.]+)" '
        r'width="([\d.]+)" height="([\d.]+)"',
        chart,
    )
    outer = [bar for bar in bars if bar[0] == "mismatch"]
    inner = [bar for bar in bars if bar[0] == "repair"]
    assert len(outer) == 2  # one bar for each week with moments out of tune
    assert len(inner) == 1  # the reconnected part of the first week's bar
    (_, ox, oy, ow, oh), (_, ix, iy, iw, ih) = outer[0], inner[0]
    assert float(ox) < float(ix)
    assert float(ix) + float(iw) < float(ox) + float(ow)
    assert float(oy) < float(iy)
    assert float(iy) + float(ih) == pytest.approx(float(oy) + float(oh))
    assert float(ih) == pytest.approx(float(oh) / 2)
    # The data table: a row for each week with mismatches; an empty cell, never a 0.
    table = chart[chart.index("<table>") :]
    assert "of which reconnected</th>" in table
    assert len(re.findall(r'<th scope="row">', table)) == 2
    assert "<td>2</td><td>1</td>" in table
    assert "<td>1</td><td></td>" in table
    assert "<td>0</td>" not in table


def test_the_four_s_are_sentences_for_the_s_that_came_up(parent_client, parent):
    MomentFactory(owner=parent, safe=False, seen=True)
    MomentFactory(owner=parent, safe=False, seen=True, soothed=True)
    html = parent_client.get(url("look_back")).content.decode()
    assert '<li class="s-line s-line--seen">Seen came up in two moments.</li>' in html
    assert "Soothed came up in one moment." in html
    assert "Not every S comes up every week." in html
    assert "Safe" not in html.split('id="look-back-four-s"')[1].split("</section>")[0]
    html = parent_client.get(url("look_back", "nl")).content.decode()
    assert "Seen (gezien) kwam voor in twee momenten." in html
    assert "Niet elke S komt elke week voor." in html


def test_the_charts_have_a_title_a_description_and_a_table(parent_client, journal):
    html = parent_client.get(url("look_back")).content.decode()
    assert html.count('role="img"') == 2
    assert '<title id="chart-four-s-title">' in html
    assert '<desc id="chart-four-s-desc">' in html
    assert '<title id="chart-repair-title">' in html
    assert html.count("<table>") == 2
    assert "style=" not in html  # the strict CSP forbids inline styles


def test_the_charts_use_plain_numbers_in_dutch_too(parent_client, journal):
    html = parent_client.get(url("look_back", "nl")).content.decode()
    svg = html[html.index("<svg") : html.index("</svg>")]
    assert not re.search(r'(x|y|width|height)="\d+,\d', svg)  # no decimal comma in SVG


def test_one_childs_month_shows_only_that_child(parent_client, journal, parent):
    MomentFactory(owner=parent, what_helped="only without a child")
    period = month_of(timezone.localdate()).slug
    html = parent_client.get(url("look_back_period", period=period) + f"?child={journal.pk}")
    html = html.content.decode()
    assert "sitting at eye level" in html
    assert "only without a child" not in html
    assert f'<option value="{journal.pk}" selected dir="auto">Noor</option>' in html


def test_the_dutch_look_back_uses_the_ux_words(parent_client, journal):
    html = parent_client.get(url("look_back", "nl")).content.decode()
    assert "Terugblik" in html
    assert "uit de pas (mismatch)" in html
    assert "waarvan weer verbonden" in html
    assert "Safe (veilig) kwam voor in drie momenten." in html
    assert (
        "Je schreef drie momenten op: één van verbinding en twee waarin jullie uit de pas liepen."
        in html
    )
    assert "Je schreef één moment op waarin jullie weer verbonden raakten." in html


def test_a_new_journal_is_welcomed(parent_client):
    html = parent_client.get(url("look_back")).content.decode()
    assert "Your journal is still quiet. Welcome: whenever you like" in html
    assert "Welcome back" not in html
    assert 'role="img"' not in html
    html = parent_client.get(url("look_back", "nl")).content.decode()
    assert "Je dagboek is nog stil. Welkom: wanneer je wilt" in html


def test_this_week_speaks_in_the_present_and_a_past_week_calmly(parent_client, parent):
    MomentFactory(owner=parent, date=this_week().start - 3 * DAY)
    html = parent_client.get(url("look_back")).content.decode()
    assert "This week is still quiet in your journal. There is room whenever you like." in html
    assert "Welcome back" not in html
    past = this_week().previous().previous()
    html = parent_client.get(url("look_back_period", "nl", period=past.slug)).content.decode()
    assert "Het was een stille week in je dagboek." in html
    assert "Welkom" not in html


def test_welcome_back_after_a_real_gap_on_the_page_not_on_the_print(parent_client, parent):
    MomentFactory(owner=parent, date=this_week().start - 30 * DAY)
    html = parent_client.get(url("look_back", "nl")).content.decode()
    assert '<p class="look-back__welcome">Welkom terug.</p>' in html
    assert "Je dagboek is deze week stil." in html
    brief = url("look_back_print", "nl", period=this_week().slug)
    assert "Welkom terug" not in parent_client.get(brief).content.decode()


def test_previous_and_next_lead_only_where_the_journal_is(parent_client, parent):
    week = this_week()
    MomentFactory(owner=parent, date=week.start - 3 * DAY)
    html = parent_client.get(url("look_back")).content.decode()
    previous = url("look_back_period", period=week.previous().slug)
    assert f'href="{previous}"' in html
    assert "Next week" not in html  # the week still to come is not offered
    html = parent_client.get(previous).content.decode()
    assert "Previous week" not in html  # nothing before the first moment
    assert f'href="{url("look_back_period", period=week.slug)}"' in html


def test_a_day_in_the_middle_of_a_week_shows_that_week(parent_client, parent):
    MomentFactory(owner=parent, date=datetime.date(2025, 3, 3), what_helped="Monday's song")
    html = parent_client.get(url("look_back_period", period="2025-03-05")).content.decode()
    assert "Week of 3 March 2025" in html
    assert "Monday&#x27;s song" in html


def test_since_the_start_begins_at_the_first_moment(parent_client, parent):
    MomentFactory(owner=parent, date=datetime.date(2024, 5, 12))
    html = parent_client.get(url("look_back_period", period="all")).content.decode()
    assert "Since the start, 12 May 2024" in html


def test_the_print_view_is_a_brief_with_what_the_app_is_and_is_not(
    parent_client, journal, built_static
):
    html = parent_client.get(url("look_back_print", period=this_week().slug)).content.decode()
    assert "sitting at eye level" in html
    assert html.count("It does not assess or diagnose") == 2  # the brief and the site footer
    assert 'class="brief__footer"' in html
    assert re.search(r"reflect/look_back\.[0-9a-f]+\.css", html)
    html = parent_client.get(url("look_back_print", "nl", period=this_week().slug))
    assert "Het beoordeelt niet en stelt geen diagnose" in html.content.decode()


# --- Everyone else ------------------------------------------------------------------------------


def test_another_parent_sees_only_their_own_quiet_journal(other_parent_client, journal):
    for address in every_view():
        response = other_parent_client.get(address)
        assert response.status_code == 200
        assert "sitting at eye level" not in response.content.decode()


@pytest.mark.parametrize("who", ["other_parent_client", "counsellor_client"])
def test_another_parents_child_is_not_found(request, who, journal):
    client = request.getfixturevalue(who)
    for address in every_view(child=journal):
        assert client.get(address).status_code == 404


def test_anonymous_visitors_are_sent_to_log_in(client):
    for address in every_view():
        response = client.get(address)
        assert response.status_code == 302
        assert reverse("account_login") in response["Location"]


def test_an_anonymous_htmx_request_gets_401_and_no_swap(client):
    response = client.get(url("look_back"), headers={"HX-Request": "true"})
    assert response.status_code == 401
    assert response["HX-Reswap"] == "none"


def test_posting_is_not_allowed(parent_client):
    for address in every_view():
        assert parent_client.post(address).status_code == 405


# --- htmx ---------------------------------------------------------------------------------------


def test_htmx_gets_only_the_look_back_fragment(parent_client, journal):
    address = url("look_back_period", period=last_month().slug)
    full = parent_client.get(address)
    fragment = parent_client.get(address, headers={"HX-Request": "true"})
    assert "HX-Request" in full["Vary"]
    assert "<html" in full.content.decode()
    html = fragment.content.decode()
    assert "<html" not in html
    assert html.lstrip().startswith('<div id="look-back"')
    assert "HX-Request" in fragment["Vary"]


def test_the_print_view_is_always_a_whole_page(parent_client, journal):
    address = url("look_back_print", period=this_week().slug)
    html = parent_client.get(address, headers={"HX-Request": "true"}).content.decode()
    assert "<html" in html
    assert 'class="brief__footer"' in html


def test_every_link_in_the_fragment_works_without_javascript(parent_client, journal):
    html = parent_client.get(url("look_back"), headers={"HX-Request": "true"}).content.decode()
    for tag in re.findall(r"<a [^>]*hx-get[^>]*>", html):
        href = re.search(r'href="([^"]+)"', tag).group(1)
        assert href == re.search(r'hx-get="([^"]+)"', tag).group(1)
        assert parent_client.get(href.replace("&amp;", "&")).status_code == 200


# --- Bad input ----------------------------------------------------------------------------------


@pytest.mark.parametrize(
    "period",
    [
        "2025-13",
        "2025-02-30",
        "2025-00",
        "2025-3",
        "week",
        "all-of-it",
        "1066-10",
        "9999-01",
        "0000-01-01",
        "2025-03-05-1",
        "%E2%80%8B",
    ],
)
def test_a_period_that_does_not_exist_is_not_found(parent_client, period):
    assert (
        parent_client.get(url("look_back_period", period="x").replace("x", period)).status_code
        == 404
    )
    assert (
        parent_client.get(url("look_back_print", period="x").replace("x", period)).status_code
        == 404
    )


def test_a_period_still_to_come_is_not_found(parent_client):
    future = month_of(timezone.localdate()).next()
    assert parent_client.get(url("look_back_period", period=future.slug)).status_code == 404
    future_week = this_week().next()
    assert parent_client.get(url("look_back_print", period=future_week.slug)).status_code == 404


@pytest.mark.parametrize("child", ["abc", "-1", "0", "99999999", "1.5", "%00", "1 OR 1=1"])
def test_a_child_that_is_not_yours_or_not_a_number_is_not_found(parent_client, journal, child):
    for address in every_view():
        assert parent_client.get(address, {"child": child}).status_code == 404


def test_an_empty_child_means_all_children(parent_client, journal):
    response = parent_client.get(url("look_back"), {"child": ""})
    assert response.status_code == 200
    assert "a hug on the stairs" in response.content.decode()


# --- Cheap to compute ---------------------------------------------------------------------------


def _fill(parent, child, count):
    """``count`` moments spread over five years back from today, in one bulk insert."""
    today = timezone.localdate()
    kinds = ("connection", "mismatch", "repaired")
    moments = []
    for n in range(count):
        day = today - datetime.timedelta(days=n % (5 * 365))
        kind = kinds[n % 3]
        moments.append(
            Moment(
                owner=parent,
                child=child if n % 2 else None,
                date=day,
                what_happened=f"Moment {n}",
                what_helped="a hug" if n % 5 == 0 else "",
                kind="connection" if kind == "connection" else "mismatch",
                repair_status={"connection": "", "mismatch": "open", "repaired": "repaired"}[kind],
                repaired_on=day if kind == "repaired" else None,
                repair_how="we talked" if kind == "repaired" else "",
                safe=n % 2 == 0,
                seen=n % 3 == 0,
                soothed=n % 4 == 0,
                secure=n % 5 == 0,
            )
        )
    Moment.objects.bulk_create(moments, batch_size=500)


def _queries(client, address):
    with CaptureQueriesContext(connection) as captured:
        response = client.get(address)
    assert response.status_code == 200
    return len(captured)


def test_the_same_number_of_queries_for_10_and_for_5000_moments(parent_client, parent):
    child = ChildFactory(owner=parent)
    addresses = every_view() + every_view(child=child)
    _fill(parent, child, 10)
    small = [_queries(parent_client, address) for address in addresses]
    Moment.objects.all().delete()  # _fill says the journal changed
    _fill(parent, child, 5000)
    assert Moment.objects.count() == 5000
    large = [_queries(parent_client, address) for address in addresses]
    assert small == large
    assert max(large) <= 12
