"""Co-parent views: the page of one's co-parents, inviting, answering, ending, and a moment the
other parent shared (read-only, with a note).

Every lookup is scoped to the person asking: links through :func:`_my_link`, invitations the
parent sent through :func:`_my_invitation`, a shared moment through
:func:`models.shared_moments`. Anything else is a 404. The token address reuses the rules of
share links (reflect/sharing/access.py ``open_token``): the token is swapped for a grant in the
session and left behind; an answered, expired or withdrawn invitation is 410.
"""

from __future__ import annotations

from allauth.account.adapter import get_adapter
from django.contrib import messages
from django.contrib.auth.decorators import login_not_required
from django.db import IntegrityError, transaction
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import get_object_or_404, render
from django.urls import reverse
from django.utils import timezone
from django.utils.http import urlencode
from django.utils.translation import gettext as _
from django.views.decorators.http import require_GET, require_http_methods, require_POST

from hechting.accounts.reauth import fresh_login_required_for_post
from hechting.http import see_other
from reflect.models import Child, Moment
from reflect.sharing import access

from . import models
from .forms import AnswerForm, DefaultForm, InviteForm, NoteForm
from .models import CoParentInvitation, CoParentLink, CoParentNote

GRANT = "coparents_invitation"  # session: the invitation this browser opened with its token


def _my_link(request: HttpRequest, public_id) -> CoParentLink:
    link = (
        CoParentLink.objects.of(request.user)
        .select_related("inviter_child", "coparent_child")
        .filter(public_id=public_id)
        .first()
    )
    if link is None:
        raise Http404("No such co-parent link.")
    return link


def _my_invitation(request: HttpRequest, public_id) -> CoParentInvitation:
    return get_object_or_404(CoParentInvitation, inviter=request.user, public_id=public_id)


def _granted_invitation(request: HttpRequest, public_id) -> CoParentInvitation:
    """The invitation this browser opened with its token; :class:`access.Gone` once answered,
    expired or withdrawn."""
    invitation = (
        CoParentInvitation.objects.select_related("child").filter(public_id=public_id).first()
    )
    if invitation is None or request.session.get(GRANT) != invitation.pk:
        raise Http404("No such invitation.")
    if not invitation.is_active:
        raise access.Gone
    return invitation


def _overview_context(request: HttpRequest, form: InviteForm | None = None) -> dict:
    user = request.user
    links = CoParentLink.objects.of(user).select_related("inviter_child", "coparent_child")
    sides = [link.side(user) for link in links]
    return {
        "active": [side for side in sides if side.link.is_active],
        "ended": [side for side in sides if not side.link.is_active],
        "invitations": CoParentInvitation.objects.pending()
        .filter(inviter=user)
        .select_related("child"),
        "form": form or InviteForm(owner=user),
        "has_children": Child.objects.for_owner(user).exists(),
        "max_coparents": models.MAX_COPARENTS,
    }


@require_GET
def overview(request: HttpRequest) -> HttpResponse:
    """My co-parents: links (and the ones that ended), open invitations, a new invitation."""
    return render(request, "coparents/overview.html", _overview_context(request))


@require_POST
@fresh_login_required_for_post  # whoever holds an unlocked phone cannot invite themselves
def invite(request: HttpRequest) -> HttpResponse:
    form = InviteForm(request.POST, owner=request.user)
    if not form.is_valid():
        context = _overview_context(request, form)
        return render(request, "coparents/overview.html", context, status=400)
    invitation = form.save(commit=False)
    invitation.inviter = request.user
    token = invitation.issue_token()
    invitation.save()
    url = request.build_absolute_uri(reverse("coparents:invitation_open", args=[token]))
    # No journal words in the mail: the sender's chosen name and the link, nothing else.
    get_adapter(request).send_mail(
        "coparents/email/invitation",
        invitation.email,
        {"inviter_name": invitation.inviter_name, "url": url},
    )
    messages.success(request, _("The invitation is sent. It works once, for 7 days."))
    return see_other("coparents:overview")


@require_POST
def invitation_revoke(request: HttpRequest, public_id) -> HttpResponse:
    _my_invitation(request, public_id).revoke()
    messages.success(request, _("The invitation has stopped working."))
    return see_other("coparents:overview")


@login_not_required
@require_GET
def invitation_open(request: HttpRequest, token: str) -> HttpResponse:
    def grant(request: HttpRequest, invitation: CoParentInvitation) -> None:
        request.session[GRANT] = invitation.pk

    return access.open_token(
        request, CoParentInvitation, token, grant, "coparents:invitation_answer"
    )


@login_not_required
@require_http_methods(["GET", "POST"])
def invitation_answer(request: HttpRequest, public_id) -> HttpResponse:
    """What joining means, then yes or no. A visitor signs up or logs in first (the grant
    stays in the session); nothing of the other's journal is shown before a yes."""
    try:
        invitation = _granted_invitation(request, public_id)
    except access.Gone:
        return access.refusal(request, 410)
    here = request.path
    context = {
        "invitation": invitation,
        "signup_url": f"{reverse('account_signup')}?{urlencode({'next': here})}",
        "login_url": f"{reverse('account_login')}?{urlencode({'next': here})}",
    }
    if not request.user.is_authenticated:
        if request.method == "POST":
            return see_other(context["login_url"])
        return access.private(render(request, "coparents/invitation.html", context))
    if invitation.inviter_id == request.user.pk:
        raise Http404("This is your own invitation.")
    nickname = invitation.child.nickname
    form = AnswerForm(
        request.POST if request.method == "POST" else None,
        owner=request.user,
        nickname=nickname,
        invitation=invitation,
    )
    if request.method == "POST" and form.is_valid():
        return _answer(request, invitation, form)
    context["form"] = form
    status = 400 if form.is_bound else 200
    response = render(request, "coparents/invitation.html", context, status=status)
    return access.private(response, no_referrer=False)


