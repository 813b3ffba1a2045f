"""Words posted just after the session ended come back after logging in (reflect/unsent.py)."""

import datetime
import re

import pytest
from django.contrib.sessions.models import Session
from django.test import Client
from django.urls import reverse

from hechting.accounts import sessions
from reflect.models import Moment
from reflect.unsent import SESSION_KEY
from tests.conftest import HttpsClient
from tests.factories import PASSWORD, MomentFactory, UserFactory

pytestmark = pytest.mark.django_db
WORDS = "We read under a blanket until she fell asleep on my arm."


def let_the_session_end(client) -> None:
    """Thirty quiet minutes: the next request comes too late."""
    session = client.session
    session[sessions.LAST_ACTIVITY] = sessions.now() - 31 * 60
    session.save()


def log_in(client, user, next_url: str):
    response = client.post(
        "/nl/accounts/login/", {"login": user.email, "password": PASSWORD, "next": next_url}
    )
    assert response.status_code == 302, response.status_code
    return response["Location"]


def post_too_late(client, url: str, data: dict):
    let_the_session_end(client)
    response = client.post(url, data)
    assert response.status_code == 302
    assert response["Location"].startswith(f"/nl/accounts/login/?next={url}")
    return response


def test_a_new_moment_posted_too_late_is_back_in_the_form_after_logging_in(parent_client, parent):
    url = reverse("reflect:moment_add")
    data = {
        "what_happened": WORDS,
        "kind": "mismatch",
        "four_s": ["seen", "soothed"],  # more than one value for one name
        "felt": "Moe maar warm",
    }
    post_too_late(parent_client, url, data)
    assert not Moment.objects.exists()  # not saved behind the parent's back

    assert log_in(parent_client, parent, url) == url
    page = parent_client.get(url).text
    assert WORDS in page
    assert "Moe maar warm" in page
    assert re.search(r'<input type="radio" name="kind" value="mismatch"[^>]* checked', page)
    for key in ("seen", "soothed"):
        assert re.search(rf'name="four_s" value="{key}"[^>]* checked', page)
    assert not re.search(r'name="four_s" value="safe"[^>]* checked', page)
    assert "Ze staan weer in het formulier: kijk ze na en bewaar ze." in page
    # Once: a reload shows the empty form.
    assert WORDS not in parent_client.get(url).text

    response = parent_client.post(url, data)
    assert response.status_code == 303
    assert Moment.objects.get().what_happened == WORDS
    assert Moment.objects.get().s_keys == ("seen", "soothed")


def test_the_kept_words_are_sealed_never_plain_in_the_session_table(parent_client, parent):
    post_too_late(parent_client, reverse("reflect:moment_add"), {"what_happened": WORDS})
    for session in Session.objects.all():
        decoded = session.get_decoded()
        assert WORDS not in str(decoded)
    assert any(SESSION_KEY in session.get_decoded() for session in Session.objects.all())


def test_an_edit_and_a_repair_posted_too_late_come_back(parent_client, parent):
    moment = MomentFactory(owner=parent, mismatch=True, what_happened="Before")
    edit = reverse("reflect:moment_edit", args=[moment.pk])
    post_too_late(
        parent_client,
        edit,
        {"what_happened": "After, in other words", "kind": "mismatch", "date": "2025-03-04"},
    )
    log_in(parent_client, parent, edit)
    assert "After, in other words" in parent_client.get(edit).text
    moment.refresh_from_db()
    assert moment.what_happened == "Before"

    repair = reverse("reflect:moment_repair", args=[moment.pk])
    post_too_late(parent_client, repair, {"repair_status": "repaired", "repair_how": "A hug"})
    log_in(parent_client, parent, repair)
    assert "A hug" in parent_client.get(repair).text


def test_someone_else_logging_in_on_that_browser_gets_nothing(parent_client, parent):
    url = reverse("reflect:moment_add")
    post_too_late(parent_client, url, {"what_happened": WORDS})
    other = UserFactory(email="someone@example.org")
    log_in(parent_client, other, url)
    assert WORDS not in parent_client.get(url).text
    assert SESSION_KEY not in parent_client.session
    # and the words do not wait for the parent in that browser either
    parent_client.post("/nl/accounts/logout/")
    log_in(parent_client, parent, url)
    assert WORDS not in parent_client.get(url).text


def test_words_for_another_form_stay_out_of_this_one(parent_client, parent):
    moment = MomentFactory(owner=parent)
    post_too_late(parent_client, reverse("reflect:moment_add"), {"what_happened": WORDS})
    log_in(parent_client, parent, "/nl/journal/")
    edit = reverse("reflect:moment_edit", args=[moment.pk])
    assert WORDS not in parent_client.get(edit).text


def test_a_forged_post_from_another_site_is_not_kept(parent):
    strict = Client(enforce_csrf_checks=True)
    strict.force_login(parent)
    let_the_session_end(strict)
    response = strict.post(
        reverse("reflect:moment_add"),
        {"what_happened": "Words an attacker wants in the form"},
        secure=True,
        headers={"Origin": "https://evil.example"},
    )
    assert response.status_code == 403
    assert SESSION_KEY not in strict.session


def test_an_htmx_post_is_not_kept_the_page_keeps_its_words(parent_client):
    let_the_session_end(parent_client)
    response = parent_client.post(
        reverse("reflect:moment_add"),
        {"what_happened": WORDS, "quick": "1"},
        headers={"HX-Request": "true"},
    )
    assert response.status_code == 401
    assert SESSION_KEY not in parent_client.session


def test_a_session_deleted_on_the_server_keeps_nothing_as_nobody_knows_whose_words(
    parent_client,
):
    Session.objects.all().delete()
    response = parent_client.post(reverse("reflect:moment_add"), {"what_happened": WORDS})
    assert response.status_code == 302
    assert SESSION_KEY not in parent_client.session


def test_other_forms_posted_too_late_are_not_kept(parent_client, parent):
    post_too_late(parent_client, reverse("reflect:children"), {"nickname": "Noor"})
    assert SESSION_KEY not in parent_client.session


def test_the_message_is_in_english_too(parent):
    client = HttpsClient()
    client.force_login(parent)
    url = "/en/journal/new/"
    let_the_session_end(client)
    client.post(url, {"what_happened": WORDS, "date": datetime.date.today().isoformat()})
    log_in(client, parent, url)
    page = client.get(url).text
    assert "They are back in the form: check them and save." in page
    assert WORDS in page
