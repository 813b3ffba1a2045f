"""Two parents, one child: invitations, sharing moment by moment, notes, and ending the link.

Alice (parent) invites Bob (other_parent) for her child Noor; Charlie is the counsellor.
"""

import datetime
import json
import re

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.utils import timezone

from reflect.coparents import models
from reflect.coparents.models import CoParentInvitation, CoParentLink, CoParentNote
from reflect.models import Child, Moment
from reflect.sharing import tokens
from reflect.sharing.models import ShareLink
from reflect.yourdata import portability
from tests.conftest import HttpsClient
from tests.factories import ChildFactory, MomentFactory, UserFactory
from tests.reading import as_read
from tests.sharing_helpers import make_link, open_link
from tests.urlwalk import all_routes

pytestmark = pytest.mark.django_db

SHARED = "Samen de trap op gelopen"
PRIVATE = "Alleen voor mijn ogen"


def invite(client, child, email="bob@example.org", name="Mama"):
    return client.post(
        "/nl/together/invite/", {"child": child.pk, "email": email, "inviter_name": name}
    )


def token_in(mail) -> str:
    return re.search(r"/together/i/([A-Za-z0-9_-]{40,})/", mail.body).group(1)


def open_invitation(client, token):
    response = client.get(f"/nl/together/i/{token}/")
    assert response.status_code == 303, response.status_code
    return response["Location"]


def make_invitation(inviter, child, **fields):
    invitation = CoParentInvitation(
        inviter=inviter, child=child, email="bob@example.org", inviter_name="Mama", **fields
    )
    token = invitation.issue_token()
    invitation.save()
    return invitation, token


def make_pair(alice, bob, nickname="Noor"):
    """An active link: Alice's Noor is Bob's Noor."""
    hers = ChildFactory(owner=alice, nickname=nickname)
    his = ChildFactory(owner=bob, nickname=nickname)
    link = CoParentLink.objects.create(
        inviter=alice,
        inviter_child=hers,
        inviter_name="Mama",
        coparent=bob,
        coparent_child=his,
        coparent_name="Papa",
    )
    return link, hers, his


@pytest.fixture
def pair(parent, other_parent):
    return make_pair(parent, other_parent)


@pytest.fixture
def shared_and_private(parent, pair):
    _link, hers, _his = pair
    shared = MomentFactory(
        owner=parent, child=hers, what_happened=SHARED, shared_with_coparents=True
    )
    private = MomentFactory(owner=parent, child=hers, what_happened=PRIVATE)
    return shared, private


# --- Inviting -----------------------------------------------------------------------------------


def test_an_invitation_mails_a_link_without_journal_words(parent_client, parent, mailoutbox):
    noor = ChildFactory(owner=parent, nickname="Noor")
    MomentFactory(owner=parent, child=noor, what_happened=PRIVATE)
    response = invite(parent_client, noor)
    assert response.status_code == 303
    [mail] = mailoutbox
    assert mail.to == ["bob@example.org"]
    assert "Mama" in mail.body
    assert PRIVATE not in mail.body
    assert "Noor" not in mail.body + mail.subject
    token = token_in(mail)
    invitation = CoParentInvitation.objects.get()
    assert invitation.token_hash == tokens.digest(token)
    assert token not in str(CoParentInvitation.objects.values().get())
    assert invitation.expires_at - invitation.created == datetime.timedelta(days=7)


def test_an_invitation_needs_one_of_your_own_children(parent_client, other_parent, mailoutbox):
    someone_elses = ChildFactory(owner=other_parent)
    response = invite(parent_client, someone_elses)
    assert response.status_code == 400
    assert not mailoutbox
    assert not CoParentInvitation.objects.exists()


def test_inviting_asks_for_the_password_again(stale_parent_client, parent, mailoutbox):
    response = invite(stale_parent_client, ChildFactory(owner=parent))
    assert response.status_code == 302
    assert "/accounts/reauthenticate/" in response["Location"]
    assert not CoParentInvitation.objects.exists()
    assert not mailoutbox


def test_you_cannot_invite_yourself(parent_client, parent):
    response = invite(parent_client, ChildFactory(owner=parent), email="ALICE@example.org")
    assert response.status_code == 400


def test_a_child_has_at_most_three_co_parents(parent_client, parent):
    noor = ChildFactory(owner=parent)
    for n in range(3):
        assert invite(parent_client, noor, email=f"p{n}@example.org").status_code == 303
    response = invite(parent_client, noor, email="p4@example.org")
    assert response.status_code == 400
    assert CoParentInvitation.objects.count() == 3


def test_the_invite_form_is_post_only_and_needs_a_login(client, parent_client):
    assert parent_client.get("/nl/together/invite/").status_code == 405
    response = client.post("/nl/together/invite/", {})
    assert response.status_code == 302
    assert "/accounts/login/" in response["Location"]


