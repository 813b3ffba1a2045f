"""The summary functions against hand-computed expectations: periods, buckets, counts, quotes."""

import datetime
import zoneinfo

import pytest
from django.utils import timezone, translation

from reflect.models import BucketStart, Moment
from reflect.summaries import (
    Kind,
    Period,
    Step,
    When,
    bucket_starts,
    first_moment_date,
    in_words,
    month_of,
    parse_period,
    reflection,
    since_the_start,
    summarise,
    week_of,
)
from tests.factories import ChildFactory, MomentFactory

D = datetime.date
TODAY = D(2026, 11, 25)  # a Wednesday


# --- Weeks start on Monday ----------------------------------------------------------------------


@pytest.mark.parametrize(
    "day",
    [D(2025, 3, 3), D(2025, 3, 5), D(2025, 3, 9)],  # Monday, Wednesday, Sunday
)
def test_a_week_runs_from_monday_to_sunday(day):
    assert week_of(day) == Period(Kind.WEEK, D(2025, 3, 3), D(2025, 3, 9))


def test_a_week_can_span_two_years():
    week = week_of(D(2026, 1, 1))  # a Thursday
    assert (week.start, week.end) == (D(2025, 12, 29), D(2026, 1, 4))
    assert week.days == 7


def test_the_week_before_and_after_are_seven_days_away():
    week = week_of(D(2025, 3, 5))
    assert week.previous() == week_of(D(2025, 2, 24))
    assert week.next() == week_of(D(2025, 3, 10))


# --- Months have their own lengths --------------------------------------------------------------


@pytest.mark.parametrize(
    ("day", "last"),
    [
        (D(2025, 1, 15), D(2025, 1, 31)),
        (D(2025, 4, 30), D(2025, 4, 30)),
        (D(2025, 2, 1), D(2025, 2, 28)),
        (D(2028, 2, 10), D(2028, 2, 29)),  # a leap year
        (D(2100, 2, 10), D(2100, 2, 28)),  # not a leap year: divisible by 100, not by 400
        (D(2000, 2, 10), D(2000, 2, 29)),  # a leap year: divisible by 400
    ],
)
def test_a_month_ends_on_its_own_last_day(day, last):
    month = month_of(day)
    assert month.start == day.replace(day=1)
    assert month.end == last


def test_the_month_before_march_in_a_leap_year_is_february_with_29_days():
    february = month_of(D(2028, 3, 31)).previous()
    assert (february.start, february.end, february.days) == (D(2028, 2, 1), D(2028, 2, 29), 29)


def test_the_month_after_december_is_january_of_the_next_year():
    assert month_of(D(2025, 12, 31)).next() == Period(Kind.MONTH, D(2026, 1, 1), D(2026, 1, 31))


def test_since_the_start_has_no_previous_or_next():
    period = since_the_start(D(2024, 5, 12), TODAY)
    assert (period.start, period.end) == (D(2024, 5, 12), TODAY)
    assert period.previous() is None
    assert period.next() is None


def test_since_the_start_of_an_empty_journal_is_just_today():
    assert since_the_start(None, TODAY) == Period(Kind.ALL, TODAY, TODAY)


# --- Periods in URLs ----------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("slug", "expected"),
    [
        ("2025-03-05", Period(Kind.WEEK, D(2025, 3, 3), D(2025, 3, 9))),
        ("2024-02", Period(Kind.MONTH, D(2024, 2, 1), D(2024, 2, 29))),
        ("all", Period(Kind.ALL, D(2024, 5, 12), TODAY)),
    ],
)
def test_parse_period_reads_weeks_months_and_since_the_start(slug, expected):
    assert parse_period(slug, today=TODAY, first=D(2024, 5, 12)) == expected


@pytest.mark.parametrize(
    "slug",
    [
        "",
        "week",
        "2025-13",
        "2025-00",
        "2025-02-30",
        "2025-3",
        "25-03",
        "2025-03-05-01",
        "1899-12",
        "2101-01",
        "2025-\uff10\uff13",  # full-width digits
        "2026-12",  # still to come
        "2026-11-30",  # next week, still to come
    ],
)
def test_parse_period_refuses_anything_else(slug):
    with pytest.raises(ValueError):  # noqa: PT011 (every kind of bad input gives the same error)
        parse_period(slug, today=TODAY, first=None)


def test_a_period_slug_reads_back_as_the_same_period():
    for period in (week_of(D(2025, 3, 5)), month_of(D(2028, 2, 5))):
        assert parse_period(period.slug, today=D(2030, 1, 1), first=None) == period
    assert week_of(D(2025, 3, 5)).slug == "2025-03-03"
    assert month_of(D(2028, 2, 5)).slug == "2028-02"


