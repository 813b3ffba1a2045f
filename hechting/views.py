import datetime
import logging

from django.conf import settings
from django.contrib.auth.decorators import login_not_required
from django.core.exceptions import RequestDataTooBig
from django.db import DatabaseError, connection
from django.http import Http404, HttpRequest, HttpResponse, JsonResponse
from django.shortcuts import redirect, render
from django.utils import timezone, translation
from django.views import defaults
from django.views.decorators.cache import never_cache
from django.views.decorators.http import require_GET, require_POST
from django.views.i18n import set_language as django_set_language

from hechting.accounts.views import account_security
from hechting.redirects import next_path

logger = logging.getLogger(__name__)

# How much of a too-large body is read (and thrown away) before answering, so that the browser
# gets our page instead of a reset connection: gunicorn closes the socket after the answer, and
# closing it with unread bytes makes the kernel reset the connection before the browser reads.
DRAIN_LIMIT = 32 * 1024 * 1024


@login_not_required
@require_GET
def home(request: HttpRequest) -> HttpResponse:
    if request.user.is_authenticated:
        return redirect("reflect:journal")
    return render(request, "hechting/home.html")


@login_not_required
@require_GET
def privacy(request: HttpRequest) -> HttpResponse:
    return render(request, "hechting/privacy.html")


@require_GET
def account(request: HttpRequest) -> HttpResponse:
    context = {**account_security(request), "version": settings.VERSION}
    return render(request, "hechting/account.html", context)


@login_not_required
@require_POST
def set_language(request: HttpRequest) -> HttpResponse:
    """Django's language switch (a plain form post), open to visitors who are not signed in.

    Django translates the ``next`` address by resolving it in the active language, which for
    this unprefixed URL comes from the cookie or the browser. Resolve it in the language of
    its own prefix instead, so /en/... becomes /nl/... whatever language was active. A ``next``
    that is not a path on this site becomes "/" (hechting/redirects.py).
    """
    if "next" in request.POST:
        request.POST = request.POST.copy()
        request.POST["next"] = next_path(request, fallback="/")
    language_of_next = translation.get_language_from_path(request.POST.get("next", ""))
    if language_of_next:
        translation.activate(language_of_next)
    return django_set_language(request)


@login_not_required
@never_cache
@require_GET
def healthz(request: HttpRequest) -> HttpResponse:
    """Public liveness and database check: {"status": "ok" or "unavailable", "version": ...}
    and nothing more (no database name, no error)."""
    try:
        with connection.cursor() as cursor:
            cursor.execute("SELECT 1")
            cursor.fetchone()
    except DatabaseError:
        logger.exception("Health check: the database did not answer")
        return JsonResponse({"status": "unavailable", "version": settings.VERSION}, status=503)
    return JsonResponse({"status": "ok", "version": settings.VERSION})


SECURITY_TXT_LIFETIME = datetime.timedelta(days=30)


@login_not_required
@require_GET
def security_txt(request: HttpRequest) -> HttpResponse:
    """/.well-known/security.txt (RFC 9116): where to report a security problem. Made for each
    request, so Expires is always a month ahead; 404 while SECURITY_CONTACT is unset."""
    if not settings.SECURITY_CONTACT:
        raise Http404("No security contact is configured.")
    expires = (timezone.now() + SECURITY_TXT_LIFETIME).astimezone(datetime.UTC)
    lines = [
        f"Contact: {settings.SECURITY_CONTACT}",
        f"Expires: {expires:%Y-%m-%dT%H:%M:%SZ}",
        "Preferred-Languages: nl, en",
        f"Canonical: {request.build_absolute_uri('/.well-known/security.txt')}",
    ]
    return HttpResponse("\n".join(lines) + "\n", content_type="text/plain; charset=utf-8")


@login_not_required
@require_GET
def robots_txt(request: HttpRequest) -> HttpResponse:
    lines = [
        "User-agent: *",
        "Disallow: /admin/",
        "Disallow: /nl/journal/",
        "Disallow: /en/journal/",
        "Disallow: /nl/account/",
        "Disallow: /en/account/",
        "Disallow: /nl/accounts/",
        "Disallow: /en/accounts/",
        "Allow: /",
    ]
    return HttpResponse("\n".join(lines) + "\n", content_type="text/plain")


def bad_request(request: HttpRequest, exception: Exception) -> HttpResponse:
    """400 for requests Django cannot use, and 413 in the visitor's language for a body over
    DATA_UPLOAD_MAX_MEMORY_SIZE (Django raises RequestDataTooBig where the form is read)."""
    if not isinstance(exception, RequestDataTooBig):
        return defaults.bad_request(request, exception)
    _drain(request)
    return render(request, "413.html", status=413)


def _drain(request: HttpRequest) -> None:
    remaining = DRAIN_LIMIT
    try:
        while remaining > 0 and (chunk := request.read(min(remaining, 64 * 1024))):
            remaining -= len(chunk)
    except OSError:
        return  # the browser has gone; nobody reads the answer
