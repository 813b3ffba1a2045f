"""Forms of co-parenting: an invitation, its answer, a note, the sharing default, and the
sharing choice that the moment form gets when its author has a co-parent."""

from __future__ import annotations

from allauth.account.models import EmailAddress
from django import forms
from django.contrib.auth import get_user_model
from django.utils.translation import gettext_lazy as _

from hechting.forms import NoSilentCut
from reflect.models import NICKNAME_MAX, Child
from reflect.templatetags.typed_words import isolate

from . import models
from .models import MAX_COPARENTS, NAME_MAX, CoParentInvitation, CoParentNote


class InviteForm(NoSilentCut, forms.ModelForm):
    class Meta:
        model = CoParentInvitation
        fields = ["child", "email", "inviter_name"]
        widgets = {"email": forms.EmailInput(attrs={"autocomplete": "email"})}
        help_texts = {
            "inviter_name": _("How your moments will be signed for them, for example Mama or Sam."),
        }

    def __init__(self, *args, owner, **kwargs):
        super().__init__(*args, **kwargs)
        self.owner = owner
        self.fields["child"].queryset = Child.objects.for_owner(owner)
        self.fields["child"].empty_label = None
        self.fields["email"] = forms.EmailField(
            label=self.fields["email"].label, max_length=254, widget=self.Meta.widgets["email"]
        )
        self.initial.setdefault("inviter_name", owner.display_name)

    def clean_inviter_name(self) -> str:
        name = " ".join(self.cleaned_data["inviter_name"].split())
        if not name:
            raise forms.ValidationError(_("Write the name they know you by."), code="required")
        return name

    def clean_email(self) -> str:
        email = self.cleaned_data["email"].strip()
        if email.casefold() == self.owner.email.casefold():
            raise forms.ValidationError(
                _("This is your own address. Write the address of the other parent."),
                code="own",
            )
        return email

    def clean(self):
        cleaned = super().clean()
        child = cleaned.get("child")
        if child is None:
            return cleaned
        email = cleaned.get("email")
        if email and self._already_invited(child, email):
            raise forms.ValidationError(
                _(
                    "There is already an open invitation for %(nickname)s to this address. "
                    "It still works; you can also withdraw it below and send a new one."
                )
                % {"nickname": isolate(child.nickname)},
                code="already_invited",
            )
        if email and self._already_linked(child, email):
            raise forms.ValidationError(
                _("You already keep the journal about %(nickname)s together with this parent.")
                % {"nickname": isolate(child.nickname)},
                code="already_linked",
            )
        if models.coparent_count(child) >= MAX_COPARENTS:
            raise forms.ValidationError(
                _("%(nickname)s already has %(count)d co-parents or open invitations.")
                % {"nickname": child.nickname, "count": MAX_COPARENTS},
                code="too_many",
            )
        return cleaned

    def _already_invited(self, child, email: str) -> bool:
        """An open invitation of this parent for this child to this address (the addresses are
        sealed, so the few open ones of the child are opened here: one query)."""
        pending = CoParentInvitation.objects.pending().filter(inviter=self.owner, child=child)
        return any(invitation.email.casefold() == email.casefold() for invitation in pending)

    def _already_linked(self, child, email: str) -> bool:
        """The account of this address already keeps this child's journal with this parent."""
        accounts = EmailAddress.objects.filter(email__iexact=email).values_list("user_id")
        accounts = accounts.union(
            get_user_model().objects.filter(email__iexact=email).values_list("pk")
        )
        return any(models.already_linked(self.owner.pk, pk, child) for (pk,) in accounts)


NEW_CHILD = "new"