# --- Chart steps --------------------------------------------------------------------------------


def test_a_week_is_shown_by_day_and_a_month_by_week():
    assert week_of(TODAY).step == Step.DAY
    assert month_of(TODAY).step == Step.WEEK


@pytest.mark.parametrize(
    ("first", "step"),
    [
        (D(2026, 11, 20), Step.DAY),
        (D(2026, 8, 1), Step.WEEK),
        (D(2023, 1, 1), Step.MONTH),
        (D(2015, 1, 1), Step.YEAR),
    ],
)
def test_since_the_start_picks_a_step_that_fits_its_length(first, step):
    assert since_the_start(first, TODAY).step == step


def test_the_weeks_of_a_month_start_on_the_monday_before_the_first():
    # March 2025 starts on a Saturday and ends on a Monday: six weeks touch it.
    assert bucket_starts(month_of(D(2025, 3, 1)), Step.WEEK) == [
        D(2025, 2, 24),
        D(2025, 3, 3),
        D(2025, 3, 10),
        D(2025, 3, 17),
        D(2025, 3, 24),
        D(2025, 3, 31),
    ]


def test_the_months_since_the_start_include_both_ends():
    period = since_the_start(D(2027, 11, 20), D(2028, 3, 2))
    assert bucket_starts(period, Step.MONTH) == [
        D(2027, 11, 1),
        D(2027, 12, 1),
        D(2028, 1, 1),
        D(2028, 2, 1),
        D(2028, 3, 1),
    ]


def test_the_days_of_a_week_are_seven():
    assert len(bucket_starts(week_of(TODAY), Step.DAY)) == 7


# --- Summaries from the database ----------------------------------------------------------------


@pytest.mark.django_db
def test_summarise_counts_a_month_by_s_kind_and_week(parent, django_assert_num_queries):
    # February 2028 (a leap year): weeks start on 31 Jan, 7, 14, 21 and 28 Feb.
    MomentFactory(owner=parent, date=D(2028, 1, 31), seen=True)  # before the month
    MomentFactory(owner=parent, date=D(2028, 2, 1), safe=True, seen=True)
    MomentFactory(owner=parent, date=D(2028, 2, 6), mismatch=True, safe=False, soothed=True)
    MomentFactory(owner=parent, date=D(2028, 2, 29), repaired=True, safe=False, secure=True)
    MomentFactory(owner=parent, date=D(2028, 3, 1))  # after the month
    with django_assert_num_queries(3):  # a past month: no look for a gap before it
        summary = summarise(Moment.objects.for_owner(parent), month_of(D(2028, 2, 1)), TODAY)
    assert summary.totals == {
        "moments": 3,
        "safe": 1,
        "seen": 1,
        "soothed": 1,
        "secure": 1,
        "connection": 1,
        "mismatch": 2,
        "open_for_repair": 1,
        "repaired": 1,
    }
    assert summary.repairs_made == 1
    assert [b.start for b in summary.buckets] == [
        D(2028, 1, 31),
        D(2028, 2, 7),
        D(2028, 2, 14),
        D(2028, 2, 21),
        D(2028, 2, 28),
    ]
    assert [b.counts["moments"] for b in summary.buckets] == [2, 0, 0, 0, 1]
    assert [b.counts["mismatch"] for b in summary.buckets] == [1, 0, 0, 0, 1]
    assert [b.counts["repaired"] for b in summary.buckets] == [0, 0, 0, 0, 1]


@pytest.mark.django_db
def test_a_repair_counts_in_the_period_it_happened(parent):
    """A mismatch on Sunday, repaired on Monday: the repair made belongs to the next week, while
    the chart draws it inside the bar of its mismatch, on Sunday."""
    MomentFactory(owner=parent, date=D(2025, 3, 9), repaired=True, repaired_on=D(2025, 3, 10))
    moments = Moment.objects.for_owner(parent)
    first_week = summarise(moments, week_of(D(2025, 3, 9)))
    second_week = summarise(moments, week_of(D(2025, 3, 10)))
    assert (first_week.totals["mismatch"], first_week.repairs_made) == (1, 0)
    assert (second_week.totals["moments"], second_week.repairs_made) == (0, 1)
    assert not second_week.is_quiet
    assert first_week.buckets[-1].counts["repaired"] == 1
    assert all(b.counts["repaired"] == 0 for b in second_week.buckets)


