"""Sharing as its readers see it (issue 21, parts 1 to 3): the shared look back speaks of the
parent by name in the third person; sharing is in the menu and one click from the look back;
stopping a link says so on the sharing page; every address of an ended link answers 410; and
counsellors read how to become one, while parents read whether a counsellor was checked."""

import datetime

import pytest
from django.contrib.messages import get_messages
from django.db import connection
from django.utils import timezone, translation

from reflect.sharing.models import CounsellorProfile, ShareLink
from reflect.summaries import Kind, When, month_of, reflection, week_of
from tests.conftest import HttpsClient, signed_in
from tests.factories import ChildFactory, MomentFactory, UserFactory
from tests.reading import as_read
from tests.sharing_helpers import days, make_invitation, make_link, open_link

pytestmark = pytest.mark.django_db

DISCLAIMER_NL = "Hechting geeft informatie en een eigen dagboek"


def _html(response) -> str:
    return as_read(response.content.decode())


def _form(**overrides) -> dict:
    data = {
        "scope": "moments",
        "period_kind": "all",
        "valid_until": days(14).isoformat(),
        "label": "",
        "client_name": "",
        "child": "",
        "date_from": "",
        "date_to": "",
    }
    data.update(overrides)
    return data


@pytest.fixture
def noor(parent):
    return ChildFactory(owner=parent, nickname="Noor")


@pytest.fixture
def moments(parent, noor):
    return [
        MomentFactory(
            owner=parent,
            child=noor,
            date=days(0),
            safe=True,
            what_happened="Noor klom op schoot",
            felt="Moe maar warm",
            child_needed="Even dichtbij zijn",
            what_helped="Samen ademhalen",
        ),
        MomentFactory(owner=parent, date=days(0), seen=True, what_happened="Een rustige avond"),
    ]


# --- 1. The shared look back, written for its reader --------------------------------------------


def test_the_shared_view_speaks_of_the_parent_by_the_name_they_chose(parent, moments):
    _link, token = make_link(parent, scope="moments", client_name="Alice")
    html = _html(open_link(HttpsClient(), token))
    assert "Een terugblik van Alice" in html
    assert "Alice schreef twee momenten van verbinding op." in html
    assert "Wat hielp, zoals Alice het opschreef" in html
    assert "De momenten, zoals Alice ze opschreef" in html
    assert "Wat Alice voelde" in html
    assert "Wat Noor leek nodig te hebben" in html
    for second_person in ("Je schreef", "in je eigen woorden", "je woorden", "Wat ik voelde"):
        assert second_person not in html
    assert "Wat mijn kind" not in html


def test_the_shared_view_in_english_speaks_in_the_third_person_too(parent, moments):
    _link, token = make_link(parent, scope="moments", client_name="Alice")
    html = _html(open_link(HttpsClient(), token, "en"))
    assert "A look back from Alice" in html
    assert "Alice noted two moments of connection." in html
    assert "What Alice felt" in html
    assert "You noted" not in html
    assert "your words" not in html


def test_without_a_name_the_shared_view_speaks_of_the_parent(parent, moments):
    _link, token = make_link(parent, scope="summaries")
    html = _html(open_link(HttpsClient(), token))
    assert "Een gedeelde terugblik" in html
    assert "De ouder schreef twee momenten van verbinding op." in html
    assert "De ouder koos ervoor dit deel van het dagboek te delen" in html
    assert "Noor klom op schoot" not in html  # summaries only: no words


def test_the_shared_view_names_period_and_scope_at_the_top_and_the_disclaimer_once(
    parent, moments, noor
):
    _link, token = make_link(
        parent,
        scope="summaries",
        child=noor,
        period_kind=ShareLink.PeriodKind.DATES,
        period_start=days(-3),
        period_end=days(0),
    )
    html = _html(open_link(HttpsClient(), token))
    header = html[html.index('id="shared-title"') : html.index("look-back__reflection")]
    assert "Periode" in header
    assert f"{days(-3).day} " in header
    assert "De terugblik, zonder de woorden van de momenten" in header
    assert "Noor" in header
    assert html.count(DISCLAIMER_NL) == 1


