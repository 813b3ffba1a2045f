"""Kept pages (hechting/page_cache.py): a page read again comes from the worker's memory, yet a
parent never sees an old journal, another person's page, a stale token or a lost message."""

import datetime
import json
import re

import pytest
from django.conf import settings
from django.core.cache import caches
from django.core.files.uploadedfile import SimpleUploadedFile
from django.db import connection
from django.test import Client
from django.test.utils import CaptureQueriesContext
from django.urls import reverse
from django.utils import timezone

from hechting import page_cache
from reflect.models import Moment
from tests.factories import ChildFactory, MomentFactory
from tests.sharing_helpers import make_link, open_link

pytestmark = pytest.mark.django_db
HTMX = {"HX-Request": "true"}
JOURNAL = "/nl/journal/"
TOKEN = re.compile(r'name="csrfmiddlewaretoken" value="([^"]+)"')


def without_tokens(html: str) -> str:
    """The page with its CSRF tokens blanked: they are masked afresh for every answer."""
    html = TOKEN.sub('name="csrfmiddlewaretoken" value=""', html)
    return re.sub(r'"X-CSRFToken": "[^"]+"', '"X-CSRFToken": ""', html)


def read_twice(client, url: str = JOURNAL) -> str:
    """A page as a parent sees it when they come back: the first read after a change shows its
    message and is never kept; the second may come from memory and must be just as fresh."""
    client.get(url)
    return client.get(url).text


def queries_for(client, url: str, **extra) -> tuple[int, object]:
    with CaptureQueriesContext(connection) as queries:
        response = client.get(url, **extra)
    return len(queries), response


def test_a_journal_read_again_is_the_same_page_without_its_queries(parent_client, parent):
    MomentFactory.create_batch(3, owner=parent)
    first_count, first = queries_for(parent_client, JOURNAL)
    again_count, again = queries_for(parent_client, JOURNAL)
    assert first.status_code == again.status_code == 200
    assert without_tokens(again.text) == without_tokens(first.text)
    assert again_count < first_count  # no children, no count, no moments: only session and user


@pytest.mark.parametrize(
    "url",
    [
        JOURNAL,
        "/nl/journal/look-back/",
        "/nl/journal/look-back/all/",
        "/nl/journal/look-back/all/print/",
        "/nl/learn/",
        "/nl/learn/secure-attachment/",
    ],
)
def test_every_kept_page_gets_a_fresh_working_csrf_token_and_never_the_placeholder(
    parent_client, parent, url
):
    MomentFactory(owner=parent)
    pages = [parent_client.get(url) for _ in range(2)]
    tokens = [re.search(r'"X-CSRFToken": "([^"]+)"', page.text).group(1) for page in pages]
    assert tokens[0] != tokens[1]  # masked afresh, as Django does for every page
    for page in pages:
        assert "csrf-placeholder" not in page.text
    # The token of a kept page is accepted: the quick-add form posts with it.
    response = parent_client.post(
        reverse("reflect:moment_add"),
        {
            "what_happened": "We sang in the car",
            "kind": "connection",
            "csrfmiddlewaretoken": tokens[1],
        },
    )
    assert response.status_code == 303


def test_the_token_of_a_kept_page_is_checked_like_any_other(parent):
    strict = Client(enforce_csrf_checks=True)
    strict.force_login(parent)
    strict.get(JOURNAL, secure=True)
    page = strict.get(JOURNAL, secure=True)  # from memory
    token = TOKEN.search(page.text).group(1)
    data = {"what_happened": "We built a hut", "kind": "connection"}
    origin = {"Origin": "https://testserver"}
    refused = strict.post(reverse("reflect:moment_add"), data, secure=True, headers=origin)
    assert refused.status_code == 403
    accepted = strict.post(
        reverse("reflect:moment_add"),
        data | {"csrfmiddlewaretoken": token},
        secure=True,
        headers=origin,
    )
    assert accepted.status_code == 303


def test_a_new_moment_shows_at_once_after_the_journal_was_kept(parent_client):
    parent_client.get(JOURNAL)
    response = parent_client.post(
        reverse("reflect:moment_add"), {"what_happened": "Soup together", "kind": "connection"}
    )
    assert response.status_code == 303
    page = parent_client.get(JOURNAL)
    assert "Soup together" in page.text
    assert "Je moment is bewaard." in page.text  # the message is shown once, not kept
    again = parent_client.get(JOURNAL).text
    assert "Je moment is bewaard." not in again
    assert "Soup together" in again


def test_an_htmx_quick_add_then_a_full_page_shows_the_new_moment(parent_client):
    parent_client.get(JOURNAL)
    parent_client.get(JOURNAL, headers=HTMX)
    parent_client.post(
        reverse("reflect:moment_add"),
        {"what_happened": "Bubbles in the bath", "kind": "connection", "quick": "1"},
        headers=HTMX,
    )
    assert "Bubbles in the bath" in parent_client.get(JOURNAL, headers=HTMX).text
    assert "Bubbles in the bath" in parent_client.get(JOURNAL).text


def test_an_htmx_part_and_the_whole_page_are_kept_apart(parent_client, parent):
    MomentFactory(owner=parent)
    whole = parent_client.get(JOURNAL)
    part = parent_client.get(JOURNAL, headers=HTMX)
    assert "<html" in whole.text
    assert "<html" not in part.text
    assert "<html" in parent_client.get(JOURNAL).text
    assert "<html" not in parent_client.get(JOURNAL, headers=HTMX).text


