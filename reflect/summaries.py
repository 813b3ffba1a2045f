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
   month or year, with a count per S and kind, and how many of its mismatches are repaired), one
   count of the repairs made in the period (by the repair's own date), the few most recent "what
   helped" quotes, and for the current period the date of the last moment before it (does the
   parent come back after a gap?).

The sentences we add are built from templates in :func:`reflection` and :func:`s_lines`: they
describe what happened, in words ("three moments"), and leave out what did not: no zero, no
score, no percentage, no comparison with other parents or with an earlier period, and no list of
mismatches still without a written repair. Mismatch is normal; repair is what counts. A quiet
period is described in the tense that fits it, and "welcome back" is said only after a real gap.
"""

from __future__ import annotations

import calendar
import datetime
from dataclasses import dataclass, field
from enum import StrEnum

from django.db.models import Q
from django.utils import timezone
from django.utils.text import capfirst
from django.utils.translation import gettext as _
from django.utils.translation import ngettext, pgettext

from hechting.learn.four_s import FOUR_S, KEYS, S

from .models import BucketStart, Moment, MomentQuerySet, week_start

FIRST_YEAR = 1990  # the earliest period a look back shows (and the earliest birth year)
LAST_YEAR = 2100
QUOTES = 4  # recent "what helped" examples on a look back
RETURN_GAP = datetime.timedelta(days=14)  # a quiet stretch after which "welcome back" fits
COUNTS = ("moments", *KEYS, "connection", "mismatch", "open_for_repair", "repaired")


class Kind(StrEnum):
    WEEK = "week"
    MONTH = "month"
    ALL = "all"


class When(StrEnum):
    """Where a period stands for the parent who looks at it."""

    PAST = "past"
    CURRENT = "current"  # today is in it
    RETURNING = "returning"  # current, after at least RETURN_GAP without a moment
    FIRST = "first"  # current, and the journal has no moment yet


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
    counts: dict[str, int]  # "repaired": the mismatches of this bucket that were repaired


@dataclass(frozen=True)
class Quote:
    """Something the parent wrote, quoted back as it was written."""

    text: str
    date: datetime.date
    child: str
    moment_pk: int
    is_repair: bool
    owner_id: int | None = None  # who wrote it: the together look back names each author
    author: str = ""  # in the together look back: the co-parent's chosen name ("" for "you")


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
    when: When = When.PAST
    # The parent's name for someone else who reads it (a shared look back): "Alice noted...".
    # Empty: the parent reads their own look back ("You noted...").
    writer: str = ""
    # The together look back of a linked child: both parents' moments, so the sentences speak
    # of "this shared journal", never of "you" (and never count one parent against the other).
    together: bool = False

    @property
    def is_quiet(self) -> bool:
        return self.totals["moments"] == 0 and self.repairs_made == 0

    @property
    def four_s(self) -> list[SCount]:
        """The S's that came up in this period (the others are simply not listed)."""
        return [SCount(s, self.totals[s.key]) for s in FOUR_S if self.totals[s.key]]

    @property
    def welcome(self) -> str:
        """ "Welcome back", only for a parent who comes back after a quiet stretch."""
        return _("Welcome back.") if self.when == When.RETURNING else ""

    @property
    def sentences(self) -> list[str]:
        return reflection(
            self.period.kind,
            self.totals,
            self.repairs_made,
            self.when,
            writer=self.writer,
            together=self.together,
        )

    @property
    def s_sentences(self) -> list[tuple[str, str]]:
        return s_lines(self.four_s)

    @property
    def s_calm_line(self) -> str:
        return s_calm_line(self.period.kind, self.four_s)


def _zero() -> dict[str, int]:
    return dict.fromkeys(COUNTS, 0)


def summarise(
    moments: MomentQuerySet, period: Period, today: datetime.date | None = None
) -> Summary:
    """Summarise the (already owner- and child-scoped) ``moments`` over ``period``.

    Three queries, whatever the size of the journal: the counts per bucket and S, the repairs
    made in the period and the most recent quotes; a fourth for the current week or month: the
    last moment before it. ``today`` is the parent's local date (by default the active one).
    """
    today = today or timezone.localdate()
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
    buckets = [
        Bucket(start, by_bucket.get(start, _zero())) for start in bucket_starts(period, step)
    ]
    totals = _zero()
    for row in by_bucket.values():
        for key in COUNTS:
            totals[key] += row[key]
    quiet = totals["moments"] == 0
    return Summary(
        period=period,
        step=step,
        buckets=buckets,
        totals=totals,
        repairs_made=moments.repaired_in_period(period.start, period.end).count(),
        quotes=recent_quotes(in_period),
        when=_when(moments, period, today, quiet),
    )


