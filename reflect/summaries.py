"""Gentle summaries of the journal: pure functions from querysets to summary data.

A look back covers a **period**: a week (Monday to Sunday), a calendar month, or everything
"since the start". Every date is the parent's local date (``Moment.date`` is chosen in the form,
and "today" comes from :func:`django.utils.timezone.localdate` in the active time zone), so a
week never shifts with UTC.

All counting happens in the database, grouped by period and S, so a summary costs the same few
queries for a month-old journal and for a five-year one:

1. :func:`first_moment_date`: one ``MIN(date)`` (where the journal starts; for "since the start"
   and for whether "previous" leads anywhere);
2. :func:`summarise`: one ``GROUP BY`` over the moments of the period (one row per day, week,
   month or year, with a count per S and kind), one ``GROUP BY`` over the repairs made in the
   period (by the repair's own date), the few most recent "what helped" quotes, and the few
   mismatches still open for repair.

The sentences we add are built from templates in :func:`reflection`: descriptive and warm, never
a score, a percentage or a comparison with other parents or with an earlier period. Mismatch is
normal; repair is what counts. A quiet period gets a welcome, never a reproach.
"""

from __future__ import annotations

import calendar
import datetime
from dataclasses import dataclass, field
from enum import StrEnum

from django.db.models import Count, Q
from django.utils.translation import gettext as _
from django.utils.translation import ngettext, pgettext

from hechting.learn.four_s import FOUR_S, KEYS, S

from .models import BucketStart, Moment, MomentQuerySet, week_start

FIRST_YEAR = 1990  # the earliest period a look back shows (and the earliest birth year)
LAST_YEAR = 2100
QUOTES = 4  # recent "what helped" examples on a look back
OPEN_LISTED = 5  # mismatches open for repair listed by name (the count covers all of them)
COUNTS = ("moments", *KEYS, "connection", "mismatch", "open_for_repair")


class Kind(StrEnum):
    WEEK = "week"
    MONTH = "month"
    ALL = "all"


class Step(StrEnum):
    """How the charts of a period are divided: the database truncates ``date`` to one of these."""

    DAY = "day"
    WEEK = "week"
    MONTH = "month"
    YEAR = "year"


# --- Periods ------------------------------------------------------------------------------------


@dataclass(frozen=True)
class Period:
    """A stretch of local dates, both ends included."""

    kind: Kind
    start: datetime.date
    end: datetime.date

    @property
    def slug(self) -> str:
        """How the period appears in a URL: ``2025-03-03`` (its Monday), ``2025-03`` or ``all``."""
        if self.kind == Kind.WEEK:
            return self.start.isoformat()
        if self.kind == Kind.MONTH:
            return f"{self.start.year:04d}-{self.start.month:02d}"
        return "all"

    @property
    def days(self) -> int:
        return (self.end - self.start).days + 1

    def __contains__(self, day: datetime.date) -> bool:
        return self.start <= day <= self.end

    def previous(self) -> Period | None:
        if self.kind == Kind.WEEK:
            return week_of(self.start - datetime.timedelta(days=7))
        if self.kind == Kind.MONTH:
            return month_of(self.start - datetime.timedelta(days=1))
        return None

    def next(self) -> Period | None:
        if self.kind == Kind.WEEK:
            return week_of(self.start + datetime.timedelta(days=7))
        if self.kind == Kind.MONTH:
            return month_of(self.end + datetime.timedelta(days=1))
        return None

    @property
    def step(self) -> Step:
        """The chart's unit: days in a week, weeks in a month, months or years since the start."""
        if self.kind == Kind.WEEK:
            return Step.DAY
        if self.kind == Kind.MONTH:
            return Step.WEEK
        if self.days <= 14:
            return Step.DAY
        if self.days <= 183:
            return Step.WEEK
        if self.days <= 6 * 366:
            return Step.MONTH
        return Step.YEAR


def week_of(day: datetime.date) -> Period:
    """The week (Monday to Sunday) that holds ``day``."""
    monday = week_start(day)
    return Period(Kind.WEEK, monday, monday + datetime.timedelta(days=6))


def month_of(day: datetime.date) -> Period:
    """The calendar month that holds ``day`` (28, 29, 30 or 31 days)."""
    last = calendar.monthrange(day.year, day.month)[1]
    return Period(Kind.MONTH, day.replace(day=1), day.replace(day=last))


def since_the_start(first: datetime.date | None, today: datetime.date) -> Period:
    """From the first moment in the journal up to today (just today for an empty journal)."""
    start = min(first, today) if first else today
    return Period(Kind.ALL, start, today)


