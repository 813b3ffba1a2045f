"""The tone of the look back, in both languages: descriptive and warm, never evaluative.

Every sentence we write about a period (the reflection, the chart descriptions, the headings and
labels of the look back and its printed brief) is checked against the shared tone word list
(hechting/tone.py) and against percentages, scores, comparisons and reproach. The parent's own
words, which we quote back, are left out of the check, as is the footer that says what Hechting
does *not* do ("does not assess or diagnose"). A quiet period is welcomed, never reproached.
Nothing that did not happen is counted: no sentence, list item or table cell says zero.
"""

import datetime
import re
from html.parser import HTMLParser

import pytest
from django.utils import timezone, translation
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from hechting.tone import FORBIDDEN_TERMS, find_forbidden_terms
from reflect.charts import four_s_chart, repair_chart
from reflect.models import Moment
from reflect.summaries import Bucket, Kind, Step, Summary, When, month_of, reflection, week_of
from tests.factories import ChildFactory, MomentFactory
from tests.test_look_back_views import url

LANGUAGES = ("nl", "en")

COMPARISONS = (
    # with an earlier period
    "than last week",
    "than last month",
    "than before",
    "last week",
    "last month",
    "dan vorige week",
    "dan vorige maand",
    "dan eerst",
    "vorige week",
    "vorige maand",
    # with others or a norm
    "other parents",
    "andere ouders",
    "most parents",
    "de meeste ouders",
    "average",
    "gemiddeld",
    "normal for",
    "normaal voor",
    # more or less, better or worse
    "more than",
    "less than",
    "fewer than",
    "meer dan",
    "minder dan",
    "better",
    "worse",
    "beter",
    "slechter",
    "compared",
    "vergeleken",
    "improved",
    "verbeterd",
    # streaks, records and grades
    "streak",
    "in a row",
    "op rij",
    "record",
    "goal",
    "doel",
    "points",
    "punten",
    "grade",
    "well done",
    "goed gedaan",
    "keep it up",
    "ga zo door",
)
REPROACH = (
    "only",
    "nothing",
    "should",
    "must",
    "forgot",
    "unfortunately",
    "too few",
    "not enough",
    "alleen maar",
    "niets",
    "moet",
    "moest",
    "vergeten",
    "helaas",
    "te weinig",
    "niet genoeg",
    "!",
)
NUMBER_AS_SCORE = re.compile(r"\d\s*(%|/\s*\d)|\bpercent|\bprocent", re.IGNORECASE)
ZERO = re.compile(
    r"(?<![\d.,:/-])0(?![\d.,:/-])|\b(zero|nul|none|no moments?|geen momenten?|not once|nooit)\b",
    re.IGNORECASE,
)


def zero_counts(text: str) -> list[str]:
    """A count of something that did not happen: "0", "zero", "geen momenten", ..."""
    return [match.group(0) for match in ZERO.finditer(text)]


def tone_problems(text: str) -> list[str]:
    """Everything in ``text`` that the look back must never say."""
    problems = find_forbidden_terms(text, FORBIDDEN_TERMS)
    problems += find_forbidden_terms(text, COMPARISONS)
    problems += find_forbidden_terms(text, REPROACH)
    if NUMBER_AS_SCORE.search(text):
        problems.append("a percentage or a score")
    return problems


def test_the_tone_check_catches_what_it_should():
    """The check itself can fail: each of these sentences breaks a rule."""
    for sentence in (
        "60% van je momenten ging goed.",
        "You scored 7/10 this week.",
        "Je schreef meer dan vorige week.",
        "That is fewer than last week.",
        "Other parents noted more moments.",
        "Je hebt 5 dagen niets geschreven!",
        "Three days in a row: keep it up",
        "You should write more.",
        "Je kind is onveilig gehecht.",
    ):
        assert tone_problems(sentence), sentence
    assert tone_problems("A quiet week in your journal. Welcome back.") == []
    for sentence in ("Soothed 0", "herstel 0", "Je schreef geen momenten op.", "zero repairs"):
        assert zero_counts(sentence), sentence
    assert zero_counts("10 March 2025, week of 30 June: 20 moments, 1.0") == []


# --- The sentences, for every combination of numbers --------------------------------------------

counts = st.integers(min_value=0, max_value=400)


