"""Counsellors: becoming one, the overview, invitations from making to answering, and a
counsellor who sees no journal unless a parent shares it."""

import datetime
import re

import pytest
from django.urls import reverse

from reflect.sharing.models import CounsellorProfile, Invitation, ShareLink, is_counsellor
from tests.conftest import HttpsClient, reauthenticate
from tests.factories import ChildFactory, MomentFactory, UserFactory
from tests.sharing_helpers import days, make_invitation, make_link, token_from_page
from tests.urlwalk import all_routes

pytestmark = pytest.mark.django_db


# --- Becoming a counsellor ----------------------------------------------------------------------


def test_the_page_for_counsellors_is_public_and_leads_to_sign_up(client):
    response = client.get("/nl/share/counsellors/")
    assert response.status_code == 200
    html = response.content.decode()
    assert "Aanmelden als hulpverlener" in html
    assert "/nl/accounts/signup/?next=%2Fnl%2Fshare%2Fcounsellor%2F" in html


def test_an_account_switches_to_counsellor_in_settings(parent_client, parent):
    assert not is_counsellor(parent)
    page = parent_client.get("/nl/account/").content.decode()
    assert "/nl/share/counsellor/" in page
    response = parent_client.post(
        "/nl/share/counsellor/",
        {"name": " Anna  de Vries ", "practice": "Praktijk Anna", "website": ""},
    )
    assert response.status_code == 303
    assert response["Location"] == "/nl/share/dashboard/"
    assert CounsellorProfile.objects.get(user=parent).name == "Anna de Vries"
    assert is_counsellor(parent)
    dashboard = parent_client.get("/nl/share/dashboard/").content.decode()
    assert "Overzicht" in dashboard  # the navigation item for counsellors


def test_a_counsellor_profile_keeps_what_was_typed_when_it_is_incomplete(parent_client, parent):
    response = parent_client.post(
        "/en/share/counsellor/", {"name": "Anna", "practice": "", "website": "not a site"}
    )
    assert response.status_code == 400
    html = response.content.decode()
    assert 'value="Anna"' in html
    assert 'value="not a site"' in html
    assert not is_counsellor(parent)


def test_the_counsellor_profile_can_be_edited(counsellor_client, counsellor):
    assert "Praktijk De Linde" in counsellor_client.get("/nl/share/counsellor/").content.decode()
    counsellor_client.post(
        "/nl/share/counsellor/",
        {"name": "Charlie", "practice": "De Linde", "website": "https://linde.example"},
    )
    assert counsellor.counsellor_profile.__class__.objects.get(user=counsellor).practice == (
        "De Linde"
    )


def test_the_counsellor_pages_need_a_login(client):
    for path in ("/nl/share/counsellor/", "/nl/share/dashboard/", "/nl/share/invitations/new/"):
        response = client.get(path)
        assert response.status_code == 302
        assert response["Location"].startswith("/nl/accounts/login/")


def test_counsellor_pages_refuse_other_methods(counsellor_client):
    assert counsellor_client.put("/nl/share/counsellor/").status_code == 405
    assert counsellor_client.post("/nl/share/dashboard/").status_code == 405


# --- The overview -------------------------------------------------------------------------------


def test_a_parent_without_a_profile_has_no_overview(parent_client):
    assert parent_client.get("/nl/share/dashboard/").status_code == 404
    assert parent_client.get("/nl/share/invitations/new/").status_code == 404


def test_the_overview_lists_active_shares_and_invitations_with_use_counts(
    counsellor_client, counsellor, parent, other_parent
):
    invitation, _token = make_invitation(counsellor, note="Fijn dat je er bent")
    Invitation.objects.filter(pk=invitation.pk).update(use_count=3)
    make_link(parent, counsellor=counsellor, invitation=invitation, client_name="Alice")
    make_link(other_parent, counsellor=counsellor, client_name="Bob", valid_until=days(-1))
    make_link(other_parent, client_name="Not for Charlie")
    html = counsellor_client.get("/nl/share/dashboard/").content.decode()
    assert "Alice" in html
    assert "Bob" not in html  # ended
    assert "Not for Charlie" not in html  # shared with nobody in particular
    assert "3 keer" in html
    assert "Fijn dat je er bent" in html


def test_the_overview_as_htmx_is_only_the_invitations(counsellor_client, counsellor):
    make_invitation(counsellor)
    response = counsellor_client.get("/nl/share/dashboard/", headers={"HX-Request": "true"})
    html = response.content.decode()
    assert "<html" not in html
    assert 'id="invitations"' in html


