"""Which age bands a parent's children are in (hechting/learn/ages.py), for the learn pages and
the journal's prompts. Only children with a birth month count: a birth year alone is too rough.
"""

import datetime
from collections.abc import Iterable

from django.utils import timezone

from hechting.learn.ages import band_for_months
from reflect.models import Child


def age_bands(children: Iterable[Child], on: datetime.date | None = None) -> tuple[str, ...]:
    """The bands of these children on a day (today by default), youngest first, each once."""
    on = on or timezone.localdate()
    months = sorted(m for child in children if (m := child.age_in_months(on)) is not None)
    return tuple(dict.fromkeys(key for m in months if (key := band_for_months(m)) is not None))


def parent_age_bands(user, on: datetime.date | None = None) -> tuple[str, ...]:
    """The bands of a signed-in parent's own children (one query); none for a visitor."""
    if not user.is_authenticated:
        return ()
    children = Child.objects.for_owner(user).filter(birth_month__isnull=False)
    return age_bands(children.only("birth_year", "birth_month"), on)