def test_a_quiet_shared_period_is_described_without_speaking_to_the_reader(parent):
    _link, token = make_link(parent, client_name="Alice")
    html = _html(open_link(HttpsClient(), token))
    assert "Het was een stille tijd in dit dagboek." in html
    assert "Welkom" not in html


@translation.override("en")
def test_third_person_sentences_leave_out_the_question_meant_for_the_parent():
    totals = {"moments": 3, "connection": 2, "mismatch": 1}
    assert reflection(Kind.WEEK, totals, 1, When.CURRENT, writer="alice") == [
        "Alice noted three moments: two of connection and one when parent and child were "
        "out of tune.",
        "Alice noted one moment when parent and child reconnected.",
    ]
    only_connection = {"moments": 1, "connection": 1, "mismatch": 0}
    assert reflection(Kind.MONTH, only_connection, 0, writer="Alice") == [
        "Alice noted one moment of connection."
    ]
    assert reflection(Kind.WEEK, {"moments": 0}, 0, When.FIRST, writer="Alice") == [
        "A quiet week in this journal."
    ]


# --- 1. The share form: the name the parent uses ------------------------------------------------


def test_the_name_for_the_reader_is_stored_sealed(parent_client, parent):
    response = parent_client.post("/nl/share/", _form(client_name="  Alice   de Vries "))
    assert response.status_code == 303
    link = ShareLink.objects.get(owner=parent)
    assert link.client_name == "Alice de Vries"
    table = connection.ops.quote_name(ShareLink._meta.db_table)
    with connection.cursor() as cursor:
        cursor.execute(f"SELECT client_name FROM {table} WHERE id = %s", [link.pk])  # noqa: S608
        assert "Alice" not in cursor.fetchone()[0]


def test_the_share_form_offers_the_name_used_last_time(parent_client, parent):
    make_link(parent, client_name="Mama van Noor")
    html = _html(parent_client.get("/nl/share/"))
    assert 'value="Mama van Noor"' in html
    assert "Je naam voor wie het leest" in html


def test_the_share_form_offers_the_accounts_name_the_first_time(parent):
    parent.display_name = "Alice"
    parent.save()
    html = _html(signed_in(parent).get("/nl/share/"))
    assert 'name="client_name" value="Alice"' in html


def test_a_name_that_is_too_long_keeps_everything_that_was_chosen(parent_client, parent):
    response = parent_client.post("/nl/share/", _form(client_name="A" * 81, label="Voor Anna"))
    assert response.status_code == 400
    assert 'value="Voor Anna"' in _html(response)
    assert not ShareLink.objects.filter(owner=parent).exists()


# --- 1. The counsellor's overview names every client --------------------------------------------


def test_the_overview_tells_two_unnamed_clients_apart(counsellor, counsellor_client, parent):
    first, _t = make_link(parent, counsellor=counsellor)
    make_link(UserFactory(email="dana@example.org"), counsellor=counsellor)
    earlier = timezone.make_aware(datetime.datetime(2026, 3, 4, 12, 0))
    ShareLink.objects.filter(pk=first.pk).update(created=earlier)
    named, _t = make_link(UserFactory(email="eve@example.org"), counsellor=counsellor)
    named.client_name = "Eva"
    named.save()
    html = _html(counsellor_client.get("/nl/share/dashboard/"))
    today = timezone.localdate()
    assert '<h3 dir="auto">Een cliënt die deelt sinds 4 maart 2026</h3>' in html
    assert f"Een cliënt die deelt sinds {today.day} " in html
    assert '<h3 dir="auto">Eva</h3>' in html
    assert "<h3>Een cliënt</h3>" not in html


def test_the_counsellors_view_of_a_client_names_the_client_and_leads_back(
    counsellor, counsellor_client, parent, moments
):
    link, _t = make_link(parent, counsellor=counsellor, client_name="Alice")
    html = _html(counsellor_client.get(f"/nl/share/view/{link.public_id}/"))
    assert "Een terugblik van Alice" in html
    assert "/nl/share/dashboard/" in html
    assert 'href="/nl/share/dashboard/" aria-current="page"' in html


