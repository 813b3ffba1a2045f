"""Drafts: what a parent typed and has not saved yet, kept sealed on the server, not the device.

A phone is often shared, so words typed in a form are never left readable in the browser's
storage. While a parent types, static/reflect/journal.js sends the form's fields (debounced) to
:func:`reflect.views.draft`; they are stored as one :class:`~reflect.models.Draft` per parent and
form, sealed with the journal key like a moment's words and bound to the parent, the row and the
form. The form asks for its draft when it opens again (after a reload, a closed tab or a new
login) and the draft is dropped when the moment is saved or the parent removes it. A draft
lives ``DRAFT_LIFE`` (seven days) after its last change; :func:`purge_expired_drafts` deletes
older ones (housekeeping) and they are never given back before that.

When the session ends in the very request that brings a draft (30 quiet minutes, a phone that
slept), the draft is still kept for the parent whose session it was, as
:mod:`reflect.unsent` does for a form posted without JavaScript: the request passed the CSRF
check and carried that parent's session cookie. Any later request of a signed-out browser keeps
nothing.
"""

from __future__ import annotations

import datetime
import json
import re

from django import forms
from django.http import Http404, HttpRequest, QueryDict
from django.utils import timezone

from hechting.accounts import sessions
from hechting.middleware import answers_401_when_signed_out

from .encryption import SealError
from .forms import MomentForm, RepairForm
from .models import Draft, Moment

# Longer than any field takes (the form says so), so a draft never cuts what was pasted.
VALUE_MAX = 50_000
_FORM = re.compile(r"^(?:(?P<new>new)|(?P<kind>moment|repair)-(?P<pk>[1-9][0-9]{0,17}))$")


class BadDraft(ValueError):
    """Fields that are not a draft of this form."""


def endpoint(view):
    """Mark the draft view: signed out, it answers 401, and a late draft is kept."""
    view = answers_401_when_signed_out(view)
    view.is_draft_endpoint = True
    return view


def is_endpoint(view) -> bool:
    return getattr(view, "is_draft_endpoint", False)


def target(owner_id: int, form: str) -> tuple[type[forms.ModelForm], Moment | None]:
    """The form class and moment a draft name stands for, for this parent; 404 otherwise."""
    match = _FORM.match(form)
    if match is None:
        raise Http404("No such form.")
    if match["new"]:
        return MomentForm, None
    moment = Moment.objects.filter(owner_id=owner_id, pk=int(match["pk"])).first()
    if moment is None or (match["kind"] == "repair" and not moment.is_mismatch):
        raise Http404("No such moment.")
    return (MomentForm if match["kind"] == "moment" else RepairForm), moment


def fields_of(data: QueryDict, form_class: type[forms.ModelForm]) -> dict[str, list[str]]:
    """The form's own fields in ``data``; nothing else is kept. :class:`BadDraft` for odd input."""
    fields = {}
    for name in form_class.base_fields:
        values = data.getlist(name)
        if any(len(value) > VALUE_MAX or "\x00" in value for value in values):
            raise BadDraft(name)
        if values:
            fields[name] = values
    return fields


def _has_words(fields: dict[str, list[str]]) -> bool:
    return any(value.strip() for name in Moment.TEXT_FIELDS for value in fields.get(name, []))


def keep(owner_id: int, form: str, moment: Moment | None, fields: dict, now=None) -> bool:
    """Store the draft (replacing the last one); without any words, drop it. True if kept."""
    if not _has_words(fields):
        drop(owner_id, form)
        return False
    Draft.objects.update_or_create(
        owner_id=owner_id,
        form=form,
        defaults={"moment": moment, "fields": json.dumps(fields), "updated": now or timezone.now()},
    )
    return True


def fields_for(owner_id: int, form: str, now=None) -> dict[str, list[str]] | None:
    """The parent's living draft of this form, opened; None when there is none."""
    draft = Draft.objects.alive(now or timezone.now()).filter(owner_id=owner_id, form=form).first()
    if draft is None:
        return None
    try:
        return json.loads(draft.fields)
    except (SealError, ValueError):
        # Sealed with a key that is gone, or moved from another row: it cannot be given back.
        draft.delete()
        return None


def drop(owner_id: int, form: str) -> None:
    Draft.objects.filter(owner_id=owner_id, form=form).delete()


def purge_expired_drafts(now: datetime.datetime | None = None) -> int:
    """Delete every draft past its life (``DRAFT_LIFE`` after its last change); how many."""
    deleted, _ = Draft.objects.expired(now or timezone.now()).delete()
    return deleted


def keep_late(request: HttpRequest) -> None:
    """A draft that came in the request that ended its session: keep it for that parent."""
    owner_id = getattr(request, sessions.ENDED_FOR, None)
    match = request.resolver_match
    if request.method != "POST" or owner_id is None or match is None:
        return
    form = match.kwargs.get("form", "")
    try:
        form_class, moment = target(owner_id, form)
        keep(owner_id, form, moment, fields_of(request.POST, form_class))
    except (Http404, BadDraft):
        return


def keep_late_when_signed_out(sender, request: HttpRequest, view_func, **kwargs) -> None:
    """hechting.middleware.signed_out_request: a draft sent to the draft address just too late."""
    if is_endpoint(view_func):
        keep_late(request)
