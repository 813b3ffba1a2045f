"""Nothing lost or doubled at the edges of a form (issue 21): long text is never cut, a second
post of the same form stores nothing new, and a moment's day lies in a sensible range."""

import datetime
import json
import re
import uuid
from unittest import mock

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.utils import translation

from reflect import drafts
from reflect.coparents.forms import AnswerForm, InviteForm, NoteForm
from reflect.models import Child, Moment
from reflect.sharing.models import NOTE_MAX, CounsellorProfile, ShareLink
from tests.factories import ChildFactory, MomentFactory
from tests.reading import as_read

pytestmark = pytest.mark.django_db

HTMX = {"HX-Request": "true"}
LONG = "Lange avond. " * 1538 + "einde!"  # 20,000 characters
NOW = datetime.datetime(2026, 3, 10, 12, tzinfo=datetime.UTC)


@pytest.fixture
def clock():
    with mock.patch("django.utils.timezone.now", return_value=NOW):
        yield NOW


def a_moment(**fields) -> dict:
    return {"what_happened": "Samen gelezen", "kind": "connection", **fields}


# --- Long text: a message, and every character kept ----------------------------------------------


def test_no_field_of_the_moment_form_has_a_maxlength_that_cuts_a_paste(parent_client):
    html = parent_client.get("/nl/journal/new/").text
    assert "maxlength" not in html
    assert html.count('data-limit="4000"') == 5  # the five text fields
    assert html.count("data-counter-for=") == 5
    counter = re.search(r'<p class="counter"[^>]*>', html).group(0)
    assert " hidden" in counter
    assert "Tekens over: %(count)s" in counter


@pytest.mark.parametrize(
    ("language", "message"),
    [("nl", "Dit is langer dan 4000 tekens (het zijn er 20000)"), ("en", "longer than 4000")],
)
def test_twenty_thousand_characters_get_a_message_and_come_back_whole(
    parent_client, parent, language, message
):
    response = parent_client.post(f"/{language}/journal/new/", a_moment(what_happened=LONG))
    assert response.status_code == 200
    assert message in response.text
    assert f">\n{LONG}</textarea>" in response.text
    assert not Moment.objects.exists()


def test_a_long_repair_gets_a_message_and_is_kept(parent_client, parent):
    moment = MomentFactory(owner=parent, mismatch=True)
    url = f"/nl/journal/moments/{moment.pk}/repair/"
    response = parent_client.post(url, {"repair_status": "repaired", "repair_how": LONG})
    assert response.status_code == 200
    assert "Dit is langer dan 4000 tekens" in response.text
    assert LONG in response.text


def test_a_long_nickname_gets_a_message_and_is_kept(parent_client, parent):
    name = "N" * 60
    response = parent_client.post("/nl/journal/children/", {"nickname": name})
    assert "Een bijnaam of een voorletter is genoeg" in response.text
    assert f'value="{name}"' in response.text
    assert "maxlength" not in response.text
    assert not Child.objects.exists()


def test_a_draft_of_twenty_thousand_characters_is_kept_whole(parent_client, parent):
    response = parent_client.post("/nl/journal/drafts/new/", {"what_happened": LONG})
    assert response.status_code == 204
    assert drafts.fields_for(parent.pk, "new")["what_happened"] == [LONG]
    answer = parent_client.get("/nl/journal/drafts/new/").json()
    assert answer["fields"]["what_happened"] == [LONG]


def test_a_draft_beyond_what_any_field_takes_is_refused_clearly(parent_client, parent):
    too_much = "x" * (drafts.VALUE_MAX + 1)
    response = parent_client.post("/nl/journal/drafts/new/", {"what_happened": too_much})
    assert response.status_code == 400
    assert "geen concept van dit formulier" in response.text


# --- A second post of the same form --------------------------------------------------------------


