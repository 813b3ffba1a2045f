"""The journal as a file: export to JSON (schema version 1, docs/export-format.md) and import.

Export: the parent's children, moments (with their repairs) and share links, three queries.
Share links go without their token, its digest or their address: they are a record of what was
shared, not a way in.

Import: a file of the same format into an empty or an existing account. Children and moments
are matched on their ``id`` (the ``uid`` column, unique per parent), so importing the same file
twice changes nothing the second time and adds no duplicates; a moment that was edited in the
file is updated. Share links are **not** imported: a link belongs to the installation and the
counsellor it was made for, and its token is not in the file. Everything is checked before
anything is written, and written in one transaction: a file is imported whole or not at all.
"""

from __future__ import annotations

import datetime
import json
import uuid
from dataclasses import dataclass
from typing import Any

from django.db import transaction
from django.db.models import Count
from django.utils import timezone
from django.utils.dateparse import parse_datetime
from django.utils.translation import gettext as _

from hechting.learn.four_s import KEYS
from reflect.models import NICKNAME_MAX, TEXT_MAX, Child, Moment
from reflect.sharing.models import ShareLink

FORMAT = "hechting-journal"
VERSION = 1
MAX_BYTES = 20 * 1024 * 1024  # 20 MB: about 10,000 moments with every field filled in
MAX_ITEMS = 50_000
TEXT_FIELDS = Moment.TEXT_FIELDS[:4]  # what_happened, felt, child_needed, what_helped
REPAIR_STATUSES = {"open", "repaired", "not_needed"}


# --- Export -------------------------------------------------------------------------------------


def _s(obj) -> list[str]:
    return [key for key in KEYS if getattr(obj, key)]


def _day(value: datetime.date | None) -> str | None:
    return value.isoformat() if value else None


def _moment(moment: Moment) -> dict[str, Any]:
    repair = None
    if moment.is_mismatch:
        repair = {
            "status": moment.repair_status,
            "on": _day(moment.repaired_on),
            "how": moment.repair_how,
        }
    return {
        "id": str(moment.uid),
        "child": str(moment.child.uid) if moment.child else None,
        "date": moment.date.isoformat(),
        "part_of_day": moment.part_of_day,
        "kind": moment.kind,
        "four_s": _s(moment),
        "what_happened": moment.what_happened,
        "felt": moment.felt,
        "child_needed": moment.child_needed,
        "what_helped": moment.what_helped,
        "repair": repair,
        "created": moment.created.astimezone(datetime.UTC).isoformat(),
    }


def _share_link(link: ShareLink) -> dict[str, Any]:
    return {
        "label": link.label,
        "client_name": link.client_name,
        "scope": link.scope,
        "period_kind": link.period_kind,
        "period_start": _day(link.period_start),
        "period_end": _day(link.period_end),
        "child": str(link.child.uid) if link.child else None,
        "four_s": _s(link),
        "valid_until": link.valid_until.isoformat(),
        "revoked": link.is_revoked,
        "created": link.created.astimezone(datetime.UTC).isoformat(),
        "views": link.view_count,
    }


def export_journal(user) -> dict[str, Any]:
    """Everything of the parent's journal as plain data (three queries)."""
    children = Child.objects.for_owner(user).order_by("created", "pk")
    moments = (
        Moment.objects.for_owner(user).select_related("child").order_by("date", "created", "pk")
    )
    links = (
        ShareLink.objects.filter(owner=user)
        .select_related("child")
        .annotate(view_count=Count("views"))
        .order_by("created", "pk")
    )
    return {
        "format": FORMAT,
        "version": VERSION,
        "exported_at": timezone.now().astimezone(datetime.UTC).isoformat(),
        "children": [
            {
                "id": str(child.uid),
                "nickname": child.nickname,
                "birth_year": child.birth_year,
                "birth_month": child.birth_month,
            }
            for child in children
        ],
        "moments": [_moment(moment) for moment in moments],
        "share_links": [_share_link(link) for link in links],
    }


def export_json(user) -> bytes:
    return json.dumps(export_journal(user), ensure_ascii=False, indent=2).encode()


# --- Checking a file ----------------------------------------------------------------------------


class ImportProblem(Exception):
    """A file we cannot import; the message is for the parent, in their language."""


@dataclass
class ChildData:
    uid: uuid.UUID
    nickname: str
    birth_year: int | None
    birth_month: int | None


@dataclass
class MomentData:
    uid: uuid.UUID
    child: uuid.UUID | None
    values: dict[str, Any]
    created: datetime.datetime | None