# --- 2. Sharing in the menu and from the look back ----------------------------------------------


def test_sharing_is_in_the_main_navigation_and_marked_on_its_pages(parent_client, parent):
    journal = _html(parent_client.get("/nl/journal/"))
    assert '<a href="/nl/share/">Delen</a>' in journal
    sharing = _html(parent_client.get("/nl/share/"))
    assert '<a href="/nl/share/" aria-current="page">Delen</a>' in sharing
    assert 'aria-current="page">Account' not in sharing
    link, _t = make_link(parent)
    preview = _html(parent_client.get(f"/nl/share/view/{link.public_id}/"))
    assert '<a href="/nl/share/" aria-current="page">Delen</a>' in preview


def test_visitors_see_no_sharing_item(client):
    assert '<a href="/nl/share/">' not in _html(client.get("/nl/"))


def test_the_look_back_offers_to_share_the_period_and_child_on_screen(parent_client, noor):
    month = month_of(days(0))
    html = _html(parent_client.get(f"/nl/journal/look-back/{month.slug}/?child={noor.pk}"))
    assert f'href="/nl/share/?period={month.slug}&amp;child={noor.pk}"' in html
    assert "Deel deze periode" in html
    week = _html(parent_client.get("/nl/journal/look-back/"))
    assert f'href="/nl/share/?period={week_of(days(0)).slug}"' in week


def _checked(html: str, name: str) -> str:
    """The value of the checked radio button called ``name``."""
    for part in html.split("<input")[1:]:
        tag = part.split(">", 1)[0]
        if f'name="{name}"' in tag and "checked" in tag:
            return tag.split('value="', 1)[1].split('"', 1)[0]
    return ""


def test_the_share_form_takes_the_current_week_month_or_all_from_the_look_back(parent_client):
    today = days(0)
    cases = {
        week_of(today).slug: "week",
        month_of(today).slug: "month",
        month_of(today.replace(day=1) - datetime.timedelta(days=1)).slug: "last_month",
        "all": "all",
    }
    for slug, kind in cases.items():
        html = _html(parent_client.get(f"/nl/share/?period={slug}"))
        assert _checked(html, "period_kind") == kind, slug


def test_an_older_period_from_the_look_back_becomes_its_own_dates(parent_client, noor):
    old = month_of(days(0).replace(day=1) - datetime.timedelta(days=70))
    html = _html(parent_client.get(f"/nl/share/?period={old.slug}&child={noor.pk}"))
    assert _checked(html, "period_kind") == "dates"
    assert f'name="date_from" value="{old.start.isoformat()}"' in html
    assert f'name="date_to" value="{old.end.isoformat()}"' in html
    assert f'<option value="{noor.pk}" selected>' in html
    assert '<details class="sharing__more" open>' in html


@pytest.mark.parametrize(
    "query",
    ["period=soon", "period=2999-01", "period=2025-13", "period=%00", "child=abc", "child=999999"],
)
def test_bad_look_back_parameters_are_ignored_and_the_form_starts_as_usual(
    parent_client, noor, query
):
    response = parent_client.get(f"/nl/share/?{query}")
    assert response.status_code == 200
    html = _html(response)
    assert _checked(html, "period_kind") == "month"
    assert f'<option value="{noor.pk}" selected>' not in html


def test_another_parents_child_is_never_filled_in(parent_client, other_parent):
    theirs = ChildFactory(owner=other_parent, nickname="Bram")
    html = _html(parent_client.get(f"/nl/share/?child={theirs.pk}"))
    assert "Bram" not in html


def test_the_prefilled_share_form_needs_a_login(client):
    response = client.get("/nl/share/?period=all")
    assert response.status_code == 302
    assert response["Location"].startswith("/nl/accounts/login/")


# --- 2. Stopping a link says so on the sharing page ---------------------------------------------


def test_stopping_without_htmx_shows_the_message_on_the_sharing_page(parent_client, parent):
    link, _t = make_link(parent)
    response = parent_client.post(f"/nl/share/links/{link.public_id}/revoke/", follow=True)
    assert response.redirect_chain == [("/nl/share/", 303)]
    html = _html(response)
    assert "De link werkt niet meer. Niemand kan hem nog openen." in html
    assert "Niemand kan hem nog openen" not in _html(parent_client.get("/nl/account/"))


