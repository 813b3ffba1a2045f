"""Export and import of the journal: the JSON file (docs/export-format.md), the printable page,
and importing a file into an empty or an existing account without duplicates."""

import datetime
import json

import pytest
from django.contrib.auth import get_user_model
from django.core.files.uploadedfile import SimpleUploadedFile
from django.db import connection
from django.test.utils import CaptureQueriesContext
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from hechting.accounts.models import SecurityEvent
from hechting.yourdata import portability
from reflect.models import Child, Moment
from reflect.sharing.models import ShareLink, ShareView
from tests.factories import ChildFactory, MomentFactory, UserFactory
from tests.sharing_helpers import make_link

pytestmark = pytest.mark.django_db
PAGE = "/nl/account/data/"
EXPORT = "/nl/account/data/journal.json"
PRINT = "/nl/account/data/print/"
IMPORT = "/nl/account/data/import/"


def upload(content: bytes | str, name: str = "journal.json") -> SimpleUploadedFile:
    if isinstance(content, str):
        content = content.encode()
    return SimpleUploadedFile(name, content, content_type="application/json")


def exported(client) -> dict:
    response = client.get(EXPORT)
    assert response.status_code == 200
    return json.loads(response.content)


def without_volatile(document: dict) -> dict:
    """What must survive a round trip: everything but the export time and the share links (which
    are not imported; see docs/export-format.md)."""
    return {
        key: value for key, value in document.items() if key not in {"exported_at", "share_links"}
    }


@pytest.fixture
def journal(parent, counsellor):
    noor = ChildFactory(owner=parent, nickname="Noor", birth_year=2021, birth_month=5)
    ChildFactory(owner=parent, nickname="Sem", birth_year=2023, birth_month=None)
    MomentFactory(
        owner=parent,
        child=noor,
        date=datetime.date(2025, 3, 4),
        part_of_day="evening",
        what_happened="Noor klom op schoot bij het voorlezen",
        felt="Warm",
        what_helped="Samen lezen",
        safe=True,
        seen=True,
    )
    MomentFactory(owner=parent, date=datetime.date(2025, 3, 5), mismatch=True, felt="Moe")
    MomentFactory(owner=parent, date=datetime.date(2025, 3, 6), repaired=True, soothed=True)
    link, _token = make_link(parent, counsellor=counsellor, child=noor, label="Praktijk")
    ShareView.objects.create(link=link)
    return parent


# --- Export -------------------------------------------------------------------------------------


def test_the_export_holds_children_moments_repairs_and_share_links_without_tokens(
    journal, parent_client
):
    response = parent_client.get(EXPORT)
    assert response["Content-Disposition"].startswith('attachment; filename="hechting-journal-')
    assert response["Content-Type"] == "application/json; charset=utf-8"
    document = json.loads(response.content)
    assert document["format"] == "hechting-journal"
    assert document["version"] == 1
    assert [child["nickname"] for child in document["children"]] == ["Noor", "Sem"]
    first, mismatch, repaired = document["moments"]
    assert first["what_happened"] == "Noor klom op schoot bij het voorlezen"
    assert first["four_s"] == ["safe", "seen"]
    assert first["child"] == document["children"][0]["id"]
    assert first["repair"] is None
    assert mismatch["repair"] == {"status": "open", "on": None, "how": ""}
    assert repaired["repair"]["status"] == "repaired"
    assert repaired["repair"]["how"].startswith("We sat together")
    (link,) = document["share_links"]
    assert link["label"] == "Praktijk"
    assert link["views"] == 1
    link_row = ShareLink.objects.get()
    text = response.content.decode()
    assert link_row.token_hash not in text
    assert str(link_row.public_id) not in text
    assert "token" not in text


def test_the_export_is_logged_without_any_words(journal, parent_client, parent):
    parent_client.get(EXPORT)
    event = SecurityEvent.objects.get(event="export")
    assert event.user == parent
    assert event.details == {"format": "json"}


def test_the_export_costs_the_same_queries_for_a_small_and_a_large_journal(parent_client, parent):
    ChildFactory(owner=parent)
    MomentFactory.create_batch(3, owner=parent)
    with CaptureQueriesContext(connection) as small:
        parent_client.get(EXPORT)
    MomentFactory.create_batch(30, owner=parent, child=ChildFactory(owner=parent))
    with CaptureQueriesContext(connection) as large:
        parent_client.get(EXPORT)
    assert len(small) == len(large)


def test_the_export_holds_only_the_parents_own_journal(journal, other_parent_client, other_parent):
    MomentFactory(owner=other_parent, what_happened="Bob's evening")
    document = exported(other_parent_client)
    assert [moment["what_happened"] for moment in document["moments"]] == ["Bob's evening"]
    assert document["children"] == []
    assert document["share_links"] == []


