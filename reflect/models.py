"""The journal: children (nicknames only) and moments of connection, mismatch and repair.

Storage choices, made for the look-back summaries:

* **The four S's are four boolean columns** on :class:`Moment` (``safe``, ``seen``,
  ``soothed``, ``secure``), named after the keys in :mod:`hechting.learn.four_s`. A summary of a
  period by S is then ONE query over ONE table, with no join and one row per period::

      Moment.objects.for_owner(user).in_period(start, end).annotate(
          bucket=BucketStart("date", "week")).values("bucket").annotate(
          **Moment.objects.s_counts())

  The same four columns, with their helpers, mark what a share link shows (:class:`FourS`).

  A related table (moment x S) would need a join and return one row per (period, S); an array or
  JSON column would not aggregate the same way on SQLite and PostgreSQL. The four S's are fixed by
  the source material, so a fifth column is a rare, deliberate migration.
* **A repair lives on its mismatch** (``repair_status``, ``repaired_on``, ``repair_how``): a
  repair belongs to exactly one mismatch and has no life of its own, so "open for repair" and
  "repairs made this month" are plain filters on the same table. A check constraint keeps the
  status consistent with the kind of moment.
* **Dates are the parent's local dates** (``date`` and ``repaired_on`` are DateFields chosen in
  the form, default ``timezone.localdate()``), so a moment noted at 23:30 stays on its evening and
  week boundaries never depend on UTC. ``created``/``updated`` are aware timestamps.

Indexes follow what the journal list and the summaries filter on: owner + date (period), owner +
child + date (one child's period), and the open and repaired mismatches (partial indexes).
"""

from __future__ import annotations

import datetime
import re
import uuid
from typing import TYPE_CHECKING

from django.conf import settings
from django.core.exceptions import ValidationError
from django.core.validators import MaxLengthValidator, MaxValueValidator, MinValueValidator
from django.db import models, transaction
from django.db.models import Count, Q
from django.db.models.functions import Trunc
from django.utils import timezone
from django.utils.formats import date_format
from django.utils.translation import gettext_lazy as _
from django.utils.translation import ngettext

from hechting.learn.four_s import BY_KEY, KEYS, S

from . import search
from .encryption import EncryptedTextField

if TYPE_CHECKING:
    from collections.abc import Iterable

TEXT_MAX = 4000  # what happened, what I felt, ...: room for a long evening's thoughts
NICKNAME_MAX = 40
YEARS_BACK = 25  # a moment is from the last 25 years: older is a typing slip (1 January 1900)
EARLIEST_TIME = datetime.datetime(1900, 1, 1, tzinfo=datetime.UTC)


# --- The rules of what a journal holds -----------------------------------------------------------
#
# One place for every rule about a value, whoever brings it in: the forms run these through
# ``ModelForm`` (``full_clean``), the import through ``Moment.full_clean``/``Child.full_clean``
# (reflect/yourdata/portability.py), so a file can hold nothing a form refuses.


_UNSTORABLE = re.compile("[\x00\ud800-\udfff]")


def storable_text(value: str) -> None:
    """No NUL (PostgreSQL keeps none in text) and no lone surrogate (not writable as UTF-8)."""
    if _UNSTORABLE.search(value):
        raise ValidationError(
            _(
                "This text holds a character that cannot be stored (an invisible control "
                "character, or half of an emoji). Remove it and try again."
            ),
            code="unstorable",
        )


def has_words(value: str) -> None:
    if not value.strip():
        raise ValidationError(_("Write a few words, not only spaces."), code="only_spaces")


def earliest_day(today: datetime.date | None = None) -> datetime.date:
    """The first day a moment may have: the same day ``YEARS_BACK`` years ago (28 February for
    a 29th)."""
    today = today or timezone.localdate()
    try:
        return today.replace(year=today.year - YEARS_BACK)
    except ValueError:
        return today.replace(year=today.year - YEARS_BACK, day=28)


