"""Django's own messages that we word differently in Dutch.

Django's Dutch catalogue addresses people formally ("uw wachtwoord"); the rest of Hechting,
allauth included, says "je". Listing the message ids here puts them in our catalogue
(locale/, which takes precedence over Django's), so the password rules read in one voice.
The same goes for the admin's "aanmelden": in Dutch "aanmelden" can also mean signing up, so we
say "inloggen/uitloggen" everywhere. allauth's pages, forms and mails have our own words
(hechting/accounts/templates/ and hechting/accounts/forms.py).
This module is never imported; it only feeds `makemessages`.
"""

from django.utils.translation import gettext_lazy as _
from django.utils.translation import ngettext_lazy

PASSWORD_MESSAGES = [
    _("The password is too similar to the %(verbose_name)s."),
    _("Your password can’t be too similar to your other personal information."),  # noqa: RUF001
    _("This password is too common."),
    _("Your password can’t be a commonly used password."),  # noqa: RUF001
    _("This password is entirely numeric."),
    _("Your password can’t be entirely numeric."),  # noqa: RUF001
    ngettext_lazy(
        "This password is too short. It must contain at least %d character.",
        "This password is too short. It must contain at least %d characters.",
        "min_length",
    ),
    ngettext_lazy(
        "Your password must contain at least %(min_length)d character.",
        "Your password must contain at least %(min_length)d characters.",
        "min_length",
    ),
]

ADMIN_MESSAGES = [
    _("Log in again"),  # Django's admin says "Opnieuw aanmelden" and comes first
]
