"""Searching the journal through its blind index (reflect/search.py).

The search finds exactly what its documented rule says (every searched word begins a word of the
moment, accents and case aside; a word of 1-2 letters is a whole word), checked by hypothesis
against an independent copy of that rule over generated Dutch and English journals. Where the
rule differs from the search before the index (a piece of text anywhere in a word), a table of
examples says so. The index holds no readable word, follows every way words are written, is
re-keyed by the key rotation, goes with the moment and the account, and costs the same queries
for a small and a large journal. Searching is rate limited per parent.
"""

from __future__ import annotations

import base64
import datetime
import hashlib
import json
import os
import re
import unicodedata
import uuid
from io import StringIO

import pytest
from django.apps import apps as live_apps
from django.core.management import call_command
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from reflect import search
from reflect.models import Moment
from reflect.search import SearchToken
from reflect.yourdata import erasure, portability
from tests.factories import MomentFactory

pytestmark = pytest.mark.django_db

HTMX = {"HX-Request": "true"}
TEXT_FIELDS = ("what_happened", "felt", "child_needed", "what_helped", "repair_how")


def a_key(kid: str) -> str:
    return f"{kid}:{base64.b64encode(os.urandom(32)).decode()}"


def found(owner, text: str) -> set[int]:
    return set(Moment.objects.search(owner, text).values_list("pk", flat=True))


# --- The rule, written out once more, independently --------------------------------------------


def rule_words(text: str) -> list[str]:
    """NFKD, casefold, NFKD, no combining marks; words are runs of letters and digits."""
    nfkd = unicodedata.normalize
    plain = "".join(
        char
        for char in nfkd("NFKD", nfkd("NFKD", text).casefold())
        if not unicodedata.combining(char)
    )
    result, current = [], ""
    for char in plain:
        if char.isalnum():
            current += char
        elif current:
            result.append(current)
            current = ""
    return [*result, current] if current else result


def rule_finds(query: str, texts: list[str]) -> bool:
    searched = rule_words(query)
    present = [word for text in texts for word in rule_words(text)]
    return bool(searched) and all(
        any(word == term if len(term) < 3 else word.startswith(term) for word in present)
        for term in searched
    )


def todays_search_finds(query: str, texts: list[str]) -> bool:
    """The search before the index: the whole text, anywhere, case-insensitive."""
    needle = query.strip().casefold()
    return any(needle in text.casefold() for text in texts)


# --- Generated journals -------------------------------------------------------------------------

VOCABULARY = [
    # Dutch, with diacritics and long compounds (longer than the 12 letters indexed)
    "tandenpoetsen",
    "tanden",
    "één",
    "een",
    "geïrriteerd",
    "geïrriteerdheid",
    "coöperatief",
    "naïef",
    "café",
    "slaapkamerdeuren",
    "onvoorwaardelijk",
    "knuffel",
    "knuffelden",
    "samen",
    "voorlezen",
    "ik",
    "op",
    "zó",
    "2024",
    # English
    "bedtime",
    "Bedtime",
    "hug",
    "hugged",
    "tired",
    "crème",
    "brûlée",
    "über",
    "Straße",
    "strasse",
    "t-shirt",
    "a",
    "ﬁets",  # the fi ligature: NFKD makes it "fiets"
    "\u210cet",  # black-letter H: NFKD makes it "Het", folded after decomposing
]
SEPARATORS = [" ", ", ", ". ", "-", "\n", "!", "'", "  "]

word = st.sampled_from(VOCABULARY)
text = st.lists(st.tuples(word, st.sampled_from(SEPARATORS)), min_size=1, max_size=8).map(
    lambda pairs: "".join(w + s for w, s in pairs).strip() or "x"
)
optional_text = st.one_of(st.just(""), text)


@st.composite
def a_piece_of_a_word(draw) -> str:
    """A beginning of a vocabulary word, sometimes in other case or without its accents."""
    chosen = draw(word)
    piece = chosen[: draw(st.integers(min_value=1, max_value=len(chosen)))]
    if draw(st.booleans()):
        piece = piece.upper()
    if draw(st.booleans()):
        piece = "".join(
            c for c in unicodedata.normalize("NFD", piece) if not unicodedata.combining(c)
        )
    return piece