def test_the_form_carries_a_fresh_one_time_key(parent_client):
    keys = [
        re.search(r'name="form_key" value="([^"]+)"', parent_client.get(url).text).group(1)
        for url in ("/nl/journal/new/", "/nl/journal/new/", "/nl/journal/")
    ]
    assert len(set(keys)) == 3
    assert all(uuid.UUID(key) for key in keys)


@pytest.mark.parametrize(
    ("language", "note"),
    [("nl", "Dit moment was al bewaard"), ("en", "This moment was already saved")],
)
def test_a_second_post_of_the_same_form_stores_no_second_moment(
    parent_client, parent, language, note
):
    data = a_moment(form_key=str(uuid.uuid4()))
    first = parent_client.post(f"/{language}/journal/new/", data)
    assert first.status_code == 303
    moment = Moment.objects.get()
    second = parent_client.post(f"/{language}/journal/new/", data)
    assert second.status_code == 303
    assert second["Location"].endswith(f"/moments/{moment.pk}/")
    assert Moment.objects.count() == 1
    assert note in parent_client.get(second["Location"]).text


def test_a_second_quick_add_with_htmx_redirects_to_the_saved_moment(parent_client, parent):
    data = a_moment(form_key=str(uuid.uuid4()), quick="1")
    assert parent_client.post("/nl/journal/new/", data, headers=HTMX).status_code == 200
    second = parent_client.post("/nl/journal/new/", data, headers=HTMX)
    moment = Moment.objects.get()
    assert second["HX-Redirect"].endswith(f"/moments/{moment.pk}/")


def test_another_parents_key_does_not_lead_to_their_moment(parent_client, parent, other_parent):
    theirs = MomentFactory(owner=other_parent)
    theirs.form_key = uuid.uuid4()
    theirs.save()
    response = parent_client.post("/nl/journal/new/", a_moment(form_key=str(theirs.form_key)))
    mine = Moment.objects.for_owner(parent).get()
    assert response.status_code == 303
    assert f"#moment-{mine.pk}" in response["Location"]


def test_two_posts_at_the_same_instant_store_one_moment(parent_client, parent):
    key = uuid.uuid4()
    already = MomentFactory(owner=parent)
    already.form_key = key
    # The first click's row lands between the second's check and its insert.
    with mock.patch("reflect.forms.OnceForm.saved_before", side_effect=[None, already]):
        Moment.objects.filter(pk=already.pk).update(form_key=key)
        response = parent_client.post("/nl/journal/new/", a_moment(form_key=str(key)))
    assert response["Location"].endswith(f"/moments/{already.pk}/")
    assert Moment.objects.count() == 1


def test_a_post_without_a_key_or_with_a_bad_one_is_still_stored(parent_client, parent):
    assert parent_client.post("/nl/journal/new/", a_moment()).status_code == 303
    assert parent_client.post("/nl/journal/new/", a_moment(form_key="nope")).status_code == 200
    assert Moment.objects.count() == 1


def test_an_invalid_post_keeps_its_key_so_the_fixed_one_is_stored_once(parent_client, parent):
    key = str(uuid.uuid4())
    response = parent_client.post("/nl/journal/new/", a_moment(what_happened="", form_key=key))
    assert f'value="{key}"' in response.text
    parent_client.post("/nl/journal/new/", a_moment(form_key=key))
    parent_client.post("/nl/journal/new/", a_moment(form_key=key))
    assert Moment.objects.count() == 1


def test_the_edit_form_has_no_key(parent_client, parent):
    moment = MomentFactory(owner=parent)
    assert "form_key" not in parent_client.get(f"/nl/journal/moments/{moment.pk}/edit/").text


@pytest.mark.parametrize(
    ("language", "note"), [("nl", "Noor was al toegevoegd"), ("en", "Noor was already added")]
)
def test_a_second_post_of_the_child_form_adds_no_second_child(
    parent_client, parent, language, note
):
    data = {"nickname": "Noor", "form_key": str(uuid.uuid4())}
    parent_client.post(f"/{language}/journal/children/", data)
    second = parent_client.post(f"/{language}/journal/children/", data)
    assert second.status_code == 303
    assert Child.objects.count() == 1
    assert note in parent_client.get(second["Location"]).text


