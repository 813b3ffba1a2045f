"""Who may see what: the one place that scopes sharing objects to a person, and the guards
around the token addresses (rate limit, session grants, headers). Every view goes through here.
"""

from __future__ import annotations

import math
import time
from collections.abc import Callable
from typing import Protocol

from django.conf import settings
from django.core.cache import cache
from django.db.models import F
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import render
from django.urls import reverse, translate_url
from django.utils.translation import get_language

from hechting.accounts import clients
from hechting.http import see_other

from .models import CounsellorProfile, Invitation, ShareLink

LINK_GRANTS = "sharing_links"  # session: ids of share links this browser may open
INVITATION_GRANT = "sharing_invitation"  # session: the invitation this browser came through
MISS_LIMIT = 20  # unknown tokens from one client ...
MISS_WINDOW = 15 * 60  # ... within 15 minutes of its first miss, then 429 until then
NEW_LINK_COOKIE = "hechting_new_link"
NEW_LINK_SALT = "reflect.sharing.new-token"
NEW_LINK_AGE = 10 * 60


# --- Scoping ------------------------------------------------------------------------------------


def counsellor_profile_or_404(request: HttpRequest) -> CounsellorProfile:
    profile = CounsellorProfile.objects.filter(user=request.user).first()
    if profile is None:
        raise Http404("Not a counsellor.")
    return profile


def own_link_or_404(request: HttpRequest, public_id) -> ShareLink:
    link = ShareLink.objects.filter(owner=request.user, public_id=public_id).first()
    if link is None:
        raise Http404("No such share link.")
    return link


def own_invitation_or_404(request: HttpRequest, public_id) -> Invitation:
    invitation = Invitation.objects.filter(counsellor=request.user, public_id=public_id).first()
    if invitation is None:
        raise Http404("No such invitation.")
    return invitation


def granted_invitation_or_404(request: HttpRequest, public_id) -> Invitation:
    """The invitation this browser opened with its token (kept in the session), if still active."""
    invitation = (
        Invitation.objects.select_related("counsellor__counsellor_profile")
        .filter(public_id=public_id)
        .first()
    )
    if invitation is None:
        raise Http404("No such invitation.")
    if not invitation.is_active:
        raise Gone  # the same answer as its token address, with or without the grant
    if request.session.get(INVITATION_GRANT) != invitation.pk:
        raise Http404("No such invitation.")
    return invitation


class Gone(Exception):
    """A link or invitation that existed for this visitor but has ended (410)."""


def viewable_link(request: HttpRequest, public_id) -> tuple[ShareLink, str]:
    """The share link this request may read, and how: "grant" (opened with its token in this
    session), "counsellor" (the counsellor it was shared with) or "owner" (a preview).

    Anything else is a 404. A link that has ended is :class:`Gone` for everyone but its owner,
    checked on every request: the same answer as its token address, whether or not this browser
    still holds the grant (a reload after the session ended, another device).
    """
    link = ShareLink.objects.select_related("child", "owner").filter(public_id=public_id).first()
    if link is None:
        raise Http404("No such share link.")
    user = request.user
    if user.is_authenticated and link.owner_id == user.pk:
        return link, "owner"
    if not link.is_active:
        raise Gone
    if link.pk in request.session.get(LINK_GRANTS, []):
        how = "grant"
    elif user.is_authenticated and link.counsellor_id == user.pk:
        how = "counsellor"
    else:
        raise Http404("No such share link.")
    return link, how


def grant_link(request: HttpRequest, link: ShareLink) -> None:
    grants = [pk for pk in request.session.get(LINK_GRANTS, []) if pk != link.pk]
    request.session[LINK_GRANTS] = [*grants[-19:], link.pk]


def grant_invitation(request: HttpRequest, invitation: Invitation) -> None:
    """The invitation this browser came through; each browser counts as one use."""
    if request.session.get(INVITATION_GRANT) != invitation.pk:
        Invitation.objects.filter(pk=invitation.pk).update(use_count=F("use_count") + 1)
        request.session[INVITATION_GRANT] = invitation.pk


class Openable(Protocol):
    """What :func:`open_token` needs of a row behind a token: share links, counsellor and
    co-parent invitations."""

    public_id: object
    is_active: bool


