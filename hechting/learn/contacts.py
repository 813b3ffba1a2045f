"""The help contacts, read from one data file (contacts.toml) so another region can replace them.

The file is read once per process and checked strictly: a missing text, an unknown field or a
missing check date stops the page with a clear message instead of showing a half-empty list to a
parent who needs help.
"""

import datetime
import re
import tomllib
from dataclasses import dataclass
from functools import cache
from pathlib import Path

from django.conf import settings
from django.core.exceptions import ImproperlyConfigured

CONTACTS_FILE = Path(__file__).with_name("contacts.toml")

_CONTACT_FIELDS = {"name", "about", "phone", "url", "region"}
_GROUP_FIELDS = {"key", "title", "intro", "contacts"}
_KEY = re.compile(r"^[a-z][a-z0-9-]*$")
_MONTH = re.compile(r"^(\d{4})-(\d{2})$")


def _tel(number: str) -> str:
    """The number as a tel: link dials it: digits and a leading + only."""
    return re.sub(r"[^\d+]", "", number)


@dataclass(frozen=True)
class Phone:
    number: str  # as written, e.g. "0800-0113"

    @property
    def tel(self) -> str:
        return _tel(self.number)


@dataclass(frozen=True)
class Contact:
    name: str
    about: str
    phones: tuple[Phone, ...] = ()
    url: str = ""

    @property
    def url_label(self) -> str:
        return re.sub(r"^https?://(www\.)?", "", self.url).rstrip("/")


@dataclass(frozen=True)
class Region:
    key: str
    name: str


@dataclass(frozen=True)
class Group:
    """One heading of the help page ("Now, in danger"), its contacts listed per region."""

    key: str
    title: str
    intro: str
    regions: tuple[tuple[Region | None, tuple[Contact, ...]], ...]

    @property
    def contacts(self) -> tuple[Contact, ...]:
        return tuple(contact for _, contacts in self.regions for contact in contacts)


@dataclass(frozen=True)
class HelpContacts:
    checked: datetime.date  # the first day of the month the lines were last checked
    emergency: str
    groups: tuple[Group, ...]

    @property
    def emergency_tel(self) -> str:
        return _tel(self.emergency)


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
    regions = {}
    for number, region in enumerate(data.get("regions", []), start=1):
        where = f"{path}, region {number}"
        key = _key(region.get("key"), f"{where}, key")
        regions[key] = Region(key, _text(region.get("name"), language, f"{where}, name"))
    groups = [
        _group(group, regions, language, f"{path}, group {number}")
        for number, group in enumerate(data.get("groups", []), start=1)
    ]
    if not groups:
        raise ImproperlyConfigured(f"{path}: list at least one group of contacts.")
    return HelpContacts(
        checked=_checked(data.get("checked"), path),
        emergency=emergency.strip(),
        groups=tuple(groups),
    )


def _group(group: dict, regions: dict[str, Region], language: str, where: str) -> Group:
    unknown = set(group) - _GROUP_FIELDS
    if unknown:
        raise ImproperlyConfigured(f"{where}: unknown field {sorted(unknown)}.")
    by_region: dict[Region | None, list[Contact]] = {}
    for number, contact in enumerate(group.get("contacts", []), start=1):
        contact_where = f"{where}, contact {number}"
        unknown = set(contact) - _CONTACT_FIELDS
        if unknown:
            raise ImproperlyConfigured(f"{contact_where}: unknown field {sorted(unknown)}.")
        region = None
        if "region" in contact:
            region = regions.get(contact["region"])
            if region is None:
                known = sorted(regions)
                raise ImproperlyConfigured(
                    f"{contact_where}: region {contact['region']!r} is not one of {known}."
                )
        by_region.setdefault(region, []).append(
            Contact(
                name=_text(contact.get("name"), language, f"{contact_where}, name"),
                about=_text(contact.get("about"), language, f"{contact_where}, about"),
                phones=_phones(contact.get("phone", []), f"{contact_where}, phone"),
                url=str(contact.get("url", "")),
            )
        )
    if not by_region:
        raise ImproperlyConfigured(f"{where}: a group needs at least one contact.")
    return Group(
        key=_key(group.get("key"), f"{where}, key"),
        title=_text(group.get("title"), language, f"{where}, title"),
        intro=_text(group.get("intro"), language, f"{where}, intro") if "intro" in group else "",
        regions=tuple((region, tuple(contacts)) for region, contacts in by_region.items()),
    )


def _phones(value: object, where: str) -> tuple[Phone, ...]:
    numbers = [value] if isinstance(value, str) else value
    if not isinstance(numbers, list) or not all(isinstance(n, str) and _tel(n) for n in numbers):
        raise ImproperlyConfigured(f'{where}: write a number, or a list: ["113", "0800-0113"].')
    return tuple(Phone(number.strip()) for number in numbers)


def _key(value: object, where: str) -> str:
    if not isinstance(value, str) or not _KEY.match(value):
        raise ImproperlyConfigured(f'{where}: write a short key in lower case, e.g. "nl".')
    return value


def _checked(value: object, path: Path) -> datetime.date:
    """The month the contacts were last checked, written "2026-12"."""
    found = _MONTH.match(value) if isinstance(value, str) else None
    if found is None or not 1 <= int(found[2]) <= 12:
        raise ImproperlyConfigured(
            f'{path}: "checked" must say the month you last checked the contacts, e.g. "2026-12".'
        )
    return datetime.date(int(found[1]), int(found[2]), 1)


def _text(value: object, language: str, where: str) -> str:
    """A text in the visitor's language, or in the default language (always required)."""
    if not isinstance(value, dict):
        raise ImproperlyConfigured(f'{where}: write it as {{ nl = "...", en = "..." }}.')
    default = value.get(settings.LANGUAGE_CODE)
    if not isinstance(default, str) or not default.strip():
        raise ImproperlyConfigured(f"{where}: the text in {settings.LANGUAGE_CODE!r} is missing.")
    text = value.get(language)
    return text.strip() if isinstance(text, str) and text.strip() else default.strip()
