"""Forms for counsellors and for the parent's share links. They clean and normalise; the views
save. Dates are local dates; every "last day" must lie between today and its maximum."""

from __future__ import annotations

import datetime

from django import forms
from django.utils import timezone
from django.utils.translation import get_language
from django.utils.translation import gettext_lazy as _

from hechting.forms import NoSilentCut
from hechting.learn.four_s import FOUR_S
from hechting.learn.pages import BY_SLUG, PAGES
from reflect.models import Child
from reflect.summaries import Kind, month_of, parse_period, week_of

from .models import (
    DEFAULT_DAYS,
    INVITATION_MAX_DAYS,
    MAX_DAYS,
    CounsellorProfile,
    Invitation,
    ShareLink,
)


def _date_input(days_ahead: int) -> forms.DateInput:
    today = timezone.localdate()
    return forms.DateInput(
        attrs={
            "type": "date",
            "min": today.isoformat(),
            "max": (today + datetime.timedelta(days=days_ahead)).isoformat(),
        },
        format="%Y-%m-%d",
    )


def _clean_last_day(value: datetime.date, max_days: int) -> datetime.date:
    today = timezone.localdate()
    if value < today:
        raise forms.ValidationError(_("Choose today or a day after today."))
    if value > today + datetime.timedelta(days=max_days):
        raise forms.ValidationError(
            _("Choose a day at most %(days)s days from today.") % {"days": max_days}
        )
    return value


def focus_choices() -> list:
    """The four S's and the learn pages, in the reader's language, as grouped choices."""
    language = get_language() or "nl"
    s_choices = [(f"s:{s.key}", f"{s.name} ({s.local_name})") for s in FOUR_S]
    page_choices = [(f"page:{page.slug}", page.for_language(language)["title"]) for page in PAGES]
    return [
        ("", _("No particular focus")),
        (_("One of the four S's"), s_choices),
        (_("A page to read"), page_choices),
    ]


def focus_is_valid(value: str) -> bool:
    kind, _sep, key = value.partition(":")
    if kind == "s":
        return any(s.key == key for s in FOUR_S)
    return kind == "page" and key in BY_SLUG


class CounsellorProfileForm(NoSilentCut, forms.ModelForm):
    class Meta:
        model = CounsellorProfile
        fields = ["name", "practice", "website"]
        labels = {"website": _("Website")}  # only the required field is marked, in the page
        help_texts = {
            "name": _("Parents see this name when you invite them and on links they share."),
        }
        widgets = {
            "name": forms.TextInput(attrs={"autocomplete": "name"}),
            "practice": forms.TextInput(attrs={"autocomplete": "organization"}),
            "website": forms.URLInput(attrs={"autocomplete": "url", "placeholder": "https://"}),
        }

    def clean_name(self) -> str:
        return " ".join(self.cleaned_data["name"].split())

    def clean_practice(self) -> str:
        return " ".join(self.cleaned_data["practice"].split())


class InvitationForm(NoSilentCut, forms.ModelForm):
    focus = forms.ChoiceField(label=_("Focus"), required=False)

    class Meta:
        model = Invitation
        fields = ["note", "focus", "valid_until"]
        labels = {"note": _("Personal note"), "valid_until": _("Works until and including")}
        help_texts = {
            "note": _("A few words that welcome your client. They see it before signing up."),
            "valid_until": _("Several clients can use the same invitation until this day."),
        }
        widgets = {"note": forms.Textarea(attrs={"rows": 4})}

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["focus"].choices = focus_choices()
        self.fields["valid_until"].widget = _date_input(INVITATION_MAX_DAYS)
        if not self.is_bound and not self.instance.pk:
            self.initial.setdefault(
                "valid_until", timezone.localdate() + datetime.timedelta(days=30)
            )

    def clean_note(self) -> str:
        return self.cleaned_data["note"].strip()

    def clean_focus(self) -> str:
        value = self.cleaned_data["focus"]
        if value and not focus_is_valid(value):
            raise forms.ValidationError(_("Choose one of the options."))
        return value

    def clean_valid_until(self) -> datetime.date:
        return _clean_last_day(self.cleaned_data["valid_until"], INVITATION_MAX_DAYS)