def parse_period(slug: str, today: datetime.date, first: datetime.date | None) -> Period:
    """The period a URL names; ``ValueError`` for anything else, or for a period still to come.

    ``2025-03-05`` is the week that holds that day, ``2025-03`` the month, ``all`` since the start.
    """
    if slug == Kind.ALL:
        return since_the_start(first, today)
    parts = slug.split("-")
    if len(parts) not in (2, 3) or not all(part.isascii() and part.isdigit() for part in parts):
        raise ValueError(f"Not a period: {slug!r}")
    if len(parts[0]) != 4 or any(len(part) != 2 for part in parts[1:]):
        raise ValueError(f"Not a period: {slug!r}")
    year, month, *day = (int(part) for part in parts)
    if not FIRST_YEAR <= year <= LAST_YEAR:
        raise ValueError(f"Year out of range: {year}")
    date = datetime.date(year, month, day[0] if day else 1)  # ValueError for 2025-02-30
    period = week_of(date) if day else month_of(date)
    if period.start > today:
        raise ValueError("This period is still to come.")
    return period


def first_moment_date(moments: MomentQuerySet) -> datetime.date | None:
    """The date of the first moment in (an already scoped) journal: one query."""
    return moments.order_by("date").values_list("date", flat=True).first()


def bucket_starts(period: Period, step: Step) -> list[datetime.date]:
    """The first day of every day, week, month or year a chart of ``period`` shows, in order."""
    starts = []
    current = _truncate(period.start, step)
    while current <= period.end:
        starts.append(current)
        current = _advance(current, step)
    return starts


def _truncate(day: datetime.date, step: Step) -> datetime.date:
    if step == Step.WEEK:
        return week_start(day)
    if step == Step.MONTH:
        return day.replace(day=1)
    if step == Step.YEAR:
        return day.replace(month=1, day=1)
    return day


def _advance(day: datetime.date, step: Step) -> datetime.date:
    if step == Step.DAY:
        return day + datetime.timedelta(days=1)
    if step == Step.WEEK:
        return day + datetime.timedelta(days=7)
    if step == Step.MONTH:
        return (day.replace(day=28) + datetime.timedelta(days=4)).replace(day=1)
    return day.replace(year=day.year + 1)


# --- Summaries ----------------------------------------------------------------------------------


@dataclass(frozen=True)
class Bucket:
    """The counts of one day, week, month or year of a period."""

    start: datetime.date
    counts: dict[str, int]
    repairs: int  # repairs made in this bucket (by the repair's own date)


@dataclass(frozen=True)
class Quote:
    """Something the parent wrote, quoted back as it was written."""

    text: str
    date: datetime.date
    child: str
    moment_pk: int
    is_repair: bool


@dataclass(frozen=True)
class OpenMismatch:
    pk: int
    date: datetime.date
    what_happened: str
    child: str


@dataclass(frozen=True)
class SCount:
    s: S
    count: int


@dataclass(frozen=True)
class Summary:
    period: Period
    step: Step
    buckets: list[Bucket]
    totals: dict[str, int]
    repairs_made: int
    quotes: list[Quote] = field(default_factory=list)
    open_mismatches: list[OpenMismatch] = field(default_factory=list)

    @property
    def is_quiet(self) -> bool:
        return self.totals["moments"] == 0 and self.repairs_made == 0

    @property
    def four_s(self) -> list[SCount]:
        return [SCount(s, self.totals[s.key]) for s in FOUR_S]

    @property
    def sentences(self) -> list[str]:
        return reflection(self.period.kind, self.totals, self.repairs_made)


def _zero() -> dict[str, int]:
    return dict.fromkeys(COUNTS, 0)


def summarise(moments: MomentQuerySet, period: Period) -> Summary:
    """Summarise the (already owner- and child-scoped) ``moments`` over ``period``.

    Four queries, whatever the size of the journal: the counts per bucket and S, the repairs per
    bucket, the most recent quotes and the first few mismatches still open for repair.
    """
    step = period.step
    in_period = moments.in_period(period.start, period.end)
    counts = {key: value for key, value in Moment.objects.s_counts().items() if key in COUNTS}
    rows = (
        in_period.annotate(bucket=BucketStart("date", step.value))
        .values("bucket")
        .order_by("bucket")
        .annotate(**counts)
    )
    by_bucket = {_as_date(row.pop("bucket")): row for row in rows}
    repair_rows = (
        moments.repaired_in_period(period.start, period.end)
        .annotate(bucket=BucketStart("repaired_on", step.value))
        .values("bucket")
        .order_by("bucket")
        .annotate(repairs=Count("pk"))
    )
    repairs = {_as_date(row["bucket"]): row["repairs"] for row in repair_rows}
    buckets = [
        Bucket(start, by_bucket.get(start, _zero()), repairs.get(start, 0))
        for start in bucket_starts(period, step)
    ]
    totals = _zero()
    for row in by_bucket.values():
        for key in COUNTS:
            totals[key] += row[key]
    return Summary(
        period=period,
        step=step,
        buckets=buckets,
        totals=totals,
        repairs_made=sum(repairs.values()),
        quotes=recent_quotes(in_period),
        open_mismatches=open_mismatches(in_period),
    )


