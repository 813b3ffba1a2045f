"""Sharing views: the parent's share links, the counsellor's dashboard and invitations, and the
public token addresses that open a read-only look back or a counsellor's welcome.

Every lookup goes through :mod:`.access`, which scopes objects to the person asking and raises
404. A token address answers at once (no session needed), swaps the token for a grant in the
session and redirects to an address without it; the token never reaches the page, a log, the
Referer header or the database.
"""

from __future__ import annotations

import dataclasses

from allauth.account.decorators import reauthentication_required
from django.contrib import messages
from django.contrib.auth.decorators import login_not_required
from django.db import transaction
from django.db.models import Count, F, Window
from django.db.models.functions import RowNumber
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import render
from django.template.loader import render_to_string
from django.urls import reverse
from django.utils import timezone
from django.utils.http import urlencode
from django.utils.translation import get_language, gettext_lazy
from django.utils.translation import gettext as _
from django.views.decorators.http import require_GET, require_http_methods, require_POST
from django.views.decorators.vary import vary_on_headers
from django_htmx.http import HttpResponseClientRedirect

from hechting.accounts.reauth import APP as REAUTH_APP
from hechting.accounts.reauth import fresh_login_required_for_post
from hechting.accounts.security_log import Event, describe_device, record
from hechting.http import see_other
from hechting.learn.four_s import BY_KEY
from hechting.learn.pages import BY_SLUG
from reflect.charts import chart_context
from reflect.summaries import Kind, Period, first_moment_date, summarise
from reflect.templatetags.typed_words import isolate

from . import access
from .forms import (
    CounsellorProfileForm,
    InvitationAnswerForm,
    InvitationForm,
    LastDayForm,
    ShareLinkForm,
    initial_from_look_back,
)
from .models import CounsellorProfile, Invitation, ShareLink, ShareView
from .signals import SESSION_FLAG

MOMENTS_SHOWN = 100  # the newest moments a "with words" link lists (the summary counts all)
VIEWS_SHOWN = 10  # views listed per link on the parent's page (the count covers all)
SUGGESTED_PAGES = ("secure-attachment", "mismatch-and-repair")
NAV_LABEL = gettext_lazy("Overview")  # the counsellor's item in the main navigation (base.html)


# --- The parent's share links -------------------------------------------------------------------


def _links_context(request: HttpRequest, form: ShareLinkForm | None = None) -> dict:
    links = list(
        ShareLink.objects.filter(owner=request.user)
        .select_related("child", "counsellor__counsellor_profile")
        .annotate(view_count=Count("views"))
    )
    # The newest few views of every link in one query (a window per link), however many there are.
    recent = (
        ShareView.objects.filter(link__owner=request.user)
        .annotate(
            number=Window(RowNumber(), partition_by=F("link_id"), order_by=F("viewed_at").desc())
        )
        .filter(number__lte=VIEWS_SHOWN)
        .order_by("link_id", "-viewed_at")
    )
    by_link: dict[int, list[ShareView]] = {}
    for view in recent:
        by_link.setdefault(view.link_id, []).append(view)
    for link in links:
        link.recent_views = by_link.get(link.pk, [])
    if form is None:
        today = timezone.localdate()
        initial = initial_from_look_back(request.GET, request.user, today)
        form = ShareLinkForm(owner=request.user, initial=initial)
    return {
        "form": form,
        "links": links,
        "today": timezone.localdate(),
    }


@require_http_methods(["GET", "POST"])
@vary_on_headers("HX-Request")
@fresh_login_required_for_post
def links(request: HttpRequest) -> HttpResponse:
    """The parent's sharing page: make a link in three choices, then every link with its views."""
    if request.method == "POST":
        form = ShareLinkForm(request.POST, owner=request.user)
        if form.is_valid():
            link = form.save(commit=False)
            token = link.issue_token()
            link.save()
            record(request, Event.SHARE_LINK_CREATED, user=request.user, link=link.pk)
            created = reverse("sharing:link_created", args=[link.public_id])
            response = see_other("sharing:link_created", link.public_id)
            access.remember_new_token(response, token, created)
            return response
        return render(request, "sharing/links.html", _links_context(request, form), status=400)
    template = "sharing/links.html"
    if request.htmx:
        template += "#link-list"
    return render(request, template, _links_context(request))