query = st.one_of(
    a_piece_of_a_word(),
    st.lists(a_piece_of_a_word(), min_size=2, max_size=3).map(" ".join),
    st.text(alphabet="aeiounst éü-", max_size=6),
)
journal = st.lists(
    st.fixed_dictionaries(
        {
            "what_happened": text,
            "felt": optional_text,
            "child_needed": optional_text,
            "what_helped": optional_text,
        }
    ),
    min_size=1,
    max_size=6,
)


@settings(
    max_examples=150, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture]
)
@given(moments=journal, queries=st.lists(query, min_size=1, max_size=4))
def test_the_search_finds_what_its_rule_says_over_generated_journals(parent, moments, queries):
    """Function-scoped fixtures once per test: each example starts from an empty journal."""
    Moment.objects.for_owner(parent).delete()
    made = Moment.objects.bulk_create(Moment(owner=parent, **fields) for fields in moments)
    for text_searched in queries:
        expected = {
            moment.pk
            for moment, fields in zip(made, moments, strict=True)
            if rule_finds(text_searched, list(fields.values()))
        }
        assert found(parent, text_searched) == expected, text_searched


@pytest.mark.parametrize(
    ("written", "searched", "today", "now"),
    [
        ("Tandenpoetsen ging goed", "tanden", True, True),  # a beginning: both
        ("Tandenpoetsen ging goed", "poetsen", True, False),  # inside a word: no longer
        ("Tandenpoetsen ging goed", "anden", True, False),
        ("Eén keer per dag", "een", False, True),  # accents aside: new
        ("Één keer per dag", "één", True, True),
        ("Eerst tanden, dan poetsen", "tanden poetsen", False, True),  # words, not a phrase
        ("Poetsen en tanden", "tanden poetsen", False, True),  # in any order
        ("We gingen tandenpoetsen", "tanden poetsen", False, False),
        ("Ik was moe", "ik", True, True),
        ("Ikzelf was moe", "ik", True, False),  # 1-2 letters: a whole word only
        ("Straße", "strasse", True, True),  # casefold, as before
        ("Een t-shirt", "t-shirt", True, True),
        ("Een t-shirt", "tshirt", False, False),
        ("Wat een dag!", "!", True, False),  # no letter or digit: nothing
    ],
)
def test_where_the_index_search_differs_from_the_search_before_it(
    parent, written, searched, today, now
):
    moment = MomentFactory(owner=parent, what_happened=written)
    assert todays_search_finds(searched, [written]) is today
    assert rule_finds(searched, [written]) is now
    assert (moment.pk in found(parent, searched)) is now


def test_words_are_folded_decomposed_and_without_accents():
    assert search.words("Één Straße, t-shirt! \u210cet ﬁets_2024 naïef") == [
        *("een", "strasse", "t", "shirt", "het", "fiets", "2024", "naief")
    ]
    assert search.beginnings("tandenpoetsen") == {"tandenpoetsen"[:n] for n in range(3, 13)}
    assert search.beginnings("op") == {"op"}


def _normalised_one_character_at_a_time(text: str) -> str:
    """The normalisation as first written: what the faster one must give for any text."""
    folded = unicodedata.normalize("NFKD", unicodedata.normalize("NFKD", text).casefold())
    return "".join(char for char in folded if not unicodedata.combining(char))


@given(st.text(max_size=60) | st.text(alphabet=st.characters(max_codepoint=0x24F), max_size=60))
@settings(max_examples=300)
def test_normalising_gives_what_one_character_at_a_time_gave(text):
    assert search.normalise(text) == _normalised_one_character_at_a_time(text)


def test_it_looks_in_every_field_a_search_looked_in_before(parent):
    moments = [
        MomentFactory(owner=parent, mismatch=True, **{field: "Knuffel"}) for field in TEXT_FIELDS
    ]
    assert found(parent, "knuf") == {moment.pk for moment in moments}


def test_a_long_searched_word_is_checked_past_the_twelve_letters_indexed(parent):
    deur = MomentFactory(owner=parent, what_happened="De slaapkamerdeur klemt")
    deuren = MomentFactory(owner=parent, what_happened="Alle slaapkamerdeuren dicht")
    assert found(parent, "slaapkamerde") == {deur.pk, deuren.pk}  # 12 letters: the index alone
    assert found(parent, "slaapkamerdeure") == {deuren.pk}  # 15: candidates, then checked


def test_another_parents_moments_are_never_found(parent, other_parent):
    MomentFactory(owner=other_parent, what_happened="Tandenpoetsen")
    mine = MomentFactory(owner=parent, what_happened="Tandenpoetsen")
    assert found(parent, "tanden") == {mine.pk}
    assert found(parent, "tandenpoetsen") == {mine.pk}


