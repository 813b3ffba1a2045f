"""The journal as a file: export to JSON (schema version 1, docs/export-format.md) and import.

Export: the parent's children, moments (with their repairs) and share links, three queries.
Share links go without their token, its digest or their address: they are a record of what was
shared, not a way in.

Import: a file of the same format into an empty or an existing account. Children and moments
are matched on their ``id`` (the ``uid`` column, unique per parent), so importing the same file
twice changes nothing the second time and adds no duplicates; a moment that was edited in the
file is updated. Share links are **not** imported: a link belongs to the installation and the
counsellor it was made for, and its token is not in the file. Everything is checked before
anything is written, then written in short batches; if a batch fails, what was written is taken
out again: a file is imported whole or not at all (see "Writing it" below).
"""

from __future__ import annotations

import datetime
import json
import logging
import time
import traceback
import uuid
from dataclasses import dataclass
from typing import Any

from django.conf import settings
from django.core.exceptions import ValidationError
from django.db import connections, transaction
from django.db.models import Count
from django.utils import timezone
from django.utils.translation import gettext as _

from hechting.learn.four_s import KEYS
from reflect import search
from reflect.coparents.models import CoParentNote
from reflect.encryption import Ciphertext
from reflect.models import Child, Moment
from reflect.sharing.models import ShareLink

logger = logging.getLogger(__name__)

FORMAT = "hechting-journal"
VERSION = 1
MAX_BYTES = 20 * 1024 * 1024  # 20 MB
# The largest journal we expect: three moments a day for nine years. A larger file is refused
# with a message that says how to split it (import adds to what is there, so parts add up).
MAX_MOMENTS = 10_000
MAX_CHILDREN = 100
BATCH_SIZE = 200  # moments per transaction: SQLite's write lock is held for one batch (0.1 s)
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
    """Everything of the parent's journal as plain data (four queries)."""
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
        # Notes this parent wrote on moments a co-parent shared: their own words, marked as such,
        # without the other's moment (that is the other's to export). Not imported.
        "coparent_notes": [
            {
                "written": note.created.astimezone(datetime.UTC).isoformat(),
                "words": note.words,
                "on_a_moment_of_a_co_parent": True,
            }
            for note in CoParentNote.objects.filter(owner=user).order_by("created", "pk")
        ],
    }


def export_json(user) -> bytes:
    return json.dumps(export_journal(user), ensure_ascii=False, indent=2).encode()


# --- Checking a file ----------------------------------------------------------------------------
#
# Two layers. The FORMAT is checked here: JSON of the right shape, each value of the type the
# format gives it (text, a whole number, a list of names, an id). The RULES of what a journal may
# hold are the models' own (reflect/models.py: lengths, storable text, days from 1900 and not in
# the future, the repair rules, a birth month that has begun): every child and moment of the file
# goes through ``full_clean``, as a form's values do.


class ImportProblem(Exception):
    """A file we cannot import; the message is for the parent, in their language."""


class ImportFailed(Exception):
    """Writing stopped halfway for a reason not in the file; what was written is removed."""


@dataclass
class ChildData:
    uid: uuid.UUID
    values: dict[str, Any]


@dataclass
class MomentData:
    uid: uuid.UUID
    child: uuid.UUID | None
    values: dict[str, Any]  # every field of MOMENT_FIELDS, checked and normalised by the model
    created: datetime.datetime | None


@dataclass
class Journal:
    children: list[ChildData]
    moments: list[MomentData]


# The file's names for the model's fields, where they differ (for messages).
FILE_NAMES = {
    "repair_status": "repair.status",
    "repaired_on": "repair.on",
    "repair_how": "repair.how",
}


def _problem(where: str, what: str) -> ImportProblem:
    return ImportProblem(_("%(where)s: %(what)s") % {"where": where, "what": what})


