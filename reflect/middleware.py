"""Login required everywhere, but an htmx request from a signed-out visitor is not redirected.

When a session expires while a parent is writing, htmx would follow the redirect to the login
page and swap that page into the form, and the words on screen would be gone. Instead an htmx
request gets ``401`` with ``HX-Reswap: none``: htmx swaps nothing, the page keeps the text (its
draft is on the server) and tells the parent to sign in again (static/reflect/journal.js). A form
posted without htmx goes to the log-in page, and its words come back after logging in
(reflect/unsent.py).
The draft address (reflect/drafts.py) answers 401 too, and keeps a draft that came just too late.
"""

from django.contrib.auth import middleware as auth_middleware
from django.http import HttpRequest, HttpResponse

from . import drafts, unsent


class LoginRequiredMiddleware(auth_middleware.LoginRequiredMiddleware):
    def handle_no_permission(self, request: HttpRequest, view_func) -> HttpResponse:
        if drafts.is_endpoint(view_func):
            drafts.keep_late(request)
            return _session_ended()
        if request.headers.get("HX-Request") == "true":
            return _session_ended()
        unsent.keep(request, view_func)
        return super().handle_no_permission(request, view_func)


def _session_ended() -> HttpResponse:
    response = HttpResponse(status=401)
    response["HX-Reswap"] = "none"
    response["WWW-Authenticate"] = 'Session realm="Hechting"'
    return response