def test_a_withdrawn_invitation_is_gone(parent_client, parent, client):
    invitation, token = make_invitation(parent, ChildFactory(owner=parent))
    response = parent_client.post(f"/nl/together/invitations/{invitation.public_id}/revoke/")
    assert response.status_code == 303
    assert client.get(f"/nl/together/i/{token}/").status_code == 410


def test_only_the_sender_withdraws_an_invitation(parent, other_parent_client):
    invitation, _token = make_invitation(parent, ChildFactory(owner=parent))
    path = f"/nl/together/invitations/{invitation.public_id}/revoke/"
    assert other_parent_client.post(path).status_code == 404
    invitation.refresh_from_db()
    assert invitation.is_active


# --- Answering ----------------------------------------------------------------------------------


def test_the_invitee_sees_what_joining_means_and_nothing_else(parent, client):
    noor = ChildFactory(owner=parent, nickname="Noor")
    MomentFactory(owner=parent, child=noor, what_happened=PRIVATE, shared_with_coparents=True)
    _invitation, token = make_invitation(parent, noor)
    page = client.get(open_invitation(client, token))
    html = as_read(page.content.decode())
    assert page.status_code == 200
    assert "Mama" in html
    assert "Noor" in html
    assert PRIVATE not in html
    assert "/nl/accounts/signup/?next=" in html
    assert token not in html
    assert page["Referrer-Policy"] == "no-referrer"


def test_the_token_address_never_shows_the_token_and_unknown_ones_are_404(client):
    assert client.get(f"/nl/together/i/{tokens.new_token()}/").status_code == 404


def test_the_answer_page_without_the_token_is_404(parent, other_parent_client):
    invitation, _token = make_invitation(parent, ChildFactory(owner=parent))
    path = f"/nl/together/invitation/{invitation.public_id}/"
    assert other_parent_client.get(path).status_code == 404


def test_accepting_links_a_new_child_record_of_the_invitee(parent, other_parent):
    noor = ChildFactory(owner=parent, nickname="Noor")
    _invitation, token = make_invitation(parent, noor)
    bob = HttpsClient()
    bob.force_login(other_parent)
    answer = open_invitation(bob, token)
    assert bob.get(answer).status_code == 200
    response = bob.post(answer, {"answer": "yes", "child": "new", "name": "Papa"})
    assert response.status_code == 303
    link = CoParentLink.objects.get()
    assert link.inviter_child == noor
    assert link.coparent_name == "Papa"
    assert link.coparent_child.owner == other_parent
    assert link.coparent_child.nickname == "Noor"
    # One use only.
    assert bob.get(f"/nl/together/i/{token}/").status_code == 410
    assert HttpsClient().get(f"/nl/together/i/{token}/").status_code == 410


def test_accepting_can_link_a_child_already_in_the_journal(parent, other_parent):
    _invitation, token = make_invitation(parent, ChildFactory(owner=parent))
    sem = ChildFactory(owner=other_parent, nickname="Semmie")
    bob = HttpsClient()
    bob.force_login(other_parent)
    answer = open_invitation(bob, token)
    bob.post(answer, {"answer": "yes", "child": str(sem.pk), "name": "Papa"})
    assert CoParentLink.objects.get().coparent_child == sem
    assert Child.objects.filter(owner=other_parent).count() == 1


def test_accepting_cannot_link_someone_elses_child(parent, other_parent):
    _invitation, token = make_invitation(parent, ChildFactory(owner=parent))
    strangers = ChildFactory(owner=UserFactory())
    bob = HttpsClient()
    bob.force_login(other_parent)
    answer = open_invitation(bob, token)
    response = bob.post(answer, {"answer": "yes", "child": str(strangers.pk), "name": "Papa"})
    assert response.status_code == 400
    assert not CoParentLink.objects.exists()


def test_a_visitor_signs_up_or_logs_in_before_answering(parent, client):
    _invitation, token = make_invitation(parent, ChildFactory(owner=parent))
    answer = open_invitation(client, token)
    response = client.post(answer, {"answer": "yes"})
    assert response.status_code == 303
    assert "/accounts/login/" in response["Location"]
    assert not CoParentLink.objects.exists()


def test_declining_shares_nothing_and_the_invitation_is_gone(parent, other_parent):
    invitation, token = make_invitation(parent, ChildFactory(owner=parent))
    bob = HttpsClient()
    bob.force_login(other_parent)
    answer = open_invitation(bob, token)
    assert bob.post(answer, {"answer": "no"}).status_code == 303
    assert not CoParentLink.objects.exists()
    invitation.refresh_from_db()
    assert invitation.answered_at
    assert not invitation.accepted
    assert bob.get(f"/nl/together/i/{token}/").status_code == 410


