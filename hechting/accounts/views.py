from allauth.account.adapter import get_adapter
from allauth.account.models import EmailAddress
from allauth.account.views import EmailView as AllauthEmailView
from allauth.mfa.utils import is_mfa_enabled
from allauth.usersessions.models import UserSession
from django.contrib import messages
from django.contrib.auth import logout
from django.contrib.auth.decorators import login_not_required
from django.http import (
    HttpRequest,
    HttpResponse,
    HttpResponseBadRequest,
    JsonResponse,
)
from django.urls import reverse
from django.utils.translation import gettext as _
from django.views.decorators.cache import never_cache
from django.views.decorators.http import require_GET, require_http_methods, require_POST
from django_htmx.http import HttpResponseClientRedirect

from hechting.http import see_other
from hechting.redirects import next_path

from . import sessions
from .security_log import recent_events
from .templatetags.account_security import quick_exit_url


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
    return see_other(next_path(request, fallback=reverse("account")))


@require_POST
def discreet_mode(request: HttpRequest) -> HttpResponse:
    """Turn discreet mode on or off: a neutral tab title, icon and home-screen name."""
    choice = request.POST.get("discreet")
    if choice not in {"on", "off"}:
        return HttpResponseBadRequest(_("Choose to turn discreet mode on or off."))
    request.user.discreet = choice == "on"
    request.user.save(update_fields=["discreet"])
    if request.user.discreet:
        messages.success(request, _("Discreet mode is on: tabs and the home screen say “Notes”."))
    else:
        messages.success(request, _("Discreet mode is off."))
    to = reverse("account") + "#discreet"
    return HttpResponseClientRedirect(to) if request.htmx else see_other(to)


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
                return see_other("account_email")
        return super().post(request, *args, **kwargs)


email = EmailView.as_view()


@login_not_required
@never_cache
@require_http_methods(["GET", "POST"])
def quick_exit(request: HttpRequest) -> HttpResponse:
    """ "Leave quickly": end the login on this device and clear what the site kept in the browser.

    quick-exit.js opens the neutral site itself at once and POSTs here on the side (with the CSRF
    token; 204). Without JavaScript the link comes here (GET) and is sent on to the neutral
    site. Ending a visit is all a GET can do, so another site that sends a parent here only logs
    them out; the neutral site is fixed in the settings, never taken from the request.
    """
    if request.user.is_authenticated:
        logout(request)  # the logout signal asks for Clear-Site-Data (hechting.middleware)
    else:
        sessions.clear_site_data(request)
    if request.method == "POST":
        return HttpResponse(status=204)
    return see_other(quick_exit_url())