def _answer(request: HttpRequest, invitation: CoParentInvitation, form: AnswerForm):
    request.session.pop(GRANT, None)
    if form.cleaned_data["answer"] != AnswerForm.YES:
        invitation.answer(accepted=False)
        messages.success(request, _("You said no. Nothing is shared."))
        return see_other("reflect:journal")
    try:
        with transaction.atomic():
            # Once only, also when two browsers answer at the same moment.
            claimed = CoParentInvitation.objects.pending().filter(pk=invitation.pk)
            if not claimed.update(answered_at=timezone.now(), accepted=True):
                return access.refusal(request, 410)
            child = form.cleaned_data["child"] or Child.objects.create(
                owner=request.user, nickname=form.nickname
            )
            CoParentLink.objects.create(
                inviter=invitation.inviter,
                inviter_child=invitation.child,
                inviter_name=invitation.inviter_name,
                coparent=request.user,
                coparent_child=child,
                coparent_name=form.cleaned_data["name"],
            )
    except IntegrityError:  # another invitation for this pair and child was accepted meanwhile
        messages.info(request, _("You already keep the journal about this child together."))
        return see_other("coparents:overview")
    messages.success(request, _("You now keep this journal together."))
    return see_other("coparents:overview")


@require_POST
def link_default(request: HttpRequest, public_id) -> HttpResponse:
    link = _my_link(request, public_id)
    if not link.is_active:
        raise Http404("This link has ended.")
    form = DefaultForm(request.POST)
    form.is_valid()
    link.side(request.user).set_shares_by_default(form.cleaned_data.get("shares_by_default"))
    messages.success(request, _("Your choice is saved."))
    return see_other("coparents:overview")


@require_http_methods(["GET", "POST"])
def link_end(request: HttpRequest, public_id) -> HttpResponse:
    """Either parent ends the link, without the other's consent, at once."""
    link = _my_link(request, public_id)
    if request.method == "POST":
        link.end()
        messages.success(request, _("This shared journal ended."))
        return see_other("coparents:overview")
    if not link.is_active:
        return see_other("coparents:overview")
    return render(request, "coparents/end.html", {"side": link.side(request.user)})


@require_POST
def link_forget(request: HttpRequest, public_id) -> HttpResponse:
    """Remove an ended link from the list (an active one is ended first)."""
    link = _my_link(request, public_id)
    if not link.is_active:
        link.delete()
    return see_other("coparents:overview")


# --- A moment the other parent shared -----------------------------------------------------------


def _shared_moment(request: HttpRequest, pk: int) -> Moment:
    moment = models.shared_moments(request.user).select_related("child").filter(pk=pk).first()
    if moment is None:
        raise Http404("No such moment.")
    return moment


@require_http_methods(["GET", "POST"])
def shared_moment(request: HttpRequest, pk: int) -> HttpResponse:
    """A moment a co-parent shared: read-only, with my own notes and a form for a new one."""
    moment = _shared_moment(request, pk)
    form = NoteForm(request.POST if request.method == "POST" else None)
    if request.method == "POST" and form.is_valid():
        note = form.save(commit=False)
        note.owner, note.moment = request.user, moment
        note.save()
        messages.success(request, _("Your note is saved."))
        return see_other("coparents:shared_moment", moment.pk)
    context = {
        "moment": moment,
        "author_name": models.names_for(request.user).get(moment.owner_id, ""),
        "notes": moment.coparent_notes.filter(owner=request.user),
        "form": form,
    }
    status = 400 if form.is_bound else 200
    return render(request, "coparents/shared_moment.html", context, status=status)


@require_POST
def note_hide(request: HttpRequest, pk: int) -> HttpResponse:
    """The moment's author hides a note on it (the note stays its writer's)."""
    note = get_object_or_404(CoParentNote, pk=pk, moment__owner=request.user)
    note.hidden_at = timezone.now()
    note.save(update_fields=["hidden_at"])
    messages.success(request, _("The note is hidden."))
    return see_other("reflect:moment_detail", note.moment_id)


@require_POST
def note_delete(request: HttpRequest, pk: int) -> HttpResponse:
    """The writer of a note takes it back."""
    note = get_object_or_404(CoParentNote, pk=pk, owner=request.user)
    moment_id = note.moment_id
    note.delete()
    messages.success(request, _("Your note is deleted."))
    if models.shared_moments(request.user).filter(pk=moment_id).exists():
        return see_other("coparents:shared_moment", moment_id)
    return see_other("coparents:overview")


def notes_for_author(user, moment: Moment) -> list[CoParentNote]:
    """The notes a moment's author sees on it: by co-parents who still share its child, each
    with the name its writer chose."""
    notes = list(CoParentNote.objects.visible_to_author(user).filter(moment=moment))
    if notes:
        names = models.names_for(user)
        for note in notes:
            note.author_name = names.get(note.owner_id, "")
    return notes