def test_an_expired_invitation_is_gone(parent, client):
    invitation, token = make_invitation(parent, ChildFactory(owner=parent))
    answer = open_invitation(client, token)
    invitation.expires_at = timezone.now() - datetime.timedelta(seconds=1)
    invitation.save()
    assert client.get(f"/nl/together/i/{token}/").status_code == 410
    assert client.get(answer).status_code == 410


def test_your_own_invitation_cannot_be_answered_by_you(parent, parent_client):
    _invitation, token = make_invitation(parent, ChildFactory(owner=parent))
    answer = open_invitation(parent_client, token)
    assert parent_client.get(answer).status_code == 404


# --- Sharing moment by moment -------------------------------------------------------------------


def test_the_moment_form_offers_sharing_only_with_a_co_parent(parent_client, parent, other_parent):
    assert "shared_with_coparents" not in as_read(
        parent_client.get("/nl/journal/new/").content.decode()
    )
    make_pair(parent, other_parent)
    assert "shared_with_coparents" in as_read(
        parent_client.get("/nl/journal/new/").content.decode()
    )


def test_a_new_moment_follows_the_default_and_the_author_can_change_it(parent_client, parent, pair):
    link, hers, _his = pair
    link.side(parent).set_shares_by_default(True)
    html = as_read(parent_client.get("/nl/journal/new/").content.decode())
    assert re.search(r'name="shared_with_coparents"[^>]*checked', html)
    parent_client.post(
        "/nl/journal/new/",
        {
            "what_happened": SHARED,
            "kind": "connection",
            "child": hers.pk,
            "shared_with_coparents": "on",
        },
    )
    moment = Moment.objects.get(owner=parent)
    assert moment.shared_with_coparents
    parent_client.post(
        f"/nl/journal/moments/{moment.pk}/edit/",
        {"what_happened": SHARED, "kind": "connection", "child": hers.pk},
    )
    moment.refresh_from_db()
    assert not moment.shared_with_coparents


def test_the_default_is_set_per_link_by_each_parent(parent_client, other_parent_client, pair):
    link, _hers, _his = pair
    url = f"/nl/together/{link.public_id}/default/"
    assert parent_client.post(url, {"shares_by_default": "on"}).status_code == 303
    link.refresh_from_db()
    assert link.inviter_shares_by_default
    assert not link.coparent_shares_by_default
    assert HttpsClient().post(url).status_code == 302  # to the login
    stranger = HttpsClient()
    stranger.force_login(UserFactory())
    assert stranger.post(url, {"shares_by_default": "on"}).status_code == 404


def test_the_co_parent_sees_only_the_shared_moment(other_parent_client, shared_and_private):
    shared, private = shared_and_private
    html = as_read(other_parent_client.get("/nl/journal/?view=together").content.decode())
    assert SHARED in html
    assert PRIVATE not in html
    assert "Geschreven door Mama" in html
    assert other_parent_client.get(f"/nl/together/moments/{shared.pk}/").status_code == 200
    assert other_parent_client.get(f"/nl/together/moments/{private.pk}/").status_code == 404
    mine_only = as_read(other_parent_client.get("/nl/journal/").content.decode())
    assert SHARED not in mine_only


def test_a_shared_moment_about_another_child_stays_private(parent, other_parent_client, pair):
    sem = ChildFactory(owner=parent, nickname="Sem")
    MomentFactory(owner=parent, child=sem, what_happened=PRIVATE, shared_with_coparents=True)
    MomentFactory(owner=parent, what_happened=PRIVATE + " zonder kind", shared_with_coparents=True)
    html = as_read(other_parent_client.get("/nl/journal/?view=together").content.decode())
    assert PRIVATE not in html


def test_the_co_parent_gets_404_on_every_private_journal_url(
    other_parent_client, parent, shared_and_private
):
    """Walk every journal URL with the ids of Alice's own objects, the shared moment too."""
    shared, private = shared_and_private
    child_id = CoParentLink.objects.get().inviter_child_id
    routes = [r for r in all_routes() if r.name.startswith("reflect:") and r.path]
    assert {"reflect:moment_detail", "reflect:moment_edit", "reflect:look_back"} <= {
        route.name for route in routes
    }
    for moment in (shared, private):
        for route in routes:
            target = child_id if route.name.startswith("reflect:child_") else moment.pk
            path = route.path.replace("/1/", f"/{target}/")
            if route.name == "reflect:draft":
                path = path.replace("sample", f"moment-{moment.pk}")
            path = path.replace("sample", timezone.localdate().isoformat())
            response = other_parent_client.get(path)
            if "/1/" in route.path or route.name == "reflect:draft":
                assert response.status_code == 404, route.name
            html = as_read(response.content.decode())
            assert PRIVATE not in html, route.name
            if "/1/" in route.path:
                assert other_parent_client.post(path).status_code in (404, 405), route.name
    shared.refresh_from_db()
    assert shared.what_happened == SHARED
    assert Moment.objects.filter(pk=shared.pk).exists()


