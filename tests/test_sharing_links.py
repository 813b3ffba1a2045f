"""The parent's share links: making one, the read-only view of exactly its scope, the view log,
stopping it, and the headers of every share page."""

import datetime
import re

import pytest

from reflect.sharing.models import ShareLink, ShareView
from reflect.summaries import month_of
from tests.conftest import HttpsClient
from tests.factories import ChildFactory, MomentFactory
from tests.sharing_helpers import days, make_link, open_link, token_from_page

pytestmark = pytest.mark.django_db


def _form(**overrides) -> dict:
    data = {
        "scope": "summaries",
        "period_kind": "month",
        "valid_until": days(14).isoformat(),
        "label": "",
        "child": "",
        "date_from": "",
        "date_to": "",
    }
    data.update(overrides)
    return data


# --- Making a link ------------------------------------------------------------------------------


def test_the_sharing_page_offers_the_three_choices_with_fourteen_days_by_default(parent_client):
    response = parent_client.get("/nl/share/")
    assert response.status_code == 200
    html = response.content.decode()
    assert 'name="scope"' in html
    assert 'name="period_kind"' in html
    assert f'value="{days(14).isoformat()}"' in html
    assert "Je hebt nog niets gedeeld" in html


def test_making_a_link_redirects_and_shows_the_link_once(parent_client, parent):
    response = parent_client.post("/nl/share/", _form(label="Mijn hulpverlener"))
    assert response.status_code == 303
    link = ShareLink.objects.get(owner=parent)
    assert response["Location"] == f"/nl/share/links/{link.public_id}/created/"
    assert link.label == "Mijn hulpverlener"
    assert link.scope == "summaries"
    month = month_of(days(0))
    assert (link.period_start, link.period_end) == (month.start, month.end)
    first = parent_client.get(response["Location"])
    token = token_from_page(first.content.decode())
    assert ShareLink.objects.by_token(token) == link
    second = parent_client.get(response["Location"])
    assert "/share/t/" not in second.content.decode()
    assert "maar één keer" in second.content.decode()


def test_a_link_can_cover_one_child_some_s_and_chosen_dates(parent_client, parent):
    noor = ChildFactory(owner=parent, nickname="Noor")
    start, end = days(0) - datetime.timedelta(days=20), days(0) - datetime.timedelta(days=5)
    response = parent_client.post(
        "/nl/share/",
        _form(
            scope="moments",
            period_kind="dates",
            date_from=start.isoformat(),
            date_to=end.isoformat(),
            child=str(noor.pk),
            s_keys=["safe", "soothed"],
        ),
    )
    assert response.status_code == 303
    link = ShareLink.objects.get(owner=parent)
    assert (link.period_start, link.period_end, link.child) == (start, end, noor)
    assert link.s_keys == ("safe", "soothed")


def test_a_link_cannot_last_longer_than_ninety_days_and_keeps_what_was_chosen(parent_client):
    response = parent_client.post(
        "/en/share/", _form(valid_until=days(91).isoformat(), label="For my counsellor")
    )
    assert response.status_code == 400
    html = response.content.decode()
    assert "at most 90 days" in html
    assert 'value="For my counsellor"' in html
    assert not ShareLink.objects.exists()


def test_dates_are_needed_for_a_period_between_two_dates(parent_client):
    response = parent_client.post("/en/share/", _form(period_kind="dates", label="Anna"))
    assert response.status_code == 400
    assert "Choose the first day of the period." in response.content.decode()
    assert 'value="Anna"' in response.content.decode()


def test_a_link_cannot_name_another_parents_child(parent_client, other_parent):
    theirs = ChildFactory(owner=other_parent)
    response = parent_client.post("/nl/share/", _form(child=str(theirs.pk)))
    assert response.status_code == 400
    assert not ShareLink.objects.exists()


def test_the_sharing_page_needs_a_login(client):
    response = client.get("/nl/share/")
    assert response.status_code == 302
    assert response["Location"].startswith("/nl/accounts/login/")


def test_the_sharing_page_refuses_other_methods(parent_client):
    assert parent_client.put("/nl/share/").status_code == 405


def test_htmx_gets_only_the_list_of_links(parent_client, parent):
    make_link(parent, label="Voor Anna")
    full = parent_client.get("/nl/share/")
    fragment = parent_client.get("/nl/share/", headers={"HX-Request": "true"})
    assert "<html" in full.content.decode()
    assert "<html" not in fragment.content.decode()
    assert 'id="link-list"' in fragment.content.decode()
    assert "Voor Anna" in fragment.content.decode()


def test_the_created_page_of_another_parents_link_is_not_found(other_parent_client, parent):
    link, _token = make_link(parent)
    response = other_parent_client.get(f"/nl/share/links/{link.public_id}/created/")
    assert response.status_code == 404