def _as_date(value: datetime.date | datetime.datetime) -> datetime.date:
    return value.date() if isinstance(value, datetime.datetime) else value


def recent_quotes(moments: MomentQuerySet, limit: int = QUOTES) -> list[Quote]:
    """The most recent things that helped, and how parent and child reconnected, in the parent's
    own words. One query; the same words twice are quoted once."""
    rows = (
        # A row with words to quote: what helped, or how parent and child reconnected (only
        # once the mismatch is repaired). Rows without words must not fill the slice below.
        moments.filter(
            ~Q(what_helped="") | (Q(repair_status=Moment.RepairStatus.REPAIRED) & ~Q(repair_how=""))
        )
        .select_related("child")
        .order_by("-date", "-created", "-pk")
        # Model instances, not values(): the words are encrypted and open on attribute access.
        .only(
            "pk",
            "uid",
            "owner",
            "date",
            "what_helped",
            "repair_how",
            "repair_status",
            "child__nickname",
        )[: limit * 3]
    )
    quotes: list[Quote] = []
    seen: set[str] = set()
    for row in rows:
        texts = [(row.what_helped, False)]
        if row.repair_status == Moment.RepairStatus.REPAIRED:
            texts.append((row.repair_how, True))
        for text, is_repair in texts:
            text = text.strip()
            if not text or text.casefold() in seen or len(quotes) == limit:
                continue
            seen.add(text.casefold())
            nickname = row.child.nickname if row.child else ""
            quotes.append(Quote(text, row.date, nickname, row.pk, is_repair))
    return quotes


def open_mismatches(moments: MomentQuerySet, limit: int = OPEN_LISTED) -> list[OpenMismatch]:
    rows = (
        moments.open_for_repair()
        .select_related("child")
        .order_by("-date", "-created", "-pk")
        .only("pk", "uid", "owner", "date", "what_happened", "child__nickname")[:limit]
    )
    return [
        OpenMismatch(row.pk, row.date, row.what_happened, row.child.nickname if row.child else "")
        for row in rows
    ]


# --- Sentences ----------------------------------------------------------------------------------


def in_words(number: int) -> str:
    """Small numbers in words ("three", "drie"), as a person would write them; others as digits."""
    words = {
        2: pgettext("number", "two"),
        3: pgettext("number", "three"),
        4: pgettext("number", "four"),
        5: pgettext("number", "five"),
        6: pgettext("number", "six"),
        7: pgettext("number", "seven"),
        8: pgettext("number", "eight"),
        9: pgettext("number", "nine"),
        10: pgettext("number", "ten"),
        11: pgettext("number", "eleven"),
        12: pgettext("number", "twelve"),
    }
    return words.get(number, str(number))


def reflection(kind: Kind | str, totals: dict[str, int], repairs_made: int) -> list[str]:
    """One or two plain sentences about a period, built from templates (never a judgement).

    The first says what was noted (or welcomes the parent back after a quiet period); the second
    says something true and kind about repair, mismatch or connection.
    """
    moments = totals.get("moments", 0)
    mismatch = totals.get("mismatch", 0)
    if moments == 0 and repairs_made == 0:
        if kind == Kind.WEEK:
            return [_("A quiet week in your journal. Welcome back.")]
        if kind == Kind.MONTH:
            return [_("A quiet month in your journal. Welcome back.")]
        return [
            _("Your journal is still quiet. Welcome: whenever you like, a few words are enough.")
        ]
    sentences = []
    if moments:
        sentences.append(
            ngettext(
                "You noted one moment in your journal.",
                "You noted %(count)s moments in your journal.",
                moments,
            )
            % {"count": in_words(moments)}
        )
    if repairs_made:
        sentences.append(
            ngettext(
                "You noted one moment when you reconnected. Repair is what builds trust.",
                "You noted %(count)s moments when you reconnected. Repair is what builds trust.",
                repairs_made,
            )
            % {"count": in_words(repairs_made)}
        )
    elif mismatch:
        sentences.append(
            _("Not every moment has to go well. Repair is what counts, and it is never too late.")
        )
    else:
        sentences.append(_("Small moments of connection like these are where trust grows."))
    return sentences
