"""System checks for the journal's encryption keys (reflect/encryption.py)."""

from django.conf import settings
from django.core.checks import Error, Tags, register

from . import encryption


@register(Tags.security, deploy=True)
def journal_keys_are_set(app_configs=None, **kwargs) -> list[Error]:
    """``check --deploy``: production needs its own journal key (no derived development key)."""
    if settings.JOURNAL_KEYS:
        return []
    return [
        Error(
            "JOURNAL_KEYS is not set, so the journal cannot be encrypted at rest.",
            hint=(
                "Create a key with python3 -c \"import base64, os; print('k1:' + "
                'base64.b64encode(os.urandom(32)).decode())" and put it in JOURNAL_KEYS or in a '
                "file named by JOURNAL_KEYS_FILE. Keep it safe and apart from your backups: "
                "without it the journal cannot be read."
            ),
            id="reflect.E001",
        )
    ]


def validate_keys() -> None:
    """At start-up: a malformed JOURNAL_KEYS stops the app with a message that names it."""
    if settings.JOURNAL_KEYS:
        encryption.parse_keys(settings.JOURNAL_KEYS)
