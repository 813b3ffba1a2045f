"""Every page speaks the language of its own request, whatever came before in the same process.

A lazy string formatted at import (``_("At most %(days)s days") % {...}`` in a class body) is
translated once, in whichever language is active then, and every later page shows it in that
language. So every page and form of the journal, sharing and your data (with its error messages)
is rendered in English and then in Dutch, one right after the other in this process, and neither
may carry a sentence of the other language's catalogue. The words come from the catalogues that
Django has loaded (ours, Django's and allauth's), so a new string is checked without a list here.
"""

import datetime
import functools
import html
import re

import pytest
from django.conf import settings
from django.urls import reverse
from django.utils import timezone, translation
from django.utils.translation import gettext, pgettext, trans_real

from reflect.sharing.models import ShareLink
from tests.factories import ChildFactory, MomentFactory
from tests.sharing_helpers import make_invitation, make_link

pytestmark = pytest.mark.django_db

PLACEHOLDER = re.compile(r"%\(\w+\)[sd]|%[sd]|\{\w*\}|<[^>]*>")


def _fragments(texts) -> set[str]:
    """The literal pieces of catalogue strings between placeholders: at least two words and
    ten characters, so that one shared word ("Filters", "Week") never counts."""
    pieces = set()
    for text in texts:
        for piece in PLACEHOLDER.split(text):
            piece = " ".join(piece.split()).strip(" .,:;()")
            if len(piece) >= 10 and " " in piece:
                pieces.add(piece)
    return pieces


@functools.cache
def foreign_sentences() -> dict[str, set[str]]:
    """For each language, sentences of the *other* language that must never appear on its
    pages: English msgids translated into something else in Dutch, and those Dutch msgstrs."""
    catalogue = trans_real.translation("nl")._catalog
    english, dutch = set(), set()
    for key, value in catalogue.items():
        msgid = key[0] if isinstance(key, tuple) else key
        msgid = msgid.split("\x04")[-1]  # without a context
        if msgid and value and msgid != value:
            english.add(msgid)
            dutch.add(value)
    english_text = "\n".join(english).casefold()
    dutch_text = "\n".join(dutch).casefold()
    return {
        # An English piece that also reads in some Dutch string (a name, "Safe") is not foreign.
        "nl": {p for p in _fragments(english) if p.casefold() not in dutch_text},
        "en": {p for p in _fragments(dutch) if p.casefold() not in english_text},
    }


def page_text(response) -> str:
    """Everything a reader or a screen reader gets: the text and the attribute values."""
    return " ".join(html.unescape(response.content.decode()).split())


def foreign_on(text: str, language: str) -> list[str]:
    return sorted(piece for piece in foreign_sentences()[language] if piece in text)


def test_the_check_finds_a_sentence_of_the_other_language():
    assert "Save moment" in foreign_sentences()["nl"]
    assert foreign_on("<p>Je moment is bewaard.</p> Moment bewaren", "en") == [
        "Je moment is bewaard",
        "Moment bewaren",
    ]
    assert foreign_on("Moment bewaren", "nl") == []


@pytest.fixture
def journal(parent):
    today = timezone.localdate()
    child = ChildFactory(owner=parent, nickname="Noor")
    moments = {
        "connection": MomentFactory(owner=parent, child=child, what_helped="xyzzy"),
        "open": MomentFactory(owner=parent, mismatch=True, what_happened="plugh"),
        "repaired": MomentFactory(owner=parent, repaired=True, repair_how="quux"),
        "fine": MomentFactory(owner=parent, repair_not_needed=True, date=today - 40 * DAY),
    }
    return child, moments


DAY = datetime.timedelta(days=1)


