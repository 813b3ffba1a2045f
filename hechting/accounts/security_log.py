"""The security log: one row and one log line for each thing that happens to an account.

Call ``record(request, SecurityEvent.Event.SHARE_LINK_CREATED, user=request.user, link=7)``
from anywhere. Extra fields must be plain facts (numbers, yes/no, short lowercase names such
as ``totp``); anything that could hold personal text is refused, so no journal words, e-mail
addresses, tokens or passwords can end up in the log by accident.
"""

import logging
import re

from django.http import HttpRequest

from .models import SecurityEvent

logger = logging.getLogger("hechting.security")

Event = SecurityEvent.Event

_SAFE_NAME = re.compile(r"^[a-z][a-z0-9_]{0,31}$")
_SAFE_VALUE = re.compile(r"^[a-z0-9_.-]{0,40}$")

# (pattern in the User-Agent, name we show); the first match wins, so order matters.
_BROWSERS = [
    ("Edg/", "Edge"),
    ("EdgiOS/", "Edge"),
    ("OPR/", "Opera"),
    ("SamsungBrowser/", "Samsung Internet"),
    ("Firefox/", "Firefox"),
    ("FxiOS/", "Firefox"),
    ("CriOS/", "Chrome"),
    ("Chromium/", "Chromium"),
    ("Chrome/", "Chrome"),
    ("Safari/", "Safari"),
]
_SYSTEMS = [
    ("Android", "Android"),
    ("iPhone", "iOS"),
    ("iPad", "iPadOS"),
    ("CrOS", "ChromeOS"),
    ("Windows", "Windows"),
    ("Macintosh", "macOS"),
    ("Linux", "Linux"),
]


_NAMES = {name for _marker, name in _BROWSERS + _SYSTEMS}


def describe_device(user_agent: str) -> str:
    """A coarse, language-neutral device description: "Firefox · Android", never the full string.

    A description passes unchanged, so stored descriptions can be described again.
    """
    parts = user_agent.split(" · ")
    if len(parts) <= 2 and all(part in _NAMES for part in parts):
        return user_agent
    browser = next((name for marker, name in _BROWSERS if marker in user_agent), "")
    system = next((name for marker, name in _SYSTEMS if marker in user_agent), "")
    return " · ".join(part for part in (browser, system) if part)


def _check_fields(fields: dict) -> dict:
    for name, value in fields.items():
        if not _SAFE_NAME.match(name):
            raise ValueError(f"Security log field name {name!r} is not a short lowercase name.")
        if value is None or isinstance(value, bool | int):
            continue
        if isinstance(value, str) and _SAFE_VALUE.match(value):
            continue
        raise ValueError(
            f"Security log field {name!r} must be a number, yes/no or a short lowercase name."
        )
    return fields


def record(request: HttpRequest | None, event: str, user=None, **safe_fields) -> SecurityEvent:
    """Store one security event and write one structured line to the "hechting.security" log."""
    event = Event(event)  # an unknown event name is a programming error: fail loudly
    fields = _check_fields(safe_fields)
    if user is not None and not getattr(user, "pk", None):
        user = None
    user_agent = request.META.get("HTTP_USER_AGENT", "") if request is not None else ""
    entry = SecurityEvent.objects.create(
        event=event, user=user, device=describe_device(user_agent), details=fields
    )
    parts = [f"event={event.value}", f"user={user.pk if user else '-'}"]
    if entry.device:
        parts.append(f'device="{entry.device}"')
    parts.extend(f"{name}={value}" for name, value in sorted(fields.items()))
    logger.info(" ".join(parts))
    return entry


def recent_events(user, limit: int = 15) -> list[SecurityEvent]:
    """The newest events of one account, for the account page (one query)."""
    return list(SecurityEvent.objects.filter(user=user).order_by("-created_at", "-id")[:limit])