def test_only_the_author_unshares(other_parent_client, shared_and_private):
    shared, _private = shared_and_private
    path = f"/nl/journal/moments/{shared.pk}/edit/"
    other_parent_client.post(path, {"what_happened": "x", "kind": "connection"})
    shared.refresh_from_db()
    assert shared.shared_with_coparents
    assert shared.what_happened == SHARED


# --- Notes --------------------------------------------------------------------------------------


def test_the_co_parent_answers_with_a_note_the_author_sees_and_can_hide(
    parent_client, other_parent_client, other_parent, shared_and_private
):
    shared, _private = shared_and_private
    path = f"/nl/together/moments/{shared.pk}/"
    response = other_parent_client.post(path, {"words": "Ik zag het ook"})
    assert response.status_code == 303
    note = CoParentNote.objects.get()
    assert note.owner == other_parent
    with connection.cursor() as cursor:
        cursor.execute("SELECT words FROM coparents_coparentnote")
        assert "Ik zag het ook" not in cursor.fetchone()[0]  # sealed at rest
    detail = as_read(parent_client.get(f"/nl/journal/moments/{shared.pk}/").content.decode())
    assert "Ik zag het ook" in detail
    assert "Papa" in detail
    assert parent_client.post(f"/nl/together/notes/{note.pk}/hide/").status_code == 303
    detail = as_read(parent_client.get(f"/nl/journal/moments/{shared.pk}/").content.decode())
    assert "Ik zag het ook" not in detail


def test_a_note_needs_words_and_a_shared_moment(other_parent_client, shared_and_private):
    shared, private = shared_and_private
    assert (
        other_parent_client.post(f"/nl/together/moments/{shared.pk}/", {"words": "  "}).status_code
        == 400
    )
    path = f"/nl/together/moments/{private.pk}/"
    assert other_parent_client.post(path, {"words": "hallo"}).status_code == 404
    assert not CoParentNote.objects.exists()


def test_only_the_moments_author_hides_and_only_the_writer_deletes_a_note(
    parent_client, other_parent, shared_and_private
):
    shared, _private = shared_and_private
    note = CoParentNote.objects.create(owner=other_parent, moment=shared, words="Ik zag het ook")
    stranger = HttpsClient()
    stranger.force_login(UserFactory())
    assert stranger.post(f"/nl/together/notes/{note.pk}/hide/").status_code == 404
    assert parent_client.post(f"/nl/together/notes/{note.pk}/delete/").status_code == 404
    assert parent_client.get(f"/nl/together/notes/{note.pk}/hide/").status_code == 405
    assert CoParentNote.objects.filter(pk=note.pk, hidden_at__isnull=True).exists()


# --- Ending -------------------------------------------------------------------------------------


@pytest.mark.parametrize("who", ["inviter", "coparent"])
def test_either_parent_ends_the_link_and_the_other_sees_nothing(
    who, parent_client, other_parent_client, other_parent, shared_and_private
):
    shared, _private = shared_and_private
    link = CoParentLink.objects.get()
    CoParentNote.objects.create(owner=other_parent, moment=shared, words="Ik zag het ook")
    ender = parent_client if who == "inviter" else other_parent_client
    assert ender.get(f"/nl/together/{link.public_id}/end/").status_code == 200
    assert ender.post(f"/nl/together/{link.public_id}/end/").status_code == 303
    for path in [
        "/nl/journal/?view=together",
        "/nl/journal/",
        f"/nl/together/moments/{shared.pk}/",
        "/nl/together/",
    ]:
        html = as_read(other_parent_client.get(path).content.decode())
        assert SHARED not in html, path
        assert PRIVATE not in html, path
    assert other_parent_client.get(f"/nl/together/moments/{shared.pk}/").status_code == 404
    overview = as_read(other_parent_client.get("/nl/together/").content.decode())
    assert "gedeelde dagboek over Noor is gestopt" in overview
    assert "Ik zag het ook" not in as_read(
        parent_client.get(f"/nl/journal/moments/{shared.pk}/").content.decode()
    )


def test_a_stranger_cannot_end_a_link(pair):
    link, _hers, _his = pair
    stranger = HttpsClient()
    stranger.force_login(UserFactory())
    assert stranger.post(f"/nl/together/{link.public_id}/end/").status_code == 404
    link.refresh_from_db()
    assert link.is_active


