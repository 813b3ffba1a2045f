"""Write the security log from Django's and allauth's signals, and end other sessions after a
password change (the current one stays)."""

from allauth.account import signals as account_signals
from allauth.account.adapter import get_adapter
from allauth.mfa import signals as mfa_signals
from allauth.usersessions.internal.flows.sessions import end_other_sessions
from django.contrib.auth import get_user_model
from django.contrib.auth import signals as auth_signals
from django.dispatch import receiver

from . import sessions
from .security_log import Event, record


@receiver(auth_signals.user_logged_in)
def on_logged_in(sender, request, user, **kwargs):
    if request is None:
        return
    sessions.start(request)
    record(request, Event.LOGIN, user)


@receiver(auth_signals.user_logged_out)
def on_logged_out(sender, request, user, **kwargs):
    if request is None:
        return
    sessions.clear_site_data(request)
    if user is None:
        return
    record(request, getattr(request, sessions.LOGOUT_REASON, Event.LOGOUT), user)


@receiver(auth_signals.user_login_failed)
def on_login_failed(sender, credentials, request=None, **kwargs):
    # Django cleans the password out of ``credentials``; we read only the address, to find
    # the account, and store neither.
    email = (credentials.get("email") or credentials.get("username") or "").strip()
    user = get_user_model().objects.filter(email__iexact=email).first() if email else None
    record(request, Event.LOGIN_FAILED, user)


@receiver(account_signals.password_changed)
@receiver(account_signals.password_set)
def on_password_changed(sender, request, user, **kwargs):
    record(request, Event.PASSWORD_CHANGED, user)
    end_other_sessions(request, user)


@receiver(account_signals.password_reset)
def on_password_reset(sender, request, user, **kwargs):
    record(request, Event.PASSWORD_RESET, user)
    end_other_sessions(request, user)


@receiver(account_signals.email_added)
def on_email_added(sender, request, user, email_address, **kwargs):
    record(request, Event.EMAIL_ADDED, user)
    # allauth mails the new address (to confirm it) but not the account's own: we do.
    get_adapter(request).send_notification_mail(
        "account/email/email_added", user, {"added_email": email_address.email}
    )


@receiver(account_signals.email_changed)
def on_email_changed(sender, request, user, **kwargs):
    record(request, Event.EMAIL_CHANGED, user)


@receiver(account_signals.email_removed)
def on_email_removed(sender, request, user, **kwargs):
    record(request, Event.EMAIL_REMOVED, user)


@receiver(mfa_signals.authenticator_added)
def on_authenticator_added(sender, request, user, authenticator, **kwargs):
    record(request, Event.MFA_ADDED, user, method=authenticator.type)


@receiver(mfa_signals.authenticator_removed)
def on_authenticator_removed(sender, request, user, authenticator, **kwargs):
    record(request, Event.MFA_REMOVED, user, method=authenticator.type)


@receiver(mfa_signals.authenticator_reset)
def on_authenticator_reset(sender, request, user, authenticator, **kwargs):
    record(request, Event.MFA_CODES_RENEWED, user, method=authenticator.type)


@receiver(mfa_signals.authentication_failed)
def on_mfa_failed(sender, request, user, authenticator, **kwargs):
    record(request, Event.MFA_FAILED, user, method=authenticator.type)
