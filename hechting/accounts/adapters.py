from allauth.core import context
from allauth.usersessions.adapter import DefaultUserSessionsAdapter

from .security_log import Event, record


class UserSessionsAdapter(DefaultUserSessionsAdapter):
    """allauth's "sign out other sessions", with a line in the security log."""

    def end_sessions(self, sessions) -> None:
        sessions = list(sessions)
        super().end_sessions(sessions)
        if sessions:
            request = context.request
            record(request, Event.SESSIONS_ENDED, sessions[0].user, count=len(sessions))
