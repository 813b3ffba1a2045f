"""Deleting an account: after the password, every row of the person is gone, and every session.

The completeness test walks ALL models Django knows (``apps.get_models()``) and every field that
points at the user model, so a model added later that forgets its ``on_delete`` is caught here.
"""

import pytest
from allauth.mfa.models import Authenticator
from allauth.usersessions.models import UserSession
from django.apps import apps
from django.contrib.admin.models import CHANGE, LogEntry
from django.contrib.auth import get_user_model
from django.contrib.contenttypes.models import ContentType
from django.contrib.sessions.models import Session

from hechting.accounts.models import SecurityEvent
from reflect.coparents import models as coparents
from reflect.coparents.models import CoParentInvitation, CoParentLink, CoParentNote
from reflect.models import Child, Moment
from reflect.search import SearchToken
from reflect.sharing.models import CounsellorProfile, ShareLink, ShareView
from tests.conftest import HttpsClient
from tests.factories import ChildFactory, MomentFactory
from tests.sharing_helpers import make_invitation, make_link, open_link

pytestmark = pytest.mark.django_db
URL = "/nl/account/data/delete/"


def references_to(user) -> dict[str, int]:
    """Rows in any model that point at ``user`` through any relation to the user model."""
    found = {}
    user_model = get_user_model()
    for model in apps.get_models():
        for field in model._meta.get_fields():
            if not (field.is_relation and field.concrete and field.related_model is user_model):
                continue
            lookup = field.name if not field.many_to_many else f"{field.name}__pk"
            count = model._default_manager.filter(**{lookup: user.pk}).count()
            if count:
                found[f"{model._meta.label}.{field.name}"] = count
    return found


def sessions_of(user) -> list[str]:
    return [
        session.session_key
        for session in Session.objects.all()
        if session.get_decoded().get("_auth_user_id") == str(user.pk)
    ]


@pytest.fixture
def full_account(parent, other_parent, counsellor, password):
    """Alice with everything an account can have, signed in on two devices."""
    noor = ChildFactory(owner=parent, nickname="Noor")
    shared = MomentFactory(
        owner=parent, child=noor, what_happened="Voorlezen op de bank", shared_with_coparents=True
    )
    # A co-parent (Bob) for Noor, with notes both ways, and an open invitation to someone else.
    bobs_noor = ChildFactory(owner=other_parent, nickname="Noor")
    CoParentLink.objects.create(
        inviter=parent,
        inviter_child=noor,
        inviter_name="Mama",
        coparent=other_parent,
        coparent_child=bobs_noor,
        coparent_name="Papa",
    )
    CoParentNote.objects.create(owner=other_parent, moment=shared, words="Ik zag het ook")
    bobs = MomentFactory(owner=other_parent, child=bobs_noor, shared_with_coparents=True)
    CoParentNote.objects.create(owner=parent, moment=bobs, words="Mooi")
    invitation = CoParentInvitation(
        inviter=parent, child=noor, email="carer@example.org", inviter_name="Mama"
    )
    invitation.issue_token()
    invitation.save()
    MomentFactory(owner=parent, repaired=True)
    link, token = make_link(parent, counsellor=counsellor, scope=ShareLink.Scope.MOMENTS)
    ShareView.objects.create(link=link, device="Firefox · Android")
    CounsellorProfile.objects.create(user=parent, name="Alice", practice="Eigen praktijk")
    make_invitation(parent)
    LogEntry.objects.log_actions(
        parent.pk, [noor], CHANGE, change_message="test", single_object=True
    )
    phone, laptop = HttpsClient(), HttpsClient()
    for client in (phone, laptop):
        response = client.post("/nl/accounts/login/", {"login": parent.email, "password": password})
        assert response.status_code == 302
    # Two-step login turned on afterwards (with it on, the logins above would ask for a code).
    Authenticator.objects.create(user=parent, type=Authenticator.Type.TOTP, data={"secret": "x"})
    return {"phone": phone, "laptop": laptop, "link": link, "token": token}


def test_the_check_finds_what_an_account_holds(full_account, parent):
    found = references_to(parent)
    for label in [
        "reflect.Child.owner",
        "reflect.Moment.owner",
        "sharing.ShareLink.owner",
        "sharing.Invitation.counsellor",
        "sharing.CounsellorProfile.user",
        "coparents.CoParentLink.inviter",
        "coparents.CoParentNote.owner",
        "coparents.CoParentInvitation.inviter",
        "account.EmailAddress.user",
        "mfa.Authenticator.user",
        "usersessions.UserSession.user",
        "accounts.SecurityEvent.user",
        "admin.LogEntry.user",
    ]:
        assert label in found, label
    assert len(sessions_of(parent)) == 2