@pytest.mark.django_db
def test_a_moment_late_on_sunday_evening_stays_in_its_week(parent, settings):
    """The moment's date is the parent's local date: 23:30 on Sunday in Amsterdam is Sunday,
    even though it is already Monday in UTC+14 and still Sunday afternoon in UTC."""
    settings.TIME_ZONE = "Europe/Amsterdam"
    late = datetime.datetime(2025, 3, 9, 23, 30, tzinfo=zoneinfo.ZoneInfo("Europe/Amsterdam"))
    with timezone.override("Europe/Amsterdam"):
        assert timezone.localdate(late) == D(2025, 3, 9)
        MomentFactory(owner=parent, date=timezone.localdate(late))
    summary = summarise(Moment.objects.for_owner(parent), week_of(D(2025, 3, 9)))
    assert summary.totals["moments"] == 1
    assert summary.buckets[-1].counts["moments"] == 1  # Sunday, the last day of the week


def test_this_week_depends_on_the_parents_time_zone():
    # 23:30 UTC on Sunday 9 March is already Monday 10 March in Amsterdam: a new week there.
    moment = datetime.datetime(2025, 3, 9, 23, 30, tzinfo=datetime.UTC)
    with timezone.override("UTC"):
        assert week_of(timezone.localdate(moment)).start == D(2025, 3, 3)
    with timezone.override("Europe/Amsterdam"):
        assert week_of(timezone.localdate(moment)).start == D(2025, 3, 10)


@pytest.mark.django_db
def test_summarise_keeps_to_one_child_when_asked(parent):
    noor, sem = ChildFactory(owner=parent, nickname="Noor"), ChildFactory(owner=parent)
    MomentFactory(owner=parent, child=noor, date=D(2025, 3, 4))
    MomentFactory(owner=parent, child=sem, date=D(2025, 3, 4))
    MomentFactory(owner=parent, date=D(2025, 3, 4))
    moments = Moment.objects.for_owner(parent)
    assert summarise(moments.for_child(noor), week_of(D(2025, 3, 4))).totals["moments"] == 1
    assert summarise(moments, week_of(D(2025, 3, 4))).totals["moments"] == 3


@pytest.mark.django_db
def test_summarise_since_the_start_by_month_over_a_leap_year(parent):
    MomentFactory(owner=parent, date=D(2027, 12, 31))
    MomentFactory(owner=parent, date=D(2028, 2, 29), seen=True)
    moments = Moment.objects.for_owner(parent)
    first = first_moment_date(moments)
    assert first == D(2027, 12, 31)
    summary = summarise(moments, since_the_start(first, D(2028, 6, 2)))
    assert summary.step == Step.WEEK  # 155 days: by week
    summary = summarise(moments, since_the_start(first, D(2028, 12, 2)))
    assert summary.step == Step.MONTH
    assert [(b.start, b.counts["moments"]) for b in summary.buckets[:4]] == [
        (D(2027, 12, 1), 1),
        (D(2028, 1, 1), 0),
        (D(2028, 2, 1), 1),
        (D(2028, 3, 1), 0),
    ]
    assert summary.totals["seen"] == 1


@pytest.mark.django_db
def test_an_empty_period_is_quiet_and_every_bucket_is_zero(parent):
    summary = summarise(Moment.objects.for_owner(parent), week_of(TODAY))
    assert summary.is_quiet
    assert all(not any(b.counts.values()) for b in summary.buckets)
    assert summary.quotes == []
    assert summary.four_s == []


@pytest.mark.django_db
def test_quotes_are_the_parents_words_newest_first_without_repeats(parent):
    noor = ChildFactory(owner=parent, nickname="Noor")
    MomentFactory(owner=parent, date=D(2025, 3, 3), what_helped="a hug")
    MomentFactory(owner=parent, date=D(2025, 3, 4), what_helped="A hug ")
    MomentFactory(owner=parent, date=D(2025, 3, 5), what_helped="singing", child=noor)
    MomentFactory(
        owner=parent, date=D(2025, 3, 6), repaired=True, repair_how="We said sorry on the stairs."
    )
    MomentFactory(owner=parent, date=D(2025, 3, 7), what_helped="")
    MomentFactory(owner=parent, date=D(2025, 2, 1), what_helped="from another week")
    summary = summarise(Moment.objects.for_owner(parent), week_of(D(2025, 3, 5)))
    assert [(q.text, q.child, q.is_repair) for q in summary.quotes] == [
        ("We said sorry on the stairs.", "", True),
        ("singing", "Noor", False),
        ("A hug", "", False),
    ]


