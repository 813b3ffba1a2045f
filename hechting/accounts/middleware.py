from django.contrib import messages
from django.contrib.auth import logout
from django.utils.translation import gettext as _

from . import sessions


class IdleTimeoutMiddleware:
    """Log out after 30 quiet minutes or two weeks after logging in (see sessions.py).

    It runs before any view (and before the login-required check), so the request that comes
    too late is treated as a visitor's: a page sends them to the log in form and back, htmx
    gets 401 and keeps what is on screen.
    """

    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        user = getattr(request, "user", None)
        if user is not None and user.is_authenticated:
            moment = sessions.now()
            reason = sessions.ending_reason(request.session, moment)
            if reason:
                setattr(request, sessions.LOGOUT_REASON, reason)
                setattr(request, sessions.ENDED_FOR, user.pk)
                logout(request)
                messages.info(
                    request,
                    _(
                        "You were logged out because it was quiet for a while. "
                        "This keeps your journal private. Log in to carry on."
                    ),
                )
            elif sessions.STATUS_HEADER not in request.headers:
                sessions.touch(request.session, moment)
        return self.get_response(request)
