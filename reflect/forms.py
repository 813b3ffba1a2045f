"""Forms of the journal: a moment (quick or full), its repair, a child, and the journal filters.

Every form cleans and normalises (text stripped, an empty date is today) and explains what to fix
in the parent's language. Only "what happened" is required. The rules of what a journal may hold
(dates in the last 25 years, not in the future and not before the child's birth month, a repair
not before its mismatch, writing how you reconnected means it was repaired, a birth month that
has begun, storable text) live in reflect/models.py: ``ModelForm`` runs them, and so does the
import.

Nothing typed is lost at the edges of a form (``hechting.forms.NoSilentCut``, shared with every
form of the site where people type): no field has a ``maxlength`` (the browser would cut a long
paste without a word); the limit is a ``data-limit`` for the counter of static/reflect/journal.js,
and the server's message keeps every character. A form that adds a row
carries a one-time key (:class:`OnceForm`), so a second post of the same form adds nothing.
"""

from __future__ import annotations

import datetime
import uuid

from django import forms
from django.db import IntegrityError, models, transaction
from django.utils import timezone
from django.utils.dates import MONTHS
from django.utils.translation import gettext_lazy as _

from hechting.forms import NoSilentCut
from hechting.learn.four_s import FOUR_S, KEYS

from .charts import s_name
from .coparents import models as coparent_models
from .coparents.forms import add_share_choice, apply_share_choice
from .models import Child, Moment, earliest_day


class DateInput(forms.DateInput):
    input_type = "date"

    def __init__(self, attrs=None):
        super().__init__(attrs=attrs, format="%Y-%m-%d")


def _day_bounds(field: forms.Field) -> None:
    """The browser's date picker offers the days the model accepts (see ``DAY_RULES``)."""
    field.widget.attrs["min"] = earliest_day().isoformat()
    field.widget.attrs["max"] = timezone.localdate().isoformat()


RESENT_WITHIN = datetime.timedelta(minutes=30)


class OnceForm(forms.ModelForm):
    """A form that adds a row carries a one-time key: the row keeps it (``form_key``, unique
    per parent), and a second post with the same key (a double click, or going back and sending
    again) finds that row instead of adding another (:meth:`saved_before`)."""

    form_key = forms.UUIDField(required=False, widget=forms.HiddenInput)

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        if self.instance.pk:
            del self.fields["form_key"]  # an edit adds nothing
        else:
            self.fields["form_key"].initial = uuid.uuid4

    @staticmethod
    def saved_before(rows: models.QuerySet, data) -> models.Model | None:
        """The parent's row (``rows`` is scoped to them) that a post with this key added."""
        try:
            key = uuid.UUID(str(data.get("form_key", "")))
        except ValueError:
            return None
        return rows.filter(form_key=key).first()

    def save(self, commit: bool = True):
        row = super().save(commit=False)
        if not row.pk:
            row.form_key = self.cleaned_data.get("form_key")
        if commit:
            row.save()
        return row

    def save_once(self, rows: models.QuerySet, owner) -> tuple[models.Model, bool]:
        """Save the valid form as the parent's row, unless a post with the same key got there
        first (two clicks at once: the unique key stops the second): (the row, whether new)."""
        try:
            with transaction.atomic():
                row = self.save(commit=False)
                row.owner = owner
                row.save()
                return row, True
        except IntegrityError:
            row = self.saved_before(rows, self.data)
            if row is None:
                raise
            return row, False


class FocusFirstErrorMixin:
    """After validation, the first field with an error gets ``autofocus`` (page load and htmx)."""

    def full_clean(self) -> None:
        super().full_clean()
        for name, field in self.fields.items():
            if name in self.errors:
                field.widget.attrs["autofocus"] = True
                break