# --- What the index holds -----------------------------------------------------------------------


def all_text_in_the_index() -> str:
    table = connection.ops.quote_name(SearchToken._meta.db_table)
    with connection.cursor() as cursor:
        cursor.execute(f"SELECT * FROM {table}")  # noqa: S608 (our own table's name)
        return "\n".join(" ".join(str(value) for value in row) for row in cursor.fetchall())


def test_the_index_holds_no_readable_word_or_beginning(parent, settings):
    settings.JOURNAL_KEYS = a_key("k1")  # the development key's id, "dev", holds "de"
    written = "Tandenpoetsen met Noor, daarna voorlezen op de bank"
    moment = MomentFactory(owner=parent, what_happened=written)
    text = all_text_in_the_index()
    assert SearchToken.objects.filter(moment=moment).count() > 10  # the scan sees the rows
    for word in search.words(written):
        for beginning in search.beginnings(word) | {word}:
            assert beginning not in text.casefold(), beginning
    # Keyed: not a plain hash of a word either.
    tokens = set(SearchToken.objects.values_list("token", flat=True))
    plain = {
        int.from_bytes(hashlib.sha256(b.encode()).digest()[:8], "big", signed=True)
        for w in search.words(written)
        for b in search.beginnings(w)
    }
    assert not tokens & plain


def test_the_same_word_has_other_tokens_in_another_parents_journal(parent, other_parent):
    a = MomentFactory(owner=parent, what_happened="Knuffel")
    b = MomentFactory(owner=other_parent, what_happened="Knuffel")
    tokens_a = set(SearchToken.objects.filter(moment=a).values_list("token", flat=True))
    tokens_b = set(SearchToken.objects.filter(moment=b).values_list("token", flat=True))
    assert len(tokens_a) == len(tokens_b) == len({"knu", "knuf", "knuff", "knuffe", "knuffel"})
    assert not tokens_a & tokens_b


# --- The index follows the words ----------------------------------------------------------------


def test_editing_a_moment_updates_the_index(parent_client, parent):
    moment = MomentFactory(owner=parent, what_happened="Voorlezen")
    response = parent_client.post(
        reverse("reflect:moment_edit", args=[moment.pk]),
        {"what_happened": "Tandenpoetsen", "kind": "connection", "date": moment.date},
    )
    assert response.status_code == 303
    assert found(parent, "tanden") == {moment.pk}
    assert found(parent, "voorlezen") == set()


def test_writing_a_repair_adds_its_words_to_the_index(parent_client, parent):
    moment = MomentFactory(owner=parent, mismatch=True, what_happened="Boos bij het eten")
    response = parent_client.post(
        reverse("reflect:moment_repair", args=[moment.pk]),
        {"repair_status": "repaired", "repaired_on": moment.date, "repair_how": "We knuffelden"},
    )
    assert response.status_code == 303
    assert found(parent, "knuffel") == {moment.pk}


def test_a_new_moment_from_the_form_is_found(parent_client, parent):
    response = parent_client.post(
        reverse("reflect:moment_add"), {"what_happened": "Één knuffel", "kind": "connection"}
    )
    assert response.status_code == 303
    assert found(parent, "een knuf") == {Moment.objects.get().pk}


def test_deleting_a_moment_deletes_its_tokens(parent_client, parent):
    moment = MomentFactory(owner=parent, what_happened="Voorlezen")
    kept = MomentFactory(owner=parent, what_happened="Voorlezen")
    response = parent_client.post(reverse("reflect:moment_delete", args=[moment.pk]))
    assert response.status_code == 303
    assert not SearchToken.objects.filter(moment_id=moment.pk).exists()
    assert found(parent, "voorlezen") == {kept.pk}


def test_deleting_the_account_deletes_its_index(parent, other_parent):
    MomentFactory(owner=parent, what_happened="Voorlezen")
    theirs = MomentFactory(owner=other_parent, what_happened="Voorlezen")
    erasure.erase_account(parent)
    assert SearchToken.objects.exists()
    assert set(SearchToken.objects.values_list("moment", flat=True)) == {theirs.pk}


