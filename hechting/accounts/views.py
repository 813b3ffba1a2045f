from allauth.mfa.utils import is_mfa_enabled
from allauth.usersessions.models import UserSession
from django.http import HttpRequest, HttpResponse, JsonResponse
from django.utils.http import url_has_allowed_host_and_scheme
from django.views.decorators.cache import never_cache
from django.views.decorators.http import require_GET, require_POST

from hechting.http import see_other

from . import sessions
from .security_log import recent_events


def account_security(request: HttpRequest) -> dict:
    """What the account page shows about two-step log in, sessions and recent activity."""
    return {
        "mfa_enabled": is_mfa_enabled(request.user),
        "session_count": UserSession.objects.filter(user=request.user).count(),
        "security_events": recent_events(request.user),
    }


@never_cache
@require_GET
def session_status(request: HttpRequest) -> JsonResponse:
    """How many seconds the session has left. Asking does not count as activity.

    After the session has ended the question is a visitor's, answered like any private page
    (a redirect to log in; 401 for htmx): the notice reads that as "logged out".
    """
    return JsonResponse({"signed_in": True, "seconds_left": sessions.seconds_left(request.session)})


@require_POST
def still_here(request: HttpRequest) -> HttpResponse:
    """ "Stay logged in": the request itself is the activity (the middleware notes it)."""
    if request.headers.get("Accept") == "application/json":
        return JsonResponse(
            {"signed_in": True, "seconds_left": sessions.seconds_left(request.session)}
        )
    next_url = request.POST.get("next", "")
    if not url_has_allowed_host_and_scheme(
        next_url, allowed_hosts={request.get_host()}, require_https=request.is_secure()
    ):
        next_url = "account"
    return see_other(next_url)