def open_token[Opened: Openable](
    request: HttpRequest,
    model: type[Opened],
    token: str,
    grant: Callable[[HttpRequest, Opened], None],
    then: str,
) -> HttpResponse:
    """A token address: swap the token for a ``grant`` in this browser's session, then go on to
    the URL named ``then`` (with the object's public id), leaving the token behind. Unknown
    tokens count towards the guessing limit; an ended link or invitation is 410."""
    if wait := retry_after(request):
        return refusal(request, 429, retry_after=wait)
    opened = model.objects.by_token(token)
    if opened is None:
        count_miss(request)
        return refusal(request, 404)
    if not opened.is_active:
        return refusal(request, 410)
    grant(request, opened)
    return quiet(see_other(then, opened.public_id))


# --- Guessing -----------------------------------------------------------------------------------


def now() -> float:
    return time.time()


def _miss_key(request: HttpRequest) -> str:
    # Per client (behind the proxies the settings name), and never the address itself.
    return f"sharing:misses:{clients.client_key(request)}"


def _misses(request: HttpRequest, moment: float) -> tuple[int, float]:
    """Misses of this client in its current window, and when that window ends."""
    count, until = cache.get(_miss_key(request)) or (0, 0.0)
    return (count, until) if until > moment else (0, moment + MISS_WINDOW)


def retry_after(request: HttpRequest) -> int:
    """Seconds until this client may try again: 0 when it may now."""
    moment = now()
    count, until = _misses(request, moment)
    return math.ceil(until - moment) if count >= MISS_LIMIT else 0


def count_miss(request: HttpRequest) -> None:
    # The window starts at the first miss and is not moved by later ones (a plain cache.incr
    # would store the count again with the cache's default lifetime).
    moment = now()
    count, until = _misses(request, moment)
    cache.set(_miss_key(request), (count + 1, until), math.ceil(until - moment))


# --- Responses ----------------------------------------------------------------------------------


def private(response: HttpResponse, *, no_referrer: bool = True) -> HttpResponse:
    """Headers for every page a share link or invitation shows: nothing kept, sent or indexed.

    ``no_referrer=False`` is for pages with a form of their own: under ``no-referrer`` browsers
    send ``Origin: null`` with a POST, which Django's CSRF check rightly refuses.
    """
    response.private = True  # hechting.middleware.PrivatePagesNoStoreMiddleware: no-store
    if no_referrer:
        response["Referrer-Policy"] = "no-referrer"
    response["X-Robots-Tag"] = "noindex, nofollow"
    return response


def language_links(request: HttpRequest, *, home: bool = False) -> list[dict]:
    """The same page in every language, as plain links (pages under ``no-referrer`` cannot use
    the language form, see :func:`private`). ``home``: link to the home page instead (for an
    answer at a token address, whose own address must not be repeated)."""
    current = get_language()
    path = reverse("home") if home else request.path
    return [
        {"code": code, "url": translate_url(path, code), "current": code == current}
        for code, _name in settings.LANGUAGES
    ]


def quiet(response: HttpResponse) -> HttpResponse:
    """A refusal at a token address: private, and never written to Django's request log."""
    response._has_been_logged = True  # django.utils.log.log_response skips it (no token in logs)
    return private(response)


def refusal(request: HttpRequest, status: int, *, retry_after: int = 0) -> HttpResponse:
    template = {404: "404.html", 410: "sharing/gone.html", 429: "429.html"}[status]
    context = {"languages": language_links(request, home=True)}
    response = render(request, template, context, status=status)
    if retry_after:
        response["Retry-After"] = str(retry_after)
    return quiet(response)


def remember_new_token(response: HttpResponse, token: str, path: str) -> None:
    """Hand the new token to the next page in a short-lived signed cookie for that one address:
    the token is shown once and is never stored on the server, not even in the session."""
    response.set_signed_cookie(
        NEW_LINK_COOKIE, token, salt=NEW_LINK_SALT, max_age=NEW_LINK_AGE, **_new_token_flags(path)
    )


def _new_token_flags(path: str) -> dict:
    """The cookie's flags, the same when it is set and when it is deleted."""
    return {
        "path": path,
        "secure": settings.SESSION_COOKIE_SECURE,
        "httponly": True,
        "samesite": "Strict",
    }


def read_new_token(request: HttpRequest) -> str | None:
    return request.get_signed_cookie(
        NEW_LINK_COOKIE, default=None, salt=NEW_LINK_SALT, max_age=NEW_LINK_AGE
    )


def forget_new_token(request: HttpRequest, response: HttpResponse) -> HttpResponse:
    # Not delete_cookie(): it drops Secure and HttpOnly.
    response.set_cookie(
        NEW_LINK_COOKIE,
        "",
        max_age=0,
        expires="Thu, 01 Jan 1970 00:00:00 GMT",
        **_new_token_flags(request.path),
    )
    return response