def test_a_counsellor_opens_a_shared_look_back_from_the_overview(
    counsellor_client, counsellor, parent
):
    MomentFactory(owner=parent, date=days(0), what_happened="Samen soep gekookt")
    link, _token = make_link(parent, counsellor=counsellor, scope="summaries")
    response = counsellor_client.get(f"/nl/share/view/{link.public_id}/")
    assert response.status_code == 200
    assert "Samen soep gekookt" not in response.content.decode()
    assert link.views.get().through_account
    link.revoke()
    assert counsellor_client.get(f"/nl/share/view/{link.public_id}/").status_code == 410


def test_another_counsellor_cannot_open_a_share_meant_for_charlie(counsellor, parent):
    link, _token = make_link(parent, counsellor=counsellor)
    dana = UserFactory(email="dana@example.org")
    CounsellorProfile.objects.create(user=dana, name="Dana", practice="Elders")
    dana_client = HttpsClient()
    dana_client.force_login(dana)
    assert dana_client.get(f"/nl/share/view/{link.public_id}/").status_code == 404
    assert "Alice" not in dana_client.get("/nl/share/dashboard/").content.decode()


# --- Invitations --------------------------------------------------------------------------------


def test_a_counsellor_makes_an_invitation_and_sees_its_link_once(counsellor_client, counsellor):
    response = counsellor_client.post(
        "/nl/share/invitations/new/",
        {"note": "  Welkom!  ", "focus": "s:soothed", "valid_until": days(30).isoformat()},
    )
    assert response.status_code == 303
    invitation = Invitation.objects.get(counsellor=counsellor)
    assert (invitation.note, invitation.focus) == ("Welkom!", "s:soothed")
    token = token_from_page(counsellor_client.get(response["Location"]).content.decode(), "i")
    assert Invitation.objects.by_token(token) == invitation
    assert "/share/i/" not in counsellor_client.get(response["Location"]).content.decode()


def test_an_invitation_keeps_the_note_when_the_date_is_wrong(counsellor_client):
    response = counsellor_client.post(
        "/en/share/invitations/new/",
        {"note": "See you Tuesday", "focus": "page:bowlby", "valid_until": "2001-01-01"},
    )
    assert response.status_code == 400
    html = response.content.decode()
    assert "See you Tuesday" in html
    assert "Choose today or a day after today." in html
    assert not Invitation.objects.exists()


def test_an_invitation_refuses_an_unknown_focus(counsellor_client):
    response = counsellor_client.post(
        "/en/share/invitations/new/", {"focus": "page:nope", "valid_until": days(3)}
    )
    assert response.status_code == 400


def test_opening_an_invitation_shows_the_welcome_without_the_token(client, counsellor):
    invitation, token = make_invitation(counsellor, note="Tot dinsdag!", focus="s:soothed")
    response = client.get(f"/nl/share/i/{token}/")
    assert response.status_code == 303
    assert response["Location"] == f"/nl/share/invitation/{invitation.public_id}/"
    assert response["Referrer-Policy"] == "no-referrer"
    welcome = client.get(response["Location"])
    html = welcome.content.decode()
    assert welcome.status_code == 200
    assert "Tot dinsdag!" in html
    assert "Praktijk De Linde" in html
    assert "/nl/learn/soothed/" in html
    assert "Begin je dagboek" in html
    assert "noindex" in welcome["X-Robots-Tag"]
    invitation.refresh_from_db()
    assert invitation.use_count == 1
    client.get(f"/nl/share/i/{token}/")
    invitation.refresh_from_db()
    assert invitation.use_count == 1  # the same browser again


def test_the_welcome_needs_the_invitation_in_this_browser(client, counsellor):
    invitation, _token = make_invitation(counsellor)
    assert client.get(f"/nl/share/invitation/{invitation.public_id}/").status_code == 404


def test_a_stopped_or_ended_invitation_answers_410(client, counsellor):
    invitation, token = make_invitation(counsellor)
    client.get(f"/nl/share/i/{token}/")
    invitation.revoke()
    assert client.get(f"/nl/share/invitation/{invitation.public_id}/").status_code == 410
    assert HttpsClient().get(f"/nl/share/i/{token}/").status_code == 410
    _ended, ended_token = make_invitation(counsellor, valid_until=days(0) - datetime.timedelta(1))
    assert HttpsClient().get(f"/nl/share/i/{ended_token}/").status_code == 410


