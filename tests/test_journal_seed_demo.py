from io import StringIO

import pytest
from django.contrib.auth import get_user_model
from django.core.management import CommandError, call_command
from django.db import connection
from django.test.utils import CaptureQueriesContext

from reflect.models import Child, Moment
from tests.factories import MomentFactory

pytestmark = pytest.mark.django_db


def seed(*args, debug=True, settings=None):
    out = StringIO()
    settings.DEBUG = debug
    call_command("seed_demo", *args, stdout=out)
    return out.getvalue()


def test_it_refuses_to_run_when_debug_is_off(settings):
    with pytest.raises(CommandError, match="DEBUG"):
        seed(debug=False, settings=settings)
    assert not get_user_model().objects.exists()


def test_force_runs_it_even_with_debug_off(settings):
    seed("--force", debug=False, settings=settings)
    assert Moment.objects.exists()


def test_it_creates_a_demo_parent_with_a_realistic_dutch_year(settings, client):
    output = seed("--password", "a quiet demo password", settings=settings)
    assert "demo@example.org" in output
    assert "a quiet demo password" in output
    parent = get_user_model().objects.get(email="demo@example.org")
    assert Child.objects.for_owner(parent).count() == 2
    moments = Moment.objects.for_owner(parent)
    totals = moments.aggregate(**Moment.objects.s_counts())
    assert 100 < totals["moments"] < 500
    assert all(totals[key] > 0 for key in ["safe", "seen", "soothed", "secure"])
    assert totals["connection"] > 0
    assert totals["repaired"] > 0
    assert totals["open_for_repair"] > 0
    assert totals["repair_not_needed"] > 0
    dates = sorted(moments.values_list("date", flat=True))
    assert (dates[-1] - dates[0]).days > 300
    assert moments.search(moments.first().owner, "samen").exists()
    assert client.login(email="demo@example.org", password="a quiet demo password")


def test_it_writes_english_when_asked(settings):
    seed("--language", "en", settings=settings)
    words = [moment.what_happened for moment in Moment.objects.all()]
    assert any("together" in text for text in words)
    assert not any("samen" in text for text in words)


def test_it_generates_a_large_journal_in_a_handful_of_bulk_inserts(settings):
    """Fast by construction, not by a stopwatch: 5,475 moments cost about as many queries as 365."""
    with CaptureQueriesContext(connection) as small:
        seed("--years", "1", "--per-day", "1", settings=settings)
    Moment.objects.all().delete()  # both start from an empty journal (a replaced one costs its
    # deletion's queries, in chunks of its own size)
    with CaptureQueriesContext(connection) as large:
        seed("--years", "1", "--per-day", "15", settings=settings)
    assert Moment.objects.count() == 365 * 15
    assert len(large) <= len(small) + 10


def test_five_years_of_moments_keep_every_rule_of_a_moment(settings):
    """The bench seeds five years: no moment may come before its child's birth month, or the
    parent's own export would not come back in."""
    seed("--years", "5", "--per-day", "1", settings=settings)
    moments = Moment.objects.select_related("child").filter(child__isnull=False)
    assert moments.exists()
    assert all(moment.date >= moment.child.first_day for moment in moments)


def test_it_makes_several_parents_and_replaces_only_their_journals(settings, parent):
    mine = MomentFactory(owner=parent)
    seed("--parents", "2", "--per-day", "1", settings=settings)
    seed("--parents", "2", "--per-day", "1", settings=settings)
    users = get_user_model().objects
    assert Moment.objects.filter(owner=users.get(email="demo2@example.org")).count() == 365
    assert Moment.objects.filter(owner=users.get(email="demo@example.org")).count() == 365
    assert Moment.objects.filter(pk=mine.pk).exists()


def test_it_refuses_nonsense_numbers(settings):
    with pytest.raises(CommandError):
        seed("--parents", "0", settings=settings)
