"""Rendered pages kept for a while in the worker's own memory, so that reading a page again costs
a cache lookup instead of the queries, the decryption and the template.

What is kept and for whom
    A page is kept per person and per *version* of what it shows: a parent's journal pages under
    the parent's ``User.journal_version``, which every change to a moment or a child replaces
    (:func:`journal_changed`); a share page under its owner's version; a learn page under the
    app itself. A change makes the old copies unreachable at once, in every worker, because the
    version is read from the database on every request (the parent's own row, which the
    session's user lookup loads anyway; no extra query). The key also holds the address, the
    language, today's date (pages say "this week"), the htmx headers, the counsellor mark in the
    session and discreet mode, the only other things the kept pages show.

Where it is kept
    In the worker process (``CACHES["pages"]``, a local-memory cache), never in the database or on
    disk: the pages hold decrypted journal text, which must not end up next to the encrypted
    rows. Each worker keeps at most ``PAGE_CACHE_SIZE`` pages for at most ``PAGE_CACHE_SECONDS``
    (10 minutes; ``0`` switches the cache off).

What is never kept
    Anything but a plain ``GET`` answered with 200, a page with a message to show ("Your moment
    is saved.") or with drafts to forget, and the CSRF token: a kept page holds a placeholder,
    and every answer gets a fresh masked token of the visitor's own secret, as Django would give.
"""

from __future__ import annotations

import functools
import hashlib
import secrets
import uuid
from collections.abc import Callable

from django.conf import settings
from django.contrib.auth import get_user_model
from django.contrib.messages import get_messages
from django.core.cache import caches
from django.http import HttpRequest, HttpResponse
from django.middleware.csrf import get_token
from django.utils import timezone, translation

from hechting.context_processors import is_discreet

# Never guessed and never typed: a new one in every process.
_PLACEHOLDER = f"csrf-placeholder-{secrets.token_hex(24)}"
_ATTRIBUTE = "_page_cache_rendering"
# htmx asks for a part of a page with these; a kept part must not answer a whole-page request.
_HTMX_HEADERS = ("HX-Request", "HX-Boosted", "HX-History-Restore-Request", "HX-Target")
# Session keys that change a page for one request only (journal drafts the browser may forget).
_ONE_OFF_SESSION_KEYS = ("reflect_saved_drafts",)


def csrf_placeholder(request: HttpRequest) -> dict[str, str]:
    """Context processor: while a page is rendered for keeping, its CSRF token is a placeholder.

    Django's own ``csrf`` processor always runs first; this one (listed in settings) overrides
    its ``csrf_token`` only for that render.
    """
    if getattr(request, _ATTRIBUTE, False):
        return {"csrf_token": _PLACEHOLDER}
    return {}


def journal_changed(user_id: int | None) -> None:
    """A parent's moments or children changed: every kept page that shows them is out of date."""
    if user_id is not None:
        get_user_model().objects.filter(pk=user_id).update(journal_version=uuid.uuid4())


def _enabled() -> bool:
    return settings.PAGE_CACHE_SECONDS > 0


def _keepable(request: HttpRequest) -> bool:
    if request.method != "GET" or not _enabled():
        return False
    session = getattr(request, "session", None)
    if session is not None and any(key in session for key in _ONE_OFF_SESSION_KEYS):
        return False
    # len() reads the queued messages without marking them shown.
    return not len(get_messages(request))


def _key(request: HttpRequest, version: str) -> str:
    user = getattr(request, "user", None)
    session = getattr(request, "session", None)
    parts = [
        version,
        str(user.pk) if user is not None and user.is_authenticated else "-",
        # The counsellor's "Overview" in the navigation (reflect.sharing.signals.SESSION_FLAG).
        "c" if session is not None and session.get("sharing_is_counsellor") else "",
        # Discreet mode changes the tab title and icon (hechting/context_processors.py).
        "d" if is_discreet(request) else "",
        translation.get_language() or "",
        timezone.localdate().isoformat(),
        request.get_full_path(),
        *(request.headers.get(name, "") for name in _HTMX_HEADERS),
    ]
    return hashlib.sha256("\x1f".join(parts).encode()).hexdigest()


def serve(request: HttpRequest, version: str, render: Callable[[], HttpResponse]) -> HttpResponse:
    """The kept copy of this page for ``version``, or ``render()`` it and keep it.

    ``version`` names everything the page shows that the key does not already hold; callers
    pass a journal version (:func:`for_parent`, the share page) or a constant (learn pages).
    """
    if not _keepable(request):
        return render()
    cache = caches["pages"]
    key = _key(request, version)
    kept = cache.get(key)
    if kept is None:
        setattr(request, _ATTRIBUTE, True)
        try:
            response = render()
        finally:
            setattr(request, _ATTRIBUTE, False)
        if response.status_code != 200 or response.streaming:
            return _with_token(request, response)
        kept = (response.content, response["Content-Type"])
        cache.set(key, kept, settings.PAGE_CACHE_SECONDS)
        return _with_token(request, response)
    content, content_type = kept
    return _with_token(request, HttpResponse(content, content_type=content_type))


def _with_token(request: HttpRequest, response: HttpResponse) -> HttpResponse:
    if not response.streaming and _PLACEHOLDER.encode() in response.content:
        token = get_token(request)  # also asks CsrfViewMiddleware to set the cookie
        response.content = response.content.replace(_PLACEHOLDER.encode(), token.encode())
    return response


def for_parent(view: Callable) -> Callable:
    """Keep a signed-in parent's page under their journal version (journal, look back)."""

    @functools.wraps(view)
    def wrapper(request: HttpRequest, *args, **kwargs) -> HttpResponse:
        version = request.user.journal_version.hex
        return serve(request, version, lambda: view(request, *args, **kwargs))

    return wrapper


def for_everyone(view: Callable) -> Callable:
    """Keep a page that is the same for every visitor in a language (learn pages).

    Its text changes only with a new release, and a new release starts new workers.
    """

    @functools.wraps(view)
    def wrapper(request: HttpRequest, *args, **kwargs) -> HttpResponse:
        return serve(request, "public", lambda: view(request, *args, **kwargs))

    return wrapper