def test_deleting_the_account_leaves_nothing_that_points_at_the_person(
    full_account, parent, other_parent, password
):
    MomentFactory(owner=other_parent, what_happened="Bob's own evening")
    phone = full_account["phone"]
    response = phone.post(URL, {"password": password})

    assert response.status_code == 303
    assert response["Location"] == "/nl/account/data/deleted/"
    assert not get_user_model().objects.filter(pk=parent.pk).exists()
    assert references_to(parent) == {}
    assert sessions_of(parent) == []
    assert not UserSession.objects.filter(user_id=parent.pk).exists()
    assert ShareView.objects.count() == 0
    assert Moment.objects.for_owner(other_parent).count() == 2  # Bob keeps his journal
    # ... without Alice's shared moment, Bob's note on it, or the link to her.
    assert not CoParentLink.objects.exists()
    assert CoParentNote.objects.count() == 0
    assert list(coparents.together(other_parent)) == list(Moment.objects.for_owner(other_parent))
    assert not SearchToken.objects.exclude(moment__owner=other_parent).exists()  # and his index
    assert SecurityEvent.objects.filter(event="account_deleted", user=None).count() == 1


def test_after_deleting_both_devices_are_logged_out(full_account, password):
    full_account["phone"].post(URL, {"password": password})
    for client in (full_account["phone"], full_account["laptop"]):
        response = client.get("/nl/journal/")
        assert response.status_code == 302
        assert "/accounts/login/" in response["Location"]


def test_a_counsellor_loses_access_at_once(full_account, counsellor_client, password):
    link = full_account["link"]
    outsider = HttpsClient()
    assert open_link(outsider, full_account["token"]).status_code == 200
    shared = f"/nl/share/view/{link.public_id}/"
    assert counsellor_client.get(shared).status_code == 200

    full_account["phone"].post(URL, {"password": password})

    assert counsellor_client.get(shared).status_code == 404
    assert outsider.get(shared).status_code == 404
    assert outsider.get(f"/nl/share/t/{full_account['token']}/").status_code == 404


def test_a_wrong_password_deletes_nothing_and_says_why(parent_client, parent):
    MomentFactory(owner=parent)
    response = parent_client.post(URL, {"password": "not my password"})
    assert response.status_code == 400
    assert "Dit is niet je wachtwoord" in response.text
    assert Moment.objects.for_owner(parent).count() == 1
    assert get_user_model().objects.filter(pk=parent.pk).exists()


def test_an_empty_password_is_asked_for_in_english_too(parent_client, parent):
    response = parent_client.post("/en/account/data/delete/", {"password": ""})
    assert response.status_code == 400
    assert "This field is required" in response.text
    assert get_user_model().objects.filter(pk=parent.pk).exists()


def test_guessing_the_password_is_slowed_down(parent_client, parent):
    for _ in range(10):
        parent_client.post(URL, {"password": "guess"})
    response = parent_client.post(URL, {"password": "a calm evening walk"})
    assert response.status_code == 400
    assert "Te veel pogingen" in response.text
    assert get_user_model().objects.filter(pk=parent.pk).exists()


def test_the_page_says_what_is_lost_and_suggests_the_export_first(parent_client, parent):
    MomentFactory.create_batch(3, owner=parent)
    response = parent_client.get(URL)
    assert response.status_code == 200
    assert "3 momenten" in response.text
    assert "/nl/account/data/" in response.text  # download first
    english = parent_client.get("/en/account/data/delete/")
    assert "Download my journal first" in english.text


def test_the_delete_page_needs_a_login(client):
    response = client.get(URL)
    assert response.status_code == 302
    assert "/accounts/login/" in response["Location"]
    response = client.post(URL, {"password": "anything"})
    assert response.status_code == 302


def test_the_delete_page_refuses_other_methods(parent_client):
    assert parent_client.put(URL).status_code == 405
    assert parent_client.delete(URL).status_code == 405


def test_the_goodbye_page_is_open_to_everyone_in_both_languages(client):
    assert "Je account is verwijderd" in client.get("/nl/account/data/deleted/").text
    assert "Your account is deleted" in client.get("/en/account/data/deleted/").text
    assert client.post("/en/account/data/deleted/").status_code == 405


def test_a_counsellor_can_delete_their_account_and_the_parents_journal_stays(
    counsellor, parent, password
):
    child = ChildFactory(owner=parent)
    MomentFactory(owner=parent, child=child)
    make_link(parent, counsellor=counsellor)
    client = HttpsClient()
    client.force_login(counsellor)
    assert client.post(URL, {"password": password}).status_code == 303
    assert references_to(counsellor) == {}
    assert Child.objects.for_owner(parent).count() == 1
    assert Moment.objects.for_owner(parent).count() == 1
    assert ContentType.objects.exists()
