"""The journal list and a moment page cost the same number of queries for 10 or 5,000 moments."""

import datetime

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse

from reflect.models import Moment
from tests.factories import ChildFactory

pytestmark = pytest.mark.django_db


def fill_journal(owner, count, children):
    start = datetime.date(2020, 1, 1)
    Moment.objects.bulk_create(
        Moment(
            owner=owner,
            child=children[n % len(children)],
            date=start + datetime.timedelta(days=n % 2000),
            what_happened=f"Moment {n}: we played with the blocks",
            kind="mismatch" if n % 4 == 0 else "connection",
            repair_status="open" if n % 4 == 0 else "",
            safe=n % 2 == 0,
            seen=n % 3 == 0,
        )
        for n in range(count)
    )


def queries_for(client, url, params=None):
    with CaptureQueriesContext(connection) as captured:
        response = client.get(url, params or {})
    assert response.status_code == 200
    return len(captured)


FILTERS = [{}, {"page": "3"}, {"show": "open"}, {"s": "seen", "q": "blocks", "child": "x"}]


def test_the_journal_costs_the_same_queries_for_10_and_5000_moments(
    parent_client, parent, other_parent
):
    children = [ChildFactory(owner=parent), ChildFactory(owner=parent)]
    fill_journal(parent, 10, children)
    small = [queries_for(parent_client, reverse("reflect:journal"), f) for f in FILTERS]
    fill_journal(parent, 4990, children)
    fill_journal(other_parent, 50, [ChildFactory(owner=other_parent)])
    assert Moment.objects.for_owner(parent).count() == 5000
    large = [queries_for(parent_client, reverse("reflect:journal"), f) for f in FILTERS]
    assert small == large


def test_moment_pages_cost_the_same_queries_for_10_and_5000_moments(parent_client, parent):
    children = [ChildFactory(owner=parent)]
    fill_journal(parent, 10, children)
    moment = Moment.objects.for_owner(parent).mismatches().first()
    urls = [
        reverse(name, args=[moment.pk])
        for name in ["reflect:moment_detail", "reflect:moment_edit", "reflect:moment_repair"]
    ] + [reverse("reflect:moment_add")]
    small = [queries_for(parent_client, url) for url in urls]
    fill_journal(parent, 4990, children)
    large = [queries_for(parent_client, url) for url in urls]
    assert small == large


def test_the_journal_asks_for_co_parent_links_once(parent_client, parent):
    """The quick-add form learns from the journal's co-parent names whether to offer sharing,
    instead of asking the database again."""
    fill_journal(parent, 10, [ChildFactory(owner=parent)])
    with CaptureQueriesContext(connection) as captured:
        assert parent_client.get(reverse("reflect:journal")).status_code == 200
    links = [q["sql"] for q in captured if "coparents_coparentlink" in q["sql"]]
    assert len(links) == 1, links
