"""Site-wide middleware: a login everywhere (with a calm answer for htmx), and the response
headers that Django's own settings do not cover."""

from django.conf import settings
from django.contrib.auth import middleware as auth_middleware
from django.dispatch import Signal
from django.http import HttpRequest, HttpResponse
from django.utils.cache import add_never_cache_headers, patch_cache_control

from hechting.accounts.sessions import CLEAR_SITE_DATA

# What a logout or "leave quickly" removes from the browser: local and session storage,
# IndexedDB, Cache Storage and service workers. Not "cache": private pages are never stored
# (no-store, below), and clearing the HTTP cache would slow the answer down.
CLEAR_SITE_DATA_VALUE = '"storage"'


# Sent (request, view_func) when a signed-out visitor reaches a view that needs a login, before
# the answer: the journal keeps words that came just too late (reflect/unsent.py, drafts.py).
signed_out_request = Signal()
_ANSWERS_401 = "answers_401_when_signed_out"


def answers_401_when_signed_out(view):
    """Mark a view that scripts call (no page to go back to): signed out, it answers 401."""
    setattr(view, _ANSWERS_401, True)
    return view


class LoginRequiredMiddleware(auth_middleware.LoginRequiredMiddleware):
    """Login required everywhere, but an htmx request from a signed-out visitor is not redirected.

    When a session expires while a parent is writing, htmx would follow the redirect to the log
    in page and swap that page into the form, and the words on screen would be gone. Instead an
    htmx request (and a view marked :func:`answers_401_when_signed_out`) gets ``401`` with
    ``HX-Reswap: none``: htmx swaps nothing, the page keeps the text and tells the parent to log
    in again (static/reflect/journal.js). A form posted without htmx goes to the log in page.
    """

    def handle_no_permission(self, request: HttpRequest, view_func) -> HttpResponse:
        signed_out_request.send(sender=self.__class__, request=request, view_func=view_func)
        if getattr(view_func, _ANSWERS_401, False) or request.headers.get("HX-Request") == "true":
            response = HttpResponse(status=401)
            response["HX-Reswap"] = "none"
            response["WWW-Authenticate"] = 'Session realm="Hechting"'
            return response
        return super().handle_no_permission(request, view_func)


class SecurityHeadersMiddleware:
    """Permissions-Policy and Cross-Origin-Resource-Policy on every response, and
    Clear-Site-Data on the answer in which a session ended (logout, quick exit, idle limit)."""

    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        response = self.get_response(request)
        response.headers.setdefault("Permissions-Policy", settings.PERMISSIONS_POLICY)
        response.headers.setdefault("Cross-Origin-Resource-Policy", "same-origin")
        if getattr(request, CLEAR_SITE_DATA, False):
            response.headers["Clear-Site-Data"] = CLEAR_SITE_DATA_VALUE
        return response


class PrivatePagesNoStoreMiddleware:
    """Pages shown to a signed-in person may hold private data: no cache may keep them.

    A view can mark itself private for anonymous visitors too (share links) with
    ``hechting.middleware.private``.
    """

    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        response = self.get_response(request)
        user = getattr(request, "user", None)
        signed_in = user is not None and user.is_authenticated
        if signed_in or getattr(response, "private", False):
            add_never_cache_headers(response)
            patch_cache_control(response, no_store=True, private=True)
        return response