def not_too_early(day: datetime.date) -> None:
    if day < earliest_day():
        raise ValidationError(
            _(
                "This day lies more than %(years)d years back. Choose a day in the last "
                "%(years)d years."
            )
            % {"years": YEARS_BACK},
            code="too_early",
        )


def not_in_future(day: datetime.date) -> None:
    """Not after today in the parent's time zone (``timezone.localdate()``)."""
    if day > timezone.localdate():
        raise ValidationError(
            _("This date is still to come. Choose today or an earlier day."), code="future"
        )


def sensible_time(moment: datetime.datetime) -> None:
    """A time this journal can store and show: from 1900 on, at most a day ahead of this
    server's clock (another installation's clock may run a little ahead)."""
    if moment.tzinfo is None or moment.utcoffset() is None:
        raise ValidationError(
            _("Give the time with its time zone (for example +01:00)."), code="naive"
        )
    if moment < EARLIEST_TIME or moment > timezone.now() + datetime.timedelta(days=1):
        raise ValidationError(
            _("The time must lie between 1900 and now."),
            code="out_of_range",
        )


TEXT_RULES = [MaxLengthValidator(TEXT_MAX), storable_text]
DAY_RULES = [not_too_early, not_in_future]


def week_start(day: datetime.date) -> datetime.date:
    """The Monday of the week that holds ``day`` (weeks start on Monday, as in the Netherlands)."""
    return day - datetime.timedelta(days=day.weekday())


class BucketStart(Trunc):
    """The first day of the day, week (Monday), month or year that a date falls in.

    Django's ``Trunc`` on SQLite calls a Python function for every row, so a look back "since
    the start" cost more the longer the journal (45 against 12 ms for 5,475 and 50 moments).
    SQLite's own date functions do the same in C; PostgreSQL truncates natively anyway.
    """

    _SQLITE = {
        "day": "date({0})",
        # strftime('%w') counts from Sunday (0); a week here starts on Monday.
        "week": "date({0}, '-' || ((CAST(strftime('%%w', {0}) AS INTEGER) + 6) %% 7) || ' days')",
        "month": "strftime('%%Y-%%m-01', {0})",
        "year": "strftime('%%Y-01-01', {0})",
    }

    def __init__(self, expression, kind: str) -> None:
        super().__init__(expression, kind, output_field=models.DateField())

    def as_sqlite(self, compiler, connection, **extra_context):
        sql, params = compiler.compile(self.lhs)
        template = self._SQLITE[self.kind]
        return template.format(sql), tuple(params) * template.count("{0}")


class FourS(models.Model):
    """The four S's as four boolean columns, named after the keys of :mod:`hechting.learn.four_s`:
    which S's a moment touched, or which a share link shows."""

    safe = models.BooleanField("Safe", default=False)
    seen = models.BooleanField("Seen", default=False)
    soothed = models.BooleanField("Soothed", default=False)
    secure = models.BooleanField("Secure", default=False)

    class Meta:
        abstract = True

    @property
    def s_keys(self) -> tuple[str, ...]:
        return tuple(key for key in KEYS if getattr(self, key))

    @property
    def four_s(self) -> list[S]:
        return [BY_KEY[key] for key in self.s_keys]

    def set_s(self, keys: Iterable[str]) -> None:
        chosen = set(keys)
        unknown = chosen - set(KEYS)
        if unknown:
            raise ValueError(f"Unknown S: {sorted(unknown)!r}")
        for key in KEYS:
            setattr(self, key, key in chosen)


class ChildQuerySet(models.QuerySet):
    def for_owner(self, user) -> ChildQuerySet:
        return self.filter(owner=user)


def birth_rule_error(field: str, message: str, child, month: datetime.date, code: str):
    """The one rule of both sides: no moment before its child's birth month (Child.clean when
    the birth month changes, Moment.clean when a moment's day or child does)."""
    words = {"nickname": child.nickname, "month": date_format(month, "F Y")}
    return ValidationError({field: message % words}, code=code)