def _when(moments: MomentQuerySet, period: Period, today: datetime.date, quiet: bool) -> When:
    """Past or current; for the current week or month also whether the parent comes back after
    a quiet stretch (the last moment before the period is RETURN_GAP or more before it), or
    starts a journal that has no moment yet."""
    if today not in period:
        return When.PAST
    if period.kind == Kind.ALL:
        return When.FIRST if quiet else When.CURRENT
    earlier = moments.filter(date__lt=period.start).order_by("-date")
    before = earlier.values_list("date", flat=True).first()
    if before is None:
        return When.FIRST if quiet else When.CURRENT
    return When.RETURNING if period.start - before >= RETURN_GAP else When.CURRENT


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
            quotes.append(Quote(text, row.date, nickname, row.pk, is_repair, row.owner_id))
    return quotes


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


def reflection(
    kind: Kind | str,
    totals: dict[str, int],
    repairs_made: int,
    when: When | str = When.PAST,
    *,
    writer: str = "",
    together: bool = False,
) -> list[str]:
    """Up to three plain sentences about a period, built from templates (never a judgement).

    The first says what was noted, in words and only for what happened (or, for a quiet period,
    that it is quiet: in the present for the current one, calmly for a past one); the second the
    repairs made in the period; the third, if any, invites or says something true and kind.
    With a ``writer`` (someone else reads a shared look back) they speak of the parent by that
    name, in the third person, and the question meant for the parent is left out. ``together``
    (both parents' moments): they speak of "this shared journal", of no one in particular.
    """
    moments = totals.get("moments", 0)
    if moments == 0 and repairs_made == 0:
        return [_quiet_shared(kind) if writer or together else _quiet(kind, when)]
    sentences = []
    if moments:
        connection, mismatch = totals.get("connection", 0), totals.get("mismatch", 0)
        if together:
            sentences.append(_noted_together(moments, connection, mismatch))
        elif writer:
            sentences.append(_noted_by(moments, connection, mismatch, writer))
        else:
            sentences.append(_noted(moments, connection, mismatch))
    if repairs_made and together:
        sentences.append(
            ngettext(
                "In this shared journal, one moment when parent and child reconnected was noted.",
                "In this shared journal, %(count)s moments when parent and child reconnected "
                "were noted.",
                repairs_made,
            )
            % {"count": in_words(repairs_made)}
        )
    elif repairs_made and writer:
        sentences.append(
            ngettext(
                "%(name)s noted one moment when parent and child reconnected.",
                "%(name)s noted %(count)s moments when parent and child reconnected.",
                repairs_made,
            )
            % {"count": in_words(repairs_made), "name": capfirst(writer)}
        )
    elif repairs_made:
        sentences.append(
            ngettext(
                "You noted one moment when you reconnected.",
                "You noted %(count)s moments when you reconnected.",
                repairs_made,
            )
            % {"count": in_words(repairs_made)}
        )
    elif totals.get("mismatch", 0):
        sentences.append(_("Not every moment has to go well. Repair is what counts."))
    elif moments and not writer and not together:
        sentences.append(_("What did you notice in these moments of connection?"))
    return sentences


def _quiet(kind: Kind | str, when: When | str) -> str:
    if when == When.PAST:
        if kind == Kind.WEEK:
            return _("A quiet week in your journal.")
        if kind == Kind.MONTH:
            return _("A quiet month in your journal.")
        return _("A quiet time in your journal.")  # a shared link's own dates
    if kind == Kind.ALL or when == When.FIRST:
        return _("Your journal is still quiet. Welcome: whenever you like, a few words are enough.")
    if when == When.RETURNING:
        if kind == Kind.WEEK:
            return _("Your journal is quiet this week. Whenever you like, a few words are enough.")
        return _("Your journal is quiet this month. Whenever you like, a few words are enough.")
    if kind == Kind.WEEK:
        return _("This week is still quiet in your journal. There is room whenever you like.")
    return _("This month is still quiet in your journal. There is room whenever you like.")


def _quiet_shared(kind: Kind | str) -> str:
    """A quiet period, for someone who reads a shared look back (no welcome, no invitation)."""
    if kind == Kind.WEEK:
        return _("A quiet week in this journal.")
    if kind == Kind.MONTH:
        return _("A quiet month in this journal.")
    return _("A quiet time in this journal.")


