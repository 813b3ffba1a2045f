from allauth.account.adapter import get_adapter
from allauth.account.models import EmailAddress
from allauth.account.views import EmailView as AllauthEmailView
from allauth.mfa.utils import is_mfa_enabled
from allauth.usersessions.models import UserSession
from django.contrib import messages
from django.http import HttpRequest, HttpResponse, HttpResponseRedirect, JsonResponse
from django.urls import reverse
from django.views.decorators.cache import never_cache
from django.views.decorators.http import require_GET, require_POST

from hechting.redirects import next_path

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
    response = HttpResponseRedirect(next_path(request, fallback=reverse("account")))
    response.status_code = 303
    return response


class EmailView(AllauthEmailView):
    """allauth's address page, except that an unconfirmed address never becomes the main one.

    allauth allows it while an account has no confirmed address at all (accounts from before
    confirmation was required); the main address is where password resets go.
    """

    def post(self, request: HttpRequest, *args, **kwargs) -> HttpResponse:
        if "action_primary" in request.POST:
            address = EmailAddress.objects.filter(
                user=request.user, email__iexact=request.POST.get("email", "")
            ).first()
            if address is not None and not address.verified:
                get_adapter(request).add_message(
                    request, messages.ERROR, "account/messages/unverified_primary_email.txt"
                )
                return HttpResponseRedirect(reverse("account_email"), status=303)
        return super().post(request, *args, **kwargs)


email = EmailView.as_view()