class Child(models.Model):
    """A child a parent journals about: a nickname and, if the parent likes, a birth month.

    No full names and no photos, on purpose.
    """

    owner = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="children"
    )
    # Stable across export and import (unique per parent): an import updates, never duplicates.
    uid = models.UUIDField(default=uuid.uuid4, editable=False)
    nickname = models.CharField(
        _("nickname"),
        max_length=NICKNAME_MAX,
        help_text=_("A nickname or initial is enough. No full names, please."),
        validators=[storable_text, has_words],
    )
    birth_year = models.PositiveSmallIntegerField(
        _("birth year"),
        null=True,
        blank=True,
        validators=[MinValueValidator(1990), MaxValueValidator(2100)],
    )
    birth_month = models.PositiveSmallIntegerField(
        _("birth month"),
        null=True,
        blank=True,
        validators=[MinValueValidator(1), MaxValueValidator(12)],
    )
    # The one-time key of the form that added the child: a second post of it adds nothing.
    form_key = models.UUIDField(null=True, blank=True, editable=False)
    created = models.DateTimeField(auto_now_add=True)
    updated = models.DateTimeField(auto_now=True)

    objects = ChildQuerySet.as_manager()

    class Meta:
        ordering = ["nickname", "pk"]
        verbose_name = _("child")
        verbose_name_plural = _("children")
        constraints = [
            models.CheckConstraint(
                condition=Q(birth_month__isnull=True) | Q(birth_year__isnull=False),
                name="reflect_child_month_needs_year",
            ),
            models.UniqueConstraint(fields=["owner", "uid"], name="reflect_child_owner_uid"),
            models.UniqueConstraint(
                fields=["owner", "form_key"], name="reflect_child_owner_form_key"
            ),
        ]

    def __str__(self) -> str:
        return self.nickname

    def clean(self) -> None:
        """A birth month needs its year, and has begun (forms and import call this)."""
        year, month = self.birth_year, self.birth_month
        if month is not None and year is None:
            raise ValidationError(
                {"birth_year": _("Add the birth year too, or leave the month empty.")},
                code="month_needs_year",
            )
        if not isinstance(year, int) or not isinstance(month, int | None):
            return  # a value of the wrong kind: the field's own check says so
        today = timezone.localdate()
        if year > today.year or (year == today.year and (month or 0) > today.month):
            raise ValidationError(
                {"birth_year": _("This is still to come. Choose a month that has begun.")},
                code="future",
            )
        # A moment is never dated before its child's birth month (Moment.clean): a later birth
        # month would leave moments that break that rule, and a file that cannot come back in.
        first = self._first_moment_day()
        if first is not None and self.first_day is not None and first < self.first_day:
            message = _(
                "Your journal has a moment about %(nickname)s from %(month)s. Choose that month "
                "or an earlier one."
            )
            raise birth_rule_error("birth_year", message, self, first, "after_moments")

    def _first_moment_day(self) -> datetime.date | None:
        if self.pk is None:
            return None
        return self.moments.aggregate(first=models.Min("date"))["first"]

    @property
    def first_day(self) -> datetime.date | None:
        """The first day of the birth month (of the birth year when only that is known)."""
        if not isinstance(self.birth_year, int):
            return None
        month = self.birth_month if isinstance(self.birth_month, int) else 1
        try:
            return datetime.date(self.birth_year, month, 1)
        except ValueError:
            return None

    def age_in_months(self, on: datetime.date) -> int | None:
        """Whole months between the birth month and ``on``; None when unknown or before birth."""
        if self.birth_year is None or self.birth_month is None:
            return None
        months = (on.year - self.birth_year) * 12 + (on.month - self.birth_month)
        return months if months >= 0 else None

    def age_on(self, on: datetime.date) -> str:
        """The child's age on a day, in words ("2 years and 3 months"); empty when unknown."""
        months = self.age_in_months(on)
        if months is None:
            if self.birth_year is None or self.birth_month is not None:
                return ""  # unknown, or a day before the birth month
            years = on.year - self.birth_year
            if years < 1:
                return ""
            return ngettext("about %(years)d year", "about %(years)d years", years) % {
                "years": years
            }
        years, rest = divmod(months, 12)
        if years == 0:
            return ngettext("%(months)d month", "%(months)d months", rest) % {"months": rest}
        year_text = ngettext("%(years)d year", "%(years)d years", years) % {"years": years}
        if rest == 0:
            return year_text
        month_text = ngettext("%(months)d month", "%(months)d months", rest) % {"months": rest}
        return _("%(years)s and %(months)s") % {"years": year_text, "months": month_text}