class LastDayForm(forms.Form):
    """Change when an invitation ends (today ends it tonight)."""

    valid_until = forms.DateField(label=_("Works until and including"))

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["valid_until"].widget = _date_input(INVITATION_MAX_DAYS)

    def clean_valid_until(self) -> datetime.date:
        return _clean_last_day(self.cleaned_data["valid_until"], INVITATION_MAX_DAYS)


class ShareLinkForm(NoSilentCut, forms.ModelForm):
    """What, which period, until when: the three choices of a share link (and some filters)."""

    date_from = forms.DateField(label=_("From"), required=False)
    date_to = forms.DateField(label=_("Up to and including"), required=False)
    s_keys = forms.MultipleChoiceField(
        label=_("Only moments that touched"),
        required=False,
        widget=forms.CheckboxSelectMultiple,
        help_text=_("Choose none to share moments of every S."),
    )

    class Meta:
        model = ShareLink
        fields = ["label", "scope", "period_kind", "child", "valid_until", "client_name"]
        labels = {
            "client_name": _("Your name for the reader"),
            "scope": _("What may they see?"),
            "period_kind": _("Which period?"),
            "child": _("Which child?"),
            "valid_until": _("Until when? (the last day the link works)"),
        }
        help_texts = {
            "label": _("For example: my counsellor. This helps you recognise the link."),
            "client_name": _(
                "Optional. The reader sees it with your look back, for example: “Alice "
                "noted …”. Left empty, they read “the parent”."
            ),
        }
        widgets = {
            "label": forms.TextInput,
            "client_name": forms.TextInput(attrs={"autocomplete": "name"}),
            "scope": forms.RadioSelect,
            "period_kind": forms.RadioSelect,
        }

    def __init__(self, *args, owner, **kwargs):
        super().__init__(*args, **kwargs)
        self.owner = owner
        self.fields["child"].queryset = Child.objects.for_owner(owner)
        self.fields["child"].empty_label = _("All children")
        self.fields["child"].widget.attrs["dir"] = "auto"  # nicknames in any script
        self.fields["child"].required = False
        self.fields["s_keys"].choices = [(s.key, f"{s.name} ({s.local_name})") for s in FOUR_S]
        date_widget = forms.DateInput(attrs={"type": "date"}, format="%Y-%m-%d")
        self.fields["date_from"].widget = date_widget
        self.fields["date_to"].widget = forms.DateInput(attrs={"type": "date"}, format="%Y-%m-%d")
        self.fields["valid_until"].widget = _date_input(MAX_DAYS)
        # Formatted here, for each form, in the language of the request (not once at import).
        self.fields["valid_until"].help_text = _("At most %(days)s days from today.") % {
            "days": MAX_DAYS
        }
        if not self.is_bound:
            self.initial.setdefault(
                "valid_until", timezone.localdate() + datetime.timedelta(days=DEFAULT_DAYS)
            )
            self.initial.setdefault("client_name", last_name_used(owner))

    def clean_label(self) -> str:
        return " ".join(self.cleaned_data["label"].split())

    def clean_client_name(self) -> str:
        return " ".join(self.cleaned_data["client_name"].split())

    def clean_valid_until(self) -> datetime.date:
        return _clean_last_day(self.cleaned_data["valid_until"], MAX_DAYS)

    def clean(self) -> dict:
        cleaned = super().clean()
        if cleaned.get("period_kind") == ShareLink.PeriodKind.DATES:
            start, end = cleaned.get("date_from"), cleaned.get("date_to")
            if start is None:
                self.add_error("date_from", _("Choose the first day of the period."))
            if end is None:
                self.add_error("date_to", _("Choose the last day of the period."))
            if start and end and end < start:
                self.add_error("date_to", _("The last day comes on or after the first day."))
        return cleaned

    def save(self, commit: bool = True) -> ShareLink:
        link = super().save(commit=False)
        link.owner = self.owner
        link.period_start, link.period_end = period_bounds(
            link.period_kind,
            timezone.localdate(),
            self.cleaned_data.get("date_from"),
            self.cleaned_data.get("date_to"),
        )
        link.set_s(self.cleaned_data.get("s_keys") or ())
        if commit:
            link.save()
        return link