def test_the_printable_journal_shows_every_moment_in_both_languages(journal, parent_client):
    response = parent_client.get(PRINT)
    assert response.status_code == 200
    assert "Noor klom op schoot bij het voorlezen" in response.text
    assert "Mijn dagboek" in response.text
    assert "Wat hielp" in response.text
    english = parent_client.get("/en/account/data/print/")
    assert "My journal" in english.text
    assert "What helped" in english.text
    assert "Samen lezen" in english.text


def test_the_printable_journal_of_another_parent_is_never_shown(journal, other_parent_client):
    response = other_parent_client.get(PRINT)
    assert "Noor klom" not in response.text
    assert "Je dagboek is nog leeg." in response.text


# --- Import -------------------------------------------------------------------------------------


def test_importing_into_a_fresh_account_gives_the_same_journal(journal, parent_client, client):
    document = exported(parent_client)
    fresh = UserFactory(email="fresh@example.org")
    client.force_login(fresh)
    response = client.post(IMPORT, {"file": upload(json.dumps(document))})
    assert response.status_code == 303
    assert response["Location"] == PAGE
    assert without_volatile(exported(client)) == without_volatile(document)
    assert ShareLink.objects.filter(owner=fresh).count() == 0
    page = client.get(PAGE)
    assert "Nieuwe momenten: 3" in page.text


def test_importing_the_same_file_twice_adds_no_duplicates(journal, parent_client, parent):
    document = exported(parent_client)
    for _ in range(2):
        response = parent_client.post(IMPORT, {"file": upload(json.dumps(document))})
        assert response.status_code == 303
    assert Moment.objects.for_owner(parent).count() == 3
    assert Child.objects.for_owner(parent).count() == 2
    assert without_volatile(exported(parent_client)) == without_volatile(document)


def test_an_import_updates_a_moment_that_was_edited_in_the_file(journal, parent_client, parent):
    document = exported(parent_client)
    document["moments"][0]["what_happened"] = "Noor las zelf voor"
    document["moments"][1]["repair"] = {"status": "repaired", "on": "2025-03-07", "how": "Knuffel"}
    parent_client.post(IMPORT, {"file": upload(json.dumps(document))})
    moment = Moment.objects.get(owner=parent, uid=document["moments"][0]["id"])
    assert moment.what_happened == "Noor las zelf voor"
    repaired = Moment.objects.get(owner=parent, uid=document["moments"][1]["id"])
    assert repaired.is_repaired
    assert repaired.repair_how == "Knuffel"
    assert Moment.objects.for_owner(parent).count() == 3


def test_an_import_is_logged_with_counts_only(journal, parent_client, parent, other_parent):
    document = exported(parent_client)
    client = parent_client
    client.force_login(other_parent)
    client.post(IMPORT, {"file": upload(json.dumps(document))})
    event = SecurityEvent.objects.get(event="import")
    assert event.user == other_parent
    assert event.details == {"moments_added": 3, "moments_updated": 0, "children_added": 2}


def test_the_same_file_in_two_accounts_stays_two_separate_journals(journal, parent_client):
    document = exported(parent_client)
    bob = UserFactory(email="bob-import@example.org")
    parent_client.force_login(bob)
    parent_client.post(IMPORT, {"file": upload(json.dumps(document))})
    assert Moment.objects.for_owner(bob).count() == 3
    assert Moment.objects.for_owner(journal).count() == 3
    ids = set(Moment.objects.values_list("pk", flat=True))
    assert len(ids) == 6  # the database ids differ; the journal ids (uid) are the same


def _bad_files():
    good = {"format": "hechting-journal", "version": 1, "children": [], "moments": []}
    moment = {
        "id": "6c1f8c5e-2d3b-4f6e-9a0b-1c2d3e4f5a6b",
        "date": "2025-03-04",
        "kind": "connection",
        "four_s": [],
        "what_happened": "Iets",
    }
    return [
        ("not json at all {", "het is geen JSON"),
        (b"\xff\xfe\x00binary", "het is geen JSON"),
        ("[1, 2, 3]", "geen dagboek dat uit Hechting"),
        (json.dumps({**good, "format": "other"}), "geen dagboek dat uit Hechting"),
        (json.dumps({**good, "version": 2}), "formaatversie 2"),
        (json.dumps({**good, "moments": "many"}), "in het bestand is beschadigd"),
        (json.dumps({**good, "moments": [{**moment, "date": "gisteren"}]}), "is geen datum"),
        (
            json.dumps({**good, "moments": [{k: v for k, v in moment.items() if k != "kind"}]}),
            "Moment 1: het veld",
        ),
        (json.dumps({**good, "moments": [{**moment, "kind": "mismatch"}]}), "hoort een"),
        (json.dumps({**good, "moments": [{**moment, "child": moment["id"]}]}), "kind dat niet"),
        (json.dumps({**good, "moments": [{**moment, "what_happened": "x" * 4001}]}), "4000"),
        (json.dumps({**good, "moments": [{**moment, "four_s": ["calm"]}]}), "mag alleen safe"),
        (json.dumps({**good, "moments": [moment, moment]}), "dezelfde id"),
        (json.dumps({**good, "children": [{"id": "x", "nickname": "N"}]}), "geen geldige id"),
    ]