class MomentQuerySet(models.QuerySet):
    """Chainable filters: ``Moment.objects.for_owner(user).in_period(a, b).open_for_repair()``."""

    def for_owner(self, user) -> MomentQuerySet:
        return self.filter(owner=user)

    def in_period(self, start: datetime.date, end: datetime.date) -> MomentQuerySet:
        """Moments dated from ``start`` up to and including ``end`` (local dates)."""
        return self.filter(date__gte=start, date__lte=end)

    def for_child(self, child: Child | int | None) -> MomentQuerySet:
        return self if child is None else self.filter(child=child)

    def touching(self, key: str) -> MomentQuerySet:
        """Moments that touched one of the four S's (``key`` from ``four_s.KEYS``)."""
        if key not in KEYS:
            raise ValueError(f"Unknown S: {key!r}")
        return self.filter(**{key: True})

    def connections(self) -> MomentQuerySet:
        return self.filter(kind=Moment.Kind.CONNECTION)

    def mismatches(self) -> MomentQuerySet:
        return self.filter(kind=Moment.Kind.MISMATCH)

    def open_for_repair(self) -> MomentQuerySet:
        return self.filter(kind=Moment.Kind.MISMATCH, repair_status=Moment.RepairStatus.OPEN)

    def repaired(self) -> MomentQuerySet:
        return self.filter(kind=Moment.Kind.MISMATCH, repair_status=Moment.RepairStatus.REPAIRED)

    def repaired_in_period(self, start: datetime.date, end: datetime.date) -> MomentQuerySet:
        """Mismatches whose repair happened in the period (by the repair's own date)."""
        return self.repaired().filter(repaired_on__gte=start, repaired_on__lte=end)

    def search(self, owner, text: str, also=()) -> MomentQuerySet:
        """``owner``'s moments among these that the search ``text`` finds: every searched word
        begins a word of the moment, accents and case aside. Asked of the blind index, without
        opening the journal (reflect/search.py; docs/privacy-and-encryption.md says what the
        index reveals). ``also``: ids of co-parents whose shared moments are among these."""
        return search.matching(self, owner, text, also=also)

    def bulk_create(self, objs, *args, **kwargs) -> list[Moment]:
        """Inserted moments get their search tokens in the same transaction."""
        with transaction.atomic(savepoint=False):
            created = super().bulk_create(objs, *args, **kwargs)
            search.index(created, new=True)
        return created

    def newest_first(self) -> MomentQuerySet:
        return self.order_by("-date", "-created", "-pk")

    # --- Aggregation helpers for summaries: one GROUP BY query, no loop over rows. ---

    @staticmethod
    def s_counts() -> dict[str, Count]:
        """Annotations for ``aggregate()``/``annotate()``: moments, each S, kinds, repairs."""
        counts = {"moments": Count("pk")}
        for key in KEYS:
            counts[key] = Count("pk", filter=Q(**{key: True}))
        counts["connection"] = Count("pk", filter=Q(kind=Moment.Kind.CONNECTION))
        counts["mismatch"] = Count("pk", filter=Q(kind=Moment.Kind.MISMATCH))
        counts["open_for_repair"] = Count("pk", filter=Q(repair_status=Moment.RepairStatus.OPEN))
        counts["repaired"] = Count("pk", filter=Q(repair_status=Moment.RepairStatus.REPAIRED))
        counts["repair_not_needed"] = Count(
            "pk", filter=Q(repair_status=Moment.RepairStatus.NOT_NEEDED)
        )
        return counts


