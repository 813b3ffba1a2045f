"""Login required everywhere, but an htmx request from a signed-out visitor is not redirected.

When a session expires while a parent is writing, htmx would follow the redirect to the login
page and swap that page into the form, and the words on screen would be gone. Instead an htmx
request gets ``401`` with ``HX-Reswap: none``: htmx swaps nothing, the page keeps the text (and
its local draft) and tells the parent to sign in again (static/reflect/journal.js). A form posted
without htmx goes to the log-in page, and its words come back after logging in (reflect/unsent.py).
"""

from django.contrib.auth import middleware as auth_middleware
from django.http import HttpRequest, HttpResponse

from . import unsent


class LoginRequiredMiddleware(auth_middleware.LoginRequiredMiddleware):
    def handle_no_permission(self, request: HttpRequest, view_func) -> HttpResponse:
        if request.headers.get("HX-Request") == "true":
            response = HttpResponse(status=401)
            response["HX-Reswap"] = "none"
            response["WWW-Authenticate"] = 'Session realm="Hechting"'
            return response
        unsent.keep(request, view_func)
        return super().handle_no_permission(request, view_func)