def test_stopping_with_htmx_answers_the_list_and_the_pages_status_line(parent_client, parent):
    link, _t = make_link(parent)
    response = parent_client.post(
        f"/nl/share/links/{link.public_id}/revoke/", headers={"HX-Request": "true"}
    )
    assert response.status_code == 200
    html = _html(response)
    assert "<html" not in html
    assert 'id="link-list"' in html
    assert 'id="sharing-status"' in html
    assert 'hx-swap-oob="innerHTML"' in html
    assert "Niemand kan hem nog openen" in html
    assert list(get_messages(response.wsgi_request)) == []
    # Nothing waits for a later page.
    assert "Niemand kan hem nog openen" not in _html(parent_client.get("/nl/account/"))


def test_the_sharing_page_has_an_empty_status_line_for_htmx(parent_client):
    html = _html(parent_client.get("/nl/share/"))
    assert '<div id="sharing-status" class="messages sharing__status" role="status"></div>' in html


# --- 2. Every address of an ended link answers 410 ----------------------------------------------


@pytest.mark.parametrize("ending", ["revoked", "expired"])
def test_every_address_of_an_ended_link_answers_the_same_410(parent, ending):
    link, token = make_link(parent)
    holder = HttpsClient()
    open_link(holder, token)
    if ending == "revoked":
        link.revoke()
    else:
        ShareLink.objects.filter(pk=link.pk).update(valid_until=days(-1))
    view = f"/nl/share/view/{link.public_id}/"
    for visitor, path in (
        (holder, view),  # the page reloaded after the token's redirect
        (HttpsClient(), view),  # the same address in another browser, without the grant
        (HttpsClient(), f"/nl/share/t/{token}/"),
        (signed_in(UserFactory(email="zed@example.org")), view),
    ):
        response = visitor.get(path)
        assert response.status_code == 410, path
        assert "Deze link werkt niet meer" in _html(response)
        assert response["X-Robots-Tag"] == "noindex, nofollow"


def test_an_unknown_view_address_is_still_not_found(client):
    assert client.get("/nl/share/view/3f1c6a57-1f0e-4a84-9d8e-6b3c0c1f7f11/").status_code == 404


def test_the_owner_can_still_see_what_an_ended_link_showed(parent, parent_client):
    link, _t = make_link(parent)
    link.revoke()
    assert parent_client.get(f"/nl/share/view/{link.public_id}/").status_code == 200


def test_an_ended_invitations_welcome_answers_410_with_or_without_the_grant(counsellor):
    invitation, token = make_invitation(counsellor)
    holder = HttpsClient()
    assert holder.get(f"/nl/share/i/{token}/").status_code == 303
    invitation.revoke()
    welcome = f"/nl/share/invitation/{invitation.public_id}/"
    assert holder.get(welcome).status_code == 410
    assert HttpsClient().get(welcome).status_code == 410


# --- The language links on the shared view and the ended page -----------------------------------


def test_the_language_links_carry_a_visible_label_and_button_links(parent):
    _link, token = make_link(parent)
    html = _html(open_link(HttpsClient(), token))
    assert '<span class="language-switch__title" id="language-links-title">Taal</span>' in html
    assert 'class="button" href="/en/share/view/' in html
    link, token = make_link(parent)
    link.revoke()
    gone = _html(HttpsClient().get(f"/nl/share/t/{token}/"))
    assert '<span class="language-switch__title" id="language-links-title">Taal</span>' in gone
    assert 'class="button" href="/en/"' in gone  # the home page: never the token's address


# --- 3. Counsellors -----------------------------------------------------------------------------


def test_the_counsellors_page_explains_how_to_become_one(client):
    html = _html(client.get("/nl/share/counsellors/"))
    assert "Zo word je hier hulpverlener" in html
    assert "Ik werk als hulpverlener" in html
    assert "zoals jij ze beschreef" in html
    english = _html(client.get("/en/share/counsellors/"))
    assert "How to become a counsellor here" in english


