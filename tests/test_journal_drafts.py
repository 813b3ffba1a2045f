"""Drafts kept sealed on the server, per parent and form (reflect/drafts.py), and their address."""

import base64
import datetime
import json
import os
from io import StringIO

import pytest
from django.core.management import call_command
from django.db import connection
from django.test import override_settings
from django.urls import reverse
from django.utils import timezone

from hechting.accounts import sessions
from reflect import drafts
from reflect.encryption import SealError
from reflect.models import Draft, Moment
from tests.conftest import HttpsClient
from tests.factories import MomentFactory

pytestmark = pytest.mark.django_db
WORDS = "Ze wilde niet slapen en ik bleef bij haar zitten tot het stil werd."
NEW = reverse("reflect:draft", args=["new"])
NOW = datetime.datetime(2026, 6, 1, 21, 30, tzinfo=datetime.UTC)


def raw_fields(draft: Draft) -> str:
    with connection.cursor() as cursor:
        cursor.execute("SELECT fields FROM reflect_draft WHERE id = %s", [draft.pk])
        return cursor.fetchone()[0]


def store_raw(draft: Draft, value: str) -> None:
    with connection.cursor() as cursor:
        cursor.execute("UPDATE reflect_draft SET fields = %s WHERE id = %s", [value, draft.pk])


def keep(owner, form="new", moment=None, words=WORDS, now=NOW):
    return drafts.keep(owner.pk, form, moment, {"what_happened": [words]}, now=now)


# --- The store ----------------------------------------------------------------------------------


def test_a_draft_is_stored_sealed_and_read_back_as_typed(parent):
    assert keep(parent)
    raw = raw_fields(Draft.objects.get())
    assert raw.startswith("v1:dev:")
    assert "slapen" not in raw
    assert drafts.fields_for(parent.pk, "new", now=NOW) == {"what_happened": [WORDS]}


def test_a_draft_is_only_its_owners(parent, other_parent):
    keep(parent)
    assert drafts.fields_for(other_parent.pk, "new", now=NOW) is None
    assert list(Draft.objects.for_owner(other_parent)) == []


def test_one_draft_per_form_the_newest_wins(parent):
    keep(parent, words="first")
    keep(parent, words="second")
    assert Draft.objects.count() == 1
    assert drafts.fields_for(parent.pk, "new", now=NOW) == {"what_happened": ["second"]}


def test_fields_without_words_drop_the_draft(parent):
    keep(parent)
    assert not drafts.keep(parent.pk, "new", None, {"kind": ["mismatch"], "what_happened": [" "]})
    assert not Draft.objects.exists()


def test_a_draft_moved_to_another_parent_or_form_does_not_open(parent, other_parent):
    keep(parent)
    keep(other_parent, words="Bob's words")
    alice, bob = Draft.objects.get(owner=parent), Draft.objects.get(owner=other_parent)
    store_raw(bob, raw_fields(alice))
    with pytest.raises(SealError):
        json.loads(Draft.objects.get(pk=bob.pk).fields)
    moment = MomentFactory(owner=parent)
    Draft.objects.filter(pk=alice.pk).update(form=f"moment-{moment.pk}")
    assert drafts.fields_for(parent.pk, f"moment-{moment.pk}", now=NOW) is None
    assert not Draft.objects.filter(pk=alice.pk).exists()  # it cannot be given back: dropped


@override_settings(DRAFT_LIFE=datetime.timedelta(days=7))
def test_a_draft_lives_seven_days_after_its_last_change(parent, other_parent):
    keep(parent, now=NOW)
    keep(other_parent, now=NOW + datetime.timedelta(days=1))
    week = datetime.timedelta(days=7)
    assert drafts.fields_for(parent.pk, "new", now=NOW + week - datetime.timedelta(seconds=1))
    assert drafts.fields_for(parent.pk, "new", now=NOW + week) is None

    assert drafts.purge_expired_drafts(NOW + week - datetime.timedelta(seconds=1)) == 0
    assert drafts.purge_expired_drafts(NOW + week) == 1
    assert list(Draft.objects.values_list("owner", flat=True)) == [other_parent.pk]


def test_a_draft_of_an_edit_goes_with_its_moment(parent):
    moment = MomentFactory(owner=parent)
    keep(parent, form=f"moment-{moment.pk}", moment=moment)
    moment.delete()
    assert not Draft.objects.exists()


