"""Small, accessible charts for the look back, drawn on the server as inline SVG.

No chart library and no script: this module turns a :class:`~reflect.summaries.Summary` into
shapes with coordinates, and ``reflect/look_back_chart.html`` draws them as
``<svg role="img">`` with a ``<title>``, a ``<desc>`` and a data table beside it. Colours come
from CSS classes in ``static/reflect/look_back.css`` (the strict CSP allows no inline style), so
the charts follow the light and dark colour schemes and print.

Two charts, each only of what happened (an S that did not come up has no bar, no colour in the
legend and no column in the table; a day without moments has no row):

* the four S's over the period: for each day, week, month or year a group of bars, one per S
  that came up;
* out of tune (mismatch) over time: one bar per step, the mismatches by the day they happened,
  with the part of them after which parent and child reconnected drawn inside the bar.
"""

from __future__ import annotations

import math
from dataclasses import dataclass

from django.utils.formats import date_format
from django.utils.translation import gettext as _

from hechting.learn.four_s import FOUR_S

from .summaries import Bucket, Step, Summary

WIDTH = 400  # about a phone's width, so 12px labels stay readable there
HEIGHT = 220
LEFT = 36  # room for the y-axis numbers
RIGHT = 8
TOP = 14
BOTTOM = 30  # room for the step labels
MAX_LABELS = 6


@dataclass(frozen=True)
class Series:
    key: str  # CSS modifier: chart__bar--safe, chart__bar--mismatch, ...
    name: str


@dataclass(frozen=True)
class Bar:
    x: float
    y: float
    width: float
    height: float
    key: str


@dataclass(frozen=True)
class Label:
    x: float
    y: float
    text: str


@dataclass(frozen=True)
class Row:
    label: str
    values: list[int]  # the table leaves a zero cell empty


@dataclass(frozen=True)
class Chart:
    id: str
    title: str
    desc: str
    series: list[Series]
    bars: list[Bar]
    labels: list[Label]  # one under every few steps
    ticks: list[Label]  # numbers along the y axis
    gridlines: list[float]
    rows: list[Row]  # the same numbers as a table
    width: int = WIDTH
    height: int = HEIGHT

    @property
    def baseline(self) -> float:
        return HEIGHT - BOTTOM

    @property
    def left(self) -> int:
        return LEFT

    @property
    def right(self) -> int:
        return WIDTH - RIGHT


def s_name(s) -> str:
    """ "Seen (gezien)" in Dutch, "Seen" in English: the S in English, the local word beside it."""
    return f"{s.name} ({s.other_name})" if s.other_name else s.name


def step_label(start, step: Step, short: bool = False) -> str:
    """How a day, week, month or year is named under a chart (short) or in its table."""
    if step == Step.DAY:
        return date_format(start, "D j" if short else "l j F")
    if step == Step.WEEK:
        if short:
            return date_format(start, "j M")
        return _("week of %(day)s") % {"day": date_format(start, "j F Y")}
    if step == Step.MONTH:
        return date_format(start, "M Y" if short else "F Y")
    return str(start.year)


def _unit(step: Step) -> str:
    return {
        Step.DAY: _("day"),
        Step.WEEK: _("week"),
        Step.MONTH: _("month"),
        Step.YEAR: _("year"),
    }[step]


def _nice_max(value: int) -> int:
    """A round top for the y axis: 1, 2, 4, 5, 10, 20, ..."""
    if value <= 2:
        return max(value, 1)
    magnitude = 10 ** int(math.log10(value))
    for factor in (1, 2, 4, 5, 10):
        if value <= factor * magnitude:
            return factor * magnitude
    return 10 * magnitude  # pragma: no cover (the loop always returns)


