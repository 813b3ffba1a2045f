"""Secret tokens for share links and invitations: made with ``secrets``, stored only as a hash.

A token is 32 random bytes (256 bits) in URL-safe base64. The database keeps its SHA-256 digest
(a fast hash is right for a high-entropy secret: there is nothing to guess from it); a lookup
finds the row by digest and confirms it with :func:`hmac.compare_digest`.

Addresses that carry a token (``/share/t/...``, ``/share/i/...``) never reach a log: the views
answer without Django's request logging, and the log filter of hechting/lib/log_redaction.py
scrubs them from any record that is written all the same (an error inside the view, say).
"""

from __future__ import annotations

import hashlib
import hmac
import logging
import re
import secrets

from hechting.lib.log_redaction import RedactPersonalData

TOKEN_BYTES = 32


def new_token() -> str:
    return secrets.token_urlsafe(TOKEN_BYTES)


def digest(token: str) -> str:
    return hashlib.sha256(token.encode("utf-8", "surrogatepass")).hexdigest()


def matches(token: str, stored_digest: str) -> bool:
    return hmac.compare_digest(digest(token), stored_digest)


def looks_like_token(token: str) -> bool:
    """Cheap shape check before any database work: 43 URL-safe characters for 32 bytes."""
    return 40 <= len(token) <= 100 and re.fullmatch(r"[A-Za-z0-9_-]+", token) is not None


def find_by_token(queryset, token: str):
    """The one row of ``queryset`` whose ``token_hash`` matches ``token`` (confirmed in constant
    time), or None. Share links, counsellor invitations and co-parent invitations all use it."""
    if not looks_like_token(token):
        return None
    found = queryset.filter(token_hash=digest(token)).first()
    if found is None or not matches(token, found.token_hash):
        return None
    return found


# The rules live in hechting/lib/log_redaction.py, with the other things a log must not hold.
RedactTokens = RedactPersonalData


_FILTER = RedactTokens()


def install_log_redaction() -> None:
    for name in ("django.request", "django.server", "django.security", "django"):
        logger = logging.getLogger(name)
        if _FILTER not in logger.filters:
            logger.addFilter(_FILTER)