@require_GET
def link_created(request: HttpRequest, public_id) -> HttpResponse:
    """The new link, shown once: the token comes from a short-lived cookie, never the server."""
    link = access.own_link_or_404(request, public_id)
    token = access.read_new_token(request)
    url = request.build_absolute_uri(reverse("sharing:link_open", args=[token])) if token else ""
    response = render(request, "sharing/link_created.html", {"link": link, "url": url})
    return access.forget_new_token(request, access.private(response, no_referrer=False))


@require_POST
def link_revoke(request: HttpRequest, public_id) -> HttpResponse:
    """Stop a link now (one click) and say so on the sharing page itself: htmx gets the updated
    list and the message for the page's status line; otherwise back to the page with it."""
    link = access.own_link_or_404(request, public_id)
    if not link.is_revoked:
        link.revoke()
        record(request, Event.SHARE_LINK_REVOKED, user=request.user, link=link.pk)
    notice = _("The link has stopped working. Nobody can open it any more.")
    if request.htmx:
        listed = render_to_string("sharing/links.html#link-list", _links_context(request), request)
        status = render_to_string("sharing/_status.html", {"notice": notice, "oob": True})
        return HttpResponse(listed + status)
    messages.success(request, notice)
    return see_other("sharing:links")


# --- Opening a share link -----------------------------------------------------------------------


@login_not_required
@require_GET
def link_open(request: HttpRequest, token: str) -> HttpResponse:
    """Swap the token for a grant in this browser's session, then leave the token behind."""
    return access.open_token(request, ShareLink, token, access.grant_link, "sharing:link_view")


def _shared_context(link: ShareLink) -> dict:
    """Exactly the link's scope: its owner's moments, its child, its S's, its period."""
    today = timezone.localdate()
    moments = link.moments()
    first = first_moment_date(moments) if link.period_start is None else None
    start, end = link.bounds(first, today)
    kind = {
        ShareLink.PeriodKind.WEEK: Kind.WEEK,
        ShareLink.PeriodKind.MONTH: Kind.MONTH,
        ShareLink.PeriodKind.LAST_MONTH: Kind.MONTH,
    }.get(link.period_kind, Kind.ALL)
    period = Period(kind, start, end)
    summary = summarise(moments, period)
    entries = []
    if link.shows_text:
        entries = list(
            moments.in_period(start, end).select_related("child").newest_first()[:MOMENTS_SHOWN]
        )
    else:
        # Summaries only: counts and charts, none of the parent's words.
        summary = dataclasses.replace(summary, quotes=[])
    # Written for the reader: the parent by the name they chose for this link, or "the parent".
    # Isolated: the name sits inside sentences of ours, many built in Python (summaries.py).
    writer = isolate(link.client_name) or _("the parent")
    summary = dataclasses.replace(summary, writer=writer)
    return {
        "link": link,
        "writer": writer,
        "summary": summary,
        "period": period,
        "child": link.child,
        "chosen_s": link.four_s,
        **chart_context(summary),
        "entries": entries,
        "entries_cut": len(entries) == MOMENTS_SHOWN,
        "read_only": True,
        "today": today,
    }


@login_not_required
@require_GET
def link_view(request: HttpRequest, public_id) -> HttpResponse:
    """The read-only look back of one share link, for the holder of its grant, the counsellor it
    was shared with, or its owner (a preview, not logged). Checked again on every request."""
    try:
        link, how = access.viewable_link(request, public_id)
    except access.Gone:
        return access.refusal(request, 410)
    if how != "owner":
        ShareView.objects.create(
            link=link,
            device=describe_device(request.META.get("HTTP_USER_AGENT", "")),
            through_account=how == "counsellor",
        )
        record(request, Event.SHARE_LINK_VIEWED, user=link.owner, link=link.pk)
    context = _shared_context(link) | {
        "how": how,
        "languages": access.language_links(request),
        # The counsellor's client under "Overview", the parent's own preview under "Sharing".
        "nav_section": {"counsellor": "counsellor", "owner": "sharing"}.get(how, ""),
    }
    return access.private(render(request, "sharing/shared.html", context))


# --- Counsellors --------------------------------------------------------------------------------


@login_not_required
@require_GET
def counsellors(request: HttpRequest) -> HttpResponse:
    """For counsellors: what Hechting offers them and how to start (sign up, then a profile)."""
    profile_url = reverse("sharing:counsellor_profile")
    context = {
        "signup_url": f"{reverse('account_signup')}?{urlencode({'next': profile_url})}",
        "login_url": f"{reverse('account_login')}?{urlencode({'next': profile_url})}",
        "profile_url": profile_url,
    }
    return render(request, "sharing/counsellors.html", context)