def _draw(
    chart_id: str,
    title: str,
    desc: str,
    series: list[Series],
    buckets: list[Bucket],
    values: list[list[int]],
    step: Step,
    nested: bool = False,
) -> Chart:
    """Bars side by side per step or, when ``nested``, each series inside the one before it
    (every later value is part of the first: "of which reconnected")."""
    used = [i for i in range(len(series)) if any(row[i] for row in values)]
    series = [series[i] for i in used]
    values = [[row[i] for i in used] for row in values]
    top = _nice_max(max((v for row in values for v in row), default=0))
    plot_width = WIDTH - LEFT - RIGHT
    plot_height = HEIGHT - TOP - BOTTOM
    group = plot_width / max(len(buckets), 1)
    bar_width = group * (0.6 if nested else 0.8 / max(len(series), 1))
    bars, labels = [], []
    every = math.ceil(len(buckets) / MAX_LABELS) or 1
    for index, (bucket, row) in enumerate(zip(buckets, values, strict=True)):
        x0 = LEFT + index * group + group * (0.2 if nested else 0.1)
        for position, (one, value) in enumerate(zip(series, row, strict=True)):
            if value:
                height = plot_height * value / top
                inset = bar_width * 0.2 * position if nested else 0
                x = x0 + inset if nested else x0 + position * bar_width
                bars.append(
                    Bar(
                        round(x, 2),
                        round(TOP + plot_height - height, 2),
                        round(bar_width - 2 * inset, 2),
                        round(height, 2),
                        one.key,
                    )
                )
        if index % every == 0:
            x_mid = round(LEFT + index * group + group / 2, 2)
            labels.append(Label(x_mid, HEIGHT - BOTTOM + 20, step_label(bucket.start, step, True)))
    # The y axis names its top (and middle); the baseline needs no "0".
    fractions = (0.5, 1) if top % 2 == 0 else (1,)
    ys = {f: round(TOP + plot_height * (1 - f), 2) for f in fractions}
    ticks = [Label(LEFT - 6, ys[f] + 5, str(int(top * f))) for f in fractions]
    gridlines = [ys[f] for f in fractions]
    rows = [
        Row(step_label(bucket.start, step), row)
        for bucket, row in zip(buckets, values, strict=True)
        if any(row)
    ]
    return Chart(chart_id, title, desc, series, bars, labels, ticks, gridlines, rows)


def four_s_chart(summary: Summary) -> Chart | None:
    """The S's that came up, per step; None when no moment of the period touched an S."""
    if not summary.four_s:
        return None
    series = [Series(s.key, s_name(s)) for s in FOUR_S]
    desc = _(
        "Bars for every %(unit)s of this period with moments: how many of them touched each S "
        "that came up. The same numbers are in the table below the chart."
    ) % {"unit": _unit(summary.step)}
    values = [[bucket.counts[s.key] for s in FOUR_S] for bucket in summary.buckets]
    # Someone else's moments (a shared look back) or both parents' (together): not "your".
    others = bool(summary.writer or summary.together)
    title = _("The four S's in these moments") if others else _("The four S's in your moments")
    return _draw("chart-four-s", title, desc, series, summary.buckets, values, summary.step)


def repair_chart(summary: Summary) -> Chart | None:
    """One bar per step for the moments out of tune, with the repaired part inside it; None
    when the period holds no mismatch."""
    if not summary.totals["mismatch"]:
        return None
    series = [
        Series("mismatch", _("out of tune (mismatch)")),
        Series("repair", _("of which reconnected")),
    ]
    if summary.writer or summary.together:
        desc = _(
            "One bar for every %(unit)s of this period with moments out of tune (mismatch), by "
            "the day they happened. The filled part inside a bar: the moments after which parent "
            "and child reconnected. The same numbers are in the table below the chart."
        )
    else:
        desc = _(
            "One bar for every %(unit)s of this period with moments out of tune (mismatch), by "
            "the day they happened. The filled part inside a bar: the moments after which you "
            "reconnected. The same numbers are in the table below the chart."
        )
    desc %= {"unit": _unit(summary.step)}
    values = [[bucket.counts["mismatch"], bucket.counts["repaired"]] for bucket in summary.buckets]
    title = _("Out of tune, and reconnected")
    return _draw(
        "chart-repair", title, desc, series, summary.buckets, values, summary.step, nested=True
    )


def chart_context(summary: Summary) -> dict:
    """What ``look_back_summary.html`` draws for a summary: the four S's and the mismatch and
    repair chart, each None when there is nothing to draw."""
    return {"four_s_chart": four_s_chart(summary), "repair_chart": repair_chart(summary)}