def choice_label(choices: type[models.TextChoices], value):
    """What Django's ``get_FOO_display`` shows for ``value``: its label, or the value itself
    when it is not one of the choices. Django builds a dict of every choice on each call,
    translating every label to hash it; this reads the one label (a journal page shows one
    for each of its 25 cards)."""
    try:
        return str(choices(value).label)
    except ValueError:
        return value


def _local_today() -> datetime.date:
    return timezone.localdate()


class Moment(FourS, models.Model):
    """A moment the parent noted: what happened, which S's it touched, connection or mismatch.

    A mismatch ("uit de pas") starts open for repair; the parent can note the repair with the
    mismatch or later, or say that it was fine already. An open mismatch is never a failure or a
    task: the app only knows that no repair was written down yet, and says just that.
    """

    class Kind(models.TextChoices):
        CONNECTION = "connection", _("moment of connection")
        MISMATCH = "mismatch", _("out of tune (mismatch)")

    class PartOfDay(models.TextChoices):
        MORNING = "morning", _("morning")
        AFTERNOON = "afternoon", _("afternoon")
        EVENING = "evening", _("evening")
        NIGHT = "night", _("night")

    class RepairStatus(models.TextChoices):
        NONE = "", _("not a mismatch")
        OPEN = "open", _("no repair written down yet")
        REPAIRED = "repaired", _("reconnected")
        NOT_NEEDED = "not_needed", _("it was fine already")

    TEXT_FIELDS = ("what_happened", "felt", "child_needed", "what_helped", "repair_how")

    owner = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="moments"
    )
    # Stable across export and import (unique per parent), and part of what the encrypted words
    # are bound to: assigned before the INSERT, so the words are sealed in the same statement.
    uid = models.UUIDField(default=uuid.uuid4, editable=False)
    child = models.ForeignKey(
        Child,
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="moments",
        verbose_name=_("child"),
    )
    date = models.DateField(_("date"), default=_local_today, validators=DAY_RULES)
    part_of_day = models.CharField(
        _("part of the day"), max_length=10, choices=PartOfDay, blank=True
    )
    what_happened = EncryptedTextField(
        _("what happened"), max_length=TEXT_MAX, validators=[*TEXT_RULES, has_words]
    )
    kind = models.CharField(
        _("kind of moment"), max_length=10, choices=Kind, default=Kind.CONNECTION
    )
    felt = EncryptedTextField(
        _("what I felt"), max_length=TEXT_MAX, blank=True, validators=TEXT_RULES
    )
    child_needed = EncryptedTextField(
        _("what my child seemed to need"), max_length=TEXT_MAX, blank=True, validators=TEXT_RULES
    )
    what_helped = EncryptedTextField(
        _("what helped"), max_length=TEXT_MAX, blank=True, validators=TEXT_RULES
    )
    repair_status = models.CharField(
        _("repair"), max_length=10, choices=RepairStatus, blank=True, default=RepairStatus.NONE
    )
    repaired_on = models.DateField(_("repaired on"), null=True, blank=True, validators=DAY_RULES)
    repair_how = EncryptedTextField(
        _("how we reconnected"), max_length=TEXT_MAX, blank=True, validators=TEXT_RULES
    )
    # Seen by the co-parents of its child while their link lasts (reflect/coparents/).
    shared_with_coparents = models.BooleanField(_("share with my co-parent"), default=False)
    # The one-time key of the form that noted it (reflect/forms.py OnceForm): a double click,
    # or going back and sending the form again, finds this moment instead of storing a second.
    form_key = models.UUIDField(null=True, blank=True, editable=False)
    # When the moment was first noted: now, or the time an imported file says.
    created = models.DateTimeField(default=timezone.now, editable=False, validators=[sensible_time])
    updated = models.DateTimeField(auto_now=True)

    objects = MomentQuerySet.as_manager()

    class Meta:
        ordering = ["-date", "-created", "-pk"]
        verbose_name = _("moment")
        verbose_name_plural = _("moments")
        indexes = [
            models.Index(fields=["owner", "-date", "-created"], name="reflect_moment_owner_date"),
            models.Index(fields=["owner", "child", "date"], name="reflect_moment_owner_child"),
            models.Index(
                fields=["owner", "date"],
                condition=Q(repair_status="open"),
                name="reflect_moment_open_repair",
            ),
            models.Index(
                fields=["owner", "repaired_on"],
                condition=Q(repair_status="repaired"),
                name="reflect_moment_repaired_on",
            ),
        ]
        constraints = [
            models.CheckConstraint(
                condition=(
                    Q(kind="connection", repair_status="")
                    | Q(kind="mismatch", repair_status__in=["open", "repaired", "not_needed"])
                ),
                name="reflect_moment_repair_matches_kind",
            ),
            models.CheckConstraint(
                condition=Q(repaired_on__isnull=True) | Q(repair_status="repaired"),
                name="reflect_moment_repaired_on_only_when_repaired",
            ),
            models.UniqueConstraint(fields=["owner", "uid"], name="reflect_moment_owner_uid"),
            models.UniqueConstraint(
                fields=["owner", "form_key"], name="reflect_moment_owner_form_key"
            ),
        ]

    def __str__(self) -> str:
        # Never the parent's words: this string can reach logs and the admin.
        return f"Moment {self.pk} ({self.date:%Y-%m-%d})"

    def save(self, *args, **kwargs) -> None:
        self.normalise_repair()
        update_fields = kwargs.get("update_fields")
        with transaction.atomic(savepoint=False):
            super().save(*args, **kwargs)
            if update_fields is None or set(update_fields) & set(self.TEXT_FIELDS):
                search.index([self])  # the index follows the words (reflect/search.py)

    def clean(self) -> None:
        """The repair rules, and a day not before the child's birth month, for what a parent
        brings in (forms and import call this; the import sets an unsaved ``child``)."""
        self.normalise_repair()
        day, repaired_on = self.date, self.repaired_on
        cached = self._meta.get_field("child").is_cached(self)
        child = self.child if self.child_id or cached else None
        born = child.first_day if child is not None else None
        if isinstance(day, datetime.date) and born and day < born:
            message = _(
                "This day comes before %(nickname)s was born (%(month)s). Choose a later day, or "
                "another child."
            )
            raise birth_rule_error("date", message, child, born, "before_birth")
        if (
            isinstance(day, datetime.date)
            and isinstance(repaired_on, datetime.date)
            and repaired_on < day
        ):
            raise ValidationError(
                {
                    "repaired_on": _(
                        "A repair comes after the moment itself: choose the day of the moment "
                        "or later."
                    )
                },
                code="before_moment",
            )

    # --- Connection, mismatch and repair ---

    # Django's own, with the same text: see choice_label.
    def get_kind_display(self) -> str:
        return choice_label(self.Kind, self.kind)

    def get_part_of_day_display(self) -> str:
        return choice_label(self.PartOfDay, self.part_of_day)

    def get_repair_status_display(self) -> str:
        return choice_label(self.RepairStatus, self.repair_status)

    @property
    def is_mismatch(self) -> bool:
        return self.kind == self.Kind.MISMATCH

    @property
    def is_open_for_repair(self) -> bool:
        return self.is_mismatch and self.repair_status == self.RepairStatus.OPEN

    @property
    def is_repaired(self) -> bool:
        return self.is_mismatch and self.repair_status == self.RepairStatus.REPAIRED

    def validate_constraints(self, exclude=None) -> None:
        """The two repair constraints hold by construction (``normalise_repair``, which ``clean``
        and ``save`` call), so a form does not ask the database about them again: two queries
        less for every moment saved. The database still refuses a row that breaks them."""
        super().validate_constraints(
            exclude={*(exclude or ()), "kind", "repair_status", "repaired_on"}
        )

    def normalise_repair(self) -> None:
        """The repair rules, the one place for them (``clean`` and ``save`` call it):

        * a moment of connection carries no repair;
        * a mismatch always has a status: open, unless the parent says otherwise;
        * writing how or when you reconnected means the repair happened;
        * only a repair has a day: the one given, else today (or the moment's day if later).
        """
        if not self.is_mismatch:
            self.repair_status = self.RepairStatus.NONE
            self.repaired_on = None
            self.repair_how = ""
            return
        if self.repair_status == self.RepairStatus.NONE:
            self.repair_status = self.RepairStatus.OPEN
        if self.repair_status == self.RepairStatus.OPEN and (
            self.repaired_on or (self.repair_how or "").strip()
        ):
            self.repair_status = self.RepairStatus.REPAIRED
        if self.repair_status != self.RepairStatus.REPAIRED:
            self.repaired_on = None
        elif self.repaired_on is None:
            self.repaired_on = max(self.date, timezone.localdate())

    def note_repair(self, how: str = "", on: datetime.date | None = None) -> None:
        """Record that parent and child found each other again (saves the moment)."""
        if not self.is_mismatch:
            raise ValueError("Only a mismatch can be repaired.")
        self.repair_status = self.RepairStatus.REPAIRED
        self.repaired_on = on or timezone.localdate()
        self.repair_how = how
        self.save()

    def mark_repair_not_needed(self) -> None:
        if not self.is_mismatch:
            raise ValueError("Only a mismatch can need a repair.")
        self.repair_status = self.RepairStatus.NOT_NEEDED
        self.repaired_on = None
        self.save()

    def reopen_for_repair(self) -> None:
        """Open again: the repair's day and words go, or they would mean it happened."""
        if not self.is_mismatch:
            raise ValueError("Only a mismatch can be open for repair.")
        self.repair_status = self.RepairStatus.OPEN
        self.repaired_on = None
        self.repair_how = ""
        self.save()

    @property
    def week(self) -> datetime.date:
        return week_start(self.date)

    @property
    def child_age(self) -> str:
        return self.child.age_on(self.date) if self.child_id and self.child else ""