def test_the_counsellors_page_is_linked_from_the_footer_and_the_help_page(client, parent):
    for page in ("/nl/", "/nl/learn/help/"):
        assert 'href="/nl/share/counsellors/"' in _html(client.get(page)), page
    assert "Werk je zelf met ouders?" in _html(client.get("/nl/learn/help/"))
    _link, token = make_link(parent)
    assert 'href="/nl/share/counsellors/"' in _html(open_link(HttpsClient(), token))


def _welcome(token: str, language: str = "nl") -> str:
    visitor = HttpsClient()
    response = visitor.get(f"/{language}/share/i/{token}/")
    return _html(visitor.get(response["Location"]))


def test_the_welcome_says_the_details_are_as_the_counsellor_described_them(counsellor):
    _invitation, token = make_invitation(counsellor)
    html = _welcome(token)
    assert "zoals de hulpverlener ze zelf beschreef" in html
    assert "niet gecontroleerd" in html
    assert "as the counsellor described them" in _welcome(token, "en")


def test_the_welcome_says_checked_only_once_the_administrator_checked(counsellor):
    profile = CounsellorProfile.objects.get(user=counsellor)
    profile.checked_at = timezone.make_aware(datetime.datetime(2026, 3, 4, 10, 0))
    profile.save()
    _invitation, token = make_invitation(counsellor)
    html = _welcome(token)
    assert "heeft deze naam en praktijk gecontroleerd op 4 maart 2026" in html
    assert "zelf beschreef" not in html


@pytest.fixture
def admin_client():
    admin = UserFactory(email="admin@example.org", is_staff=True, is_superuser=True)
    client = HttpsClient()
    client.force_login(admin)
    return client


def test_the_administrator_marks_a_counsellor_as_checked_and_can_undo_it(admin_client, counsellor):
    profile = CounsellorProfile.objects.get(user=counsellor)
    url = "/admin/sharing/counsellorprofile/"
    page = _html(admin_client.get(url))
    assert "mark_checked" in page
    response = admin_client.post(
        url, {"action": "mark_checked", "_selected_action": [profile.pk]}, follow=True
    )
    assert response.status_code == 200
    profile.refresh_from_db()
    assert profile.is_checked
    admin_client.post(url, {"action": "mark_unchecked", "_selected_action": [profile.pk]})
    profile.refresh_from_db()
    assert not profile.is_checked


def test_staff_without_the_right_to_change_counsellors_get_no_check_action(counsellor):
    from django.contrib.auth.models import Permission

    staff = UserFactory(email="staff@example.org", is_staff=True)
    staff.user_permissions.add(Permission.objects.get(codename="view_counsellorprofile"))
    client = HttpsClient()
    client.force_login(staff)
    url = "/admin/sharing/counsellorprofile/"
    assert "mark_checked" not in _html(client.get(url))
    profile = CounsellorProfile.objects.get(user=counsellor)
    client.post(url, {"action": "mark_checked", "_selected_action": [profile.pk]})
    profile.refresh_from_db()
    assert not profile.is_checked


def test_the_counsellor_form_marks_the_website_optional_at_most_once(counsellor_client):
    html = _html(counsellor_client.get("/nl/share/counsellor/"))
    assert "(niet verplicht) (niet verplicht)" not in html
    assert html.count("niet verplicht") <= 1
    assert '<label for="id_website">Website' in html


def test_the_menu_marks_overview_on_counsellor_pages_and_nothing_on_public_ones(
    counsellor_client, counsellor
):
    counsellor_client.get("/nl/share/dashboard/")  # the session learns it is a counsellor
    for path in ("/nl/share/dashboard/", "/nl/share/invitations/new/", "/nl/share/counsellor/"):
        html = _html(counsellor_client.get(path))
        assert '<a href="/nl/share/dashboard/" aria-current="page">Overzicht</a>' in html, path
        assert '<a href="/nl/share/" aria-current="page">' not in html, path
    public = _html(counsellor_client.get("/nl/share/counsellors/"))
    assert 'aria-current="page"' not in public.split("</nav>", 1)[0]