# --- The day of a moment ------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("language", "day", "message"),
    [
        ("nl", "1900-01-01", "Kies een dag in de afgelopen 25 jaar."),
        ("en", "1900-01-01", "Choose a day in the last 25 years."),
        ("nl", "2001-03-09", "meer dan 25 jaar geleden"),
        ("nl", "2026-03-11", "Deze datum moet nog komen"),
    ],
)
def test_a_day_out_of_range_gets_a_gentle_message_and_the_words_stay(
    clock, parent_client, parent, language, day, message
):
    response = parent_client.post(
        f"/{language}/journal/new/", a_moment(date=day, what_happened="Voorlezen")
    )
    assert response.status_code == 200
    assert message in response.text.replace("&#x27;", "'")
    assert "Voorlezen</textarea>" in response.text
    assert not Moment.objects.exists()


def test_the_first_day_is_exactly_25_years_back(clock, parent_client, parent):
    assert parent_client.post("/nl/journal/new/", a_moment(date="2001-03-10")).status_code == 303
    html = parent_client.get("/nl/journal/new/").text
    assert 'min="2001-03-10"' in html
    assert 'max="2026-03-10"' in html


@pytest.mark.parametrize(
    ("language", "message"),
    [("nl", "voor de geboorte van Noor (mei 2021)"), ("en", "before Noor was born (May 2021)")],
)
def test_a_day_before_the_childs_birth_month_is_refused(parent_client, parent, language, message):
    noor = ChildFactory(owner=parent, nickname="Noor", birth_year=2021, birth_month=5)
    data = a_moment(date="2021-04-30", child=noor.pk)
    response = parent_client.post(f"/{language}/journal/new/", data)
    assert message in response.text
    assert parent_client.post("/nl/journal/new/", {**data, "date": "2021-05-01"}).status_code == 303


def test_with_only_a_birth_year_the_year_counts(parent, parent_client):
    sem = ChildFactory(owner=parent, nickname="Sem", birth_year=2022, birth_month=None)
    response = parent_client.post("/nl/journal/new/", a_moment(date="2021-12-31", child=sem.pk))
    assert "voor de geboorte van Sem" in response.text
    assert Moment.objects.count() == 0


def test_a_moment_without_a_child_may_be_before_any_birth(parent, parent_client):
    ChildFactory(owner=parent, birth_year=2024)
    assert parent_client.post("/nl/journal/new/", a_moment(date="2020-01-01")).status_code == 303


@pytest.mark.parametrize(
    ("language", "message"),
    [
        ("nl", "Je dagboek heeft een moment over Noor uit april 2021."),
        ("en", "Your journal has a moment about Noor from April 2021."),
    ],
)
def test_a_birth_month_after_the_childs_first_moment_is_refused(
    parent_client, parent, language, message
):
    """Otherwise the journal would hold moments from before the birth, and its own export could
    not come back in."""
    noor = ChildFactory(owner=parent, nickname="Noor", birth_year=2021, birth_month=3)
    MomentFactory(owner=parent, child=noor, date=datetime.date(2021, 4, 30))
    data = {"nickname": "Noor", "birth_month": "5", "birth_year": "2021"}
    response = parent_client.post(f"/{language}/journal/children/{noor.pk}/edit/", data)
    assert response.status_code == 200
    assert message in as_read(response.text)
    noor.refresh_from_db()
    assert noor.birth_month == 3
    data["birth_month"] = "4"
    assert parent_client.post(f"/nl/journal/children/{noor.pk}/edit/", data).status_code == 303


def test_a_new_child_or_one_without_moments_takes_any_past_birth_month(parent_client, parent):
    MomentFactory(owner=parent, child=None, date=datetime.date(2020, 1, 1))
    data = {"nickname": "Sem", "birth_month": "6", "birth_year": "2024"}
    assert parent_client.post("/nl/journal/children/", data).status_code == 303
    assert Child.objects.get(nickname="Sem").birth_month == 6