class AnswerForm(NoSilentCut, forms.Form):
    """Yes (with which of my children this is) or no. No is the answer unless chosen."""

    YES, NO = "yes", "no"
    answer = forms.ChoiceField(
        label=_("Do you want to keep this journal together?"),
        choices=[(NO, _("No, thank you")), (YES, _("Yes, keep it together"))],
        widget=forms.RadioSelect,
        initial=NO,
    )
    child = forms.ChoiceField(label=_("Which child in your journal is this?"), required=False)
    name = forms.CharField(
        label=_("Your name, as they will see it"), max_length=NAME_MAX, required=False
    )

    def __init__(self, *args, owner, nickname: str, invitation=None, **kwargs):
        super().__init__(*args, **kwargs)
        self.owner = owner
        self.invitation = invitation
        self.nickname = nickname[:NICKNAME_MAX]
        self.children = list(Child.objects.for_owner(owner))
        self.fields["child"].choices = [
            (NEW_CHILD, _("Add %(nickname)s to my journal") % {"nickname": self.nickname}),
            *[(str(child.pk), child.nickname) for child in self.children],
        ]
        self.fields["child"].initial = NEW_CHILD
        self.fields["child"].widget = forms.RadioSelect(choices=self.fields["child"].choices)
        self.initial.setdefault("name", owner.display_name)

    def clean(self):
        cleaned = super().clean()
        if cleaned.get("answer") != self.YES:
            return cleaned
        name = " ".join((cleaned.get("name") or "").split())
        if not name:
            self.add_error("name", _("Write the name they know you by."))
        cleaned["name"] = name
        choice = cleaned.get("child") or NEW_CHILD
        if choice == NEW_CHILD:
            cleaned["child"] = None
        else:
            chosen = next((c for c in self.children if str(c.pk) == choice), None)
            if chosen is None:
                self.add_error("child", _("Choose one of your children."))
            elif models.coparent_count(chosen) >= MAX_COPARENTS:
                self.add_error("child", _("This child already has as many co-parents as can be."))
            cleaned["child"] = chosen
        if self._already_linked(cleaned.get("child")):
            self.add_error(
                None,
                _("You already keep the journal about %(nickname)s together with this parent.")
                % {"nickname": isolate(self.nickname)},
            )
        return cleaned

    def _already_linked(self, chosen: Child | None) -> bool:
        """This parent and the inviter already share this child (the inviter's record of it or
        the one chosen here) in an active link."""
        if self.invitation is None:
            return False
        inviter = self.invitation.inviter_id
        return models.already_linked(inviter, self.owner.pk, self.invitation.child) or (
            chosen is not None and models.already_linked(inviter, self.owner.pk, chosen)
        )


class NoteForm(NoSilentCut, forms.ModelForm):
    class Meta:
        model = CoParentNote
        fields = ["words"]
        widgets = {"words": forms.Textarea(attrs={"rows": 3})}
        labels = {"words": _("Your note")}
        help_texts = {"words": _("For example: I saw it too, or how it went on at your place.")}

    def clean_words(self) -> str:
        return self.cleaned_data["words"].strip()


class DefaultForm(forms.Form):
    shares_by_default = forms.BooleanField(
        label=_("Share my new moments about this child by default"), required=False
    )


# --- The choice on the moment form --------------------------------------------------------------

SHARE_FIELD = "shared_with_coparents"


def add_share_choice(form: forms.ModelForm, owner, linked: bool | None = None) -> None:
    """Give the moment form its sharing choice, only when its author has a co-parent (asked
    here unless the caller knows: ``linked``). New moments start with the author's default;
    the choice is always the author's alone."""
    if not (models.has_coparents(owner) if linked is None else linked):
        return
    form.fields[SHARE_FIELD] = forms.BooleanField(
        label=_("Share this moment with my co-parent"),
        help_text=_(
            "Only the co-parents of the child you chose see it. You can change this later."
        ),
        required=False,
    )
    if form.instance.pk:
        form.initial[SHARE_FIELD] = form.instance.shared_with_coparents
    else:
        form.initial.setdefault(SHARE_FIELD, models.shares_by_default(owner))


def apply_share_choice(form: forms.ModelForm) -> None:
    if SHARE_FIELD in form.fields:
        form.instance.shared_with_coparents = bool(form.cleaned_data.get(SHARE_FIELD))
