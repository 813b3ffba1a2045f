"""Co-parents ("mede-ouders"): two accounts that keep a journal about the same child together.

* A :class:`CoParentInvitation` is sent by one parent for one of their children, to an e-mail
  address. Its token follows the rules of share links (reflect/sharing/tokens.py): 256 bits,
  only the SHA-256 digest stored; it lasts 7 days, is used once and can be withdrawn.
* Accepting makes a :class:`CoParentLink` between two accounts, each with their OWN child record
  for that child: the invitee picks one of their children or adds the child under the nickname
  the inviter uses. So every moment keeps pointing at a child of its own author (import, export,
  erasure and share links need no new rule), and the link only says "A's Noor is B's Noor".
* A moment is seen by the other parent only while the link is active, the moment is marked
  ``shared_with_coparents`` and it is about the linked child. Ending the link (either side, at
  any time) stops that from the next request: the row stays, ended, so that both can be told
  "this shared journal ended", and nothing else.
* A :class:`CoParentNote` is the other parent's short answer to a shared moment, sealed like
  journal words and bound to its own author. The moment's author sees it while the link lasts
  and can hide it.
"""

from __future__ import annotations

import datetime
import uuid

from django.conf import settings
from django.core.validators import MaxLengthValidator
from django.db import models
from django.db.models import F, OuterRef, Q
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from reflect.encryption import EncryptedTextField
from reflect.models import TEXT_RULES, Child, Moment, MomentQuerySet, has_words
from reflect.sharing import tokens

INVITATION_LIFE = datetime.timedelta(days=7)
MAX_COPARENTS = 3  # co-parents per child, counting open invitations
NOTE_MAX = 500
NAME_MAX = 80


class InvitationQuerySet(models.QuerySet):
    def pending(self) -> InvitationQuerySet:
        return self.filter(
            answered_at__isnull=True, revoked_at__isnull=True, expires_at__gt=timezone.now()
        )

    def by_token(self, token: str) -> CoParentInvitation | None:
        return tokens.find_by_token(self, token)


class CoParentInvitation(models.Model):
    """One parent's invitation to keep the journal about one child together."""

    public_id = models.UUIDField(default=uuid.uuid4, unique=True, editable=False)
    token_hash = models.CharField(max_length=64, unique=True, editable=False)
    inviter = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="coparent_invitations"
    )
    child = models.ForeignKey(
        Child,
        on_delete=models.CASCADE,
        related_name="coparent_invitations",
        verbose_name=_("child"),
    )
    # The invitee's address, sealed and bound to the invitation and its sender.
    email = EncryptedTextField(
        _("their e-mail address"), max_length=254, row_field="public_id", owner_field="inviter_id"
    )
    inviter_name = models.CharField(_("your name, as they will see it"), max_length=NAME_MAX)
    created = models.DateTimeField(default=timezone.now, editable=False)
    expires_at = models.DateTimeField(editable=False)
    answered_at = models.DateTimeField(null=True, blank=True, editable=False)
    accepted = models.BooleanField(default=False, editable=False)
    revoked_at = models.DateTimeField(null=True, blank=True, editable=False)

    objects = InvitationQuerySet.as_manager()

    class Meta:
        ordering = ["-created", "-pk"]
        verbose_name = _("co-parent invitation")
        verbose_name_plural = _("co-parent invitations")

    def __str__(self) -> str:
        return f"Co-parent invitation {self.pk}"

    def issue_token(self) -> str:
        """A new secret: only its digest is kept, the caller mails the token once."""
        token = tokens.new_token()
        self.token_hash = tokens.digest(token)
        self.created = timezone.now()
        self.expires_at = self.created + INVITATION_LIFE
        return token

    @property
    def is_active(self) -> bool:
        ended = self.answered_at is not None or self.revoked_at is not None
        return not ended and self.expires_at > timezone.now()

    def answer(self, *, accepted: bool) -> None:
        self.answered_at = timezone.now()
        self.accepted = accepted
        self.save(update_fields=["answered_at", "accepted"])

    def revoke(self) -> None:
        if self.revoked_at is None:
            self.revoked_at = timezone.now()
            self.save(update_fields=["revoked_at"])


class LinkQuerySet(models.QuerySet):
    def active(self) -> LinkQuerySet:
        return self.filter(ended_at__isnull=True)

    def of(self, user) -> LinkQuerySet:
        return self.filter(Q(inviter=user) | Q(coparent=user))