@dataclass
class Journal:
    children: list[ChildData]
    moments: list[MomentData]


def _problem(where: str, what: str) -> ImportProblem:
    return ImportProblem(_("%(where)s: %(what)s") % {"where": where, "what": what})


def _get(item: dict, name: str, where: str):
    if name not in item:
        raise _problem(where, _("the field “%(name)s” is missing.") % {"name": name})
    return item[name]


def _uid(value, where: str) -> uuid.UUID:
    try:
        return uuid.UUID(str(value))
    except ValueError:
        raise _problem(where, _("the id is not a valid id.")) from None


def _text(value, where: str, name: str, *, required: bool = False, limit: int = TEXT_MAX) -> str:
    if value is None and not required:
        return ""
    if not isinstance(value, str) or (required and not value.strip()):
        raise _problem(where, _("“%(name)s” must be text.") % {"name": name})
    if len(value) > limit:
        raise _problem(
            where,
            _("“%(name)s” is longer than %(limit)s characters.") % {"name": name, "limit": limit},
        )
    return value


def _date(value, where: str, name: str, *, required: bool = True) -> datetime.date | None:
    if value is None and not required:
        return None
    try:
        return datetime.date.fromisoformat(value)
    except (TypeError, ValueError):
        raise _problem(where, _("“%(name)s” is not a date.") % {"name": name}) from None


def _number(value, where: str, name: str, low: int, high: int) -> int | None:
    if value is None:
        return None
    if not isinstance(value, int) or isinstance(value, bool) or not low <= value <= high:
        raise _problem(where, _("“%(name)s” is not a valid number.") % {"name": name})
    return value


def _choice(value, where: str, name: str, choices) -> str:
    if value not in choices:
        raise _problem(where, _("“%(name)s” has a value we do not know.") % {"name": name})
    return value


def _list(document: dict, name: str) -> list:
    value = document.get(name, [])
    if not isinstance(value, list) or not all(isinstance(item, dict) for item in value):
        raise ImportProblem(_("The list “%(name)s” in the file is damaged.") % {"name": name})
    if len(value) > MAX_ITEMS:
        raise ImportProblem(_("The file holds more than we can import at once."))
    return value


def _child(item: dict, number: int) -> ChildData:
    where = _("Child %(number)s") % {"number": number}
    year = _number(item.get("birth_year"), where, "birth_year", 1990, 2100)
    month = _number(item.get("birth_month"), where, "birth_month", 1, 12)
    if month is not None and year is None:
        raise _problem(where, _("a birth month needs a birth year."))
    nickname = _text(_get(item, "nickname", where), where, "nickname", required=True)
    if len(nickname) > NICKNAME_MAX:
        raise _problem(where, _("the nickname is too long."))
    return ChildData(_uid(_get(item, "id", where), where), nickname.strip(), year, month)


def _moment_data(item: dict, number: int, children: set[uuid.UUID]) -> MomentData:
    where = _("Moment %(number)s") % {"number": number}
    child = item.get("child")
    child_uid = None if child is None else _uid(child, where)
    if child_uid is not None and child_uid not in children:
        raise _problem(where, _("it names a child that is not in the file."))
    kind = _choice(_get(item, "kind", where), where, "kind", Moment.Kind.values)
    four_s = _get(item, "four_s", where)
    if not isinstance(four_s, list) or not set(four_s) <= set(KEYS):
        raise _problem(where, _("“four_s” may only hold safe, seen, soothed and secure."))
    values: dict[str, Any] = {
        "date": _date(_get(item, "date", where), where, "date"),
        "part_of_day": _choice(
            item.get("part_of_day") or "", where, "part_of_day", [*Moment.PartOfDay.values, ""]
        ),
        "kind": kind,
        **{key: key in four_s for key in KEYS},
        "what_happened": _text(
            _get(item, "what_happened", where), where, "what_happened", required=True
        ),
        **{name: _text(item.get(name), where, name) for name in TEXT_FIELDS[1:]},
        "repair_status": "",
        "repaired_on": None,
        "repair_how": "",
    }
    repair = item.get("repair")
    if kind == Moment.Kind.MISMATCH:
        if not isinstance(repair, dict):
            raise _problem(where, _("a mismatch needs its “repair”."))
        status = _choice(_get(repair, "status", where), where, "repair.status", REPAIR_STATUSES)
        values["repair_status"] = status
        if status == Moment.RepairStatus.REPAIRED:
            values["repaired_on"] = _date(repair.get("on"), where, "repair.on")
        values["repair_how"] = _text(repair.get("how"), where, "repair.how")
    created = item.get("created")
    created_at = parse_datetime(created) if isinstance(created, str) else None
    if created is not None and (created_at is None or created_at.tzinfo is None):
        raise _problem(where, _("“created” is not a date and time."))
    return MomentData(_uid(_get(item, "id", where), where), child_uid, values, created_at)


