"""Searching the journal without opening it: a blind index of each moment's words.

The words of a moment are encrypted (reflect/encryption.py), so the database cannot compare
them. Instead every moment has a set of **tokens**: for each of its words, a keyed hash of the
word's beginnings. A search hashes the searched words the same way and asks the database which
moments hold all of them; no moment is opened to find it.

* **Words.** A moment's words are those of the fields a search has always looked in
  (``Moment.TEXT_FIELDS``: what happened, what I felt, what my child seemed to need, what helped,
  how we reconnected), normalised by :func:`words`: Unicode NFKD, lower case (``casefold``),
  the accents dropped ("één" is "een", "ß" is "ss"), split on everything that is not a letter or
  a digit ("t-shirt" is "t" and "shirt").
* **Beginnings.** A word of 3 letters or more is indexed by its beginnings of 3 up to
  :data:`PREFIX_MAX` (12) letters: "tandenpoetsen" by "tan", "tand", ..., "tandenpoetse".
  A word of 1 or 2 letters ("ik", "op") is indexed as itself, so it is found as a whole word
  only. The bound only limits the size of the index: a searched word longer than 12 letters is
  looked up by its first 12, and those candidates are opened and checked (:func:`matching`), so
  the result never depends on the bound.
* **What a search finds** (the rule, tested against an independent copy of it): the moments in
  which every searched word (normalised as above) begins a word of the moment; a searched word
  of 1 or 2 letters must be a whole word of the moment. A search with no letter or digit in it
  finds nothing. Before the index, a search looked for the whole text as a piece of any word
  (case-insensitive, accents counted): "poetsen" found "tandenpoetsen", "een" did not find
  "één", and "tanden poetsen" needed those words next to each other. docs/privacy-and-
  encryption.md lists the differences.
* **Tokens** are HMAC-SHA256 with a key per parent, derived from the current journal key
  (:func:`parent_key`), cut to 64 bits and stored as a signed 64-bit integer. 64 bits make the
  index small and fast (one integer column); a false match needs two of a parent's beginnings
  to share 64 bits (odds of about one in 10^14 per search for a large journal), and it would
  only list a moment that does not hold the word, never hide one. Without the key a token
  cannot be turned back into a word, and the same word has another token in another parent's
  journal, so journals cannot be compared through the index.
* **Keys.** Each token row names the journal key it was made with; a search hashes with every
  key in ``JOURNAL_KEYS``, so it keeps working while a key rotates, and
  ``manage.py rotate_journal_key`` makes the tokens again with the new key (:func:`rekey`).
* **One place for the rule.** :func:`index` (re)writes the tokens of moments. ``Moment.save``
  and ``Moment.objects.bulk_create`` call it, so a form, a repair, an import, the demo seeder and
  the bench all keep the index in step; code that writes the words with an UPDATE calls it
  itself (the import's update of existing moments, the rotation). Tokens go with their moment
  (``on_delete=CASCADE``), and with it with the account.
* **Rate limit.** A parent can search :data:`SEARCH_LIMIT` times in :data:`SEARCH_WINDOW`
  seconds (:func:`wait_before_search`); then the journal answers 429 with ``Retry-After``.

What the index reveals to someone holding the database, and what not: docs/privacy-and-
encryption.md ("Searching an encrypted journal").
"""

from __future__ import annotations

import functools
import hmac
import math
import re
import sys
import time
import unicodedata
from collections.abc import Iterable

from django.core.cache import cache
from django.db import connections, models, transaction
from django.db.models import QuerySet
from django.http import HttpRequest, HttpResponse
from django.shortcuts import render

from .encryption import keyring

PREFIX_MIN = 3  # a word of fewer letters is indexed (and found) as a whole word
PREFIX_MAX = 12  # beginnings up to this length are indexed; longer searches are checked
TOKEN_BYTES = 8  # 64 bits of HMAC-SHA256, as a signed BIGINT
SEARCH_LIMIT = 30  # searches of one parent ...
SEARCH_WINDOW = 60  # ... within a minute of the first, then 429 until the minute is over
BATCH_SIZE = 500  # moments per transaction when the whole index is (re)built

_WORD = re.compile(r"[^\W_]+")