def _noted_by(moments: int, connection: int, mismatch: int, writer: str) -> str:
    """What was noted, as :func:`_noted`, in the third person: "Alice noted ..."."""
    name = capfirst(writer)
    if not mismatch:
        return ngettext(
            "%(name)s noted one moment of connection.",
            "%(name)s noted %(count)s moments of connection.",
            connection,
        ) % {"count": in_words(connection), "name": name}
    if not connection:
        return ngettext(
            "%(name)s noted one moment when parent and child were out of tune.",
            "%(name)s noted %(count)s moments when parent and child were out of tune.",
            mismatch,
        ) % {"count": in_words(mismatch), "name": name}
    return ngettext(
        "%(name)s noted one moment: %(connections)s and %(mismatches)s.",
        "%(name)s noted %(count)s moments: %(connections)s and %(mismatches)s.",
        moments,
    ) % {"count": in_words(moments), "name": name, **_both_kinds(connection, mismatch)}


def _both_kinds(connection: int, mismatch: int) -> dict[str, str]:
    """The two parts of "… moments: two of connection and one when parent and child were out of
    tune", for a reader other than the parent who wrote them."""
    return {
        "connections": ngettext("one of connection", "%(count)s of connection", connection)
        % {"count": in_words(connection)},
        "mismatches": ngettext(
            "one when parent and child were out of tune",
            "%(count)s when parent and child were out of tune",
            mismatch,
        )
        % {"count": in_words(mismatch)},
    }


def _noted_together(moments: int, connection: int, mismatch: int) -> str:
    """What was noted in a shared journal, as :func:`_noted_by`, of both parents at once."""
    if not mismatch:
        return ngettext(
            "In this shared journal, one moment of connection was noted.",
            "In this shared journal, %(count)s moments of connection were noted.",
            connection,
        ) % {"count": in_words(connection)}
    if not connection:
        return ngettext(
            "In this shared journal, one moment when parent and child were out of tune was noted.",
            "In this shared journal, %(count)s moments when parent and child were out of tune "
            "were noted.",
            mismatch,
        ) % {"count": in_words(mismatch)}
    return ngettext(
        "In this shared journal, one moment was noted: %(connections)s and %(mismatches)s.",
        "In this shared journal, %(count)s moments were noted: %(connections)s and %(mismatches)s.",
        moments,
    ) % {"count": in_words(moments), **_both_kinds(connection, mismatch)}


def _noted(moments: int, connection: int, mismatch: int) -> str:
    """What was noted, in one sentence: only the kinds of moment that happened."""
    if not mismatch:
        return ngettext(
            "You noted one moment of connection.",
            "You noted %(count)s moments of connection.",
            connection,
        ) % {"count": in_words(connection)}
    if not connection:
        return ngettext(
            "You noted one moment when you were out of tune.",
            "You noted %(count)s moments when you were out of tune.",
            mismatch,
        ) % {"count": in_words(mismatch)}
    connections = ngettext("one of connection", "%(count)s of connection", connection) % {
        "count": in_words(connection)
    }
    mismatches = ngettext(
        "one when you were out of tune", "%(count)s when you were out of tune", mismatch
    ) % {"count": in_words(mismatch)}
    return ngettext(
        "You noted one moment: %(connections)s and %(mismatches)s.",
        "You noted %(count)s moments: %(connections)s and %(mismatches)s.",
        moments,
    ) % {"count": in_words(moments), "connections": connections, "mismatches": mismatches}


def s_lines(four_s: list[SCount]) -> list[tuple[str, str]]:
    """(key, sentence) for every S that came up: "Seen (gezien) came up in three moments"."""
    from .charts import s_name  # charts draws summaries; the S's name rule lives there

    return [
        (
            one.s.key,
            ngettext(
                "%(s)s came up in one moment.", "%(s)s came up in %(count)s moments.", one.count
            )
            % {"s": s_name(one.s), "count": in_words(one.count)},
        )
        for one in four_s
    ]


def s_calm_line(kind: Kind | str, four_s: list[SCount]) -> str:
    """One calm line when some S's came up and others did not (those are never named)."""
    if not four_s or len(four_s) == len(FOUR_S):
        return ""
    if kind == Kind.WEEK:
        return _("Not every S comes up every week.")
    if kind == Kind.MONTH:
        return _("Not every S comes up every month.")
    return _("Not every S comes up all the time.")