class MomentForm(FocusFirstErrorMixin, NoSilentCut, OnceForm):
    """A moment, with its optional repair. The four S's are one field of checkboxes (chips)."""

    four_s = forms.MultipleChoiceField(
        label=_("Which of the four S's did it touch?"),
        choices=[(s.key, s.name) for s in FOUR_S],
        widget=forms.CheckboxSelectMultiple,
        required=False,
        help_text=_("Choose any that fit, or none."),
    )

    class Meta:
        model = Moment
        fields = [
            "what_happened",
            "four_s",
            "kind",
            "date",
            "part_of_day",
            "child",
            "felt",
            "child_needed",
            "what_helped",
            "repair_status",
            "repaired_on",
            "repair_how",
        ]
        widgets = {
            "what_happened": forms.Textarea(attrs={"rows": 4}),
            "kind": forms.RadioSelect,
            "part_of_day": forms.RadioSelect,
            "date": DateInput,
            "felt": forms.Textarea(attrs={"rows": 3}),
            "child_needed": forms.Textarea(attrs={"rows": 3}),
            "what_helped": forms.Textarea(attrs={"rows": 3}),
            "repair_status": forms.RadioSelect,
            "repaired_on": DateInput,
            "repair_how": forms.Textarea(attrs={"rows": 3}),
        }
        labels = {
            "what_happened": _("What happened?"),
            "kind": _("How was it between you?"),
            "repair_status": _("Repair"),
            "repaired_on": _("When did you find each other again?"),
        }
        help_texts = {
            "what_happened": _("A few words are enough."),
            "repair_how": _("What did you or your child do to reconnect?"),
        }
        error_messages = {
            "what_happened": {
                "required": _("Write a few words about what happened, then save."),
            },
        }

    def __init__(
        self,
        *args,
        owner,
        children: list[Child] | None = None,
        has_coparents: bool | None = None,
        **kwargs,
    ):
        super().__init__(*args, **kwargs)
        self.owner = owner
        # Only for a parent with a co-parent; the journal knows already (one query less).
        add_share_choice(self, owner, linked=has_coparents)
        self.fields["child"].queryset = Child.objects.for_owner(owner)
        # The template renders the choices from this list (no second query).
        self.children = list(self.fields["child"].queryset) if children is None else children
        self.fields["child"].empty_label = _("No child in particular")
        if len(self.children) == 1 and not self.instance.pk and not self.is_bound:
            self.initial.setdefault("child", self.children[0].pk)
        if self.instance.pk:
            self.initial["four_s"] = list(self.instance.s_keys)
        self.fields["date"].initial = timezone.localdate
        self.fields["date"].show_hidden_initial = False
        self.fields["date"].required = False  # empty means today
        _day_bounds(self.fields["date"])
        _day_bounds(self.fields["repaired_on"])
        self.fields["part_of_day"].choices = [
            ("", _("not noted")),
            *Moment.PartOfDay.choices,
        ]
        self.fields["part_of_day"].required = False
        self.fields["repair_status"].choices = [
            (value, label)
            for value, label in Moment.RepairStatus.choices
            if value != Moment.RepairStatus.NONE
        ]
        self.fields["repair_status"].required = False
        self.fields["repair_status"].initial = Moment.RepairStatus.OPEN
        if self.instance.pk and not self.instance.repair_status:
            self.initial["repair_status"] = Moment.RepairStatus.OPEN

    @property
    def has_children(self) -> bool:
        return bool(self.children)

    def _open(self, *names: str, values: bool = False) -> bool:
        """Whether a folded section starts open: it holds an error or (optionally) some text."""
        if any(name in self.errors for name in names):
            return True
        return values and any(self[name].value() for name in names)

    @property
    def when_open(self) -> bool:
        return self._open("date", "part_of_day", "child")

    @property
    def feelings_open(self) -> bool:
        return self._open("felt", "child_needed", "what_helped", values=True)

    @property
    def repair_open(self) -> bool:
        return self._open("repair_status", "repaired_on", "repair_how") or bool(
            self["repair_how"].value()
        )

    def clean_date(self) -> datetime.date:
        return self.cleaned_data.get("date") or timezone.localdate()

    def _post_clean(self) -> None:
        super()._post_clean()
        self.instance.set_s(self.cleaned_data.get("four_s") or [])

    def same_as_just_saved(self) -> Moment | None:
        """A moment with exactly these words, day, kind and child that the parent noted in the
        last ``RESENT_WITHIN``: the same form sent again after going back. The browser puts the
        words back but the page (never cached) comes with a fresh key, so the key cannot tell."""
        data = self.cleaned_data
        recent = Moment.objects.for_owner(self.owner).filter(
            created__gte=timezone.now() - RESENT_WITHIN,
            date=data["date"],
            kind=data["kind"],
            child=data.get("child"),
        )
        for moment in recent.order_by("-created")[:20]:
            if all(
                getattr(moment, name) == getattr(self.instance, name) for name in Moment.TEXT_FIELDS
            ):
                return moment
        return None

    def save(self, commit: bool = True) -> Moment:
        moment = super().save(commit=False)
        moment.owner = self.owner
        apply_share_choice(self)
        if commit:
            moment.save()
        return moment


