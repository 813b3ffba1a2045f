"""Sharing: counsellors, their invitations, and the parent's share links with their view log.

The journal stays the parent's. A :class:`ShareLink` opens a read-only look back of exactly one
scope (summaries, or summaries and the moments' words; a period; maybe one child and some S's)
until a chosen day, and the parent can stop it with one click. A :class:`ShareView` row is kept
for every time it is opened. Tokens are stored only as a SHA-256 digest (see :mod:`.tokens`).
A link's label and client name and an invitation's note are encrypted like journal words.
"""

from __future__ import annotations

import datetime
import uuid

from django.conf import settings
from django.db import models
from django.db.models import Q
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from reflect.encryption import EncryptedTextField
from reflect.models import Child, FourS, Moment, MomentQuerySet

from . import tokens

DEFAULT_DAYS = 14
MAX_DAYS = 90
INVITATION_MAX_DAYS = 365
NOTE_MAX = 1000


def is_counsellor(user) -> bool:
    """Whether this account has a counsellor profile (one query; False for visitors)."""
    if not getattr(user, "is_authenticated", False):
        return False
    return CounsellorProfile.objects.filter(user=user).exists()


class CounsellorProfile(models.Model):
    """A counsellor ("hulpverlener"): a name and practice that parents see. No journal access."""

    user = models.OneToOneField(
        settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="counsellor_profile"
    )
    name = models.CharField(_("your name"), max_length=80)
    practice = models.CharField(_("practice or organisation"), max_length=120)
    website = models.URLField(_("website (optional)"), blank=True, max_length=200)
    created = models.DateTimeField(auto_now_add=True)

    class Meta:
        verbose_name = _("counsellor")
        verbose_name_plural = _("counsellors")

    def __str__(self) -> str:
        return f"Counsellor {self.pk}"


class _Ending(models.Model):
    """Shared by invitations and share links: a token digest, a last day, and a stop button."""

    public_id = models.UUIDField(default=uuid.uuid4, unique=True, editable=False)
    token_hash = models.CharField(max_length=64, unique=True, editable=False)
    valid_until = models.DateField(_("last day"))
    revoked_at = models.DateTimeField(null=True, blank=True, editable=False)
    created = models.DateTimeField(auto_now_add=True)

    class Meta:
        abstract = True

    def issue_token(self) -> str:
        """Make a new secret and keep only its digest; the caller shows the token once."""
        token = tokens.new_token()
        self.token_hash = tokens.digest(token)
        return token

    @property
    def is_revoked(self) -> bool:
        return self.revoked_at is not None

    @property
    def is_expired(self) -> bool:
        return self.valid_until < timezone.localdate()

    @property
    def is_active(self) -> bool:
        return not self.is_revoked and not self.is_expired

    def revoke(self) -> None:
        if self.revoked_at is None:
            self.revoked_at = timezone.now()
            self.save(update_fields=["revoked_at"])


class EndingQuerySet(models.QuerySet):
    def active(self):
        return self.filter(revoked_at__isnull=True, valid_until__gte=timezone.localdate())

    def by_token(self, token: str):
        """The one row whose digest matches ``token`` (confirmed in constant time), or None."""
        if not tokens.looks_like_token(token):
            return None
        found = self.filter(token_hash=tokens.digest(token)).first()
        if found is None or not tokens.matches(token, found.token_hash):
            return None
        return found


class Invitation(_Ending):
    """A counsellor's link for clients: a welcome with a note and a focus, usable many times."""

    counsellor = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="sharing_invitations"
    )
    note = EncryptedTextField(
        _("personal note (optional)"),
        max_length=NOTE_MAX,
        blank=True,
        row_field="public_id",
        owner_field="counsellor_id",
    )
    focus = models.CharField(_("focus (optional)"), max_length=40, blank=True)
    use_count = models.PositiveIntegerField(_("used"), default=0, editable=False)

    objects = EndingQuerySet.as_manager()

    class Meta:
        ordering = ["-created", "-pk"]
        verbose_name = _("invitation")
        verbose_name_plural = _("invitations")

    def __str__(self) -> str:
        return f"Invitation {self.pk}"


class ShareLink(FourS, _Ending):
    """A parent's read-only window on one scope of their journal, until ``valid_until``."""

    class Scope(models.TextChoices):
        SUMMARIES = "summaries", _("The look back only (counts, the four S's, charts)")
        MOMENTS = "moments", _("The look back and the words of my moments")

    class PeriodKind(models.TextChoices):
        WEEK = "week", _("This week")
        MONTH = "month", _("This month")
        LAST_MONTH = "last_month", _("Last month")
        ALL = "all", _("Since the start, and what I add while the link works")
        DATES = "dates", _("Between two dates")

    owner = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="share_links"
    )
    counsellor = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.CASCADE,
        null=True,
        blank=True,
        related_name="shares_received",
    )
    invitation = models.ForeignKey(
        Invitation, on_delete=models.SET_NULL, null=True, blank=True, related_name="share_links"
    )
    # Both encrypted like journal words (reflect/encryption.py), bound to the link and its owner.
    label = EncryptedTextField(
        _("for whom (only you see this)"), max_length=80, blank=True, row_field="public_id"
    )
    # How a counsellor recognises the client on the dashboard (chosen by the parent).
    client_name = EncryptedTextField(
        _("your name for your counsellor"), max_length=80, blank=True, row_field="public_id"
    )
    scope = models.CharField(_("what"), max_length=10, choices=Scope, default=Scope.SUMMARIES)
    period_kind = models.CharField(
        _("which period"), max_length=10, choices=PeriodKind, default=PeriodKind.MONTH
    )
    period_start = models.DateField(null=True, blank=True)  # None: since the first moment
    period_end = models.DateField(null=True, blank=True)  # None: up to the day it is opened
    # A deleted child takes its links along: a link must never widen to all children.
    child = models.ForeignKey(
        Child, on_delete=models.CASCADE, null=True, blank=True, related_name="share_links"
    )

    objects = EndingQuerySet.as_manager()

    class Meta:
        ordering = ["-created", "-pk"]
        verbose_name = _("share link")
        verbose_name_plural = _("share links")
        indexes = [models.Index(fields=["owner", "-created"], name="sharing_link_owner")]

    def __str__(self) -> str:
        return f"Share link {self.pk}"

    @property
    def shows_text(self) -> bool:
        return self.scope == self.Scope.MOMENTS

    def moments(self) -> MomentQuerySet:
        """The owner's moments this link may show (the period is applied by the summary)."""
        moments = Moment.objects.for_owner(self.owner_id)
        if self.child_id:
            moments = moments.filter(child_id=self.child_id)
        if self.s_keys:
            touching = Q()
            for key in self.s_keys:
                touching |= Q(**{key: True})
            moments = moments.filter(touching)
        return moments

    def bounds(self, first: datetime.date | None, today: datetime.date):
        start = self.period_start or (min(first, today) if first else today)
        end = self.period_end or today
        return start, max(start, end)


class ShareView(models.Model):
    """One opening of a share link: when, and a coarse device ("Firefox · Android"). No address."""

    link = models.ForeignKey(ShareLink, on_delete=models.CASCADE, related_name="views")
    viewed_at = models.DateTimeField(_("when"), default=timezone.now)
    device = models.CharField(_("device"), max_length=60, blank=True)
    through_account = models.BooleanField(_("signed in as the counsellor"), default=False)

    class Meta:
        ordering = ["-viewed_at", "-pk"]
        verbose_name = _("view")
        verbose_name_plural = _("views")

    def __str__(self) -> str:
        return f"View {self.pk}"