def test_drafts_are_deleted_with_the_account(parent, password):
    keep(parent)
    client = HttpsClient()
    client.force_login(parent)
    assert client.post("/nl/account/data/delete/", {"password": password}).status_code == 303
    assert not Draft.objects.exists()


def test_the_export_holds_saved_moments_never_drafts(parent_client, parent):
    MomentFactory(owner=parent, what_happened="Samen gelachen om de kat")
    keep(parent, words="Nog niet bewaard, alleen getypt")
    text = parent_client.get("/nl/account/data/journal.json").content.decode()
    assert "Samen gelachen om de kat" in text
    assert "Nog niet bewaard" not in text
    assert "draft" not in text


def test_rotating_the_key_re_encrypts_drafts_too(parent, settings):
    old, new = (f"{kid}:{base64.b64encode(os.urandom(32)).decode()}" for kid in ("k1", "k2"))
    settings.JOURNAL_KEYS = old
    keep(parent)
    assert raw_fields(Draft.objects.get()).startswith("v1:k1:")
    settings.JOURNAL_KEYS = f"{new},{old}"
    output = StringIO()
    call_command("rotate_journal_key", stdout=output)
    assert "1 drafts re-encrypted with key 'k2'" in output.getvalue()
    assert raw_fields(Draft.objects.get()).startswith("v1:k2:")
    settings.JOURNAL_KEYS = new
    assert drafts.fields_for(parent.pk, "new", now=NOW) == {"what_happened": [WORDS]}


# --- The address --------------------------------------------------------------------------------


def test_the_form_sends_its_draft_and_gets_it_back(parent_client, parent):
    data = {"what_happened": WORDS, "four_s": ["seen", "soothed"], "kind": "mismatch"}
    response = parent_client.post(NEW, {**data, "quick": "1", "owner": "99"})
    assert response.status_code == 204
    answer = parent_client.get(NEW, headers={"accept": "application/json"})
    assert answer.status_code == 200
    assert answer["Cache-Control"].count("no-store") == 1
    fields = answer.json()["fields"]
    assert fields == {"what_happened": [WORDS], "four_s": ["seen", "soothed"], "kind": ["mismatch"]}


def test_no_draft_answers_null(parent_client):
    assert parent_client.get(NEW).json() == {"fields": None}


def test_an_empty_post_removes_the_draft(parent_client, parent):
    keep(parent)
    assert parent_client.post(NEW, {}).status_code == 204
    assert not Draft.objects.exists()


def test_an_edit_and_a_repair_have_their_own_drafts(parent_client, parent):
    mismatch = MomentFactory(owner=parent, mismatch=True)
    edit = reverse("reflect:draft", args=[f"moment-{mismatch.pk}"])
    repair = reverse("reflect:draft", args=[f"repair-{mismatch.pk}"])
    assert parent_client.post(edit, {"felt": "Moe"}).status_code == 204
    assert parent_client.post(repair, {"repair_how": "Een knuffel", "felt": "x"}).status_code == 204
    assert parent_client.get(edit).json()["fields"] == {"felt": ["Moe"]}
    assert parent_client.get(repair).json()["fields"] == {"repair_how": ["Een knuffel"]}
    assert set(Draft.objects.values_list("moment", flat=True)) == {mismatch.pk}


def test_another_parents_moment_has_no_draft_address(other_parent_client, parent):
    moment = MomentFactory(owner=parent, mismatch=True)
    for form in (f"moment-{moment.pk}", f"repair-{moment.pk}"):
        url = reverse("reflect:draft", args=[form])
        assert other_parent_client.get(url).status_code == 404
        assert other_parent_client.post(url, {"felt": "x"}).status_code == 404
    assert not Draft.objects.exists()


@pytest.mark.parametrize("form", ["old", "moment-0", "moment-x", "repair-", "new-1", "moment-9999"])
def test_an_unknown_form_is_not_found(parent_client, form):
    assert parent_client.get(reverse("reflect:draft", args=[form])).status_code == 404


def test_a_connection_has_no_repair_draft(parent_client, parent):
    moment = MomentFactory(owner=parent)
    url = reverse("reflect:draft", args=[f"repair-{moment.pk}"])
    assert parent_client.get(url).status_code == 404


