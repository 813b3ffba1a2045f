"""Remember in the session whether the person who logged in is a counsellor.

Only the navigation reads this flag (to show "Dashboard" without a query on every page); every
counsellor view checks the profile in the database.
"""

from django.contrib.auth.signals import user_logged_in
from django.dispatch import receiver

from .models import is_counsellor

SESSION_FLAG = "sharing_is_counsellor"


@receiver(user_logged_in, dispatch_uid="sharing_counsellor_flag")
def remember_counsellor(sender, request, user, **kwargs) -> None:
    if request is not None and hasattr(request, "session"):
        request.session[SESSION_FLAG] = is_counsellor(user)
