"""Share-link and invitation tokens: 256 random bits, kept only as a digest, compared in constant
time, never in the database, the logs or the address bar; and guessing them is rate limited."""

import logging
import re

import pytest
from django.db import connection

from reflect.sharing import tokens
from reflect.sharing.access import MISS_LIMIT
from reflect.sharing.models import Invitation, ShareLink
from tests.conftest import HttpsClient
from tests.factories import MomentFactory
from tests.sharing_helpers import days, make_link, open_link, token_from_page

pytestmark = pytest.mark.django_db


def test_a_token_has_at_least_256_random_bits_and_only_its_digest_is_kept(parent):
    link, token = make_link(parent)
    assert len(token) >= 43  # 32 bytes in URL-safe base64
    assert re.fullmatch(r"[A-Za-z0-9_-]+", token)
    assert link.token_hash == tokens.digest(token)
    assert token not in link.token_hash
    _other, other_token = make_link(parent)
    assert other_token != token


def test_a_lookup_needs_the_exact_token(parent):
    link, token = make_link(parent)
    assert ShareLink.objects.by_token(token) == link
    assert ShareLink.objects.by_token(token[:-1] + ("A" if token[-1] != "A" else "B")) is None
    assert ShareLink.objects.by_token(link.token_hash) is None  # the digest is not a key
    assert ShareLink.objects.by_token("") is None


def _all_text_in_the_database() -> str:
    """Every value of every column of every table, as text."""
    chunks = []
    with connection.cursor() as cursor:
        for table in connection.introspection.table_names():
            quoted = connection.ops.quote_name(table)
            cursor.execute(f"SELECT * FROM {quoted}")  # noqa: S608 (table names from the schema)
            for row in cursor.fetchall():
                for value in row:
                    if isinstance(value, bytes | memoryview):
                        value = bytes(value).decode("latin-1")
                    chunks.append(str(value))
    return "\n".join(chunks)


def _make_and_use_a_link_through_the_pages(parent_client) -> tuple[str, ShareLink]:
    response = parent_client.post(
        "/nl/share/",
        {"scope": "moments", "period_kind": "all", "valid_until": days(14).isoformat()},
    )
    assert response.status_code == 303
    token = token_from_page(parent_client.get(response["Location"]).content.decode())
    visitor = HttpsClient()
    assert open_link(visitor, token).status_code == 200
    link = ShareLink.objects.get()
    link.revoke()
    assert visitor.get(f"/nl/share/view/{link.public_id}/").status_code == 410
    assert HttpsClient().get(f"/nl/share/t/{token}/").status_code == 410
    return token, link


def test_the_raw_token_is_in_no_column_of_any_table(parent_client, parent):
    MomentFactory(owner=parent, what_happened="We bouwden een hut van dekens")
    token, link = _make_and_use_a_link_through_the_pages(parent_client)
    text = _all_text_in_the_database()
    assert link.token_hash in text  # the scan does see the link's row
    assert token not in text


def test_the_raw_invitation_token_is_in_no_column_of_any_table(counsellor_client):
    response = counsellor_client.post(
        "/nl/share/invitations/new/", {"note": "", "focus": "", "valid_until": days(5)}
    )
    assert response.status_code == 303
    page = counsellor_client.get(response["Location"]).content.decode()
    token = token_from_page(page, kind="i")
    assert HttpsClient().get(f"/nl/share/i/{token}/").status_code == 303
    text = _all_text_in_the_database()
    assert Invitation.objects.get().token_hash in text
    assert token not in text


def test_the_raw_token_is_in_no_log_record(parent_client, caplog):
    for name in ["", *logging.root.manager.loggerDict]:
        caplog.set_level(logging.DEBUG, logger=name)
    token, _link = _make_and_use_a_link_through_the_pages(parent_client)
    unknown = tokens.new_token()
    assert HttpsClient().get(f"/nl/share/t/{unknown}/").status_code == 404
    assert HttpsClient().get(f"/nl/share/i/{unknown}/").status_code == 404
    assert caplog.records, "the log was listening"
    for record in caplog.records:
        text = record.getMessage() + repr(record.__dict__)
        assert token not in text
        assert unknown not in text


def test_request_log_lines_about_token_addresses_are_redacted():
    record = logging.LogRecord(
        "django.request",
        logging.WARNING,
        __file__,
        1,
        "Not Found: %s",
        ("/nl/share/t/abc123/",),
        None,
    )
    assert tokens.RedactTokens().filter(record)
    assert record.getMessage() == "Not Found: /nl/share/t/[redacted]/"


def test_the_token_leaves_the_address_bar(parent):
    link, token = make_link(parent)
    response = HttpsClient().get(f"/nl/share/t/{token}/")
    assert response.status_code == 303
    assert response["Location"] == f"/nl/share/view/{link.public_id}/"


def test_guessing_tokens_is_answered_with_429_after_a_few_tries(parent):
    _link, token = make_link(parent)
    guesser = HttpsClient(REMOTE_ADDR="203.0.113.9")
    for _ in range(MISS_LIMIT):
        assert guesser.get(f"/nl/share/t/{tokens.new_token()}/").status_code == 404
    assert guesser.get(f"/nl/share/t/{tokens.new_token()}/").status_code == 429
    assert guesser.get(f"/nl/share/i/{tokens.new_token()}/").status_code == 429
    assert guesser.get(f"/nl/share/t/{token}/").status_code == 429  # even a real one, for now
    someone_else = HttpsClient(REMOTE_ADDR="198.51.100.4")
    assert someone_else.get(f"/nl/share/t/{token}/").status_code == 303


def test_the_rate_limit_is_counted_in_the_shared_cache_without_the_address(parent):
    guesser = HttpsClient(REMOTE_ADDR="203.0.113.9")
    guesser.get(f"/nl/share/t/{tokens.new_token()}/")
    with connection.cursor() as cursor:
        cursor.execute("SELECT cache_key FROM hechting_cache")
        keys = [row[0] for row in cursor.fetchall()]
    assert keys  # stored as keyed hashes (hechting/accounts/clients.py)
    assert not any("203.0.113.9" in key or "sharing" in key for key in keys)


def test_a_malformed_token_is_not_found(client):
    assert client.get("/nl/share/t/short/").status_code == 404
    assert client.get("/nl/share/t/" + "é" * 43 + "/").status_code == 404


def test_invitation_tokens_are_kept_only_as_a_digest(counsellor):
    invitation = Invitation(counsellor=counsellor, valid_until=days(3))
    token = invitation.issue_token()
    invitation.save()
    assert invitation.token_hash == tokens.digest(token)
    assert Invitation.objects.by_token(token) == invitation