def test_an_import_builds_the_index_and_an_import_again_updates_it(parent, other_parent):
    MomentFactory(owner=parent, what_happened="Tandenpoetsen", felt="Moe")
    document = json.loads(portability.export_json(parent))
    portability.import_journal(other_parent, portability.read_file(json.dumps(document).encode()))
    assert len(found(other_parent, "tanden moe")) == 1
    document["moments"][0]["what_happened"] = "Voorlezen"
    portability.import_journal(other_parent, portability.read_file(json.dumps(document).encode()))
    assert len(found(other_parent, "voorlezen")) == 1
    assert found(other_parent, "tanden") == set()


def test_an_import_that_stops_halfway_leaves_the_index_as_it_was(parent, other_parent, monkeypatch):
    from django.db import OperationalError

    from reflect.models import MomentQuerySet

    MomentFactory(owner=parent, what_happened="Voorlezen")
    document = json.loads(portability.export_json(parent))
    portability.import_journal(other_parent, portability.read_file(json.dumps(document).encode()))
    document["moments"][0]["what_happened"] = "Tandenpoetsen"  # batch 1: an update
    document["moments"].append({**document["moments"][0], "id": str(uuid.uuid4())})  # batch 2
    monkeypatch.setattr(portability, "BATCH_SIZE", 1)
    bulk_create = MomentQuerySet.bulk_create

    def fails_with_new_moments(self, objs, *args, **kwargs):
        if objs:
            raise OperationalError("disk I/O error")
        return bulk_create(self, objs, *args, **kwargs)

    monkeypatch.setattr(MomentQuerySet, "bulk_create", fails_with_new_moments)
    with pytest.raises(portability.ImportFailed):
        portability.import_journal(
            other_parent, portability.read_file(json.dumps(document).encode())
        )
    assert len(found(other_parent, "voorlezen")) == 1
    assert found(other_parent, "tanden") == set()


def test_the_migration_builds_the_index_for_existing_moments(parent):
    from importlib import import_module

    moment = MomentFactory(owner=parent, what_happened="Tandenpoetsen")
    SearchToken.objects.all().delete()  # as before migration 0008
    assert found(parent, "tanden") == set()
    import_module("reflect.migrations.0010_search_index").build_index(live_apps, None)
    assert found(parent, "tanden") == {moment.pk}


# --- Keys ---------------------------------------------------------------------------------------


def test_rotating_the_journal_key_re_keys_the_index(parent, other_parent, settings):
    old, new = a_key("k1"), a_key("k2")
    settings.JOURNAL_KEYS = old
    mine = [MomentFactory(owner=parent, what_happened=f"Tandenpoetsen {n}") for n in range(3)]
    MomentFactory(owner=other_parent, what_happened="Voorlezen")
    before = set(SearchToken.objects.values_list("token", flat=True))
    assert set(SearchToken.objects.values_list("key_id", flat=True)) == {"k1"}

    settings.JOURNAL_KEYS = f"{new},{old}"
    assert len(found(parent, "tanden")) == 3  # during the rotation: still found
    output = StringIO()
    call_command("rotate_journal_key", "--batch-size", "2", stdout=output)
    assert "Search index of 4 moments made again with key 'k2'" in output.getvalue()
    assert set(SearchToken.objects.values_list("key_id", flat=True)) == {"k2"}
    assert not before & set(SearchToken.objects.values_list("token", flat=True))

    settings.JOURNAL_KEYS = new  # the old key can go
    assert found(parent, "tanden") == {moment.pk for moment in mine}
    output = StringIO()
    call_command("rotate_journal_key", stdout=output)
    assert "Search index of 0 moments" in output.getvalue()  # nothing left to do


def test_without_the_rotation_an_old_keys_tokens_find_nothing(parent, settings):
    settings.JOURNAL_KEYS = a_key("k1")
    MomentFactory(owner=parent, what_happened="Tandenpoetsen")
    settings.JOURNAL_KEYS = a_key("k2")
    assert found(parent, "tanden") == set()


# --- Cost ---------------------------------------------------------------------------------------


def fill(owner, count: int) -> None:
    Moment.objects.bulk_create(
        Moment(
            owner=owner,
            date=datetime.date(2024, 1, 1) + datetime.timedelta(days=n % 700),
            what_happened=f"Moment {n}: tandenpoetsen in de slaapkamerdeuren",
            felt="moe" if n % 2 else "",
        )
        for n in range(count)
    )