class CoParentLink(models.Model):
    """Two accounts, one child: ``inviter_child`` and ``coparent_child`` are the same child in
    each parent's own journal. Symmetric: :meth:`side` gives one parent's view of it."""

    public_id = models.UUIDField(default=uuid.uuid4, unique=True, editable=False)
    inviter = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="+"
    )
    inviter_child = models.ForeignKey(Child, on_delete=models.CASCADE, related_name="+")
    inviter_name = models.CharField(max_length=NAME_MAX)
    inviter_shares_by_default = models.BooleanField(default=False)
    coparent = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="+"
    )
    coparent_child = models.ForeignKey(Child, on_delete=models.CASCADE, related_name="+")
    coparent_name = models.CharField(max_length=NAME_MAX)
    coparent_shares_by_default = models.BooleanField(default=False)
    created = models.DateTimeField(default=timezone.now, editable=False)
    ended_at = models.DateTimeField(null=True, blank=True, editable=False)

    objects = LinkQuerySet.as_manager()

    class Meta:
        ordering = ["-created", "-pk"]
        verbose_name = _("co-parent link")
        verbose_name_plural = _("co-parent links")
        constraints = [
            models.CheckConstraint(
                condition=~Q(inviter=F("coparent")), name="coparents_link_two_people"
            ),
            # One active link per pair and child, also when two answers come at the same moment
            # (the forms refuse a second one with a message first: already_linked).
            models.UniqueConstraint(
                fields=["inviter", "coparent", "inviter_child"],
                condition=Q(ended_at__isnull=True),
                name="coparents_one_active_link_per_pair_and_child",
            ),
        ]

    def __str__(self) -> str:
        return f"Co-parent link {self.pk}"

    @property
    def is_active(self) -> bool:
        return self.ended_at is None

    def side(self, user) -> Side:
        if user.pk == self.inviter_id:
            return Side(self, "inviter", "coparent")
        if user.pk == self.coparent_id:
            return Side(self, "coparent", "inviter")
        raise ValueError("Not a parent of this link.")

    def end(self) -> None:
        if self.ended_at is None:
            self.ended_at = timezone.now()
            self.save(update_fields=["ended_at"])


class Side:
    """One parent's view of a link: my child, my name, my default; the other's name."""

    def __init__(self, link: CoParentLink, mine: str, theirs: str) -> None:
        self.link, self.mine, self.theirs = link, mine, theirs

    @property
    def child(self) -> Child:
        return getattr(self.link, f"{self.mine}_child")

    @property
    def my_name(self) -> str:
        return getattr(self.link, f"{self.mine}_name")

    @property
    def other_name(self) -> str:
        return getattr(self.link, f"{self.theirs}_name")

    @property
    def other_id(self) -> int:
        return getattr(self.link, f"{self.theirs}_id")

    @property
    def shares_by_default(self) -> bool:
        return getattr(self.link, f"{self.mine}_shares_by_default")

    def set_shares_by_default(self, value: bool) -> None:
        field = f"{self.mine}_shares_by_default"
        setattr(self.link, field, value)
        self.link.save(update_fields=[field])


# --- Who sees which moment ----------------------------------------------------------------------


def _their_children(user):
    """Ids of the other parents' child records, one subquery per side (no rows fetched)."""
    active = CoParentLink.objects.active()
    return (
        active.filter(inviter=user).values("coparent_child_id"),
        active.filter(coparent=user).values("inviter_child_id"),
    )


def shared_with(user) -> Q:
    """Moments another parent shared with ``user``: marked shared, about a child linked to
    ``user`` in an active link, and written by that child's own parent."""
    as_inviter, as_coparent = _their_children(user)
    return (
        Q(shared_with_coparents=True, owner=F("child__owner"))
        & (Q(child__in=as_inviter) | Q(child__in=as_coparent))
        & ~Q(owner=user)
    )


def shared_moments(user) -> MomentQuerySet:
    return Moment.objects.filter(shared_with(user))


def together(user) -> MomentQuerySet:
    """``user``'s own moments and what co-parents shared with them: one query, any size."""
    return Moment.objects.filter(Q(owner=user) | shared_with(user))