class FormBoundText(EncryptedTextField):
    """Sealed like a moment's words, and bound to the form the row is for as well."""

    def aad(self, instance) -> bytes:
        return super().aad(instance) + f":{instance.form}".encode()


class DraftQuerySet(models.QuerySet):
    def for_owner(self, user) -> DraftQuerySet:
        return self.filter(owner=user)

    def alive(self, now: datetime.datetime) -> DraftQuerySet:
        return self.filter(updated__gt=now - settings.DRAFT_LIFE)

    def expired(self, now: datetime.datetime) -> DraftQuerySet:
        return self.filter(updated__lte=now - settings.DRAFT_LIFE)


class Draft(models.Model):
    """What a parent typed in a form and has not saved yet (reflect/drafts.py).

    One per parent and form: ``new`` (a new moment), ``moment-<pk>`` (an edit) or
    ``repair-<pk>`` (a repair), the last two tied to their moment so that they go with it.
    The fields are JSON (``{name: [values]}``), sealed; they live ``DRAFT_LIFE`` at most.
    Not part of the journal: never exported, never shown in a page that is kept.
    """

    owner = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="drafts"
    )
    moment = models.ForeignKey(
        Moment, on_delete=models.CASCADE, null=True, blank=True, related_name="drafts"
    )
    form = models.CharField(max_length=32)
    uid = models.UUIDField(default=uuid.uuid4, editable=False)
    fields = FormBoundText()
    updated = models.DateTimeField()

    objects = DraftQuerySet.as_manager()

    class Meta:
        constraints = [
            models.UniqueConstraint(fields=["owner", "form"], name="reflect_draft_owner_form"),
        ]
        indexes = [models.Index(fields=["updated"], name="reflect_draft_updated")]

    def __str__(self) -> str:
        return f"Draft {self.form} of user {self.owner_id}"