def test_the_overview_shows_no_private_detail_of_the_other(
    other_parent_client, parent, shared_and_private
):
    make_link(parent, label="Voor de huisarts")
    html = as_read(other_parent_client.get("/nl/together/").content.decode())
    assert "alice@example.org" not in html
    assert "Voor de huisarts" not in html
    assert PRIVATE not in html
    assert SHARED not in html


# --- Authorship everywhere ----------------------------------------------------------------------


def test_a_share_link_never_holds_the_co_parents_words(
    parent, other_parent, pair, shared_and_private
):
    _link, _hers, his = pair
    MomentFactory(
        owner=other_parent, child=his, what_happened="Woorden van Bob", shared_with_coparents=True
    )
    _own, token = make_link(parent, scope=ShareLink.Scope.MOMENTS)
    html = open_link(HttpsClient(), token).content.decode()
    assert SHARED in html
    assert "Woorden van Bob" not in html
    _bobs, bobs_token = make_link(other_parent, scope=ShareLink.Scope.MOMENTS)
    html = open_link(HttpsClient(), bobs_token).content.decode()
    assert "Woorden van Bob" in html
    assert SHARED not in html


def test_deleting_an_account_removes_its_moments_and_notes_from_the_others_view(
    parent, other_parent, other_parent_client, shared_and_private
):
    shared, _private = shared_and_private
    CoParentNote.objects.create(owner=other_parent, moment=shared, words="Ik zag het ook")
    parent.delete()
    assert not CoParentLink.objects.exists()
    assert not CoParentNote.objects.exists()
    assert SHARED not in as_read(
        other_parent_client.get("/nl/journal/?view=together").content.decode()
    )


def test_the_together_journal_takes_the_same_queries_for_few_or_many_moments(
    other_parent_client, parent, other_parent, pair
):
    _link, hers, his = pair

    def queries() -> int:
        with CaptureQueriesContext(connection) as captured:
            assert other_parent_client.get("/nl/journal/?view=together").status_code == 200
        return len(captured)

    for _n in range(2):
        MomentFactory(owner=parent, child=hers, shared_with_coparents=True)
        MomentFactory(owner=other_parent, child=his)
    few = queries()
    for _n in range(10):
        MomentFactory(owner=parent, child=hers, shared_with_coparents=True)
        MomentFactory(owner=other_parent, child=his)
    assert queries() == few


def test_the_together_query_is_one_statement(parent, other_parent, pair):
    with CaptureQueriesContext(connection) as captured:
        list(models.together(other_parent))
    assert len(captured) == 1


def test_the_export_holds_ones_own_moments_and_marked_notes_never_the_other_parents(
    other_parent_client, other_parent, shared_and_private, pair
):
    shared, _private = shared_and_private
    _link, _hers, his = pair
    MomentFactory(owner=other_parent, child=his, what_happened="Woorden van Bob")
    CoParentNote.objects.create(owner=other_parent, moment=shared, words="Ik zag het ook")
    response = other_parent_client.get("/nl/account/data/journal.json")
    assert response.status_code == 200
    text = as_read(response.content.decode())
    assert SHARED not in text
    assert PRIVATE not in text
    document = json.loads(text)
    assert [m["what_happened"] for m in document["moments"]] == ["Woorden van Bob"]
    [note] = document["coparent_notes"]
    assert note["words"] == "Ik zag het ook"
    assert note["on_a_moment_of_a_co_parent"] is True


def test_an_import_only_ever_writes_the_importers_own_moments(
    other_parent_client, other_parent, parent, shared_and_private
):
    exported = other_parent_client.get("/nl/account/data/journal.json").content
    before = Moment.objects.for_owner(parent).count()
    portability.import_journal(other_parent, portability.read_file(exported))
    assert Moment.objects.for_owner(parent).count() == before


# --- The look back, together --------------------------------------------------------------------


def test_the_look_back_for_a_linked_child_can_show_what_was_shared_too(
    other_parent_client, parent, other_parent, pair
):
    _link, _hers, his = pair
    MomentFactory(
        owner=other_parent, child=his, what_happened="Woorden van Bob", what_helped="Zingen"
    )
    base = f"/nl/journal/look-back/all/?child={his.pk}"
    mine = as_read(other_parent_client.get(base).content.decode())
    assert SHARED not in mine
    assert "view=together" in mine
    together = as_read(other_parent_client.get(base + "&view=together").content.decode())
    assert PRIVATE not in together
    assert "Zingen" in together