def test_a_counsellor_stops_an_invitation_with_one_click(counsellor_client, counsellor):
    invitation, _token = make_invitation(counsellor)
    response = counsellor_client.post(f"/nl/share/invitations/{invitation.public_id}/revoke/")
    assert response.status_code == 303
    invitation.refresh_from_db()
    assert invitation.is_revoked


def test_stopping_an_invitation_with_htmx_returns_the_list(counsellor_client, counsellor):
    invitation, _token = make_invitation(counsellor)
    response = counsellor_client.post(
        f"/nl/share/invitations/{invitation.public_id}/revoke/", headers={"HX-Request": "true"}
    )
    assert response.status_code == 200
    assert "<html" not in response.content.decode()
    assert "Gestopt" in response.content.decode()


def test_the_last_day_of_an_invitation_can_move_and_bad_dates_are_kept(
    counsellor_client, counsellor
):
    invitation, _token = make_invitation(counsellor)
    url = f"/nl/share/invitations/{invitation.public_id}/last-day/"
    assert counsellor_client.get(url).status_code == 200
    bad = counsellor_client.post(url, {"valid_until": "2001-02-03"})
    assert bad.status_code == 400
    assert 'value="2001-02-03"' in bad.content.decode()
    assert counsellor_client.post(url, {"valid_until": days(0).isoformat()}).status_code == 303
    invitation.refresh_from_db()
    assert invitation.valid_until == days(0)


def test_another_counsellors_invitation_cannot_be_touched(counsellor, parent_client, parent):
    invitation, _token = make_invitation(counsellor)
    CounsellorProfile.objects.create(user=parent, name="Alice", practice="Ook")
    base = f"/nl/share/invitations/{invitation.public_id}"
    assert parent_client.post(f"{base}/revoke/").status_code == 404
    assert parent_client.get(f"{base}/last-day/").status_code == 404
    assert parent_client.get(f"{base}/created/").status_code == 404
    invitation.refresh_from_db()
    assert not invitation.is_revoked


def test_invitation_controls_need_the_right_method(counsellor_client, counsellor):
    invitation, _token = make_invitation(counsellor)
    base = f"/nl/share/invitations/{invitation.public_id}"
    assert counsellor_client.get(f"{base}/revoke/").status_code == 405
    assert counsellor_client.put(f"{base}/last-day/").status_code == 405


# --- A client answering -------------------------------------------------------------------------


@pytest.fixture
def invited(counsellor, parent):
    """Alice opened Charlie's invitation and logged in."""
    invitation, token = make_invitation(counsellor)
    client = HttpsClient()
    client.get(f"/nl/share/i/{token}/")
    client.force_login(parent)
    reauthenticate(client)
    return client, invitation


def test_the_answer_defaults_to_not_sharing(invited):
    client, invitation = invited
    response = client.get(f"/nl/share/invitation/{invitation.public_id}/answer/")
    assert response.status_code == 200
    html = response.content.decode()
    assert re.search(r'value="no"[^>]*checked', html)
    assert not re.search(r'value="(summaries|moments)"[^>]*checked', html)
    assert "Charlie" in html


def test_saying_no_shares_nothing(invited):
    client, invitation = invited
    response = client.post(
        f"/nl/share/invitation/{invitation.public_id}/answer/",
        {"answer": "no", "valid_until": days(14).isoformat()},
    )
    assert response.status_code == 303
    assert response["Location"] == "/nl/journal/"
    assert not ShareLink.objects.exists()


def test_saying_yes_shares_summaries_with_the_counsellor(invited, parent, counsellor):
    client, invitation = invited
    response = client.post(
        f"/nl/share/invitation/{invitation.public_id}/answer/",
        {"answer": "summaries", "valid_until": days(14).isoformat(), "client_name": "Alice"},
    )
    assert response.status_code == 303
    assert response["Location"] == "/nl/share/"
    link = ShareLink.objects.get()
    assert (link.owner, link.counsellor, link.invitation) == (parent, counsellor, invitation)
    assert (link.scope, link.client_name, link.period_kind) == ("summaries", "Alice", "all")
    # The invitation is answered: it cannot make a second link from the same visit.
    again = client.get(f"/nl/share/invitation/{invitation.public_id}/answer/")
    assert again.status_code == 404


