"""Deleting an account for good: every row that belongs to the person, and every session.

The database does most of it: everything that points at the user (children, moments, drafts, share
links and their view log, invitations, a counsellor profile, email addresses, two-step login
methods, allauth's session list, the security log, the admin log) is deleted with it
(``on_delete=CASCADE``). Sessions are not linked to a user by a column, so they are found twice:
through allauth's list of the user's sessions, and by reading every stored session for this
user's id (the one that is not in the list, if any). All of it is one transaction.

A share link dies with its row, so a counsellor who had it open gets a 404 at the next click.
"""

from __future__ import annotations

from django.contrib.auth import get_user_model
from django.contrib.sessions.models import Session
from django.db import transaction

from hechting.accounts import security_log

BATCH = 500


def session_keys_of(user) -> set[str]:
    """Every stored session that is signed in as ``user``."""
    from allauth.usersessions.models import UserSession

    keys = set(UserSession.objects.filter(user=user).values_list("session_key", flat=True))
    user_id = str(user.pk)
    sessions = Session.objects.order_by("pk").only("session_key", "session_data")
    for session in sessions.iterator(chunk_size=BATCH):
        if session.get_decoded().get("_auth_user_id") == user_id:
            keys.add(session.session_key)
    return keys


def erase_account(user, request=None) -> None:
    """Delete ``user`` and everything that is theirs; record that an account was deleted (the
    record keeps no trace of whose: no user, no id)."""
    with transaction.atomic():
        Session.objects.filter(session_key__in=session_keys_of(user)).delete()
        get_user_model().objects.filter(pk=user.pk).delete()
        security_log.record(request, security_log.Event.ACCOUNT_DELETED)