def test_the_look_back_offers_no_together_view_for_an_unlinked_child(
    other_parent_client, other_parent, parent, pair
):
    _link, hers, _his = pair
    MomentFactory(owner=parent, child=hers, shared_with_coparents=True, what_helped="Mama zong")
    sem = ChildFactory(owner=other_parent, nickname="Sem")
    html = other_parent_client.get(f"/nl/journal/look-back/all/?child={sem.pk}&view=together")
    assert b"journal-switch" not in html.content
    assert b"Mama zong" not in html.content


def test_the_together_look_back_takes_the_same_queries_for_few_or_many_moments(
    other_parent_client, parent, other_parent, pair
):
    _link, hers, his = pair
    path = f"/nl/journal/look-back/all/?child={his.pk}&view=together"

    def queries() -> int:
        with CaptureQueriesContext(connection) as captured:
            assert other_parent_client.get(path).status_code == 200
        return len(captured)

    MomentFactory(owner=parent, child=hers, shared_with_coparents=True, what_helped="a")
    MomentFactory(owner=other_parent, child=his, what_helped="b")
    few = queries()
    for n in range(12):
        MomentFactory(owner=parent, child=hers, shared_with_coparents=True, what_helped=f"x{n}")
        MomentFactory(owner=other_parent, child=his, mismatch=True)
    assert queries() == few


def test_in_the_together_journal_every_moment_names_its_author(
    parent_client, parent, other_parent, pair
):
    _link, hers, his = pair
    MomentFactory(owner=parent, child=hers, what_happened="Van Alice")
    MomentFactory(
        owner=other_parent, child=his, what_happened="Van Bob", shared_with_coparents=True
    )
    html = as_read(parent_client.get("/nl/journal/?view=together").content.decode())
    assert "Geschreven door jou" in html
    assert "Geschreven door Papa" in html
    assert "Geschreven door" not in as_read(parent_client.get("/nl/journal/").content.decode())


def test_the_together_journal_answers_htmx_with_its_results_only(
    other_parent_client, shared_and_private
):
    response = other_parent_client.get("/nl/journal/?view=together", headers={"HX-Request": "true"})
    html = as_read(response.content.decode())
    assert response.status_code == 200
    assert "<html" not in html
    assert SHARED in html


# --- Filtering and searching together -----------------------------------------------------------


def test_the_together_child_filter_finds_the_co_parents_moments_about_the_same_child(
    other_parent_client, parent, other_parent, pair
):
    _link, hers, his = pair
    MomentFactory(owner=parent, child=hers, what_happened=SHARED, shared_with_coparents=True)
    MomentFactory(owner=other_parent, child=his, what_happened="Van Bob over Noor")
    sem = ChildFactory(owner=other_parent, nickname="Sem")
    MomentFactory(owner=other_parent, child=sem, what_happened="Van Bob over Sem")
    html = as_read(
        other_parent_client.get(f"/nl/journal/?view=together&child={his.pk}").content.decode()
    )
    assert SHARED in html
    assert "Van Bob over Noor" in html
    assert "Van Bob over Sem" not in html
    alone = as_read(other_parent_client.get(f"/nl/journal/?child={his.pk}").content.decode())
    assert SHARED not in alone
    assert "Van Bob over Noor" in alone
    sems = as_read(
        other_parent_client.get(f"/nl/journal/?view=together&child={sem.pk}").content.decode()
    )
    assert SHARED not in sems
    assert "Van Bob over Sem" in sems


def test_the_together_child_filter_ignores_a_link_that_ended(other_parent_client, parent, pair):
    link, hers, his = pair
    MomentFactory(owner=parent, child=hers, what_happened=SHARED, shared_with_coparents=True)
    link.end()
    html = other_parent_client.get(f"/nl/journal/?view=together&child={his.pk}").content
    assert SHARED.encode() not in html


def test_the_together_child_filter_takes_the_same_queries_for_few_or_many_moments(
    other_parent_client, parent, other_parent, pair
):
    _link, hers, his = pair
    path = f"/nl/journal/?view=together&child={his.pk}&q=trap"

    def queries() -> int:
        with CaptureQueriesContext(connection) as captured:
            assert other_parent_client.get(path).status_code == 200
        return len(captured)

    MomentFactory(owner=parent, child=hers, shared_with_coparents=True, what_happened="trap")
    few = queries()
    for _n in range(10):
        MomentFactory(owner=parent, child=hers, shared_with_coparents=True, what_happened="trap")
        MomentFactory(owner=other_parent, child=his, what_happened="trappen")
    assert queries() == few


