"""What the app keeps and writes about people: no more than the privacy page says.

Messages live in the server-side session, cookies are deleted with the flags they were set with,
files are readable by their owner only, sessions keep a device name and not the address, and the
logs hold no address, token or journal word.
"""

import datetime

import pytest
from django.utils import timezone

pytestmark = pytest.mark.django_db

TODAY = timezone.localdate()


# --- Messages and cookies -----------------------------------------------------------------------


def test_messages_stay_on_the_server_not_in_a_cookie(parent_client):
    child = {"nickname": "Noor", "birth_year": "2021", "birth_month": "5"}
    response = parent_client.post("/nl/journal/children/", child)
    assert response.status_code == 303
    assert "messages" not in response.cookies
    page = parent_client.get(response["Location"])
    assert "messages" not in page.cookies
    assert "Noor" in page.content.decode()


def test_logging_in_says_hello_without_a_cookie_that_holds_the_address(client, parent, password):
    response = client.post("/nl/accounts/login/", {"login": parent.email, "password": password})
    assert response.status_code in {302, 303}
    assert "messages" not in response.cookies
    assert all(parent.email not in cookie.value for cookie in response.cookies.values())


def test_the_new_link_cookie_is_deleted_with_the_flags_it_was_set_with(parent_client):
    form = {
        "scope": "summaries",
        "period_kind": "month",
        "valid_until": (TODAY + datetime.timedelta(days=14)).isoformat(),
        "label": "",
        "child": "",
        "date_from": "",
        "date_to": "",
    }
    made = parent_client.post("/nl/share/", form)
    set_cookie = made.cookies["hechting_new_link"]
    shown = parent_client.get(made["Location"])
    deleted = shown.cookies["hechting_new_link"]
    assert deleted.value == ""
    assert deleted["max-age"] == 0
    for flag in ("secure", "httponly", "samesite", "path"):
        assert deleted[flag] == set_cookie[flag], flag
    assert deleted["secure"] is True