def test_odd_input_is_refused_and_keeps_nothing(parent_client):
    response = parent_client.post(NEW, {"what_happened": "x" * 50_001})
    assert response.status_code == 400
    assert response.text == "Dit is geen concept van dit formulier."
    assert parent_client.post(NEW, {"what_happened": "a\x00b"}).status_code == 400
    assert not Draft.objects.exists()


def test_a_long_paste_is_kept_whole(parent_client, parent):
    assert parent_client.post(NEW, {"what_happened": "x" * 20_000}).status_code == 204
    assert drafts.fields_for(parent.pk, "new")["what_happened"] == ["x" * 20_000]


def test_other_methods_are_refused(parent_client):
    assert parent_client.put(NEW).status_code == 405
    assert parent_client.delete(NEW).status_code == 405


def test_a_visitor_gets_401_not_the_log_in_page(client):
    for response in (client.get(NEW), client.post(NEW, {"what_happened": WORDS})):
        assert response.status_code == 401
    assert not Draft.objects.exists()


def test_a_draft_from_another_site_fails_the_csrf_check(parent):
    client = HttpsClient(enforce_csrf_checks=True)
    client.force_login(parent)
    assert client.post(NEW, {"what_happened": WORDS}).status_code == 403
    assert not Draft.objects.exists()


def test_a_draft_that_ends_the_session_is_kept_for_that_parent(parent_client, parent):
    session = parent_client.session
    session[sessions.LAST_ACTIVITY] = sessions.now() - 31 * 60
    session.save()
    response = parent_client.post(NEW, {"what_happened": WORDS})
    assert response.status_code == 401
    assert drafts.fields_for(parent.pk, "new") == {"what_happened": [WORDS]}
    # The session has ended: the next draft of this browser is nobody's.
    assert parent_client.post(NEW, {"what_happened": "later"}).status_code == 401
    assert drafts.fields_for(parent.pk, "new") == {"what_happened": [WORDS]}


def test_a_draft_after_a_session_ended_on_the_server_is_not_kept(parent_client, parent):
    parent_client.logout()
    assert parent_client.post(NEW, {"what_happened": WORDS}).status_code == 401
    assert not Draft.objects.exists()


def test_saving_the_moment_drops_its_draft(parent_client, parent):
    keep(parent)
    data = {"what_happened": WORDS, "kind": "connection", "date": timezone.localdate()}
    response = parent_client.post(reverse("reflect:moment_add"), data)
    assert response.status_code == 303
    assert Moment.objects.get().what_happened == WORDS
    assert not Draft.objects.exists()
    # The next page tells journal.js to drop a draft that was still on its way.
    assert f'data-draft-clear="{NEW}"' in parent_client.get(response["Location"]).text


def test_saving_the_quick_form_with_htmx_drops_its_draft(parent_client, parent):
    keep(parent)
    data = {"what_happened": WORDS, "kind": "connection", "date": timezone.localdate(), "quick": 1}
    url = reverse("reflect:moment_add")
    response = parent_client.post(url, data, headers={"HX-Request": "true"})
    assert response.status_code == 200
    assert f'data-draft-clear="{NEW}"' in response.text
    assert not Draft.objects.exists()


def test_saving_an_edit_or_a_repair_drops_its_draft_only(parent_client, parent):
    moment = MomentFactory(owner=parent, mismatch=True)
    keep(parent)
    keep(parent, form=f"repair-{moment.pk}", moment=moment)
    url = reverse("reflect:moment_repair", args=[moment.pk])
    response = parent_client.post(url, {"repair_status": "not_needed"})
    assert response.status_code == 303
    assert list(Draft.objects.values_list("form", flat=True)) == ["new"]


def test_the_forms_name_their_draft_address(parent_client, parent):
    moment = MomentFactory(owner=parent, mismatch=True)
    pages = {
        reverse("reflect:journal"): NEW,
        reverse("reflect:moment_add"): NEW,
        reverse("reflect:moment_edit", args=[moment.pk]): f"{NEW[:-4]}moment-{moment.pk}/",
        reverse("reflect:moment_repair", args=[moment.pk]): f"{NEW[:-4]}repair-{moment.pk}/",
    }
    for page, address in pages.items():
        assert f'data-draft="{address}"' in parent_client.get(page).text, page
