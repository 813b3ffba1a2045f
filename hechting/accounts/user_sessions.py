"""allauth's list of signed-in sessions keeps only what the parent sees on the sessions page.

allauth stores the full IP address and browser string of every login (``UserSession``). Before
each save the address is replaced by a placeholder (the column cannot be empty), the browser
string by the coarse device name the page shows ("Firefox · Android"), and the times are cut to
the minute the page shows. docs/privacy-and-encryption.md and the privacy page say so.
"""

from allauth.usersessions.models import UserSession
from django.db.models.signals import pre_save
from django.dispatch import receiver

from .security_log import describe_device

NO_ADDRESS = "0.0.0.0"  # noqa: S104 (a placeholder that is stored, not an address to listen on)


def keep_only_what_is_shown(session) -> None:
    """Mask one ``UserSession`` (also used by the migration that masks the existing rows)."""
    session.ip = NO_ADDRESS
    session.user_agent = describe_device(session.user_agent or "")
    for name in ("created_at", "last_seen_at"):
        moment = getattr(session, name)
        if moment is not None:
            setattr(session, name, moment.replace(second=0, microsecond=0))


@receiver(pre_save, sender=UserSession, dispatch_uid="hechting-mask-user-sessions")
def mask_user_session(sender, instance, **kwargs) -> None:
    keep_only_what_is_shown(instance)
