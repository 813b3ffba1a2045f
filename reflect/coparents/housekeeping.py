"""Housekeeping step for co-parents (run by `manage.py housekeeping`, see hechting/housekeeping.py).

A co-parent invitation that ended (answered, withdrawn, or past its 7 days) is kept as long as a
share invitation that ended (reflect/sharing/housekeeping.py ENDED_KEPT), then it goes, with its
sealed address. The link made from a yes is its own row and stays.
"""

import datetime

from django.db.models import Q

from reflect.sharing.housekeeping import ENDED_KEPT

from .models import CoParentInvitation


def ended_coparent_invitations(now: datetime.datetime) -> int:
    """Co-parent invitations that ended more than ENDED_KEPT ago."""
    cutoff = now - ENDED_KEPT
    ended = Q(answered_at__lt=cutoff) | Q(revoked_at__lt=cutoff) | Q(expires_at__lt=cutoff)
    label = CoParentInvitation._meta.label
    return CoParentInvitation.objects.filter(ended).delete()[1].get(label, 0)
