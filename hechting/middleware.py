"""Response headers that Django's own settings do not cover."""

from django.conf import settings
from django.utils.cache import add_never_cache_headers, patch_cache_control


class SecurityHeadersMiddleware:
    """Permissions-Policy and Cross-Origin-Resource-Policy on every response."""

    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        response = self.get_response(request)
        response.headers.setdefault("Permissions-Policy", settings.PERMISSIONS_POLICY)
        response.headers.setdefault("Cross-Origin-Resource-Policy", "same-origin")
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
