import datetime

import pytest

from reflect.models import Moment
from tests.factories import ChildFactory, MomentFactory

pytestmark = pytest.mark.django_db

D = datetime.date


def test_for_owner_keeps_other_parents_moments_out(parent, other_parent):
    mine = MomentFactory(owner=parent)
    MomentFactory(owner=other_parent)
    assert list(Moment.objects.for_owner(parent)) == [mine]


def test_in_period_includes_both_ends(parent):
    MomentFactory(owner=parent, date=D(2025, 3, 1))
    MomentFactory(owner=parent, date=D(2025, 3, 31))
    MomentFactory(owner=parent, date=D(2025, 4, 1))
    assert Moment.objects.for_owner(parent).in_period(D(2025, 3, 1), D(2025, 3, 31)).count() == 2


def test_open_for_repair_finds_only_open_mismatches(parent):
    open_one = MomentFactory(owner=parent, mismatch=True)
    MomentFactory(owner=parent, repaired=True)
    MomentFactory(owner=parent, repair_not_needed=True)
    MomentFactory(owner=parent)
    assert list(Moment.objects.for_owner(parent).open_for_repair()) == [open_one]


def test_touching_and_for_child_chain(parent):
    noor = ChildFactory(owner=parent, nickname="Noor")
    wanted = MomentFactory(owner=parent, child=noor, safe=False, soothed=True)
    MomentFactory(owner=parent, child=noor, safe=True)
    MomentFactory(owner=parent, soothed=True)
    found = Moment.objects.for_owner(parent).for_child(noor).touching("soothed")
    assert list(found) == [wanted]


def test_search_looks_in_every_text_field_case_insensitively(parent):
    a = MomentFactory(owner=parent, what_happened="Bedtime was hard")
    b = MomentFactory(owner=parent, what_helped="singing softly at BEDTIME")
    MomentFactory(owner=parent, what_happened="The park")
    assert set(Moment.objects.for_owner(parent).search(parent, "bedtime")) == {a, b}


def test_newest_first_orders_by_date_then_creation(parent):
    old = MomentFactory(owner=parent, date=D(2025, 1, 1))
    new_1 = MomentFactory(owner=parent, date=D(2025, 2, 1))
    new_2 = MomentFactory(owner=parent, date=D(2025, 2, 1))
    assert list(Moment.objects.for_owner(parent).newest_first()) == [new_2, new_1, old]


def test_repaired_in_period_uses_the_repair_date(parent):
    moment = MomentFactory(owner=parent, mismatch=True, date=D(2025, 1, 30))
    moment.note_repair("we talked", on=D(2025, 2, 2))
    qs = Moment.objects.for_owner(parent)
    assert list(qs.repaired_in_period(D(2025, 2, 1), D(2025, 2, 28))) == [moment]
    assert not qs.repaired_in_period(D(2025, 1, 1), D(2025, 1, 31)).exists()
