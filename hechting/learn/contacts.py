"""The help contacts, read from one data file (contacts.toml) so another region can replace them.

The file is read once per process and checked strictly: a missing text or an unknown field stops
the page with a clear message instead of showing a half-empty list to a parent who needs help.
"""

import re
import tomllib
from dataclasses import dataclass
from functools import cache
from pathlib import Path

from django.conf import settings
from django.core.exceptions import ImproperlyConfigured

CONTACTS_FILE = Path(__file__).with_name("contacts.toml")

_CONTACT_FIELDS = {"name", "about", "phone", "url"}


@dataclass(frozen=True)
class Contact:
    name: str
    about: str
    phone: str = ""
    url: str = ""

    @property
    def tel(self) -> str:
        """The number as a tel: link dials it: digits and a leading + only."""
        return re.sub(r"[^\d+]", "", self.phone)

    @property
    def url_label(self) -> str:
        return re.sub(r"^https?://(www\.)?", "", self.url).rstrip("/")


@dataclass(frozen=True)
class Region:
    name: str
    contacts: tuple[Contact, ...]


@dataclass(frozen=True)
class HelpContacts:
    emergency: str
    regions: tuple[Region, ...]

    @property
    def emergency_tel(self) -> str:
        return re.sub(r"[^\d+]", "", self.emergency)


def load(language: str, path: Path | None = None) -> HelpContacts:
    """The contacts in ``language``, from ``path`` or else from CONTACTS_FILE."""
    return _load(language, Path(path or CONTACTS_FILE))


@cache
def _load(language: str, path: Path) -> HelpContacts:
    try:
        data = tomllib.loads(path.read_text(encoding="utf-8"))
    except (OSError, tomllib.TOMLDecodeError) as error:
        raise ImproperlyConfigured(f"Cannot read the help contacts in {path}: {error}") from error
    emergency = data.get("emergency")
    if not isinstance(emergency, str) or not emergency.strip():
        raise ImproperlyConfigured(f'{path}: "emergency" must be a number, e.g. "112".')
    regions = []
    for number, region in enumerate(data.get("regions", []), start=1):
        where = f"{path}, region {number}"
        contacts = []
        for contact_number, contact in enumerate(region.get("contacts", []), start=1):
            contact_where = f"{where}, contact {contact_number}"
            unknown = set(contact) - _CONTACT_FIELDS
            if unknown:
                raise ImproperlyConfigured(f"{contact_where}: unknown field {sorted(unknown)}.")
            contacts.append(
                Contact(
                    name=_text(contact.get("name"), language, f"{contact_where}, name"),
                    about=_text(contact.get("about"), language, f"{contact_where}, about"),
                    phone=str(contact.get("phone", "")),
                    url=str(contact.get("url", "")),
                )
            )
        if not contacts:
            raise ImproperlyConfigured(f"{where}: a region needs at least one contact.")
        name = _text(region.get("name"), language, f"{where}, name")
        regions.append(Region(name, tuple(contacts)))
    if not regions:
        raise ImproperlyConfigured(f"{path}: list at least one region.")
    return HelpContacts(emergency=emergency.strip(), regions=tuple(regions))


def _text(value: object, language: str, where: str) -> str:
    """A text in the visitor's language, or in the default language (always required)."""
    if not isinstance(value, dict):
        raise ImproperlyConfigured(f'{where}: write it as {{ nl = "...", en = "..." }}.')
    default = value.get(settings.LANGUAGE_CODE)
    if not isinstance(default, str) or not default.strip():
        raise ImproperlyConfigured(f"{where}: the text in {settings.LANGUAGE_CODE!r} is missing.")
    text = value.get(language)
    return text.strip() if isinstance(text, str) and text.strip() else default.strip()
