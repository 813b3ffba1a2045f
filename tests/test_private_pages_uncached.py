"""A private page is rendered for its request and then gone: no cache holds a decrypted word.

Every private page type is read (the journal, the look back of a week, a month and since the
start, the printable brief, the share page and the export), then every cache the settings
configure is searched for the parent's words, whatever backend it uses.
"""

import base64
import pickle
import zlib

import pytest
from django.conf import settings
from django.core.cache import caches
from django.db import connection
from django.test import override_settings
from django.utils import timezone

from reflect.models import week_start
from reflect.sharing.models import ShareLink
from tests.factories import ChildFactory, MomentFactory
from tests.sharing_helpers import make_link, open_link

WORDS = {
    "what_happened": "Wolkenkrabberwoord: we bouwden samen een toren van kussens.",
    "felt": "Zachtmoedigheidswoord, eerst moe en daarna warm.",
    "child_needed": "Kietelkussenwoord, even dichtbij zitten.",
    "what_helped": "Regenboogtheewoord en een knuffel.",
    "repair_how": "Trappenhuiswoord: ik zei sorry op de trap.",
}


def _readable(raw) -> str:
    """What a cached value says, as text: unpickled (and unzipped) where it can be."""
    if isinstance(raw, str):
        try:
            raw = base64.b64decode(raw.encode(), validate=True)
        except ValueError:
            return raw
    if isinstance(raw, bytes):
        for unpack in (lambda b: b, zlib.decompress):
            try:
                return repr(pickle.loads(unpack(raw)))  # noqa: S301 (our own test cache)
            except Exception:  # noqa: S112 (not a pickle: try the next way)
                continue
        return raw.decode("utf-8", "replace")
    return repr(raw)


def cached_texts(alias: str) -> list[str]:
    """Every value the cache ``alias`` holds right now, as text."""
    cache = caches[alias]
    backend = settings.CACHES[alias]["BACKEND"]
    if backend == "django.core.cache.backends.locmem.LocMemCache":
        return [_readable(value) for value in cache._cache.values()]
    if backend == "django.core.cache.backends.db.DatabaseCache":
        table = connection.ops.quote_name(cache._table)
        with connection.cursor() as cursor:
            cursor.execute(f"SELECT value FROM {table}")  # noqa: S608 (the table's own name)
            return [_readable(value) for (value,) in cursor.fetchall()]
    if backend == "django.core.cache.backends.dummy.DummyCache":
        return []
    if backend == "django.core.cache.backends.filebased.FileBasedCache":
        return [_readable(path.read_bytes()) for path in cache._list_cache_files_paths()]
    pytest.fail(f"cache {alias!r} uses {backend}: teach this test to look inside it")


def words_in_caches() -> dict[str, list[str]]:
    found: dict[str, list[str]] = {}
    for alias in settings.CACHES:
        texts = cached_texts(alias)
        hits = [key for key, word in WORDS.items() if any(word in text for text in texts)]
        if hits:
            found[alias] = hits
    return found


@pytest.fixture
def journal(parent):
    child = ChildFactory(owner=parent, nickname="Noor")
    today = timezone.localdate()
    MomentFactory(
        owner=parent,
        child=child,
        date=today,
        what_happened=WORDS["what_happened"],
        felt=WORDS["felt"],
        child_needed=WORDS["child_needed"],
        what_helped=WORDS["what_helped"],
    )
    MomentFactory(
        owner=parent, child=child, date=today, repaired=True, repair_how=WORDS["repair_how"]
    )
    return child


@pytest.mark.django_db
def test_no_cache_holds_a_parents_words_after_every_private_page(parent, parent_client, journal):
    today = timezone.localdate()
    pages = [
        "/nl/journal/",
        "/nl/journal/?q=Wolkenkrabberwoord",
        f"/nl/journal/look-back/{week_start(today).isoformat()}/",
        f"/nl/journal/look-back/{today.strftime('%Y-%m')}/",
        "/nl/journal/look-back/all/",
        "/nl/journal/look-back/all/print/",
        "/en/journal/look-back/all/",
        "/nl/account/data/journal.json",
        "/nl/account/data/print/",
    ]
    shown = ""
    for path in pages:
        response = parent_client.get(path)
        assert response.status_code == 200, path
        body = response.getvalue() if response.streaming else response.content
        shown += body.decode()
        response = parent_client.get(path, headers={"HX-Request": "true"})
        assert response.status_code == 200, path
    link, token = make_link(parent, scope=ShareLink.Scope.MOMENTS)
    shared = open_link(parent_client.__class__(), token)
    assert shared.status_code == 200
    shown += shared.content.decode()
    shown += parent_client.get(f"/nl/share/view/{link.public_id}/").content.decode()
    # The pages did show every word, so a cache that kept a page would hold them.
    assert all(word in shown for word in WORDS.values())
    assert words_in_caches() == {}


@pytest.mark.django_db
@override_settings(
    CACHES={
        **settings.CACHES,
        "memory": {"BACKEND": "django.core.cache.backends.locmem.LocMemCache"},
    }
)
@pytest.mark.parametrize("alias", [*settings.CACHES, "memory"])
def test_a_word_kept_in_any_cache_would_be_found(alias):
    """The search above can fail: a page kept in any cache, as bytes or pickled, is found."""
    caches[alias].set("a-page", f"<p>{WORDS['felt']}</p>".encode())
    caches[alias].set("a-context", {"moment": WORDS["repair_how"]})
    assert words_in_caches() == {alias: ["felt", "repair_how"]}