def _import(client, document: dict, language: str = "nl"):
    upload = SimpleUploadedFile(
        "journal.json", json.dumps(document).encode(), content_type="application/json"
    )
    return client.post(f"/{language}/account/data/import/", {"file": upload})


def _document(day: str, child: dict | None = None) -> dict:
    child_id = "7d0b3a5e-0000-4000-8000-000000000001"
    return {
        "format": "hechting-journal",
        "version": 1,
        "children": [
            {
                "id": child_id,
                "nickname": "Noor",
                "birth_year": 2021,
                "birth_month": 5,
                **(child or {}),
            }
        ],
        "moments": [
            {
                "id": "7d0b3a5e-0000-4000-8000-000000000002",
                "child": child_id,
                "date": day,
                "part_of_day": "",
                "kind": "connection",
                "four_s": [],
                "what_happened": "Samen gelezen",
                "felt": "",
                "child_needed": "",
                "what_helped": "",
            }
        ],
    }


@pytest.mark.parametrize(
    ("day", "child", "message"),
    [
        ("1900-01-01", None, "afgelopen 25 jaar"),
        ("2021-04-30", None, "voor de geboorte van Noor"),
        ("2023-01-01", {"birth_year": 2024, "birth_month": None}, "voor de geboorte van Noor"),
    ],
)
def test_the_import_applies_the_same_rule_for_the_day(parent_client, parent, day, child, message):
    from tests.conftest import reauthenticate

    reauthenticate(parent_client)
    response = _import(parent_client, _document(day, child))
    assert response.status_code == 400
    assert message in response.text
    assert not Moment.objects.exists()


def test_the_import_takes_a_day_in_the_birth_month(parent_client, parent):
    from tests.conftest import reauthenticate

    reauthenticate(parent_client)
    assert _import(parent_client, _document("2021-05-01")).status_code == 303
    assert Moment.objects.get().date == datetime.date(2021, 5, 1)


def test_no_week_of_1900_is_ever_shown(parent_client, parent):
    with translation.override("nl"):
        parent_client.post("/nl/journal/new/", a_moment(date="1900-01-01"))
    assert not Moment.objects.exists()
    assert "1900" not in parent_client.get("/nl/journal/").text
    assert parent_client.get("/nl/journal/look-back/1900-01-01/").status_code == 404


def test_going_back_and_sending_the_same_words_with_a_fresh_key_stores_once(parent_client):
    # The browser puts the words back, but the page (never cached) comes with a new key.
    first = parent_client.post("/nl/journal/new/", a_moment(form_key=str(uuid.uuid4())))
    again = parent_client.post("/nl/journal/new/", a_moment(form_key=str(uuid.uuid4())))
    moment = Moment.objects.get()
    assert first.status_code == again.status_code == 303
    assert again["Location"].endswith(f"/moments/{moment.pk}/")


def test_the_same_words_much_later_or_on_another_day_are_a_new_moment(parent_client, parent):
    parent_client.post("/nl/journal/new/", a_moment())
    Moment.objects.update(created=Moment.objects.get().created - datetime.timedelta(minutes=31))
    parent_client.post("/nl/journal/new/", a_moment())
    yesterday = (Moment.objects.first().date - datetime.timedelta(days=1)).isoformat()
    parent_client.post("/nl/journal/new/", a_moment(date=yesterday))
    parent_client.post("/nl/journal/new/", a_moment(what_happened="Samen gelezen, weer"))
    assert Moment.objects.count() == 4


# --- Long text on the sharing, counsellor and co-parent forms: the same message, nothing cut ------

TOO_LONG_SAID = {"nl": "Dit is langer dan %d tekens", "en": "This is longer than %d characters"}