@pytest.mark.django_db
def test_a_summary_lists_only_the_s_that_came_up(parent):
    MomentFactory(owner=parent, date=D(2025, 3, 4), safe=False, seen=True)
    MomentFactory(owner=parent, date=D(2025, 3, 5), safe=False, seen=True, soothed=True)
    summary = summarise(Moment.objects.for_owner(parent), week_of(D(2025, 3, 5)), TODAY)
    assert [(one.s.key, one.count) for one in summary.four_s] == [("seen", 2), ("soothed", 1)]
    with translation.override("nl"):
        assert summary.s_sentences == [
            ("seen", "Seen (gezien) kwam voor in twee momenten."),
            ("soothed", "Soothed (getroost) kwam voor in één moment."),
        ]
        assert summary.s_calm_line == "Niet elke S komt elke week voor."
    with translation.override("en"):
        assert summary.s_sentences[1] == ("soothed", "Soothed came up in one moment.")
        assert summary.s_calm_line == "Not every S comes up every week."


@pytest.mark.django_db
def test_no_calm_line_when_every_s_came_up(parent):
    MomentFactory(owner=parent, date=D(2025, 3, 4), seen=True, soothed=True, secure=True)
    summary = summarise(Moment.objects.for_owner(parent), month_of(D(2025, 3, 4)), TODAY)
    assert len(summary.four_s) == 4
    assert summary.s_calm_line == ""


# --- Where a period stands: past, current, coming back after a gap ------------------------------


@pytest.mark.django_db
@pytest.mark.parametrize(
    ("last_before", "when"),
    [
        (None, When.FIRST),  # an empty journal
        (D(2026, 11, 22), When.CURRENT),  # last Sunday
        (D(2026, 11, 10), When.CURRENT),  # 13 days before this Monday
        (D(2026, 11, 9), When.RETURNING),  # 14 days before this Monday
        (D(2025, 6, 1), When.RETURNING),
    ],
)
def test_the_current_week_knows_whether_the_parent_comes_back(parent, last_before, when):
    if last_before:
        MomentFactory(owner=parent, date=last_before)
    summary = summarise(Moment.objects.for_owner(parent), week_of(TODAY), TODAY)
    assert summary.when == when
    assert bool(summary.welcome) == (when == When.RETURNING)


@pytest.mark.django_db
def test_a_past_week_is_past_and_never_says_welcome_back(parent):
    MomentFactory(owner=parent, date=D(2025, 6, 1))
    summary = summarise(Moment.objects.for_owner(parent), week_of(D(2026, 10, 5)), TODAY)
    assert summary.when == When.PAST
    assert summary.welcome == ""
    with translation.override("en"):
        assert summary.sentences == ["A quiet week in your journal."]


@pytest.mark.django_db
def test_coming_back_with_a_new_moment_is_welcomed_too(parent):
    MomentFactory(owner=parent, date=D(2026, 9, 1))
    MomentFactory(owner=parent, date=TODAY)
    summary = summarise(Moment.objects.for_owner(parent), week_of(TODAY), TODAY)
    assert summary.when == When.RETURNING
    with translation.override("nl"):
        assert summary.welcome == "Welkom terug."
        assert summary.sentences[0] == "Je schreef één moment van verbinding op."


# --- Sentences ----------------------------------------------------------------------------------


def _totals(moments=0, connection=0, mismatch=0):
    return {"moments": moments, "connection": connection, "mismatch": mismatch}


@pytest.mark.parametrize(
    ("kind", "when", "english", "dutch"),
    [
        (
            Kind.WEEK,
            When.PAST,
            "A quiet week in your journal.",
            "Het was een stille week in je dagboek.",
        ),
        (
            Kind.MONTH,
            When.PAST,
            "A quiet month in your journal.",
            "Het was een stille maand in je dagboek.",
        ),
        (
            Kind.WEEK,
            When.CURRENT,
            "This week is still quiet in your journal. There is room whenever you like.",
            "Deze week is het nog stil in je dagboek. Er is ruimte wanneer je wilt.",
        ),
        (
            Kind.MONTH,
            When.CURRENT,
            "This month is still quiet in your journal. There is room whenever you like.",
            "Deze maand is het nog stil in je dagboek. Er is ruimte wanneer je wilt.",
        ),
        (
            Kind.WEEK,
            When.RETURNING,
            "Your journal is quiet this week. Whenever you like, a few words are enough.",
            "Je dagboek is deze week stil. Wanneer je wilt, is een paar woorden genoeg.",
        ),
        (
            Kind.WEEK,
            When.FIRST,
            "Your journal is still quiet. Welcome: whenever you like, a few words are enough.",
            "Je dagboek is nog stil. Welkom: wanneer je wilt, is een paar woorden genoeg.",
        ),
    ],
)
def test_a_quiet_period_reads_in_the_tense_that_fits_it(kind, when, english, dutch):
    with translation.override("en"):
        assert reflection(kind, _totals(), 0, when) == [english]
    with translation.override("nl"):
        assert reflection(kind, _totals(), 0, when) == [dutch]


