"""The share page and the counsellor's pages cost the same number of queries however large the
journal, and the overview the same for one client or twenty."""

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext

from reflect.models import Moment
from reflect.sharing.models import ShareLink
from tests.factories import ChildFactory, UserFactory
from tests.sharing_helpers import make_invitation, make_link, open_link
from tests.test_journal_performance import fill_journal

pytestmark = pytest.mark.django_db


def queries_for(client, address):
    with CaptureQueriesContext(connection) as captured:
        response = client.get(address)
    assert response.status_code == 200
    return len(captured)


@pytest.mark.parametrize(
    "period", [ShareLink.PeriodKind.ALL, ShareLink.PeriodKind.MONTH, ShareLink.PeriodKind.WEEK]
)
def test_the_share_page_costs_the_same_queries_for_10_and_5000_moments(client, parent, period):
    children = [ChildFactory(owner=parent), ChildFactory(owner=parent)]
    fill_journal(parent, 10, children)
    link, token = make_link(parent, scope=ShareLink.Scope.MOMENTS, period_kind=period)
    assert open_link(client, token).status_code == 200
    address = f"/nl/share/view/{link.public_id}/"
    small = queries_for(client, address)
    fill_journal(parent, 4990, children)
    assert Moment.objects.for_owner(parent).count() == 5000
    assert queries_for(client, address) == small


def test_a_counsellor_reads_a_shared_journal_with_the_same_queries_for_10_and_5000_moments(
    counsellor_client, counsellor, parent
):
    children = [ChildFactory(owner=parent)]
    fill_journal(parent, 10, children)
    link, _token = make_link(parent, scope=ShareLink.Scope.MOMENTS, counsellor=counsellor)
    address = f"/nl/share/view/{link.public_id}/"
    small = queries_for(counsellor_client, address)
    fill_journal(parent, 4990, children)
    assert queries_for(counsellor_client, address) == small


def test_the_counsellor_overview_costs_the_same_queries_for_1_and_20_clients(
    counsellor_client, counsellor
):
    def share(n):
        owner = UserFactory()
        fill_journal(owner, 20, [ChildFactory(owner=owner)])
        make_link(owner, counsellor=counsellor, client_name=f"Client {n}")
        make_invitation(counsellor, note=f"Invitation {n}")

    share(0)
    small = queries_for(counsellor_client, "/nl/share/dashboard/")
    for n in range(1, 20):
        share(n)
    assert ShareLink.objects.filter(counsellor=counsellor).count() == 20
    assert queries_for(counsellor_client, "/nl/share/dashboard/") == small