def same_child(user, child_id: int) -> Q:
    """Moments about ``user``'s child ``child_id`` or about a co-parent's record of the same
    child (through an active link): the child filter of the together view, no rows fetched."""
    active = CoParentLink.objects.active()
    return (
        Q(child_id=child_id)
        | Q(child__in=active.filter(inviter=user, inviter_child=child_id).values("coparent_child"))
        | Q(child__in=active.filter(coparent=user, coparent_child=child_id).values("inviter_child"))
    )


def together_for_child(user, child: Child) -> MomentQuerySet:
    """``user``'s own moments about ``child`` and what co-parents shared about the same child
    (their own record of it, through an active link): one query, any size."""
    return together(user).filter(same_child(user, child.pk))


def already_linked(one_id: int, other_id: int, child: Child) -> bool:
    """Two accounts that already keep the journal about ``child`` (either's record of it)
    together in an active link: a second link or invitation for them is refused."""
    pair = Q(inviter=one_id, coparent=other_id) | Q(inviter=other_id, coparent=one_id)
    about = Q(inviter_child=child) | Q(coparent_child=child)
    return CoParentLink.objects.active().filter(pair & about).exists()


def is_linked(user, child: Child) -> bool:
    return (
        CoParentLink.objects.active()
        .filter(Q(inviter=user, inviter_child=child) | Q(coparent=user, coparent_child=child))
        .exists()
    )


def names_for(user) -> dict[int, str]:
    """The chosen names of ``user``'s co-parents in active links, by account id (one query)."""
    names = {}
    for link in CoParentLink.objects.active().of(user):
        side = link.side(user)
        names[side.other_id] = side.other_name
    return names


def has_coparents(user) -> bool:
    return CoParentLink.objects.active().of(user).exists()


def linked_children(user) -> list[Child]:
    """``user``'s own children that have an active co-parent link."""
    ids = CoParentLink.objects.active().of(user)
    return list(
        Child.objects.for_owner(user).filter(
            Q(pk__in=ids.values("inviter_child_id")) | Q(pk__in=ids.values("coparent_child_id"))
        )
    )


def shares_by_default(user) -> bool:
    """The starting choice on a new moment: share when the parent asked for it for any linked
    child (a moment only ever reaches the co-parents of its own child)."""
    return (
        CoParentLink.objects.active()
        .filter(
            Q(inviter=user, inviter_shares_by_default=True)
            | Q(coparent=user, coparent_shares_by_default=True)
        )
        .exists()
    )


def coparent_count(child: Child) -> int:
    """Active links and pending invitations for this child: at most :data:`MAX_COPARENTS`."""
    links = (
        CoParentLink.objects.active()
        .filter(Q(inviter_child=child) | Q(coparent_child=child))
        .count()
    )
    return links + CoParentInvitation.objects.pending().filter(child=child).count()


class NoteQuerySet(models.QuerySet):
    def visible_to_author(self, user) -> NoteQuerySet:
        """Notes on ``user``'s moments by a parent who still shares that child with them."""
        return self.filter(
            moment__owner=user, hidden_at__isnull=True, moment__shared_with_coparents=True
        ).filter(
            Q(
                owner__in=CoParentLink.objects.active()
                .filter(inviter=user, inviter_child=OuterRef("moment__child"))
                .values("coparent_id")
            )
            | Q(
                owner__in=CoParentLink.objects.active()
                .filter(coparent=user, coparent_child=OuterRef("moment__child"))
                .values("inviter_id")
            )
        )


class CoParentNote(models.Model):
    """The other parent's short answer to a shared moment ("I saw it too")."""

    uid = models.UUIDField(default=uuid.uuid4, editable=False)
    owner = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="coparent_notes"
    )
    moment = models.ForeignKey(Moment, on_delete=models.CASCADE, related_name="coparent_notes")
    words = EncryptedTextField(
        _("your note"),
        max_length=NOTE_MAX,
        validators=[MaxLengthValidator(NOTE_MAX), *TEXT_RULES, has_words],
    )
    created = models.DateTimeField(default=timezone.now, editable=False)
    hidden_at = models.DateTimeField(null=True, blank=True, editable=False)

    objects = NoteQuerySet.as_manager()

    class Meta:
        ordering = ["created", "pk"]
        verbose_name = _("co-parent note")
        verbose_name_plural = _("co-parent notes")
        constraints = [
            models.UniqueConstraint(fields=["owner", "uid"], name="coparents_note_owner_uid")
        ]

    def __str__(self) -> str:
        return f"Co-parent note {self.pk}"