def test_only_a_returning_parent_hears_welcome_back():
    for when in When:
        for kind in Kind:
            with translation.override("en"):
                text = " ".join(reflection(kind, _totals(), 0, when))
            assert "Welcome back" not in text  # said once, above the look back (Summary.welcome)
            if when == When.PAST:
                assert "Welcome" not in text


def test_three_repairs_read_as_the_ux_brief_says():
    with translation.override("en"):
        sentences = reflection(Kind.WEEK, _totals(5, 2, 3), 3)
    assert sentences == [
        "You noted five moments: two of connection and three when you were out of tune.",
        "You noted three moments when you reconnected.",
    ]
    with translation.override("nl"):
        sentences = reflection(Kind.WEEK, _totals(5, 2, 3), 3)
    assert sentences == [
        "Je schreef vijf momenten op: twee van verbinding en drie waarin jullie uit de pas liepen.",
        "Je schreef drie momenten op waarin jullie weer verbonden raakten.",
    ]


def test_mismatches_without_repair_hear_that_repair_is_what_counts():
    with translation.override("en"):
        sentences = reflection(Kind.MONTH, _totals(2, 0, 2), 0)
    assert sentences == [
        "You noted two moments when you were out of tune.",
        "Not every moment has to go well. Repair is what counts.",
    ]


def test_only_connections_are_met_with_a_question_not_a_lesson():
    with translation.override("nl"):
        sentences = reflection(Kind.WEEK, _totals(3, 3, 0), 0)
    assert sentences == [
        "Je schreef drie momenten van verbinding op.",
        "Wat viel je op in deze momenten van verbinding?",
    ]


def test_one_moment_reads_as_one_not_as_a_number():
    with translation.override("en"):
        assert reflection(Kind.WEEK, _totals(1, 1, 0), 0)[0] == (
            "You noted one moment of connection."
        )
    with translation.override("nl"):
        assert reflection(Kind.WEEK, _totals(1, 0, 1), 0)[0] == (
            "Je schreef één moment op waarin jullie uit de pas liepen."
        )


def test_small_numbers_are_words_and_large_ones_digits():
    with translation.override("nl"):
        assert [in_words(n) for n in (2, 3, 12, 13, 250)] == ["twee", "drie", "twaalf", "13", "250"]
    with translation.override("en"):
        assert in_words(7) == "seven"


@pytest.mark.django_db
@pytest.mark.parametrize("step", list(Step))
def test_the_database_puts_every_day_in_the_same_bucket_as_python(parent, step):
    """BucketStart uses SQLite's own date functions (Django's Trunc calls Python per row there);
    over two years of days, leap day, year ends and every weekday included, it agrees with the
    buckets the charts are drawn with, on SQLite and on PostgreSQL."""
    first = datetime.date(2023, 12, 25)
    days = [first + datetime.timedelta(days=n) for n in range(2 * 366)]
    Moment.objects.bulk_create(Moment(owner=parent, date=day, what_happened="x") for day in days)
    rows = Moment.objects.for_owner(parent).annotate(bucket=BucketStart("date", step.value))
    found = {row.date: row.bucket for row in rows}
    start_of = {
        Step.DAY: lambda day: day,
        Step.WEEK: lambda day: day - datetime.timedelta(days=day.weekday()),
        Step.MONTH: lambda day: day.replace(day=1),
        Step.YEAR: lambda day: day.replace(month=1, day=1),
    }[step]
    assert found == {day: start_of(day) for day in days}
    assert all(type(bucket) is datetime.date for bucket in found.values())


@pytest.mark.django_db
def test_a_quote_is_shown_behind_fifteen_newer_moments_without_words(parent):
    """Rows without words must not fill the few rows the quotes are read from."""
    MomentFactory(owner=parent, date=D(2025, 3, 3), what_helped="humming our song")
    for day in range(15):
        kind = ("connection", "mismatch", "not_needed")[day % 3]
        MomentFactory(
            owner=parent,
            date=D(2025, 3, 4) + datetime.timedelta(days=day % 5),
            what_helped="",
            mismatch=kind == "mismatch",
            repair_not_needed=kind == "not_needed",
        )
    summary = summarise(Moment.objects.for_owner(parent), month_of(D(2025, 3, 3)))
    assert [quote.text for quote in summary.quotes] == ["humming our song"]