@require_http_methods(["GET", "POST"])
def counsellor_profile(request: HttpRequest) -> HttpResponse:
    """Become a counsellor (or edit the profile): name, practice, optional website."""
    profile = CounsellorProfile.objects.filter(user=request.user).first()
    form = CounsellorProfileForm(
        request.POST if request.method == "POST" else None, instance=profile
    )
    if request.method == "POST":
        if form.is_valid():
            saved = form.save(commit=False)
            saved.user = request.user
            saved.save()
            request.session[SESSION_FLAG] = True
            if profile is None:
                messages.success(request, _("Welcome. You can invite clients from here."))
            else:
                messages.success(request, _("Your counsellor details are saved."))
            return see_other("sharing:dashboard")
        status = 400
    else:
        status = 200
    return render(
        request,
        "sharing/counsellor_profile.html",
        {"form": form, "profile": profile},
        status=status,
    )


def _dashboard_context(request: HttpRequest, profile: CounsellorProfile) -> dict:
    today = timezone.localdate()
    # Client names are encrypted, so they are sorted here, after opening.
    shared = sorted(
        ShareLink.objects.active()
        .filter(counsellor=request.user)
        .select_related("child")
        .order_by("-created"),
        key=lambda link: link.client_name.casefold(),
    )
    invitations = Invitation.objects.filter(counsellor=request.user).annotate(
        share_count=Count("share_links")
    )
    return {"profile": profile, "shared": shared, "invitations": invitations, "today": today}


@require_GET
@vary_on_headers("HX-Request")
def dashboard(request: HttpRequest) -> HttpResponse:
    """The counsellor's overview: clients who chose to share, and invitations with their use."""
    profile = access.counsellor_profile_or_404(request)
    template = "sharing/dashboard.html"
    if request.htmx:
        template += "#invitations"
    return render(request, template, _dashboard_context(request, profile))


@require_http_methods(["GET", "POST"])
def invitation_new(request: HttpRequest) -> HttpResponse:
    access.counsellor_profile_or_404(request)
    form = InvitationForm(request.POST if request.method == "POST" else None)
    if request.method == "POST":
        if form.is_valid():
            invitation = form.save(commit=False)
            invitation.counsellor = request.user
            token = invitation.issue_token()
            invitation.save()
            created = reverse("sharing:invitation_created", args=[invitation.public_id])
            response = see_other("sharing:invitation_created", invitation.public_id)
            access.remember_new_token(response, token, created)
            return response
        return render(request, "sharing/invitation_form.html", {"form": form}, status=400)
    return render(request, "sharing/invitation_form.html", {"form": form})


@require_GET
def invitation_created(request: HttpRequest, public_id) -> HttpResponse:
    access.counsellor_profile_or_404(request)
    invitation = access.own_invitation_or_404(request, public_id)
    token = access.read_new_token(request)
    url = (
        request.build_absolute_uri(reverse("sharing:invitation_open", args=[token]))
        if token
        else ""
    )
    response = render(
        request, "sharing/invitation_created.html", {"invitation": invitation, "url": url}
    )
    return access.forget_new_token(request, access.private(response, no_referrer=False))


@require_POST
def invitation_revoke(request: HttpRequest, public_id) -> HttpResponse:
    profile = access.counsellor_profile_or_404(request)
    invitation = access.own_invitation_or_404(request, public_id)
    invitation.revoke()
    messages.success(request, _("The invitation has stopped working."))
    if request.htmx:
        return render(
            request, "sharing/dashboard.html#invitations", _dashboard_context(request, profile)
        )
    return see_other("sharing:dashboard")


@require_http_methods(["GET", "POST"])
def invitation_last_day(request: HttpRequest, public_id) -> HttpResponse:
    """Move the last day of an invitation (today ends it tonight)."""
    access.counsellor_profile_or_404(request)
    invitation = access.own_invitation_or_404(request, public_id)
    if invitation.is_revoked:
        raise Http404("This invitation was stopped.")
    form = LastDayForm(
        request.POST if request.method == "POST" else None,
        initial={"valid_until": invitation.valid_until},
    )
    if request.method == "POST":
        if form.is_valid():
            invitation.valid_until = form.cleaned_data["valid_until"]
            invitation.save(update_fields=["valid_until"])
            messages.success(request, _("The last day of the invitation is changed."))
            return see_other("sharing:dashboard")
        status = 400
    else:
        status = 200
    context = {"form": form, "invitation": invitation}
    return render(request, "sharing/invitation_last_day.html", context, status=status)


