"""Asking for the password again before a change that could hand the account to someone else.

allauth does the asking (ACCOUNT_REAUTHENTICATION_* in settings.py): the password, an
authenticator code or a passkey from the last few minutes. :data:`fresh_login_required` guards
our own views; allauth keeps a POST that needed it and finishes it after the password. A file
cannot be kept that way, so :func:`fresh_login_required_then` sends the parent back to the page
with the form instead.
"""

from __future__ import annotations

from functools import wraps

from allauth.account.adapter import get_adapter
from allauth.account.decorators import reauthentication_required
from allauth.core.exceptions import ReauthenticationRequired
from django.contrib.auth import REDIRECT_FIELD_NAME
from django.http import HttpRequest, HttpResponseRedirect
from django.urls import reverse
from django.utils.http import urlencode

APP = "allauth.account"  # one switch for all: ACCOUNT_REAUTHENTICATION_REQUIRED

fresh_login_required = reauthentication_required(app=APP)
fresh_login_required_for_post = reauthentication_required(app=APP, allow_get=True)


def fresh_login_required_then(url_name: str):
    """Like :data:`fresh_login_required`, but afterwards the parent lands on ``url_name``."""

    def decorator(view):
        guarded = fresh_login_required(view)

        @wraps(view)
        def wrapper(request: HttpRequest, *args, **kwargs):
            try:
                return guarded(request, *args, **kwargs)
            except ReauthenticationRequired:
                methods = get_adapter(request).get_reauthentication_methods(request.user)
                query = urlencode({REDIRECT_FIELD_NAME: reverse(url_name)})
                response = HttpResponseRedirect(f"{methods[0]['url']}?{query}")
                response.status_code = 303
                return response

        return wrapper

    return decorator