def test_edits_repairs_and_deletes_show_at_once(parent_client, parent):
    moment = MomentFactory(owner=parent, mismatch=True, what_happened="Shouting at bedtime")
    assert "Shouting at bedtime" in read_twice(parent_client)
    parent_client.post(
        reverse("reflect:moment_edit", args=[moment.pk]),
        {
            "what_happened": "Rushing at bedtime",
            "kind": "mismatch",
            "date": moment.date.isoformat(),
            "repair_status": "open",
        },
    )
    page = read_twice(parent_client)
    assert "Rushing at bedtime" in page
    assert "Shouting at bedtime" not in page
    parent_client.post(
        reverse("reflect:moment_repair", args=[moment.pk]),
        {
            "repair_status": "repaired",
            "repaired_on": moment.date.isoformat(),
            "repair_how": "A long hug",
        },
    )
    assert "A long hug" in read_twice(parent_client)
    parent_client.post(reverse("reflect:moment_delete", args=[moment.pk]))
    assert "Rushing at bedtime" not in read_twice(parent_client)


def test_renaming_or_removing_a_child_shows_at_once(parent_client, parent):
    child = ChildFactory(owner=parent, nickname="Noor")
    MomentFactory(owner=parent, child=child)
    assert "Noor" in read_twice(parent_client)
    parent_client.post(reverse("reflect:child_edit", args=[child.pk]), {"nickname": "Nora"})
    assert "Nora" in read_twice(parent_client)
    parent_client.post(reverse("reflect:child_delete", args=[child.pk]))
    assert "Nora" not in read_twice(parent_client)


def test_an_import_shows_at_once(parent_client, parent):
    """An import writes in bulk, without saving each moment; it says so itself."""
    MomentFactory(owner=parent, what_happened="Words before the import")
    document = json.loads(parent_client.get("/nl/account/data/journal.json").content)
    document["moments"][0]["what_happened"] = "Brought back from the file"
    assert "Words before the import" in read_twice(parent_client)
    upload = SimpleUploadedFile("journal.json", json.dumps(document).encode())
    assert parent_client.post("/nl/account/data/import/", {"file": upload}).status_code == 303
    assert Moment.objects.for_owner(parent).count() == 1
    assert "Brought back from the file" in read_twice(parent_client)


def test_a_look_back_follows_a_change_in_its_period(parent_client, parent):
    url = "/nl/journal/look-back/all/"
    parent_client.get(url)
    MomentFactory(owner=parent, what_happened="A calm evening", mismatch=True)
    assert "A calm evening" in parent_client.get(url).text


def test_another_parent_never_gets_a_kept_page(parent_client, parent, other_parent_client):
    MomentFactory(owner=parent, what_happened="Words of Alice")
    assert "Words of Alice" in parent_client.get(JOURNAL).text
    page = other_parent_client.get(JOURNAL)
    assert "Words of Alice" not in page.text
    assert "Je dagboek is nog leeg." in page.text


def test_each_language_is_kept_apart(parent_client, parent):
    MomentFactory(owner=parent)
    assert 'lang="nl"' in parent_client.get(JOURNAL).text
    assert 'lang="en"' in parent_client.get("/en/journal/").text
    assert 'lang="nl"' in parent_client.get(JOURNAL).text


def test_a_kept_page_is_not_shown_the_next_day(parent_client, monkeypatch):
    today = timezone.localdate()
    assert f'max="{today.isoformat()}"' in parent_client.get(JOURNAL).text
    tomorrow = today + datetime.timedelta(days=1)
    monkeypatch.setattr(timezone, "localdate", lambda *args, **kwargs: tomorrow)
    assert f'max="{tomorrow.isoformat()}"' in parent_client.get(JOURNAL).text


def test_a_share_page_follows_its_owner_and_its_link(parent, client):
    MomentFactory(owner=parent, what_happened="Shared words")
    link, token = make_link(parent, scope="moments")
    assert "Shared words" in open_link(client, token).text
    MomentFactory(owner=parent, what_happened="Written later")
    view = f"/nl/share/view/{link.public_id}/"
    assert "Written later" in client.get(view).text
    link.revoke()
    assert client.get(view).status_code == 410


def test_nothing_is_kept_for_a_post_a_redirect_or_an_error(parent_client, other_parent):
    cache = caches["pages"]
    foreign = MomentFactory(owner=other_parent)
    parent_client.get(reverse("reflect:moment_detail", args=[foreign.pk]))
    parent_client.get("/nl/journal/look-back/1999-13/")
    parent_client.post(reverse("reflect:moment_add"), {"what_happened": "", "kind": "connection"})
    assert not cache._cache  # the local-memory cache's own store: nothing in it


def test_the_cache_can_be_switched_off(parent_client, parent, settings):
    settings.PAGE_CACHE_SECONDS = 0
    MomentFactory(owner=parent)
    first_count, _first = queries_for(parent_client, JOURNAL)
    again_count, _again = queries_for(parent_client, JOURNAL)
    assert again_count == first_count
    assert not caches["pages"]._cache


def test_kept_pages_stay_in_the_workers_memory_never_in_the_database():
    """They hold decrypted words; the shared cache (login limits) is a database table."""
    assert settings.CACHES["pages"]["BACKEND"].endswith("locmem.LocMemCache")
    assert settings.PAGE_CACHE_SECONDS == 600
    assert settings.CACHES["pages"]["OPTIONS"]["MAX_ENTRIES"] == 500


def test_a_change_replaces_the_parents_journal_version(parent):
    before = parent.journal_version
    page_cache.journal_changed(parent.pk)
    parent.refresh_from_db()
    assert parent.journal_version != before
