"""The four age bands of the learn pages and the journal's prompts: baby, toddler, school child,
teenager.

A band is a way to find the scenes that fit a child, never a norm: children move between bands
at their own pace, and the pages show every band. When a parent has given a child's birth month
(on the children page), that child's band comes first.
"""

import datetime
from collections.abc import Iterable
from dataclasses import dataclass

from django.utils import timezone
from django.utils.functional import Promise
from django.utils.translation import gettext_lazy as _


@dataclass(frozen=True)
class AgeBand:
    key: str
    name: Promise  # "peuter" in Dutch, "toddler" in English
    ages: Promise  # the ages it roughly covers, in words
    until_months: int  # the first month of age that belongs to the next band


AGE_BANDS: tuple[AgeBand, ...] = (
    AgeBand("baby", _("baby"), _("up to about 1 year"), 12),
    AgeBand("toddler", _("toddler"), _("about 1 to 4 years"), 48),
    AgeBand("school", _("school child"), _("about 4 to 12 years"), 144),
    AgeBand("teen", _("teenager"), _("about 12 to 18 years"), 18 * 12),
)
BY_KEY = {band.key: band for band in AGE_BANDS}
KEYS = tuple(BY_KEY)


def band_for_months(months: int | None) -> str | None:
    """The band of a child of ``months`` whole months, or None when unknown or 18 and older."""
    if months is None or months < 0:
        return None
    return next((band.key for band in AGE_BANDS if months < band.until_months), None)


def ordered(first: Iterable[str] = ()) -> tuple[AgeBand, ...]:
    """All four bands: the ones in ``first`` (in that order) before the others."""
    leading = [BY_KEY[key] for key in dict.fromkeys(first) if key in BY_KEY]
    return (*leading, *(band for band in AGE_BANDS if band not in leading))


def age_bands(children: Iterable, on: datetime.date | None = None) -> tuple[str, ...]:
    """The bands of these children (``Child`` rows) on a day (today by default), youngest first,
    each once. Only children with a birth month count: a birth year alone is too rough."""
    on = on or timezone.localdate()
    months = sorted(m for child in children if (m := child.age_in_months(on)) is not None)
    return tuple(dict.fromkeys(key for m in months if (key := band_for_months(m)) is not None))


def parent_age_bands(user, on: datetime.date | None = None) -> tuple[str, ...]:
    """The bands of a signed-in parent's own children (one query); none for a visitor."""
    if not user.is_authenticated:
        return ()
    children = user.children.filter(birth_month__isnull=False)
    return age_bands(children.only("birth_year", "birth_month"), on)