class SearchToken(models.Model):
    """One keyed hash of one beginning of a word of a moment (see the module's docstring)."""

    moment = models.ForeignKey(
        "reflect.Moment", on_delete=models.CASCADE, related_name="search_tokens"
    )
    key_id = models.CharField(max_length=16)  # the journal key the token was made with
    token = models.BigIntegerField()

    class Meta:
        indexes = [models.Index(fields=["token", "moment"], name="reflect_search_token")]

    def __str__(self) -> str:
        return f"Search token of moment {self.moment_id}"


# --- Words --------------------------------------------------------------------------------------


def normalise(text: str) -> str:
    """NFKD, lower case, without accents: "Één Straße" -> "een strasse". Decomposed before
    and after case folding: a black-letter H decomposes to "H", and a folded letter may
    decompose again. (ASCII is only lowered: the same, without a look at each character.)"""
    if text.isascii():
        return text.lower()
    folded = unicodedata.normalize("NFKD", unicodedata.normalize("NFKD", text).casefold())
    return folded.translate(_without_accents())


@functools.cache
def _without_accents() -> dict[int, None]:
    """A translation table that drops every combining mark (accents, once decomposed). Made
    once per process (a look at every code point, about 0.2 s), then applied in C: a moment's
    words no longer pass through Python one character at a time."""
    return {code: None for code in range(sys.maxunicode + 1) if unicodedata.combining(chr(code))}


def words(text: str) -> list[str]:
    """The normalised words of a text: runs of letters and digits."""
    return _WORD.findall(normalise(text))


def beginnings(word: str) -> set[str]:
    """What a word is indexed by: itself when short, else its beginnings of 3-12 letters."""
    if len(word) < PREFIX_MIN:
        return {word}
    return {word[:length] for length in range(PREFIX_MIN, min(len(word), PREFIX_MAX) + 1)}


def found_in(searched: list[str], moment_words: Iterable[str]) -> bool:
    """The rule: every searched word begins a word of the moment (or is one, when short)."""
    present = set(moment_words)
    return all(
        any(word == term if len(term) < PREFIX_MIN else word.startswith(term) for word in present)
        for term in searched
    )


def moment_words(moment) -> list[str]:
    return [word for field in moment.TEXT_FIELDS for word in words(getattr(moment, field) or "")]


# --- Tokens -------------------------------------------------------------------------------------


def parent_key(journal_key: bytes, owner_id: int) -> bytes:
    """The index key of one parent: an HMAC of the journal key, so it rotates with it."""
    return hmac.digest(journal_key, f"hechting:search-index:v1:{owner_id}".encode(), "sha256")


def token(key: bytes, term: str) -> int:
    digest = hmac.digest(key, term.encode(), "sha256")
    return int.from_bytes(digest[:TOKEN_BYTES], "big", signed=True)


def tokens_for(texts: Iterable[str], key: bytes) -> set[int]:
    """The tokens of a moment's texts under one parent's key."""
    unique = {word for text in texts for word in words(text or "")}
    terms = {term for word in unique for term in beginnings(word)}
    return {token(key, term) for term in terms}


def index(moments: Iterable, *, new: bool = False) -> None:
    """Write the tokens of these saved moments again (their words readable, as after a save or
    a load): the one place where the index follows the words. ``new``: just inserted, so there
    are no tokens to delete. Part of the caller's transaction, if there is one."""
    moments = [moment for moment in moments if moment.pk is not None]
    if not moments:
        return
    ring = keyring()
    rows = []
    for moment in moments:
        key = parent_key(ring.keys[ring.current], moment.owner_id)
        texts = [getattr(moment, field) for field in moment.TEXT_FIELDS]
        rows += [(moment.pk, ring.current, value) for value in tokens_for(texts, key)]
    with transaction.atomic(savepoint=False):
        if not new:
            SearchToken.objects.filter(moment__in=[moment.pk for moment in moments]).delete()
        _insert(rows)


def _insert(rows: list[tuple[int, str, int]]) -> None:
    """One statement for all rows: on PostgreSQL a ``COPY`` (an import writes some 250,000 rows
    for 5,000 moments, and ``executemany`` of an INSERT spent most of the import's time talking
    to the server, row by row); elsewhere one INSERT run for many rows, which SQLite, in the same
    process, runs fast. ``bulk_create`` would send one INSERT per few thousand rows."""
    if not rows:
        return
    connection = connections[SearchToken.objects.db]
    quote = connection.ops.quote_name
    table = quote(SearchToken._meta.db_table)
    columns = ", ".join(quote(SearchToken._meta.get_field(name).column) for name in _COLUMNS)
    with connection.cursor() as cursor:
        if connection.vendor == "postgresql":
            with cursor.copy(f"COPY {table} ({columns}) FROM STDIN") as copy:
                for row in rows:
                    copy.write_row(row)
        else:
            sql = f"INSERT INTO {table} ({columns}) VALUES (%s, %s, %s)"  # noqa: S608
            cursor.executemany(sql, rows)


