from allauth.account.adapter import DefaultAccountAdapter
from allauth.core import context
from allauth.usersessions.adapter import DefaultUserSessionsAdapter

from hechting.redirects import is_local_path

from .security_log import Event, record


class AccountAdapter(DefaultAccountAdapter):
    """allauth's account behaviour, with our rules where they differ."""

    def is_safe_url(self, url: str | None) -> bool:
        """A ``next`` after logging in or out is a path on this site, never a bare word."""
        return is_local_path(url, context.request)


class UserSessionsAdapter(DefaultUserSessionsAdapter):
    """allauth's "sign out other sessions", with a line in the security log."""

    def end_sessions(self, sessions) -> None:
        sessions = list(sessions)
        super().end_sessions(sessions)
        if sessions:
            request = context.request
            record(request, Event.SESSIONS_ENDED, sessions[0].user, count=len(sessions))
