from django.contrib.auth.models import AbstractUser, BaseUserManager
from django.db import models
from django.utils import timezone
from django.utils.translation import gettext_lazy as _


class UserManager(BaseUserManager):
    use_in_migrations = True

    def _create_user(self, email, password, **extra_fields):
        if not email:
            raise ValueError("An email address is required.")
        user = self.model(email=self.normalize_email(email).lower(), **extra_fields)
        user.set_password(password)
        user.save(using=self._db)
        return user

    def create_user(self, email, password=None, **extra_fields):
        extra_fields.setdefault("is_staff", False)
        extra_fields.setdefault("is_superuser", False)
        return self._create_user(email, password, **extra_fields)

    def create_superuser(self, email, password=None, **extra_fields):
        extra_fields["is_staff"] = True
        extra_fields["is_superuser"] = True
        return self._create_user(email, password, **extra_fields)


class User(AbstractUser):
    """A person who signs in with an email address; there is no user name."""

    username = None
    first_name = None
    last_name = None
    email = models.EmailField(_("email address"), unique=True)
    display_name = models.CharField(_("name"), max_length=80, blank=True)
    # A neutral tab title, icon and home-screen name ("Notes") on every page, for a shared phone.
    discreet = models.BooleanField(_("discreet mode"), default=False)

    USERNAME_FIELD = "email"
    REQUIRED_FIELDS = []

    objects = UserManager()

    class Meta:
        verbose_name = _("user")
        verbose_name_plural = _("users")

    def __str__(self) -> str:
        return self.display_name or self.email


class SecurityEvent(models.Model):
    """One thing that happened to an account's security: a log in, a new second step, ...

    Only facts without personal text: when (UTC), what, whose account, and a coarse device
    ("Firefox on Android"). No address, no full browser string, no journal text, no token, no
    password. The rows go when the account goes (CASCADE); failed log ins for an unknown
    address keep no user. ``hechting.accounts.security_log.record`` writes them.
    """

    class Event(models.TextChoices):
        LOGIN = "login", _("You logged in")
        LOGIN_FAILED = "login_failed", _("A log in failed (wrong password)")
        LOGOUT = "logout", _("You logged out")
        IDLE_LOGOUT = "idle_logout", _("You were logged out after a quiet while")
        SESSION_EXPIRED = "session_expired", _("You were logged out: the session had ended")
        SESSIONS_ENDED = "sessions_ended", _("Logged out on your other devices")
        MFA_ADDED = "mfa_added", _("Two-step log in: a method was added")
        MFA_REMOVED = "mfa_removed", _("Two-step log in: a method was removed")
        MFA_CODES_RENEWED = "mfa_codes_renewed", _("New recovery codes were made")
        MFA_FAILED = "mfa_failed", _("A two-step code was not accepted")
        PASSWORD_CHANGED = "password_changed", _("Your password was changed")
        PASSWORD_RESET = "password_reset", _("Your password was reset by email")
        EMAIL_ADDED = "email_added", _("An email address was added")
        EMAIL_CHANGED = "email_changed", _("Your main email address was changed")
        EMAIL_REMOVED = "email_removed", _("An email address was removed")
        SHARE_LINK_CREATED = "share_link_created", _("You made a share link")
        SHARE_LINK_REVOKED = "share_link_revoked", _("You stopped a share link")
        SHARE_LINK_VIEWED = "share_link_viewed", _("Someone opened your share link")
        EXPORT = "export", _("You downloaded your journal")
        IMPORT = "import", _("You imported a journal")
        ACCOUNT_DELETED = "account_deleted", _("The account was deleted")

    created_at = models.DateTimeField(_("time"), default=timezone.now, db_index=True)
    event = models.CharField(_("event"), max_length=32, choices=Event.choices)
    user = models.ForeignKey(
        "accounts.User",
        verbose_name=_("user"),
        on_delete=models.CASCADE,
        null=True,
        blank=True,
        related_name="security_events",
    )
    device = models.CharField(_("device"), max_length=60, blank=True)
    details = models.JSONField(_("details"), default=dict, blank=True)

    class Meta:
        verbose_name = _("security event")
        verbose_name_plural = _("security events")
        ordering = ["-created_at", "-id"]
        indexes = [models.Index(fields=["user", "-created_at"])]

    def __str__(self) -> str:
        return f"{self.event} {self.created_at:%Y-%m-%d %H:%M}"
