"""The admin shows how many moments and children there are, never what a parent wrote."""

import pytest

from tests.factories import ChildFactory, MomentFactory, UserFactory

pytestmark = pytest.mark.django_db


@pytest.fixture
def admin_client(client):
    admin = UserFactory(email="admin@example.org", is_staff=True, is_superuser=True)
    client.force_login(admin)
    return client


def test_the_admin_shows_moment_counts_only(admin_client, parent, other_parent):
    MomentFactory(owner=parent, what_happened="A very private evening")
    MomentFactory(owner=other_parent, what_happened="Another private evening")
    response = admin_client.get("/admin/reflect/moment/")
    assert response.status_code == 200
    assert "2 items van 2 ouder(s)." in response.text
    assert "private evening" not in response.text


def test_the_admin_shows_child_counts_only(admin_client, parent):
    ChildFactory(owner=parent, nickname="Secretnick")
    response = admin_client.get("/admin/reflect/child/")
    assert response.status_code == 200
    assert "Secretnick" not in response.text


def test_the_admin_has_no_page_to_read_or_change_a_moment(admin_client, parent):
    moment = MomentFactory(owner=parent)
    assert admin_client.get(f"/admin/reflect/moment/{moment.pk}/change/").status_code == 404
    assert admin_client.get("/admin/reflect/moment/add/").status_code == 404
    assert admin_client.get(f"/admin/reflect/moment/{moment.pk}/delete/").status_code == 404


def test_staff_without_permission_see_nothing(client):
    staff = UserFactory(email="staff@example.org", is_staff=True)
    client.force_login(staff)
    assert client.get("/admin/reflect/moment/").status_code == 403
