"""Housekeeping steps for sharing (run by `manage.py housekeeping`, see hechting/housekeeping.py).

A share link or an invitation that has ended (stopped, or past its last day) stays visible to
its maker for ENDED_KEPT, so a parent can still see that a link ended and who opened it; then it
goes, with its view log. A share link made from an invitation outlives the invitation.
"""

import datetime

from django.db.models import Q
from django.utils import timezone

from .models import Invitation, ShareLink

ENDED_KEPT = datetime.timedelta(days=30)


def _ended_before(now: datetime.datetime) -> Q:
    cutoff = now - ENDED_KEPT
    # valid_until is the last day (local time) on which the link works.
    return Q(revoked_at__lt=cutoff) | Q(valid_until__lt=timezone.localdate(cutoff))


def ended_share_links(now: datetime.datetime) -> int:
    """Share links that ended more than ENDED_KEPT ago, and the log of their views."""
    return ShareLink.objects.filter(_ended_before(now)).delete()[1].get(ShareLink._meta.label, 0)


def ended_invitations(now: datetime.datetime) -> int:
    """Counsellors' invitations that ended more than ENDED_KEPT ago (their note with them)."""
    return Invitation.objects.filter(_ended_before(now)).delete()[1].get(Invitation._meta.label, 0)
