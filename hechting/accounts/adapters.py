from allauth.account.adapter import DefaultAccountAdapter
from allauth.core import context
from allauth.usersessions.adapter import DefaultUserSessionsAdapter
from django.core.exceptions import ImproperlyConfigured, PermissionDenied
from django.http import HttpRequest

from hechting.redirects import is_local_path

from . import clients
from .security_log import Event, describe_device, record


class AccountAdapter(DefaultAccountAdapter):
    """allauth, with failed logins counted per client and calmer notification mails."""

    def is_safe_url(self, url: str | None) -> bool:
        """A ``next`` after logging in or out is a path on this site, never a bare word."""
        return is_local_path(url, context.request)

    def get_client_ip(self, request: HttpRequest) -> str:
        """allauth's reading of the proxy settings; the proxy's own address when what it sent
        cannot be read (a request that did not pass all the proxies), never an error page."""
        try:
            return super().get_client_ip(request)
        except (ImproperlyConfigured, PermissionDenied):
            return request.META.get("REMOTE_ADDR") or "unknown"

    def _get_login_attempts_cache_key(self, request: HttpRequest, **credentials) -> str:
        # allauth counts failed logins per address only, so anyone who knows a parent's address
        # could keep them out. Per address and client, the guesser is slowed down while the
        # parent's own devices are not (settings.ACCOUNT_RATE_LIMITS["login_failed"]).
        key = super()._get_login_attempts_cache_key(request, **credentials)
        return f"{key}:{clients.client_key(request)}"

    def send_notification_mail(self, template_prefix, user, context=None, email=None) -> None:
        # The mails name a coarse device ("Firefox · Android"), not the address or browser string.
        device = describe_device(self.get_http_user_agent(self.request))
        super().send_notification_mail(
            template_prefix, user, {**(context or {}), "device": device}, email
        )


class UserSessionsAdapter(DefaultUserSessionsAdapter):
    """allauth's "sign out other sessions", with a line in the security log."""

    def end_sessions(self, sessions) -> None:
        sessions = list(sessions)
        super().end_sessions(sessions)
        if sessions:
            request = context.request
            record(request, Event.SESSIONS_ENDED, sessions[0].user, count=len(sessions))