class RepairForm(FocusFirstErrorMixin, NoSilentCut, forms.ModelForm):
    """Noting the repair of a mismatch later, or saying no repair is needed."""

    class Meta:
        model = Moment
        fields = ["repair_status", "repaired_on", "repair_how"]
        widgets = {
            "repair_status": forms.RadioSelect,
            "repaired_on": DateInput,
            "repair_how": forms.Textarea(attrs={"rows": 4}),
        }
        labels = {
            "repair_status": _("Repair"),
            "repaired_on": _("When did you find each other again?"),
        }
        help_texts = {"repair_how": _("What did you or your child do to reconnect?")}

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["repair_status"].choices = [
            (value, label)
            for value, label in Moment.RepairStatus.choices
            if value != Moment.RepairStatus.NONE
        ]
        if self.instance.is_open_for_repair and not self.is_bound:
            self.initial["repair_status"] = Moment.RepairStatus.REPAIRED
            self.initial["repaired_on"] = timezone.localdate()
        _day_bounds(self.fields["repaired_on"])


class ChildForm(FocusFirstErrorMixin, NoSilentCut, OnceForm):
    too_long = _(
        "This is longer than %(limit_value)d characters (it has %(show_value)d). A nickname or "
        "an initial is enough."
    )

    birth_month = forms.TypedChoiceField(
        label=_("Birth month"),
        choices=[("", _("not noted")), *MONTHS.items()],
        coerce=int,
        empty_value=None,
        required=False,
    )

    class Meta:
        model = Child
        fields = ["nickname", "birth_month", "birth_year"]
        labels = {"nickname": _("Nickname"), "birth_year": _("Birth year")}
        widgets = {
            "nickname": forms.TextInput(attrs={"autocomplete": "off"}),
            "birth_year": forms.NumberInput(attrs={"inputmode": "numeric"}),
        }
        help_texts = {
            "birth_year": _("With the month, the journal shows your child's age."),
        }
        error_messages = {
            "nickname": {
                "required": _("Give a nickname or an initial, so you can tell them apart."),
            }
        }


class JournalFilterForm(forms.Form):
    """The journal's filters, read from the address (GET), so every view can be bookmarked."""

    SHOW_CHOICES = [
        ("", _("all moments")),
        ("connection", _("moments of connection")),
        ("mismatch", _("out of tune (mismatch)")),
        ("open", _("no repair written down yet")),
    ]

    q = forms.CharField(
        label=_("Search your journal"),
        required=False,
        max_length=200,
        error_messages={
            "max_length": _(
                "A search can be at most %(limit_value)d characters long (this one has "
                "%(show_value)d). Search with fewer words."
            )
        },
    )
    s = forms.ChoiceField(
        label=_("Which S"),
        required=False,
        choices=[("", _("all four S's"))] + [(k, k) for k in KEYS],
    )
    child = forms.TypedChoiceField(label=_("Child"), required=False, coerce=int, empty_value=None)
    show = forms.ChoiceField(label=_("Show"), required=False, choices=SHOW_CHOICES)

    def __init__(self, *args, children: list[Child], owner=None, coparents=(), **kwargs):
        # owner: whose journal a search looks in (the search index is keyed per parent);
        # coparents: in the together view, the ids of the co-parents whose shared moments are
        # shown too: a child matches their record of it, a search looks in their index too.
        super().__init__(*args, **kwargs)
        self.owner = owner
        self.coparents = list(coparents)
        self.fields["child"].choices = [("", _("everyone"))] + [
            (child.pk, child.nickname) for child in children
        ]
        self.fields["s"].choices = [("", _("all four S's"))] + [(s.key, s_name(s)) for s in FOUR_S]
        self.fields["child"].widget.attrs["dir"] = "auto"  # nicknames in any script
        self.children = children

    def filter(self, moments):
        """Apply the valid filters to the parent's moments (invalid values are ignored, but a
        search that is too long finds nothing: it says so instead of showing everything)."""
        if not self.is_valid():
            if "q" in self.errors:
                return moments.none()
            data = {
                name: value for name, value in self.cleaned_data.items() if name not in self.errors
            }
        else:
            data = self.cleaned_data
        if data.get("s"):
            moments = moments.touching(data["s"])
        if data.get("child") and self.coparents:
            moments = moments.filter(coparent_models.same_child(self.owner, data["child"]))
        elif data.get("child"):
            moments = moments.for_child(data["child"])
        show = data.get("show")
        if show == "connection":
            moments = moments.connections()
        elif show == "mismatch":
            moments = moments.mismatches()
        elif show == "open":
            moments = moments.open_for_repair()
        if data.get("q"):
            moments = moments.search(self.owner, data["q"], also=self.coparents)
        return moments

    @property
    def is_filtered(self) -> bool:
        data = getattr(self, "cleaned_data", {})
        return "q" in self.errors or any(data.get(n) for n in ("q", "s", "child", "show"))