def too_large(size: int) -> ImportProblem | None:
    """The problem of a file of ``size`` bytes, or None (the form asks before reading it)."""
    if size <= MAX_BYTES:
        return None
    return ImportProblem(
        _(
            "This file is larger than %(size)s MB, more than we import at once. Split it into "
            "smaller files (each with the whole list “children”) and import them one by one: "
            "nothing is doubled."
        )
        % {"size": MAX_BYTES // (1024 * 1024)}
    )


def _get(item: dict, name: str, where: str):
    if name not in item:
        raise _problem(where, _("the field “%(name)s” is missing.") % {"name": name})
    return item[name]


def _uid(value, where: str) -> uuid.UUID:
    try:
        if not isinstance(value, str):
            raise ValueError
        return uuid.UUID(value)
    except ValueError:
        raise _problem(where, _("the id is not a valid id.")) from None


def _text(value, where: str, name: str, *, required: bool = False) -> str:
    """Text of the file (its length and characters are the model's to check)."""
    if value is None and not required:
        return ""
    if not isinstance(value, str):
        raise _problem(where, _("“%(name)s” must be text.") % {"name": name})
    return value


def _date(value, where: str, name: str) -> datetime.date:
    try:
        if not isinstance(value, str):
            raise TypeError
        return datetime.date.fromisoformat(value)
    except (TypeError, ValueError):
        raise _problem(where, _("“%(name)s” is not a date.") % {"name": name}) from None


def _time(value, where: str) -> datetime.datetime | None:
    """``created``: an ISO 8601 time with its zone (the model checks that it is sensible)."""
    if value is None:
        return None
    try:
        if not isinstance(value, str):
            raise TypeError
        return datetime.datetime.fromisoformat(value)
    except (TypeError, ValueError):
        raise _problem(where, _("“created” is not a date and time.")) from None


def _number(value, where: str, name: str) -> int | None:
    if value is None:
        return None
    if not isinstance(value, int) or isinstance(value, bool):
        raise _problem(where, _("“%(name)s” is not a valid number.") % {"name": name})
    return value


def _name(value, where: str, name: str) -> str:
    """One of a field's choices, as text (the model checks which)."""
    if not isinstance(value, str):
        raise _problem(where, _("“%(name)s” has a value we do not know.") % {"name": name})
    return value


def _list(document: dict, name: str, limit: int) -> list:
    value = document.get(name, [])
    if not isinstance(value, list) or not all(isinstance(item, dict) for item in value):
        raise ImportProblem(_("The list “%(name)s” in the file is damaged.") % {"name": name})
    if len(value) > limit:
        raise ImportProblem(
            _(
                "This file holds %(count)s items in “%(name)s”; we import at most %(limit)s at "
                "once. Split it into files of at most %(limit)s (each with the whole list "
                "“children”) and import them one by one: nothing is doubled."
            )
            % {"count": len(value), "name": name, "limit": limit}
        )
    return value


def _checked(instance: Child | Moment, where: str, exclude: set[str]) -> None:
    """The model's own rules, as a form runs them; the first problem names its field."""
    try:
        instance.full_clean(exclude=exclude, validate_unique=False, validate_constraints=False)
    except ValidationError as error:
        name, messages = next(iter(error.message_dict.items()))
        raise _problem(
            where,
            _("“%(name)s”: %(message)s")
            % {"name": FILE_NAMES.get(name, name), "message": messages[0]},
        ) from None


# Set by the import itself, or a yes/no taken from a list of names: nothing for the model to check.
NOT_CHECKED = {"id", "owner", "uid", "child", "updated", *KEYS}


def _child(item: dict, number: int) -> ChildData:
    where = _("Child %(number)s") % {"number": number}
    uid = _uid(_get(item, "id", where), where)
    values = {
        "nickname": _text(_get(item, "nickname", where), where, "nickname", required=True).strip(),
        "birth_year": _number(item.get("birth_year"), where, "birth_year"),
        "birth_month": _number(item.get("birth_month"), where, "birth_month"),
    }
    _checked(Child(uid=uid, **values), where, exclude={"owner"})
    return ChildData(uid, values)


def _moment_data(item: dict, number: int, children: dict[uuid.UUID, ChildData]) -> MomentData:
    where = _("Moment %(number)s") % {"number": number}
    uid = _uid(_get(item, "id", where), where)
    child = item.get("child")
    child_uid = None if child is None else _uid(child, where)
    if child_uid is not None and child_uid not in children:
        raise _problem(where, _("it names a child that is not in the file."))
    kind = _name(_get(item, "kind", where), where, "kind")
    four_s = _get(item, "four_s", where)
    if not isinstance(four_s, list) or not all(key in KEYS for key in four_s):
        raise _problem(where, _("“four_s” may only hold safe, seen, soothed and secure."))
    moment = Moment(
        uid=uid,
        date=_date(_get(item, "date", where), where, "date"),
        part_of_day=_name(item.get("part_of_day", ""), where, "part_of_day"),
        kind=kind,
        what_happened=_text(
            _get(item, "what_happened", where), where, "what_happened", required=True
        ),
        **{name: _text(item.get(name), where, name) for name in TEXT_FIELDS[1:]},
    )
    moment.set_s(key for key in KEYS if key in four_s)
    if child_uid is not None:  # unsaved, for the model's rule: not before the birth month
        moment.child = Child(uid=child_uid, **children[child_uid].values)
    if kind == Moment.Kind.MISMATCH:
        repair = item.get("repair")
        if not isinstance(repair, dict):
            raise _problem(where, _("a mismatch needs its “repair”."))
        moment.repair_status = _name(_get(repair, "status", where), where, "repair.status")
        if moment.repair_status == Moment.RepairStatus.REPAIRED:
            moment.repaired_on = _date(repair.get("on"), where, "repair.on")
        moment.repair_how = _text(repair.get("how"), where, "repair.how")
    created = _time(item.get("created"), where)
    if created is not None:
        moment.created = created
    _checked(moment, where, exclude=NOT_CHECKED)  # normalises the repair, as a form does
    values = {name: getattr(moment, name) for name in MOMENT_FIELDS if name != "child"}
    return MomentData(uid, child_uid, values, created)


def read_file(raw: bytes) -> Journal:
    """Check a whole file; :class:`ImportProblem` with a message for the parent otherwise."""
    if problem := too_large(len(raw)):
        raise problem
    try:
        document = json.loads(raw.decode("utf-8-sig"))
    except (UnicodeDecodeError, json.JSONDecodeError, RecursionError):
        raise ImportProblem(
            _("This is not a journal file from Hechting (it is not JSON). Choose the .json file.")
        ) from None
    except ValueError:  # a number of more than 4,300 digits (Python's limit for reading one)
        raise ImportProblem(
            _("This file holds a number with more digits than we can read. Export it again.")
        ) from None
    if not isinstance(document, dict) or document.get("format") != FORMAT:
        raise ImportProblem(_("This file is not a journal exported from Hechting."))
    version = document.get("version")
    if type(version) is not int or version != VERSION:
        raise ImportProblem(
            _(
                "This file has format version %(version)s; this Hechting reads version "
                "%(supported)s. Export it again, or update this Hechting."
            )
            % {"version": json.dumps(version)[:20], "supported": VERSION}
        )
    children = [
        _child(item, n) for n, item in enumerate(_list(document, "children", MAX_CHILDREN), 1)
    ]
    child_uids = {child.uid: child for child in children}
    if len(child_uids) != len(children):
        raise ImportProblem(_("Two children in the file have the same id."))
    moments = [
        _moment_data(item, n, child_uids)
        for n, item in enumerate(_list(document, "moments", MAX_MOMENTS), 1)
    ]
    if len({moment.uid for moment in moments}) != len(moments):
        raise ImportProblem(_("Two moments in the file have the same id."))
    # Checked for shape only; not imported (see the module docstring).
    _list(document, "share_links", MAX_MOMENTS)
    return Journal(children, moments)


# --- Writing it ---------------------------------------------------------------------------------
#
# The whole file is checked before anything is written (above). Then it is written in batches of
# BATCH_SIZE moments, one short transaction each: SQLite holds its single write lock for one
# transaction, and rests IMPORT_BATCH_PAUSE seconds between two (on SQLite: a waiting writer
# retries only every so often, and would miss batches written back to back), so another
# parent's save waits for about one batch, never for the whole file.
# Should a batch fail all the same (the database gone, a second import of the same file in another
# tab), what this import had written is taken out again: new rows deleted, changed rows and
# children put back as they were, so a file is still imported whole or not at all.


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
UPDATED_FIELDS = [*MOMENT_FIELDS, "created", "updated"]
ROW_FIELDS = [
    "pk",
    "uid",
    *(f"{name}_id" if name == "child" else name for name in MOMENT_FIELDS),
    "created",
    "updated",
]


def _batches(items: list, size: int):
    for start in range(0, len(items), size):
        yield items[start : start + size]


def _written_batches(items: list, size: int):
    """:func:`_batches` for writing: a rest after each batch but the last lets others write."""
    for number, batch in enumerate(_batches(items, size)):
        if number:
            time.sleep(settings.IMPORT_BATCH_PAUSE)
        yield batch


def _update_rows(moments: list[Moment], fields: list[str]) -> None:
    """UPDATE each moment's row with its values, one statement run for many rows.

    ``bulk_update`` builds one CASE per field with a WHEN per row, and resolving those
    expressions cost 15 s per 500 moments here; ``executemany`` of one plain UPDATE costs
    milliseconds. Values are prepared by their fields, as the ORM prepares them; the words must
    already be sealed (:func:`_sealed`).
    """
    if not moments:
        return
    connection = connections[Moment.objects.db]
    quote = connection.ops.quote_name
    columns = [Moment._meta.get_field(name) for name in fields]
    assignments = ", ".join(f"{quote(field.column)} = %s" for field in columns)
    pk = quote(Moment._meta.pk.column)
    sql = f"UPDATE {quote(Moment._meta.db_table)} SET {assignments} WHERE {pk} = %s"  # noqa: S608
    rows = [
        [field.get_db_prep_save(getattr(moment, field.attname), connection) for field in columns]
        + [moment.pk]
        for moment in moments
    ]
    with connection.cursor() as cursor:
        cursor.executemany(sql, rows)


def _sealed(moment: Moment) -> None:
    """Seal the words for the row, as save() would, before the batch's transaction (an UPDATE
    calls no pre_save; bulk_create keeps what is sealed already)."""
    for name in Moment.TEXT_FIELDS:
        field = Moment._meta.get_field(name)
        setattr(moment, name, field.seal(moment, getattr(moment, name)))


@dataclass
class _Written:
    """What an import wrote, to take it out again if a later batch fails."""

    user: Any
    children_added: list[uuid.UUID]
    children_before: list[Child]
    moments_added: list[uuid.UUID]
    moments_before: list[dict[str, Any]]

    def undo(self) -> None:
        user = self.user
        for rows in _batches(self.moments_before, BATCH_SIZE):
            before = []
            for row in rows:
                moment = Moment(owner=user, **{k: v for k, v in row.items() if k != "pk"})
                moment.pk = row["pk"]
                for name in Moment.TEXT_FIELDS:  # the stored words, sealed as they were
                    setattr(moment, name, Ciphertext(row[name]) if row[name] else "")
                before.append(moment)
            with transaction.atomic():
                _update_rows(before, UPDATED_FIELDS)
                search.rebuild(Moment.objects.filter(pk__in=[row["pk"] for row in rows]))
        for uids in _batches(self.moments_added, BATCH_SIZE):
            with transaction.atomic():
                Moment.objects.for_owner(user).filter(uid__in=uids).delete()
        with transaction.atomic():
            Child.objects.for_owner(user).filter(uid__in=self.children_added).delete()
            Child.objects.bulk_update(self.children_before, CHILD_FIELDS)


def _write_children(user, journal: Journal, written: _Written) -> dict[uuid.UUID, Child]:
    children = {child.uid: child for child in Child.objects.for_owner(user)}
    new, old = [], []
    for data in journal.children:
        child = children.get(data.uid)
        if child is None:
            child = children[data.uid] = Child(owner=user, uid=data.uid)
            new.append(child)
        else:
            written.children_before.append(
                Child(pk=child.pk, **{name: getattr(child, name) for name in CHILD_FIELDS})
            )
            old.append(child)
        for name, value in data.values.items():
            setattr(child, name, value)
    with transaction.atomic():
        Child.objects.bulk_create(new)
        Child.objects.bulk_update(old, CHILD_FIELDS)
    written.children_added = [child.uid for child in new]
    return children


def _write_moments(user, journal: Journal, children: dict, written: _Written) -> tuple[int, int]:
    # The parent's moments as stored (words still sealed): to match on id, and to put back.
    stored = {row["uid"]: row for row in Moment.objects.for_owner(user).values(*ROW_FIELDS)}
    added = updated = 0
    for batch in _written_batches(journal.moments, BATCH_SIZE):
        new, old, before = [], [], []
        now = timezone.now()
        for data in batch:
            moment = Moment(owner=user, uid=data.uid, **data.values)
            moment.child = children[data.child] if data.child else None
            row = stored.get(data.uid)
            if row is None:
                if data.created is not None:
                    moment.created = data.created
                new.append(moment)
                continue
            moment.pk, moment.updated = row["pk"], now
            moment.created = data.created or row["created"]
            old.append(moment)
            before.append(row)
        with transaction.atomic():
            Moment.objects.bulk_create(new)  # seals the words (pre_save) and indexes them
            search.index(old)  # while the words are still readable
            for moment in old:
                _sealed(moment)
            _update_rows(old, UPDATED_FIELDS)
        written.moments_added.extend(moment.uid for moment in new)
        written.moments_before.extend(before)
        added, updated = added + len(new), updated + len(old)
    return added, updated


def import_journal(user, journal: Journal) -> ImportResult:
    """Add or update the file's children and moments in ``user``'s journal, in short batches;
    :class:`ImportFailed` (with nothing left of this import) if writing fails halfway."""
    written = _Written(user, [], [], [], [])
    try:
        children = _write_children(user, journal, written)
        added, updated = _write_moments(user, journal, children, written)
    except Exception as error:
        # Not the error's text: a database error may quote a value from the file.
        where = traceback.extract_tb(error.__traceback__)[-1]
        logger.error(
            "An import stopped halfway (%s at %s:%s); taking out what it wrote.",
            type(error).__name__,
            where.filename,
            where.lineno,
        )
        written.undo()
        raise ImportFailed from error
    return ImportResult(len(written.children_added), len(written.children_before), added, updated)
