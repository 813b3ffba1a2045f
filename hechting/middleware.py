"""Response headers that Django's own settings do not cover."""

from django.conf import settings
from django.utils.cache import add_never_cache_headers, patch_cache_control

from hechting.accounts.sessions import CLEAR_SITE_DATA

# What a logout or "leave quickly" removes from the browser: local and session storage,
# IndexedDB, Cache Storage and service workers. Not "cache": private pages are never stored
# (no-store, below), and clearing the HTTP cache would slow the answer down.
CLEAR_SITE_DATA_VALUE = '"storage"'


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