@pytest.mark.parametrize("searched", ["tanden moe", "slaapkamerdeuren", "ik", "zzz"])
def test_a_search_costs_the_same_queries_for_10_and_1000_moments(parent, searched):
    fill(parent, 10)
    with CaptureQueriesContext(connection) as small:
        list(Moment.objects.for_owner(parent).search(parent, searched)[:25])
    fill(parent, 990)
    with CaptureQueriesContext(connection) as large:
        list(Moment.objects.for_owner(parent).search(parent, searched)[:25])
    assert len(small) == len(large) <= 2  # the index in the query, plus a check for long words


def test_the_journal_page_with_a_search_costs_the_same_queries_for_10_and_1000(
    parent_client, parent
):
    fill(parent, 10)
    url = reverse("reflect:journal")
    with CaptureQueriesContext(connection) as small:
        assert parent_client.get(url, {"q": "slaapkamerdeuren"}).status_code == 200
    fill(parent, 990)
    with CaptureQueriesContext(connection) as large:
        response = parent_client.get(url, {"q": "slaapkamerdeuren"})
    assert "1000 momenten gevonden." in response.text
    assert len(small) == len(large)


# --- The page, in both languages, and the rate limit --------------------------------------------


@pytest.mark.parametrize(
    ("language", "one", "none"),
    [
        ("nl", "1 moment gevonden.", "Geen momenten gevonden."),
        ("en", "1 moment found.", "No moments match this search."),
    ],
)
def test_the_search_page_reads_as_before_in_both_languages(
    parent_client, parent, language, one, none
):
    MomentFactory(owner=parent, what_happened="Tandenpoetsen met Noor")
    url = f"/{language}/journal/"
    page = parent_client.get(url, {"q": "Tanden"})
    assert one in page.text
    assert "Tandenpoetsen met Noor" in page.text
    assert 'value="Tanden"' in page.text
    fragment = parent_client.get(url, {"q": "poetsen"}, headers=HTMX)
    assert fragment.text.lstrip().startswith('<div id="journal-results"')
    assert none in fragment.text


def test_searching_is_rate_limited_per_parent(parent_client, other_parent_client, monkeypatch):
    clock = [1_000_000.0]
    monkeypatch.setattr(search, "now", lambda: clock[0])
    url = "/nl/journal/"
    for n in range(search.SEARCH_LIMIT):
        assert parent_client.get(url, {"q": f"woord{n}"}).status_code == 200
    clock[0] += 20
    refused = parent_client.get(url, {"q": "nog een"})
    assert refused.status_code == 429
    assert refused["Retry-After"] == str(search.SEARCH_WINDOW - 20)
    assert "Je hebt in korte tijd vaak gezocht" in refused.text
    english = parent_client.get("/en/journal/", {"q": "once more"})
    assert english.status_code == 429
    assert "You searched many times in a short while" in english.text
    assert parent_client.get(url).status_code == 200  # the journal itself still opens
    assert other_parent_client.get(url, {"q": "woord"}).status_code == 200  # per parent
    clock[0] += 40
    assert parent_client.get(url, {"q": "weer"}).status_code == 200  # the minute is over


def test_htmx_is_sent_to_the_full_wait_page_when_over_the_limit(parent_client, monkeypatch):
    monkeypatch.setattr(search, "SEARCH_LIMIT", 1)
    assert parent_client.get("/nl/journal/", {"q": "een"}, headers=HTMX).status_code == 200
    refused = parent_client.get("/nl/journal/", {"q": "twee"}, headers=HTMX)
    assert refused.status_code == 429
    assert refused["HX-Redirect"] == "/nl/journal/?q=twee"  # htmx swaps no 429, so it goes there
    assert int(refused["Retry-After"]) > 0


def test_the_rate_limit_is_counted_without_the_parents_id_or_words(parent_client, parent):
    parent_client.get("/nl/journal/", {"q": "tandenpoetsen"})
    with connection.cursor() as cursor:
        cursor.execute("SELECT cache_key, value FROM hechting_cache")
        rows = cursor.fetchall()
    assert rows
    assert not any(re.search(r"search|tanden", " ".join(map(str, row))) for row in rows)


def test_a_save_of_other_fields_only_leaves_the_index_alone(parent, django_assert_num_queries):
    moment = MomentFactory(owner=parent, what_happened="Voorlezen")
    moment.safe = True
    with django_assert_num_queries(1):  # the UPDATE, no tokens written again
        moment.save(update_fields=["safe"])
    assert found(parent, "voorlezen") == {moment.pk}