@given(
    kind=st.sampled_from(list(Kind)),
    when=st.sampled_from(list(When)),
    connection=counts,
    mismatch=counts,
    repairs=counts,
    language=st.sampled_from(LANGUAGES),
)
@settings(max_examples=300, deadline=None)
def test_every_reflection_is_kind_in_both_languages(
    kind, when, connection, mismatch, repairs, language
):
    totals = {"moments": connection + mismatch, "connection": connection, "mismatch": mismatch}
    with translation.override(language):
        sentences = reflection(kind, totals, repairs, when)
    assert 1 <= len(sentences) <= 3
    for sentence in sentences:
        assert tone_problems(sentence) == [], sentence
        assert zero_counts(sentence) == [], sentence
    welcome = {"nl": "Welkom", "en": "Welcome"}[language]
    if when == When.PAST:
        assert welcome not in " ".join(sentences)


@given(
    step=st.sampled_from(list(Step)),
    rows=st.lists(
        st.tuples(*[st.integers(0, 30)] * 7),  # moments of four S's, kinds and repairs
        min_size=1,
        max_size=60,
    ),
    language=st.sampled_from(LANGUAGES),
)
@settings(max_examples=50, deadline=None)
def test_every_chart_title_description_and_label_is_kind(step, rows, language):
    start = datetime.date(2025, 1, 6)
    buckets = []
    for index, (safe, seen, soothed, secure, connection, mismatch, repairs) in enumerate(rows):
        counts = {
            "moments": connection + mismatch,
            "safe": safe,
            "seen": seen,
            "soothed": soothed,
            "secure": secure,
            "connection": connection,
            "mismatch": mismatch,
            "open_for_repair": 0,
            "repaired": min(repairs, mismatch),
        }
        buckets.append(Bucket(start + datetime.timedelta(days=7 * index), counts))
    period = month_of(start)
    totals = {key: sum(b.counts[key] for b in buckets) for key in buckets[0].counts}
    summary = Summary(period, step, buckets, totals, totals["repaired"])
    with translation.override(language):
        charts = [chart for chart in (four_s_chart(summary), repair_chart(summary)) if chart]
    for chart in charts:
        texts = [chart.title, chart.desc, *(one.name for one in chart.series)]
        texts += [label.text for label in chart.labels] + [row.label for row in chart.rows]
        for text in texts:
            assert tone_problems(text) == [], text
        assert all(bar.height > 0 for bar in chart.bars)
        assert all(any(row.values) for row in chart.rows)  # no row of a step without moments
        assert all(tick.text != "0" for tick in chart.ticks)


# --- The rendered look back, for generated journals ---------------------------------------------


class OurWords(HTMLParser):
    """The text of ``<main>`` without the parent's own words, navigation and the app's footer."""

    SKIP_TAGS = {"blockquote", "nav", "form", "footer", "script", "option"}
    SKIP_CLASSES = {"open-list__what", "brief__footer", "messages"}
    VOID = {"br", "input", "img", "meta", "link", "hr", "source", "wbr"}

    def __init__(self):
        super().__init__()
        self.stack: list[bool] = []  # for every open element: is its text skipped?
        self.in_main = False
        self.parts: list[str] = []

    def handle_starttag(self, tag, attrs):
        if tag == "main":
            self.in_main = True
        if tag in self.VOID:
            return
        classes = set((dict(attrs).get("class") or "").split())
        skipped = tag in self.SKIP_TAGS or bool(classes & self.SKIP_CLASSES)
        self.stack.append(skipped or (bool(self.stack) and self.stack[-1]))

    def handle_startendtag(self, tag, attrs):
        pass

    def handle_endtag(self, tag):
        if tag == "main":
            self.in_main = False
        if tag not in self.VOID and self.stack:
            self.stack.pop()

    def handle_data(self, data):
        if self.in_main and not (self.stack and self.stack[-1]) and data.strip():
            self.parts.append(" ".join(data.split()))

    @classmethod
    def of(cls, html: str) -> str:
        parser = cls()
        parser.feed(html)
        return "\n".join(parser.parts)


def render_look_backs(client, child=None) -> dict[str, str]:
    """Our words on every look-back page of this journal, by language and page."""
    today = timezone.localdate()
    query = f"?child={child.pk}" if child else ""
    pages = {}
    for language in LANGUAGES:
        for name, period in (
            ("look_back_period", week_of(today).slug),
            ("look_back_period", month_of(today).previous().slug),
            ("look_back_period", "all"),
            ("look_back_print", month_of(today).slug),
        ):
            address = url(name, language, period=period) + query
            response = client.get(address)
            assert response.status_code == 200, address
            pages[address] = OurWords.of(response.content.decode())
    return pages


def assert_kind(pages: dict[str, str]) -> None:
    for address, text in pages.items():
        assert "Look back" in text or "Terugblik" in text, address  # the parser found the page
        for line in text.splitlines():
            assert tone_problems(line) == [], f"{address}: {line!r}"
            assert zero_counts(line) == [], f"{address}: {line!r}"