# --- A client opening an invitation -------------------------------------------------------------


@login_not_required
@require_GET
def invitation_open(request: HttpRequest, token: str) -> HttpResponse:
    """Swap an invitation's token for the session, count the use, then leave the token behind."""
    return access.open_token(
        request, Invitation, token, access.grant_invitation, "sharing:invitation_welcome"
    )


def _suggested_pages(invitation: Invitation) -> tuple[object, list]:
    kind, _sep, key = invitation.focus.partition(":")
    focus_s = BY_KEY.get(key) if kind == "s" else None
    slugs = []
    if focus_s:
        slugs.append(focus_s.page_slug)
    elif kind == "page" and key in BY_SLUG:
        slugs.append(key)
    slugs += [slug for slug in SUGGESTED_PAGES if slug not in slugs]
    language = get_language() or "nl"
    pages = [
        {"slug": slug, "title": BY_SLUG[slug].for_language(language)["title"]}
        for slug in slugs
        if slug in BY_SLUG
    ]
    return focus_s, pages


@login_not_required
@require_GET
def invitation_welcome(request: HttpRequest, public_id) -> HttpResponse:
    """The welcome a counsellor's invitation opens: their note, pages to read, a journal."""
    try:
        invitation = access.granted_invitation_or_404(request, public_id)
    except access.Gone:
        return access.refusal(request, 410)
    focus_s, pages = _suggested_pages(invitation)
    answer_url = reverse("sharing:invitation_answer", args=[invitation.public_id])
    context = {
        "invitation": invitation,
        "profile": getattr(invitation.counsellor, "counsellor_profile", None),
        "focus_s": focus_s,
        "pages": pages,
        "answer_url": answer_url,
        "signup_url": f"{reverse('account_signup')}?{urlencode({'next': answer_url})}",
        "login_url": f"{reverse('account_login')}?{urlencode({'next': answer_url})}",
        "languages": access.language_links(request),
    }
    return access.private(render(request, "sharing/invitation_welcome.html", context))


def _shares(request: HttpRequest) -> bool:
    return request.POST.get("answer") != InvitationAnswerForm.NO


@require_http_methods(["GET", "POST"])
@reauthentication_required(app=REAUTH_APP, allow_get=True, enabled=_shares)  # "no" needs none
def invitation_answer(request: HttpRequest, public_id) -> HttpResponse:
    """After signing up or logging in through an invitation: share with this counsellor?
    The answer is "no" unless the parent picks otherwise."""
    try:
        invitation = access.granted_invitation_or_404(request, public_id)
    except access.Gone:
        return access.refusal(request, 410)
    if invitation.counsellor_id == request.user.pk:
        raise Http404("This is your own invitation.")
    profile = getattr(invitation.counsellor, "counsellor_profile", None)
    name = profile.name if profile else str(invitation.counsellor)
    form = InvitationAnswerForm(
        request.POST if request.method == "POST" else None,
        counsellor_name=name,
        initial={"client_name": request.user.display_name},
    )
    if request.method == "POST":
        if form.is_valid():
            return _answer(request, invitation, form)
        status = 400
    else:
        status = 200
    context = {"form": form, "invitation": invitation, "profile": profile, "name": name}
    response = render(request, "sharing/invitation_answer.html", context, status=status)
    return access.private(response, no_referrer=False)


def _answer(request: HttpRequest, invitation: Invitation, form: InvitationAnswerForm):
    request.session.pop(access.INVITATION_GRANT, None)
    answer = form.cleaned_data["answer"]
    if answer == form.NO:
        messages.success(request, _("Nothing is shared. Your journal is yours alone."))
        return see_other("reflect:journal")
    with transaction.atomic():
        link = ShareLink(
            owner=request.user,
            counsellor=invitation.counsellor,
            invitation=invitation,
            scope=answer,
            period_kind=ShareLink.PeriodKind.ALL,
            valid_until=form.cleaned_data["valid_until"],
            client_name=form.cleaned_data["client_name"],
            label=form.counsellor_name,
        )
        link.issue_token()  # never shown: the counsellor opens it through their account
        link.save()
    record(request, Event.SHARE_LINK_CREATED, user=request.user, link=link.pk)
    messages.success(request, _("Shared. You can see and stop what you share here, at any time."))
    if request.htmx:
        return HttpResponseClientRedirect(reverse("sharing:links"))
    return see_other("sharing:links")
