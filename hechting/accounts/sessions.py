"""How long a signed-in session lasts: 30 quiet minutes, and two weeks at most.

The server decides. Each request (except the notice's own status check) counts as activity and
its time is stored in the session, to the minute (:data:`ACTIVITY_STEP`): writing it on every
request would make every page a database write. A request that comes after ``IDLE_TIMEOUT``
quiet seconds, or more than ``SESSION_COOKIE_AGE`` seconds after logging in, is logged out before
any view runs; with the stored minute that can be up to a minute early, never late.
"""

import time

from django.conf import settings
from django.contrib.sessions.backends.base import SessionBase
from django.http import HttpRequest

from .security_log import Event

LAST_ACTIVITY = "hechting_last_activity"
SIGNED_IN_AT = "hechting_signed_in_at"
# The notice asks how long is left with this header; that question is not activity.
STATUS_HEADER = "X-Hechting-Session-Check"
# Set on the request before logging out, so the security log says why.
LOGOUT_REASON = "hechting_logout_reason"
# Set on the request too: whose session ended in it (reflect/unsent.py keeps their late words).
ENDED_FOR = "hechting_session_ended_for"
# Set on the request when the answer should clear what the site kept in the browser.
CLEAR_SITE_DATA = "hechting_clear_site_data"
# The stored activity time moves on once it is this many seconds old.
ACTIVITY_STEP = 60


def now() -> int:
    return int(time.time())


def start(request: HttpRequest) -> None:
    moment = now()
    request.session[SIGNED_IN_AT] = moment
    request.session[LAST_ACTIVITY] = moment


def touch(session: SessionBase, moment: int) -> None:
    """This request is activity: store its time, unless the stored one is under a minute old."""
    if moment - session.get(LAST_ACTIVITY, 0) >= ACTIVITY_STEP:
        session[LAST_ACTIVITY] = moment
    session.setdefault(SIGNED_IN_AT, moment)


def seconds_left(session: SessionBase, moment: int | None = None) -> int:
    """Seconds until this session ends, whichever limit comes first (0 when it has ended)."""
    moment = now() if moment is None else moment
    last = session.get(LAST_ACTIVITY, moment)
    signed_in = session.get(SIGNED_IN_AT, moment)
    idle_end = last + settings.IDLE_TIMEOUT
    absolute_end = signed_in + settings.SESSION_COOKIE_AGE
    return max(0, min(idle_end, absolute_end) - moment)


def ending_reason(session: SessionBase, moment: int) -> str | None:
    if moment - session.get(SIGNED_IN_AT, moment) >= settings.SESSION_COOKIE_AGE:
        return Event.SESSION_EXPIRED
    if moment - session.get(LAST_ACTIVITY, moment) >= settings.IDLE_TIMEOUT:
        return Event.IDLE_LOGOUT
    return None


def clear_site_data(request: HttpRequest) -> None:
    """Ask for ``Clear-Site-Data`` on this answer (hechting.middleware adds the header)."""
    setattr(request, CLEAR_SITE_DATA, True)