DAY = datetime.timedelta(days=1)


def _journal(parent, scenario: str):
    today = timezone.localdate()
    if scenario == "empty":
        return
    if scenario == "one moment":
        MomentFactory(owner=parent, date=today)
    elif scenario == "only connections":
        for back in range(8):
            MomentFactory(owner=parent, date=today - back * 4 * DAY, seen=back % 2 == 0)
    elif scenario == "all repaired":
        for back in range(5):
            MomentFactory(owner=parent, date=today - back * 6 * DAY, repaired=True)
    elif scenario == "only mismatches":
        for back in range(6):
            MomentFactory(owner=parent, date=today - back * 5 * DAY, mismatch=True)
    elif scenario == "no repairs":
        MomentFactory(owner=parent, date=today, mismatch=True, what_helped="breathing together")
        MomentFactory(owner=parent, date=today - DAY, repair_not_needed=True)
        MomentFactory(owner=parent, date=today - 2 * DAY, seen=True)
    elif scenario == "long gaps":
        for back in (0, 400, 1100, 1800):
            MomentFactory(owner=parent, date=today - back * DAY, repaired=True)
    elif scenario == "only repairs of older mismatches":
        MomentFactory(owner=parent, date=today - 90 * DAY, repaired=True, repaired_on=today)


@pytest.mark.django_db
@pytest.mark.parametrize(
    "scenario",
    [
        "empty",
        "one moment",
        "only connections",
        "only mismatches",
        "all repaired",
        "no repairs",
        "long gaps",
        "only repairs of older mismatches",
    ],
)
def test_the_look_back_of_every_kind_of_journal_is_kind(parent, parent_client, scenario):
    _journal(parent, scenario)
    pages = render_look_backs(parent_client)
    assert_kind(pages)


@pytest.mark.django_db
def test_an_empty_journal_is_welcomed_in_both_languages(parent_client):
    pages = render_look_backs(parent_client)
    this_week = url("look_back_period", "nl", period=week_of(timezone.localdate()).slug)
    assert "Je dagboek is nog stil. Welkom: wanneer je wilt" in pages[this_week]
    this_week = url("look_back_period", "en", period=week_of(timezone.localdate()).slug)
    assert "Your journal is still quiet. Welcome: whenever you like" in pages[this_week]
    last_month = url(
        "look_back_period", "en", period=month_of(timezone.localdate()).previous().slug
    )
    assert "A quiet month in your journal." in pages[last_month]
    assert "Welcome" not in pages[last_month]


@pytest.mark.django_db
def test_a_parents_own_words_are_quoted_but_not_judged(parent, parent_client):
    """A parent may write anything, even a percentage; we quote it and never check it."""
    MomentFactory(owner=parent, what_helped="Honestly 100% of bedtime was hard, I failed.")
    html = parent_client.get(url("look_back")).content.decode()
    assert "Honestly 100% of bedtime was hard, I failed." in html
    assert_kind({"look back": OurWords.of(html)})


journals = st.lists(
    st.tuples(
        st.integers(min_value=0, max_value=5 * 365),  # days back from today: long gaps too
        st.sampled_from(["connection", "mismatch", "repaired", "not_needed"]),
        st.tuples(*[st.booleans()] * 4),
        st.integers(min_value=0, max_value=40),  # days from the mismatch to its repair
        st.booleans(),  # for the child, or for none
    ),
    max_size=25,
)


@pytest.mark.django_db
@given(moments=journals, for_child=st.booleans())
@settings(
    max_examples=8,
    deadline=None,
    suppress_health_check=[HealthCheck.function_scoped_fixture, HealthCheck.too_slow],
)
def test_the_look_back_of_generated_journals_is_kind(parent, parent_client, moments, for_child):
    Moment.objects.filter(owner=parent).delete()
    child = ChildFactory(owner=parent)
    today = timezone.localdate()
    rows = []
    for back, kind, (safe, seen, soothed, secure), repair_after, with_child in moments:
        day = today - back * DAY
        repaired = kind == "repaired"
        rows.append(
            Moment(
                owner=parent,
                child=child if with_child else None,
                date=day,
                what_happened="Something happened.",
                what_helped="a walk" if safe else "",
                kind="connection" if kind == "connection" else "mismatch",
                repair_status={"connection": "", "mismatch": "open", "repaired": "repaired"}.get(
                    kind, "not_needed"
                ),
                repaired_on=min(day + repair_after * DAY, today) if repaired else None,
                safe=safe,
                seen=seen,
                soothed=soothed,
                secure=secure,
            )
        )
    Moment.objects.bulk_create(rows)
    assert_kind(render_look_backs(parent_client, child if for_child else None))