# --- Exactly the scope --------------------------------------------------------------------------


@pytest.fixture
def journal(parent, other_parent):
    """Two children, this month and an old month, four S's, and another parent's words."""
    noor = ChildFactory(owner=parent, nickname="Noor")
    sem = ChildFactory(owner=parent, nickname="Sem")
    old = days(0) - datetime.timedelta(days=120)
    return {
        "noor": noor,
        "sem": sem,
        "noor_now": MomentFactory(
            owner=parent,
            child=noor,
            date=days(0),
            safe=True,
            what_happened="Noor klom op schoot bij het voorlezen",
            what_helped="Samen ademhalen op de bank",
        ),
        "sem_now": MomentFactory(
            owner=parent, child=sem, date=days(0), safe=True, what_happened="Sem bouwde een toren"
        ),
        "noor_seen": MomentFactory(
            owner=parent,
            child=noor,
            date=days(0),
            safe=False,
            seen=True,
            what_happened="Noor liet haar tekening zien",
        ),
        "noor_old": MomentFactory(
            owner=parent, child=noor, date=old, safe=True, what_happened="Een oude avond aan zee"
        ),
        "bob": MomentFactory(
            owner=other_parent, date=days(0), safe=True, what_happened="Bob schreef dit stiekem"
        ),
    }


def test_a_link_shows_only_its_child_its_s_and_its_period(parent, journal):
    month = month_of(days(0))
    _link, token = make_link(
        parent,
        scope="moments",
        period_kind="month",
        period_start=month.start,
        period_end=month.end,
        child=journal["noor"],
        safe=True,
    )
    html = open_link(HttpsClient(), token).content.decode()
    assert "Noor klom op schoot bij het voorlezen" in html
    assert "Samen ademhalen op de bank" in html
    assert "Sem bouwde een toren" not in html  # another child
    assert "Sem" not in html
    assert "Noor liet haar tekening zien" not in html  # an S not chosen
    assert "Een oude avond aan zee" not in html  # another period
    assert "Bob schreef dit stiekem" not in html  # another parent


def test_a_summaries_only_link_holds_no_words_of_any_moment(parent, journal):
    journal["noor_now"].kind = "mismatch"
    journal["noor_now"].save()
    MomentFactory(owner=parent, date=days(0), repaired=True, felt="Ik voelde me moe")
    _link, token = make_link(parent, scope="summaries")
    response = open_link(HttpsClient(), token)
    html = response.content.decode()
    assert response.status_code == 200
    for moment in (journal["noor_now"], journal["sem_now"], journal["noor_seen"]):
        assert moment.what_happened not in html
    assert "Samen ademhalen op de bank" not in html
    assert "We sat together on the stairs" not in html
    assert "Ik voelde me moe" not in html
    assert "De vier S" in html  # the summary itself is there


def test_the_shared_page_has_no_edit_controls_and_no_account_details(parent, journal):
    journal["noor_now"].kind = "mismatch"
    journal["noor_now"].save()
    _link, token = make_link(parent, scope="moments")
    html = open_link(HttpsClient(), token).content.decode()
    assert "Noor klom op schoot" in html
    assert "/journal/moments/" not in html
    assert "/journal/new/" not in html
    assert "Schrijf op hoe jullie weer verbonden raakten" not in html
    assert "Het was al goed</button>" not in html
    assert parent.email not in html
    assert "Uitloggen" not in html


# --- Views and their log ------------------------------------------------------------------------


def test_every_view_is_logged_with_a_coarse_device_and_the_parent_sees_it(parent, parent_client):
    link, token = make_link(parent, label="Voor Anna")
    visitor = HttpsClient(
        headers={"user-agent": "Mozilla/5.0 (Android 14; Mobile; rv:128.0) Gecko Firefox/128.0"}
    )
    open_link(visitor, token)
    visitor.get(f"/nl/share/view/{link.public_id}/")
    views = list(ShareView.objects.filter(link=link))
    assert len(views) == 2
    assert {view.device for view in views} == {"Firefox · Android"}
    page = parent_client.get("/nl/share/").content.decode()
    assert "2 keer" in page
    assert "Firefox · Android" in page
    assert "Mozilla/5.0" not in page


def test_the_owners_preview_is_not_counted(parent, parent_client):
    link, _token = make_link(parent)
    response = parent_client.get(f"/nl/share/view/{link.public_id}/")
    assert response.status_code == 200
    assert "voorbeeld" in response.content.decode()
    assert not ShareView.objects.exists()