def test_an_answer_with_too_long_a_share_keeps_the_choice(invited):
    client, invitation = invited
    response = client.post(
        f"/en/share/invitation/{invitation.public_id}/answer/",
        {"answer": "moments", "valid_until": days(120).isoformat(), "client_name": "Alice"},
    )
    assert response.status_code == 400
    html = response.content.decode()
    assert 'value="Alice"' in html
    assert re.search(r'value="moments"[^>]*checked', html)
    assert not ShareLink.objects.exists()


def test_the_answer_needs_a_login_and_the_invitation(parent_client, client, counsellor):
    invitation, _token = make_invitation(counsellor)
    url = f"/nl/share/invitation/{invitation.public_id}/answer/"
    assert client.get(url).status_code == 302
    assert parent_client.get(url).status_code == 404  # never opened in this browser


def test_a_counsellor_cannot_answer_their_own_invitation(counsellor):
    invitation, token = make_invitation(counsellor)
    client = HttpsClient()
    client.force_login(counsellor)
    client.get(f"/nl/share/i/{token}/")
    url = f"/nl/share/invitation/{invitation.public_id}/answer/"
    assert client.get(url).status_code == 404


def test_the_answer_refuses_other_methods(invited):
    client, invitation = invited
    assert client.put(f"/nl/share/invitation/{invitation.public_id}/answer/").status_code == 405


def test_signing_up_through_an_invitation_comes_back_to_the_question(
    client, counsellor, mailoutbox
):
    invitation, token = make_invitation(counsellor)
    welcome = client.get(client.get(f"/nl/share/i/{token}/")["Location"]).content.decode()
    answer_url = reverse("sharing:invitation_answer", args=[invitation.public_id])
    assert "next=%2Fnl%2Fshare%2Finvitation%2F" in welcome
    response = client.post(
        "/nl/accounts/signup/",
        {
            "email": "nieuw@example.org",
            "password1": "een rustige avond aan zee",
            "password2": "een rustige avond aan zee",
            "next": answer_url,
        },
    )
    assert response.status_code == 302
    # The address is confirmed first; its link, in the same browser, carries on to the question.
    link = re.search(r"https?://[^/\s]+(/nl/accounts/confirm-email/\S+)", mailoutbox[0].body)
    response = client.post(link.group(1))
    assert response.status_code == 302
    assert response["Location"] == answer_url
    assert client.get(answer_url).status_code == 200


# --- No journal without a grant -----------------------------------------------------------------


def _reflect_routes():
    return [route for route in all_routes() if route.name.startswith("reflect:") and route.path]


def test_a_counsellor_without_a_grant_sees_nothing_of_any_journal(counsellor_client, parent):
    """Walk every journal URL with the ids of the parent's own objects: a 404 for each object;
    the pages without an id show the counsellor's own (empty) journal and none of the parent's
    words, children or dates."""
    child = ChildFactory(owner=parent, nickname="Noortje")
    moment = MomentFactory(
        owner=parent,
        child=child,
        date=days(0),
        what_happened="Alleen voor mijn ogen",
        mismatch=True,
    )
    routes = _reflect_routes()
    assert {"reflect:moment_detail", "reflect:child_edit", "reflect:look_back"} <= {
        route.name for route in routes
    }
    for route in routes:
        path = route.path
        object_id = child.pk if route.name.startswith("reflect:child_") else moment.pk
        path = path.replace("/1/", f"/{object_id}/")
        if route.name == "reflect:draft":  # the draft of the parent's moment's edit form
            path = path.replace("sample", f"moment-{moment.pk}")
        path = path.replace("sample", days(0).isoformat())  # a period of the look back
        response = counsellor_client.get(path)
        html = response.content.decode()
        if "/1/" in route.path or route.name == "reflect:draft":  # one of the parent's objects
            assert response.status_code == 404, route.name
        else:
            assert response.status_code in (200, 302, 405), route.name
        assert "Alleen voor mijn ogen" not in html, route.name
        assert "Noortje" not in html, route.name
        post = counsellor_client.post(path)
        if "/1/" in route.path:
            assert post.status_code in (404, 405), route.name
    moment.refresh_from_db()
    child.refresh_from_db()
    assert moment.what_happened == "Alleen voor mijn ogen"


def test_a_counsellor_cannot_ask_the_look_back_for_a_parents_child(counsellor_client, parent):
    child = ChildFactory(owner=parent)
    response = counsellor_client.get(f"/nl/journal/look-back/?child={child.pk}")
    assert response.status_code == 404