@pytest.mark.parametrize(("content", "message"), _bad_files())
def test_a_bad_file_gets_a_clear_message_and_changes_nothing(
    parent_client, parent, content, message
):
    MomentFactory(owner=parent, what_happened="Already here")
    response = parent_client.post(IMPORT, {"file": upload(content)})
    assert response.status_code == 400
    assert message in response.text
    assert "Er is niets veranderd" in response.text
    assert Moment.objects.for_owner(parent).count() == 1


def test_a_bad_file_is_explained_in_english_too(parent_client):
    response = parent_client.post("/en/account/data/import/", {"file": upload("{nope")})
    assert response.status_code == 400
    assert "it is not JSON" in response.text


def test_a_file_that_is_too_big_is_refused_before_it_is_read(parent_client, settings):
    big = b" " * (portability.MAX_BYTES + 1)
    response = parent_client.post(IMPORT, {"file": upload(big)})
    assert response.status_code == 400
    assert "groter dan 20 MB" in response.text


def test_an_import_without_a_file_asks_for_one(parent_client):
    response = parent_client.post(IMPORT, {})
    assert response.status_code == 400
    assert "Dit veld is verplicht" in response.text


def test_import_only_answers_a_post(parent_client):
    assert parent_client.get(IMPORT).status_code == 405


def test_the_pages_need_a_login(client):
    for url in (PAGE, EXPORT, PRINT):
        response = client.get(url)
        assert response.status_code == 302
        assert "/accounts/login/" in response["Location"]
    response = client.post(IMPORT, {"file": upload("{}")})
    assert response.status_code == 302
    assert not get_user_model().objects.exists()


def test_the_pages_refuse_other_methods(parent_client):
    for url in (PAGE, EXPORT, PRINT):
        assert parent_client.post(url).status_code == 405


def test_the_your_data_page_is_linked_from_the_account_page_in_both_languages(parent_client):
    assert PAGE in parent_client.get("/nl/account/").text
    page = parent_client.get(PAGE)
    assert "Je gegevens" in page.text
    assert "/nl/account/data/delete/" in page.text
    assert "Your data" in parent_client.get("/en/account/data/").text


# --- The round trip, for any journal ------------------------------------------------------------

texts = st.text(
    alphabet=st.characters(blacklist_categories=("Cs",), blacklist_characters="\x00"),
    max_size=60,
)
moments = st.lists(
    st.fixed_dictionaries(
        {
            "date": st.dates(datetime.date(2000, 1, 1), datetime.date(2030, 12, 31)),
            "what_happened": texts.filter(lambda text: text.strip()),
            "felt": texts,
            "what_helped": texts,
            "kind": st.sampled_from(["connection", "mismatch"]),
            "status": st.sampled_from(["open", "repaired", "not_needed"]),
            "repair_how": texts,
            "part_of_day": st.sampled_from(["", "morning", "night"]),
            "s": st.sets(st.sampled_from(["safe", "seen", "soothed", "secure"])),
            "child": st.sampled_from([None, 0, 1]),
        }
    ),
    max_size=6,
)


@settings(
    max_examples=25,
    deadline=None,
    suppress_health_check=[HealthCheck.function_scoped_fixture, HealthCheck.too_slow],
)
@given(
    entries=moments, nicknames=st.lists(texts.filter(lambda t: t.strip()), min_size=2, max_size=2)
)
def test_export_import_export_gives_the_same_journal(entries, nicknames):
    owner = UserFactory()
    children = [ChildFactory(owner=owner, nickname=name.strip()[:40].strip()) for name in nicknames]
    for entry in entries:
        moment = Moment(
            owner=owner,
            date=entry["date"],
            kind=entry["kind"],
            part_of_day=entry["part_of_day"],
            what_happened=entry["what_happened"],
            felt=entry["felt"],
            what_helped=entry["what_helped"],
            child=None if entry["child"] is None else children[entry["child"]],
        )
        moment.set_s(entry["s"])
        if entry["kind"] == "mismatch":
            moment.repair_status = entry["status"]
            moment.repair_how = entry["repair_how"]
        moment.save()
    first = portability.export_journal(owner)
    fresh = UserFactory()
    journal = portability.read_file(json.dumps(first).encode())
    portability.import_journal(fresh, journal)
    again = portability.export_journal(fresh)
    assert without_volatile(again) == without_volatile(first)
    # and once more: importing the same file again changes nothing
    portability.import_journal(fresh, journal)
    assert without_volatile(portability.export_journal(fresh)) == without_volatile(first)