def _long_value_comes_back(response, language: str, limit: int, value: str) -> None:
    html = response.content.decode()
    assert response.status_code in (200, 400)
    assert TOO_LONG_SAID[language] % limit in html
    assert f'value="{value}"' in html or f">\n{value}</textarea>" in html
    assert f'data-limit="{limit}"' in html


@pytest.mark.parametrize("language", ["nl", "en"])
@pytest.mark.parametrize(("field", "limit"), [("label", 80), ("client_name", 80)])
def test_a_long_share_link_field_gets_a_message_and_is_kept(parent_client, language, field, limit):
    value = "Anna de Vries " * 10  # 140 characters, one space at the end stripped by nobody
    value = value.strip()
    data = {"scope": "summaries", "period_kind": "month", "child": "", field: value}
    data["valid_until"] = (NOW.date() + datetime.timedelta(days=14)).isoformat()
    response = parent_client.post(f"/{language}/share/", data)
    _long_value_comes_back(response, language, limit, value)
    assert not ShareLink.objects.exists()


@pytest.mark.parametrize("language", ["nl", "en"])
@pytest.mark.parametrize(("field", "limit"), [("name", 80), ("practice", 120), ("website", 200)])
def test_a_long_counsellor_profile_field_gets_a_message_and_is_kept(
    parent_client, parent, language, field, limit
):
    data = {"name": "Anna", "practice": "De Linde", "website": ""}
    data[field] = "https://example.org/" + "a" * 200 if field == "website" else "Linde " * 30
    data[field] = data[field].strip()
    response = parent_client.post(f"/{language}/share/counsellor/", data)
    _long_value_comes_back(response, language, limit, data[field])
    assert not CounsellorProfile.objects.filter(user=parent).exists()


@pytest.mark.parametrize("language", ["nl", "en"])
def test_a_long_invitation_note_gets_a_message_and_is_kept(counsellor_client, language):
    note = "Welkom bij mij. " * 70  # 1,120 characters
    note = note.strip()
    valid_until = (datetime.date.today() + datetime.timedelta(days=30)).isoformat()
    response = counsellor_client.post(
        f"/{language}/share/invitations/new/",
        {"note": note, "focus": "", "valid_until": valid_until},
    )
    _long_value_comes_back(response, language, NOTE_MAX, note)


@pytest.mark.parametrize("url", ["/nl/share/", "/en/share/counsellor/", "/nl/together/"])
def test_no_field_where_people_type_has_a_maxlength(parent_client, parent, url):
    ChildFactory(owner=parent)
    html = parent_client.get(url).content.decode()
    assert html.count("maxlength") == html.count('type="email"')  # the address: allauth's rule
    assert "data-limit=" in html


@pytest.mark.parametrize(
    ("language", "said"), [("nl", "Dit is langer dan 80 tekens"), ("en", "longer than 80")]
)
def test_the_co_parent_forms_say_what_is_too_long_and_keep_it(parent, language, said):
    name = "Mama " * 20
    with translation.override(language):
        invite = InviteForm(
            {
                "child": ChildFactory(owner=parent).pk,
                "email": "bob@example.org",
                "inviter_name": name,
            },
            owner=parent,
        )
        answer = AnswerForm(
            {"answer": "yes", "child": "new", "name": name}, owner=parent, nickname="Noor"
        )
        note = NoteForm({"words": "Ik zag het ook. " * 40})
        for form, field in ((invite, "inviter_name"), (answer, "name"), (note, "words")):
            assert not form.is_valid()
            assert said.replace("80", str(form.fields[field].max_length)) in str(form.errors[field])
            assert form[field].value() == form.data[field]
            assert "maxlength" not in str(form[field])


def test_a_long_search_is_not_cut_but_explained_and_kept(parent_client):
    words = "zee " * 60
    html = parent_client.get("/nl/journal/", {"q": words}).content.decode()
    assert "maxlength" not in html
    assert "hoogstens 200 tekens" in html
    assert f'value="{words}"' in html