def last_name_used(owner) -> str:
    """The name the parent gave on their newest links (the words are sealed, so they are opened
    here, a few rows at most), else the account's name: a parent types it once."""
    for link in ShareLink.objects.filter(owner=owner).only("public_id", "client_name")[:5]:
        if link.client_name:
            return link.client_name
    return owner.display_name


def initial_from_look_back(query, owner, today: datetime.date) -> dict:
    """The share form filled in from the look back's "share this period" (``?period=`` as the
    look back names periods, ``?child=`` one of the parent's own children). Anything that is not
    valid is left out, and the form starts as usual."""
    initial: dict = {}
    try:
        period = parse_period(str(query.get("period", "")), today=today, first=None)
    except ValueError:
        period = None
    if period is not None and period.kind == Kind.ALL:
        initial["period_kind"] = ShareLink.PeriodKind.ALL
    elif period is not None:
        for kind in (
            ShareLink.PeriodKind.WEEK,
            ShareLink.PeriodKind.MONTH,
            ShareLink.PeriodKind.LAST_MONTH,
        ):
            if period_bounds(kind, today) == (period.start, period.end):
                initial["period_kind"] = kind
                break
        else:
            initial.update(
                period_kind=ShareLink.PeriodKind.DATES,
                date_from=period.start,
                date_to=period.end,
            )
    raw_child = str(query.get("child", ""))
    if raw_child.isdigit():
        child = Child.objects.for_owner(owner).filter(pk=int(raw_child)).first()
        if child is not None:
            initial["child"] = child.pk
    return initial


def period_bounds(kind: str, today: datetime.date, start=None, end=None):
    """The fixed dates a period choice stands for (None: open at that end)."""
    if kind == ShareLink.PeriodKind.WEEK:
        week = week_of(today)
        return week.start, week.end
    if kind == ShareLink.PeriodKind.MONTH:
        month = month_of(today)
        return month.start, month.end
    if kind == ShareLink.PeriodKind.LAST_MONTH:
        month = month_of(today.replace(day=1) - datetime.timedelta(days=1))
        return month.start, month.end
    if kind == ShareLink.PeriodKind.DATES:
        return start, end
    return None, None


class InvitationAnswerForm(NoSilentCut, forms.Form):
    """After signing up through an invitation: share with this counsellor? No, unless chosen."""

    NO = "no"
    answer = forms.ChoiceField(widget=forms.RadioSelect, initial=NO)
    valid_until = forms.DateField(label=_("Until when? (the last day they can look)"))
    client_name = forms.CharField(
        label=_("Your name as your counsellor knows you"),
        max_length=80,
        required=False,
        help_text=_("So they recognise your look back on their overview."),
        widget=forms.TextInput(attrs={"autocomplete": "name"}),
    )

    def __init__(self, *args, counsellor_name: str, **kwargs):
        super().__init__(*args, **kwargs)
        self.counsellor_name = counsellor_name
        self.fields["answer"].label = _("Do you want to share with %(name)s?") % {
            "name": counsellor_name
        }
        self.fields["answer"].choices = [
            (self.NO, _("No, not now (you can always share later)")),
            (ShareLink.Scope.SUMMARIES, _("Yes: my look back, without the words of my moments")),
            (ShareLink.Scope.MOMENTS, _("Yes: my look back and the words of my moments")),
        ]
        self.fields["valid_until"].widget = _date_input(MAX_DAYS)
        self.fields["valid_until"].required = False
        if not self.is_bound:
            self.initial["valid_until"] = timezone.localdate() + datetime.timedelta(
                days=DEFAULT_DAYS
            )

    def clean_client_name(self) -> str:
        return " ".join(self.cleaned_data["client_name"].split())

    def clean(self) -> dict:
        cleaned = super().clean()
        if cleaned.get("answer") not in (None, self.NO):
            last_day = cleaned.get("valid_until")
            if last_day is None:
                if "valid_until" not in self.errors:
                    self.add_error("valid_until", _("Choose the last day they can look."))
            else:
                try:
                    _clean_last_day(last_day, MAX_DAYS)
                except forms.ValidationError as error:
                    self.add_error("valid_until", error)
        return cleaned