def test_the_together_search_finds_shared_moments_of_the_co_parent(
    other_parent_client, parent, other_parent, shared_and_private, pair
):
    _link, _hers, his = pair
    MomentFactory(owner=other_parent, child=his, what_happened="Samen naar de trein")
    together = as_read(
        other_parent_client.get("/nl/journal/?view=together&q=samen").content.decode()
    )
    assert SHARED in together
    assert "Samen naar de trein" in together
    assert PRIVATE not in as_read(
        other_parent_client.get("/nl/journal/?view=together&q=ogen").content.decode()
    )
    # A searched word longer than the index's beginnings is checked on the opened words.
    long_word = as_read(
        other_parent_client.get(
            "/nl/journal/?view=together&q=gelopen+samenxxxxxxxxxx"
        ).content.decode()
    )
    assert SHARED not in long_word
    alone = as_read(other_parent_client.get("/nl/journal/?q=samen").content.decode())
    assert SHARED not in alone
    assert "Samen naar de trein" in alone


def test_the_together_search_finds_long_words_of_the_co_parent(other_parent_client, parent, pair):
    _link, hers, _his = pair
    MomentFactory(
        owner=parent, child=hers, what_happened="Tandenpoetsenliedje", shared_with_coparents=True
    )
    html = as_read(
        other_parent_client.get("/nl/journal/?view=together&q=tandenpoetsenlied").content.decode()
    )
    assert "Tandenpoetsenliedje" in html


def test_the_together_search_stops_when_the_link_ends(
    other_parent_client, shared_and_private, pair
):
    link, _hers, _his = pair
    link.end()
    html = other_parent_client.get("/nl/journal/?view=together&q=samen").content
    assert SHARED.encode() not in html


def test_the_together_look_back_names_the_author_of_every_quote(
    other_parent_client, parent, other_parent, pair
):
    _link, hers, his = pair
    MomentFactory(owner=parent, child=hers, what_helped="Mama zong", shared_with_coparents=True)
    MomentFactory(owner=other_parent, child=his, what_helped="Papa las voor")
    path = f"/nl/journal/look-back/all/?child={his.pk}&view=together"
    html = as_read(other_parent_client.get(path).content.decode())
    assert re.search(r"Mama zong.*?Geschreven door Mama", html, re.S)
    assert re.search(r"Papa las voor.*?Geschreven door jou", html, re.S)
    assert "Geschreven door" not in as_read(
        other_parent_client.get(f"/nl/journal/look-back/all/?child={his.pk}").content.decode()
    )


def test_the_together_look_back_keeps_a_typed_name_in_its_own_direction(
    other_parent_client, parent, pair
):
    link, hers, his = pair
    link.inviter_name = "مريم"
    link.save()
    MomentFactory(owner=parent, child=hers, what_helped="Zingen", shared_with_coparents=True)
    path = f"/en/journal/look-back/all/?child={his.pk}&view=together"
    html = other_parent_client.get(path).content.decode()
    assert "Written by \u2068مريم\u2069" in html


def test_the_together_look_back_speaks_of_the_shared_journal_never_of_you(
    other_parent_client, parent, other_parent, pair
):
    _link, hers, his = pair
    MomentFactory(owner=parent, child=hers, shared_with_coparents=True, what_helped="a")
    MomentFactory(owner=parent, child=hers, shared_with_coparents=True, mismatch=True)
    MomentFactory(owner=other_parent, child=his, what_helped="b", seen=True)
    path = f"/en/journal/look-back/all/?child={his.pk}&view=together"
    html = as_read(other_parent_client.get(path).content.decode())
    assert "the moments after which parent and child reconnected" in html
    assert "In this shared journal, three moments were noted" in html
    assert "You noted" not in html
    assert "What did you notice" not in html
    assert "S&#x27;s in these moments" in html or "S's in these moments" in html
    assert "in your moments" not in html
    assert "Papa" not in re.sub(r"Written by [^·<]*", "", html.split("A short reflection")[1])
    nl = as_read(other_parent_client.get(path.replace("/en/", "/nl/")).content.decode())
    assert "In dit gedeelde dagboek" in nl
    assert "Je schreef" not in nl


def test_the_together_look_back_of_a_quiet_period_is_not_about_you(other_parent_client, pair):
    _link, _hers, his = pair
    path = f"/en/journal/look-back/all/?child={his.pk}&view=together"
    html = as_read(other_parent_client.get(path).content.decode())
    assert "A quiet time in this journal." in html
    assert "Your journal is still quiet" not in html


# --- One link per pair and child ----------------------------------------------------------------


def test_a_second_invitation_to_the_same_address_is_refused_kindly(
    parent_client, parent, mailoutbox
):
    noor = ChildFactory(owner=parent, nickname="Noor")
    assert invite(parent_client, noor, email="Bob@Example.org").status_code == 303
    response = invite(parent_client, noor, email="bob@example.org ")
    assert response.status_code == 400
    assert "Er is al een open uitnodiging voor Noor naar dit adres." in as_read(
        response.content.decode()
    )
    assert CoParentInvitation.objects.count() == 1
    assert len(mailoutbox) == 1
    # Another child, or once the first is withdrawn, is fine.
    assert invite(parent_client, ChildFactory(owner=parent)).status_code == 303
    CoParentInvitation.objects.filter(child=noor).get().revoke()
    assert invite(parent_client, noor).status_code == 303