def _requests(parent, child, moments, link, invitation_token):
    """(method, view name, args, data) of every page and form, with invalid posts for errors."""
    some = moments["connection"].pk
    open_ = moments["open"].pk
    today = timezone.localdate()
    future = (today + datetime.timedelta(days=400)).isoformat()
    return [
        ("get", "reflect:journal", [], None),
        ("get", "reflect:journal", [], {"show": "open", "s": "seen", "q": "nothing like it"}),
        ("get", "reflect:moment_add", [], None),
        ("post", "reflect:moment_add", [], {"what_happened": "", "date": future}),
        ("get", "reflect:moment_detail", [some], None),
        *[("get", "reflect:moment_detail", [m.pk], None) for m in moments.values()],
        ("get", "reflect:moment_edit", [some], None),
        ("post", "reflect:moment_edit", [some], {"what_happened": "", "kind": "mismatch"}),
        ("get", "reflect:moment_repair", [open_], None),
        ("post", "reflect:moment_repair", [open_], {"repair_status": "x", "repaired_on": future}),
        ("get", "reflect:moment_delete", [some], None),
        ("get", "reflect:children", [], None),
        ("post", "reflect:children", [], {"nickname": "", "birth_month": "5"}),
        ("get", "reflect:child_edit", [child.pk], None),
        ("get", "reflect:child_delete", [child.pk], None),
        ("get", "reflect:look_back", [], None),
        ("get", "reflect:look_back_period", [timezone.localdate().strftime("%Y-%m")], None),
        ("get", "reflect:look_back_period", ["all"], None),
        ("get", "reflect:look_back_period", ["2020-01-06"], None),
        ("get", "reflect:look_back_print", ["all"], None),
        ("get", "sharing:links", [], None),
        (
            "post",
            "sharing:links",
            [],
            {"scope": "x", "period_kind": "dates", "valid_until": future},
        ),
        ("get", "sharing:link_view", [link.public_id], None),
        ("get", "sharing:counsellors", [], None),
        ("get", "sharing:invitation_answer", [invitation_token], None),
        ("post", "sharing:invitation_answer", [invitation_token], {"answer": "summaries"}),
        ("get", "yourdata:index", [], None),
        ("get", "yourdata:export_print", [], None),
        ("post", "yourdata:import", [], {}),
        ("get", "yourdata:delete", [], None),
        ("post", "yourdata:delete", [], {"password": "not it"}),
        ("get", "yourdata:deleted", [], None),
        ("get", "account", [], None),
    ]


def _counsellor_requests(invitation):
    future = (timezone.localdate() + datetime.timedelta(days=400)).isoformat()
    return [
        ("get", "sharing:counsellor_profile", [], None),
        ("post", "sharing:counsellor_profile", [], {"name": "", "website": "nope"}),
        ("get", "sharing:dashboard", [], None),
        ("get", "sharing:invitation_new", [], None),
        ("post", "sharing:invitation_new", [], {"focus": "nope", "valid_until": future}),
        ("get", "sharing:invitation_created", [invitation.public_id], None),
        ("get", "sharing:invitation_last_day", [invitation.public_id], None),
        ("post", "sharing:invitation_last_day", [invitation.public_id], {"valid_until": future}),
    ]


def _fetch(client, method, name, args, data, language):
    with translation.override(language):
        address = reverse(name, args=args)
    response = getattr(client, method)(address, data or {})
    assert response.status_code in (200, 400), f"{method} {address}: {response.status_code}"
    return address, page_text(response)


def _check_both_languages(client, requests):
    problems = []
    for method, name, args, data in requests:
        for language in ("en", "nl", "en"):
            address, text = _fetch(client, method, name, args, data, language)
            problems += [f"{method} {address}: {piece!r}" for piece in foreign_on(text, language)]
    assert problems == [], "\n".join(problems)


def test_every_page_of_the_journal_sharing_and_your_data_keeps_to_its_language(
    parent, parent_client, counsellor, journal
):
    child, moments = journal
    link, _token = make_link(parent, scope=ShareLink.Scope.MOMENTS)
    invitation, token = make_invitation(counsellor, note="Welkom")
    response = parent_client.get(f"/nl/share/i/{token}/")
    assert response.status_code == 303
    invitation_id = invitation.public_id
    _check_both_languages(parent_client, _requests(parent, child, moments, link, invitation_id))


def test_every_counsellor_page_keeps_to_its_language(counsellor_client, counsellor):
    invitation, _token = make_invitation(counsellor)
    _check_both_languages(counsellor_client, _counsellor_requests(invitation))


CATALOGUES = ["locale/nl/LC_MESSAGES/django.po"]


def _entries(path):
    """(context, msgid, msgstr) of every singular entry of a --no-wrap catalogue."""

    def text(match):
        return match.group(1).replace('\\"', '"').replace("\\\\", "\\") if match else None

    for block in (settings.BASE_DIR / path).read_text(encoding="utf-8").split("\n\n"):
        msgid = text(re.search(r'^msgid "(.*)"$', block, re.M))
        if msgid and "msgid_plural" not in block:
            msgstr = text(re.search(r'^msgstr "(.*)"$', block, re.M))
            yield text(re.search(r'^msgctxt "(.*)"$', block, re.M)), msgid, msgstr


@pytest.mark.parametrize("path", CATALOGUES)
def test_our_dutch_words_are_the_ones_shown(path):
    """A catalogue that Django reads first (allauth's, Django's) must not put its own Dutch in
    place of ours: "Remove" is "Weghalen" in the journal, not allauth's "Verwijderen". Give such
    a word a context ({% translate "Remove" context "journal" %})."""
    outranked = []
    with translation.override("nl"):
        for context, msgid, msgstr in _entries(path):
            shown = pgettext(context, msgid) if context else gettext(msgid)
            if msgstr and shown != msgstr:
                outranked.append(f"{msgid!r}: {shown!r} instead of {msgstr!r}")
    assert outranked == []