def read_file(raw: bytes) -> Journal:
    """Check a whole file; :class:`ImportProblem` with a message for the parent otherwise."""
    if len(raw) > MAX_BYTES:
        raise ImportProblem(
            _("This file is larger than %(size)s MB, more than we import at once.")
            % {"size": MAX_BYTES // (1024 * 1024)}
        )
    try:
        document = json.loads(raw.decode("utf-8-sig"))
    except (UnicodeDecodeError, json.JSONDecodeError, RecursionError):
        raise ImportProblem(
            _("This is not a journal file from Hechting (it is not JSON). Choose the .json file.")
        ) from None
    if not isinstance(document, dict) or document.get("format") != FORMAT:
        raise ImportProblem(_("This file is not a journal exported from Hechting."))
    version = document.get("version")
    if version != VERSION:
        raise ImportProblem(
            _(
                "This file has format version %(version)s; this Hechting reads version "
                "%(supported)s. Export it again, or update this Hechting."
            )
            % {"version": version, "supported": VERSION}
        )
    children = [_child(item, n) for n, item in enumerate(_list(document, "children"), 1)]
    child_uids = {child.uid for child in children}
    if len(child_uids) != len(children):
        raise ImportProblem(_("Two children in the file have the same id."))
    moments = [
        _moment_data(item, n, child_uids) for n, item in enumerate(_list(document, "moments"), 1)
    ]
    if len({moment.uid for moment in moments}) != len(moments):
        raise ImportProblem(_("Two moments in the file have the same id."))
    _list(document, "share_links")  # checked for shape; not imported (see the module docstring)
    return Journal(children, moments)


# --- Writing it ---------------------------------------------------------------------------------


@dataclass(frozen=True)
class ImportResult:
    children_added: int
    children_updated: int
    moments_added: int
    moments_updated: int


CHILD_FIELDS = ["nickname", "birth_year", "birth_month"]
MOMENT_FIELDS = [
    "child",
    "date",
    "part_of_day",
    "kind",
    *KEYS,
    "repair_status",
    "repaired_on",
    *Moment.TEXT_FIELDS,
]


def import_journal(user, journal: Journal) -> ImportResult:
    """Add or update the file's children and moments in ``user``'s journal, in one transaction."""
    with transaction.atomic():
        children = {child.uid: child for child in Child.objects.for_owner(user)}
        new_children, old_children = [], []
        for data in journal.children:
            child = children.get(data.uid)
            if child is None:
                child = Child(owner=user, uid=data.uid)
                children[data.uid] = child
                new_children.append(child)
            else:
                old_children.append(child)
            child.nickname, child.birth_year = data.nickname, data.birth_year
            child.birth_month = data.birth_month
        Child.objects.bulk_create(new_children)
        Child.objects.bulk_update(old_children, CHILD_FIELDS)

        existing = {
            moment.uid: moment
            for moment in Moment.objects.for_owner(user).only("pk", "uid", "owner", "created")
        }
        added: list[tuple[Moment, MomentData]] = []
        updated: list[Moment] = []
        now = timezone.now()
        for data in journal.moments:
            moment = existing.get(data.uid)
            if moment is None:
                moment = Moment(owner=user, uid=data.uid)
                added.append((moment, data))
            else:
                moment.created = data.created or moment.created
                moment.updated = now
                updated.append(moment)
            for name, value in data.values.items():
                setattr(moment, name, value)
            moment.child = children[data.child] if data.child else None
            moment.normalise_repair()
        new_moments = [moment for moment, _data in added]
        Moment.objects.bulk_create(new_moments)  # seals the words (pre_save); created is now
        for moment, data in added:
            moment.created = data.created or moment.created
        Moment.objects.bulk_update(new_moments, ["created"])
        for moment in updated:  # bulk_update does not call pre_save: seal the words for the row
            for name in Moment.TEXT_FIELDS:
                field = Moment._meta.get_field(name)
                setattr(moment, name, field.seal(moment, getattr(moment, name)))
        Moment.objects.bulk_update(updated, [*MOMENT_FIELDS, "created", "updated"])
    return ImportResult(len(new_children), len(old_children), len(new_moments), len(updated))