def test_inviting_a_parent_already_linked_for_that_child_is_refused_kindly(
    parent_client, parent, other_parent, pair, mailoutbox
):
    link, hers, _his = pair
    response = parent_client.post(
        "/en/together/invite/",
        {"child": hers.pk, "email": "BOB@example.org", "inviter_name": "Mama"},
    )
    assert response.status_code == 400
    assert "You already keep the journal about Noor together with this parent." in as_read(
        response.content.decode()
    )
    nl = invite(parent_client, hers)
    assert "Je houdt het dagboek over Noor al samen bij met deze ouder." in as_read(
        nl.content.decode()
    )
    assert not mailoutbox
    # Another parent, another child, or after the link ended: fine.
    assert invite(parent_client, hers, email="carol@example.org").status_code == 303
    assert invite(parent_client, ChildFactory(owner=parent)).status_code == 303
    link.end()
    assert invite(parent_client, hers).status_code == 303


def test_accepting_a_second_link_for_the_same_child_is_refused_kindly(parent, other_parent, pair):
    _link, hers, his = pair
    # Sent to another address of Bob's before the first link was made.
    _invitation, token = make_invitation(parent, hers)
    bob = HttpsClient()
    bob.force_login(other_parent)
    answer = open_invitation(bob, token)
    for choice in ("new", str(his.pk)):
        response = bob.post(answer, {"answer": "yes", "child": choice, "name": "Papa"})
        assert response.status_code == 400
        assert "Je houdt het dagboek over Noor al samen bij met deze ouder." in as_read(
            response.content.decode()
        )
    assert CoParentLink.objects.count() == 1
    assert Child.objects.filter(owner=other_parent).count() == 1


def test_accepting_with_a_child_already_linked_to_the_inviter_the_other_way_is_refused(
    parent, other_parent
):
    # Bob invited Alice for his Noor earlier; now Alice invites Bob for her Noor.
    link, bobs, alices = make_pair(other_parent, parent)
    _invitation, token = make_invitation(parent, alices)
    bob = HttpsClient()
    bob.force_login(other_parent)
    answer = open_invitation(bob, token)
    response = bob.post(answer, {"answer": "yes", "child": str(bobs.pk), "name": "Papa"})
    assert response.status_code == 400
    assert CoParentLink.objects.count() == 1
    link.end()
    response = bob.post(answer, {"answer": "yes", "child": str(bobs.pk), "name": "Papa"})
    assert response.status_code == 303
    assert CoParentLink.objects.active().count() == 1


# --- The privacy page ---------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("language", "sentences"),
    [
        (
            "nl",
            [
                "Samen met een mede-ouder",
                "Zolang jullie het samen bijhouden, ziet je mede-ouder:",
                "Je mede-ouder ziet nooit je andere momenten",
                "ziet geen van beiden nog iets van de ander",
            ],
        ),
        (
            "en",
            [
                "Together with a co-parent",
                "While you keep it together, your co-parent can see:",
                "Your co-parent never sees your other moments",
                "neither of you sees anything of the other any more",
            ],
        ),
    ],
)
def test_the_privacy_page_says_what_a_co_parent_can_and_cannot_see(client, language, sentences):
    response = client.get(f"/{language}/privacy/")
    assert response.status_code == 200
    text = as_read(response.content.decode())
    for sentence in sentences:
        assert sentence in text


def test_two_answers_at_the_same_moment_make_one_link(parent, other_parent, monkeypatch):
    """The forms refuse a second link first; when two answers race past that check, the
    database keeps one active link per pair and child and the second answer is told kindly."""
    from reflect.coparents import forms as coparent_forms

    link, noor, _his = make_pair(parent, other_parent)
    _invitation, token = make_invitation(parent, noor)
    monkeypatch.setattr(coparent_forms.models, "already_linked", lambda *args: False)
    bob = HttpsClient()
    bob.force_login(other_parent)
    answer = open_invitation(bob, token)
    response = bob.post(answer, {"answer": "yes", "child": "new", "name": "Papa"}, follow=True)
    assert response.redirect_chain[0] == ("/nl/together/", 303)
    assert "Je houdt het dagboek over dit kind al samen bij." in as_read(response.content.decode())
    assert list(CoParentLink.objects.all()) == [link]
    assert CoParentInvitation.objects.pending().count() == 1  # nothing of the answer was kept