def test_viewing_writes_the_security_log_without_the_token(parent):
    from hechting.accounts.models import SecurityEvent

    link, token = make_link(parent)
    open_link(HttpsClient(), token)
    event = SecurityEvent.objects.get(event="share_link_viewed")
    assert event.user == parent
    assert event.details == {"link": link.pk}


# --- Stopping -----------------------------------------------------------------------------------


def test_a_revoked_link_stops_on_the_next_request_even_with_a_grant(parent, parent_client):
    link, token = make_link(parent)
    visitor = HttpsClient()
    assert open_link(visitor, token).status_code == 200
    response = parent_client.post(f"/nl/share/links/{link.public_id}/revoke/")
    assert response.status_code == 303
    assert visitor.get(f"/nl/share/view/{link.public_id}/").status_code == 410
    assert HttpsClient().get(f"/nl/share/t/{token}/").status_code == 410
    link.refresh_from_db()
    assert link.revoked_at is not None


def test_an_expired_link_stops_on_the_next_request_even_with_a_grant(parent):
    link, token = make_link(parent)
    visitor = HttpsClient()
    assert open_link(visitor, token).status_code == 200
    ShareLink.objects.filter(pk=link.pk).update(valid_until=days(0) - datetime.timedelta(days=1))
    assert visitor.get(f"/nl/share/view/{link.public_id}/").status_code == 410
    assert HttpsClient().get(f"/nl/share/t/{token}/").status_code == 410


def test_a_link_works_through_its_last_day(parent):
    _link, token = make_link(parent, valid_until=days(0))
    assert open_link(HttpsClient(), token).status_code == 200


def test_revoking_with_htmx_returns_the_updated_list(parent, parent_client):
    link, _token = make_link(parent, label="Voor Anna")
    response = parent_client.post(
        f"/nl/share/links/{link.public_id}/revoke/", headers={"HX-Request": "true"}
    )
    assert response.status_code == 200
    html = response.content.decode()
    assert "<html" not in html
    assert 'id="link-list"' in html
    assert "Gestopt op" in html
    # The status line, swapped out of band, asks for focus (static/js/hechting.js moves it there).
    status = re.search(r'<div id="sharing-status"[^>]*hx-swap-oob="innerHTML">(.*?)</div>', html)
    assert 'tabindex="-1" data-focus-after-swap' in status.group(1)
    assert "De link werkt niet meer" in status.group(1)


def test_another_parent_cannot_revoke_a_link(parent, other_parent_client):
    link, _token = make_link(parent)
    response = other_parent_client.post(f"/nl/share/links/{link.public_id}/revoke/")
    assert response.status_code == 404
    link.refresh_from_db()
    assert link.revoked_at is None


def test_revoking_needs_a_post_and_a_login(parent, parent_client, client):
    link, _token = make_link(parent)
    assert parent_client.get(f"/nl/share/links/{link.public_id}/revoke/").status_code == 405
    response = client.post(f"/nl/share/links/{link.public_id}/revoke/")
    assert response.status_code == 302
    link.refresh_from_db()
    assert link.revoked_at is None


# --- Who may open the view ----------------------------------------------------------------------


def test_the_view_address_alone_opens_nothing(parent, other_parent_client, counsellor_client):
    link, _token = make_link(parent)
    for visitor in (HttpsClient(), other_parent_client, counsellor_client):
        assert visitor.get(f"/nl/share/view/{link.public_id}/").status_code == 404


def test_the_view_refuses_other_methods(parent):
    link, token = make_link(parent)
    visitor = HttpsClient()
    open_link(visitor, token)
    assert visitor.post(f"/nl/share/view/{link.public_id}/").status_code == 405
    assert visitor.post(f"/nl/share/t/{token}/").status_code == 405


def test_a_grant_opens_only_its_own_link(parent):
    _first, token = make_link(parent)
    second, _other = make_link(parent)
    visitor = HttpsClient()
    open_link(visitor, token)
    assert visitor.get(f"/nl/share/view/{second.public_id}/").status_code == 404


# --- Headers ------------------------------------------------------------------------------------


def _assert_private_headers(response):
    assert response["Referrer-Policy"] == "no-referrer"
    assert "noindex" in response["X-Robots-Tag"]
    assert "no-store" in response["Cache-Control"]


def test_every_share_page_sends_no_referrer_noindex_and_no_store(parent):
    link, token = make_link(parent)
    visitor = HttpsClient()
    redirect = visitor.get(f"/nl/share/t/{token}/")
    assert redirect.status_code == 303
    assert token not in redirect["Location"]
    _assert_private_headers(redirect)
    _assert_private_headers(visitor.get(redirect["Location"]))
    _assert_private_headers(HttpsClient().get("/nl/share/t/" + "x" * 43 + "/"))
    link.revoke()
    _assert_private_headers(visitor.get(redirect["Location"]))
