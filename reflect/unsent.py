"""Words sent just after the session ended are not lost, with or without JavaScript.

A parent writes for a long while, the session ends (30 quiet minutes), and they press Save. With
JavaScript the words are a draft on the server (reflect/drafts.py; htmx gets 401, not the log-in
page). Without it, the browser follows the redirect to the log-in form and the words were gone.

Now the POST that comes too late is kept: its fields are sealed with the journal key (bound to
the parent and the address, like a stored moment) and put in the new, signed-out session. When
the *same* parent has logged in again and the browser opens the form at that address (the
log-in form's ``next``), the form is filled with the words and says that nothing is saved yet.
Anyone else who logs in on that browser gets nothing; the kept words are dropped.

Only a POST that passed the CSRF check is kept (this runs at the log-in check, after
``CsrfViewMiddleware``), only for views marked :func:`restorable`, and only when the session
ended in this very request (``IdleTimeoutMiddleware`` says for whom): when a session was deleted
on the server instead, nobody can say whose the words were, and they are not kept.
"""

from __future__ import annotations

import json

from django.contrib import messages
from django.http import HttpRequest, QueryDict
from django.utils.translation import gettext as _

from hechting.accounts import sessions

from .encryption import SealError, keyring

SESSION_KEY = "reflect_unsent"
_ATTRIBUTE = "keeps_unsent_words"


def restorable(view):
    """Mark a form view whose POST is kept when the session ended just before it."""
    setattr(view, _ATTRIBUTE, True)
    return view


def _aad(owner_id: int, path: str) -> bytes:
    return f"hechting:unsent:{owner_id}:{path}".encode()


def keep(request: HttpRequest, view_func) -> None:
    """Keep this POST's fields, sealed, if it came to a restorable form just too late."""
    owner_id = getattr(request, sessions.ENDED_FOR, None)
    if request.method != "POST" or owner_id is None or not getattr(view_func, _ATTRIBUTE, False):
        return
    fields = {
        name: values for name, values in request.POST.lists() if name != "csrfmiddlewaretoken"
    }
    words = keyring().seal(json.dumps(fields), _aad(owner_id, request.path))
    request.session[SESSION_KEY] = {"path": request.path, "owner": owner_id, "words": words}


def keep_when_signed_out(sender, request: HttpRequest, view_func, **kwargs) -> None:
    """hechting.middleware.signed_out_request: a form posted without htmx just too late (an htmx
    post keeps its words on the page and on the server as a draft)."""
    if request.headers.get("HX-Request") != "true":
        keep(request, view_func)


def take(request: HttpRequest) -> QueryDict | None:
    """The kept fields for this form and this parent, once; None when there are none."""
    kept = request.session.pop(SESSION_KEY, None)
    if not kept or kept.get("path") != request.path or kept.get("owner") != request.user.pk:
        return None
    try:
        fields = json.loads(keyring().open(kept["words"], _aad(request.user.pk, request.path)))
    except (SealError, ValueError, KeyError):
        return None
    data = QueryDict(mutable=True)
    for name, values in fields.items():
        data.setlist(name, values)
    messages.info(
        request,
        _(
            "You were logged out before your words were saved. They are back in the form: "
            "check them and save."
        ),
    )
    return data