_COLUMNS = ("moment", "key_id", "token")


def rebuild(moments: QuerySet, batch_size: int = BATCH_SIZE) -> int:
    """Index these moments again, in primary-key order, one transaction per batch."""
    fields = ["pk", "uid", "owner", *moments.model.TEXT_FIELDS]
    last_pk, count = 0, 0
    while True:
        with transaction.atomic():
            batch = list(moments.filter(pk__gt=last_pk).order_by("pk").only(*fields)[:batch_size])
            if not batch:
                return count
            index(batch)
        count += len(batch)
        last_pk = batch[-1].pk


def rekey(moment_model, batch_size: int = BATCH_SIZE) -> int:
    """Make the tokens again of every moment whose tokens are not of the current key."""
    stale = SearchToken.objects.exclude(key_id=keyring().current).values("moment_id")
    return rebuild(moment_model.objects.filter(pk__in=stale), batch_size)


# --- Searching ----------------------------------------------------------------------------------


def matching(moments: QuerySet, owner, text: str, *, also: Iterable[int] = ()) -> QuerySet:
    """``owner``'s moments among ``moments`` that the search ``text`` finds; with ``also``
    (ids of other parents) their moments among ``moments`` too, each looked up under its own
    writer's key (the together view passes the co-parents: ``moments`` holds only what they
    shared, through an active link).

    Without a searched word longer than :data:`PREFIX_MAX` the answer comes from the index
    alone: a lazy queryset with one subquery per searched word and writer, no moment opened.
    Otherwise ONE query reads the candidates' sealed words, they are opened and checked here.
    """
    searched = list(dict.fromkeys(words(text)))
    if not searched:
        return moments.none()
    writers = list(dict.fromkeys([owner.pk, *also]))
    keys = {
        writer: [parent_key(key, writer) for key in keyring().keys.values()] for writer in writers
    }
    found = moments.filter(owner__in=writers)
    for term in searched:
        lookup = term[:PREFIX_MAX]
        holders = models.Q()
        for writer, their_keys in keys.items():
            tokens = [token(key, lookup) for key in their_keys]
            moment_ids = SearchToken.objects.filter(token__in=tokens).values("moment_id")
            holders |= models.Q(owner=writer, pk__in=moment_ids)
        found = found.filter(holders)
    if all(len(term) <= PREFIX_MAX for term in searched):
        return found
    fields = ["pk", "uid", "owner", *moments.model.TEXT_FIELDS]
    candidates = found.select_related(None).order_by().only(*fields)
    checked = [moment.pk for moment in candidates if found_in(searched, moment_words(moment))]
    return moments.filter(owner__in=writers, pk__in=checked)


# --- Rate limit ---------------------------------------------------------------------------------


def now() -> float:
    return time.time()


def wait_before_search(request: HttpRequest) -> int:
    """Count a search of the signed-in parent: 0 if it may run now, else the seconds to wait.

    A fixed window like the share-token guard's (reflect/sharing/access.py): it starts at the
    first search and is not moved by later ones. The count lives in the shared cache under a
    keyed hash of the parent's id (hechting/accounts/clients.py)."""
    key = f"reflect:searches:{request.user.pk}"
    moment = now()
    count, until = cache.get(key) or (0, 0.0)
    if until <= moment:
        count, until = 0, moment + SEARCH_WINDOW
    if count >= SEARCH_LIMIT:
        return math.ceil(until - moment)
    cache.set(key, (count + 1, until), math.ceil(until - moment))
    return 0


def too_many_searches(request: HttpRequest, wait: int) -> HttpResponse:
    """429 with Retry-After and a kind page; for htmx a redirect to that page (htmx swaps no
    error answers, so the parent would see nothing happen)."""
    response = render(request, "reflect/search_wait.html", {"wait": wait}, status=429)
    response["Retry-After"] = str(wait)
    if request.htmx:
        response["HX-Redirect"] = request.get_full_path()
    return response
