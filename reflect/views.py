"""Views of the journal. Every object is fetched through :func:`_owned`, scoped to the parent.

One view serves the full page and, for htmx, the ``content`` partial of the same template.
Every successful POST redirects with 303 (htmx gets a fragment or a client redirect instead).
"""

from __future__ import annotations

import itertools

from django.contrib import messages
from django.core.paginator import Paginator
from django.db.models import Model
from django.http import (
    HttpRequest,
    HttpResponse,
    HttpResponseBadRequest,
    JsonResponse,
    QueryDict,
)
from django.shortcuts import get_object_or_404, render
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _
from django.views.decorators.http import require_GET, require_http_methods
from django.views.decorators.vary import vary_on_headers
from django_htmx.http import HttpResponseClientRedirect, push_url, reswap, retarget

from hechting.http import see_other
from hechting.learn import four_s
from hechting.learn.ages import age_bands
from hechting.learn.four_s import BY_KEY, FOUR_S

from . import drafts, search, unsent
from .coparents import models as coparents
from .coparents import views as coparent_views
from .forms import ChildForm, JournalFilterForm, MomentForm, RepairForm
from .models import Child, Moment

PER_PAGE = 25


def _owned[Owned: (Child, Moment)](request: HttpRequest, model: type[Owned], pk: int) -> Owned:
    """The parent's own child or moment, or 404 (never 403: we do not confirm it exists)."""
    queryset = model.objects.for_owner(request.user)
    if model is Moment:
        queryset = queryset.select_related("child")
    return get_object_or_404(queryset, pk=pk)


def _page(request: HttpRequest, template: str, context: dict, partial: str = "content"):
    """The full page, or for htmx only its ``partial``."""
    context.setdefault("four_s", FOUR_S)
    context.setdefault("saved_drafts", request.session.pop("reflect_saved_drafts", []))
    return render(request, f"{template}#{partial}" if request.htmx else template, context)


def draft_url(name: str) -> str:
    """Where journal.js sends and asks for the draft of a form (reflect/drafts.py)."""
    return reverse("reflect:draft", args=[name])


def _draft_saved(request: HttpRequest, name: str) -> None:
    """The form is saved: drop its draft, and tell the next page (a draft sent just before the
    save may still arrive; journal.js drops it again once that request is done)."""
    drafts.drop(request.user.pk, name)
    saved = request.session.get("reflect_saved_drafts", [])
    request.session["reflect_saved_drafts"] = [*saved, draft_url(name)]


@drafts.endpoint
@require_http_methods(["GET", "POST"])
def draft(request: HttpRequest, form: str) -> HttpResponse:
    """GET: the parent's draft of this form as JSON. POST: the form's fields, kept as the draft
    (without any words: the draft is dropped). 404 for a form that is not the parent's."""
    form_class, moment = drafts.target(request.user.pk, form)
    if request.method == "GET":
        return JsonResponse({"fields": drafts.fields_for(request.user.pk, form)})
    try:
        fields = drafts.fields_of(request.POST, form_class)
    except drafts.BadDraft:
        return HttpResponseBadRequest(_("This is not a draft of this form."))
    drafts.keep(request.user.pk, form, moment, fields)
    return HttpResponse(status=204)


def _weeks(moments: list[Moment]) -> list[tuple]:
    """The moments of one page grouped by week (they arrive newest first)."""
    return [(week, list(group)) for week, group in itertools.groupby(moments, lambda m: m.week)]


def _journal_context(request: HttpRequest, query: QueryDict) -> dict:
    children = list(Child.objects.for_owner(request.user))
    # "Together": mine and what co-parents shared with me (reflect/coparents/), one query; the
    # child filter matches their record of the same child, a search looks in their index too.
    names = coparents.names_for(request.user)
    together = bool(names) and query.get("view") == "together"
    filters = JournalFilterForm(
        query, children=children, owner=request.user, coparents=names if together else ()
    )
    mine = coparents.together(request.user) if together else Moment.objects.for_owner(request.user)
    moments = filters.filter(mine)
    page = Paginator(moments.select_related("child").newest_first(), PER_PAGE).get_page(
        query.get("page")
    )
    for moment in page.object_list:
        moment.author_name = names.get(moment.owner_id, "")
    params = query.copy()
    params.pop("page", None)
    return {
        "coparent_names": names,
        "together": together,
        "filters": filters,
        "children": children,
        "page": page,
        "weeks": _weeks(list(page.object_list)),
        "query_string": params.urlencode(),
        "four_s": four_s.for_bands(age_bands(children)),
        "this_year": timezone.localdate().year,
    }


def _saved_before(request: HttpRequest, url: str, note: str) -> HttpResponse:
    """A second post of a form that already added its row (same one-time key): nothing is
    stored again; the parent goes to what was saved, with a gentle note."""
    messages.info(request, note)
    return HttpResponseClientRedirect(url) if request.htmx else see_other(url)


def _moment_saved_before(request: HttpRequest, moment: Model) -> HttpResponse:
    _draft_saved(request, "new")
    note = _("This moment was already saved, so it is kept once. Here it is.")
    return _saved_before(request, reverse("reflect:moment_detail", args=[moment.pk]), note)


def _quick_form(
    request: HttpRequest, children: list[Child], data=None, has_coparents: bool | None = None
) -> MomentForm:
    return MomentForm(data, owner=request.user, children=children, has_coparents=has_coparents)


@require_GET
@vary_on_headers("HX-Request")
def journal(request: HttpRequest) -> HttpResponse:
    if request.GET.get("q", "").strip() and (wait := search.wait_before_search(request)):
        return search.too_many_searches(request, wait)
    context = _journal_context(request, request.GET)
    context["form"] = _quick_form(
        request, context["children"], has_coparents=bool(context["coparent_names"])
    )
    context["draft_url"] = draft_url("new")
    partial = "results" if request.htmx else "content"
    return _page(request, "reflect/journal.html", context, partial)


@unsent.restorable
@require_http_methods(["GET", "POST"])
@vary_on_headers("HX-Request")
def moment_add(request: HttpRequest) -> HttpResponse:
    children = list(Child.objects.for_owner(request.user))
    context = {"draft_url": draft_url("new"), "children": children}
    if request.method == "POST":
        form = _quick_form(request, children, request.POST)
        mine = Moment.objects.for_owner(request.user)
        if (before := form.saved_before(mine, request.POST)) is not None:
            return _moment_saved_before(request, before)
        if form.is_valid():
            if (before := form.same_as_just_saved()) is not None:
                return _moment_saved_before(request, before)
            moment, new = form.save_once(mine, request.user)
            if not new:
                return _moment_saved_before(request, moment)
            if request.htmx:
                return _quick_added(request, moment)
            _draft_saved(request, "new")
            messages.success(request, _("Your moment is saved."))
            return see_other(reverse("reflect:journal") + f"#moment-{moment.pk}")
        if request.htmx and request.POST.get("quick"):
            context.update(form=form, four_s=four_s.for_bands(age_bands(children)))
            response = render(request, "reflect/journal.html#quick-add", context)
            return reswap(retarget(response, "#quick-add"), "outerHTML")
    elif (kept := unsent.take(request)) is not None:
        form = _quick_form(request, children, kept)
    else:
        initial = {}
        if request.GET.get("s") in BY_KEY:
            initial["four_s"] = [request.GET["s"]]
        if request.GET.get("kind") in Moment.Kind.values:
            initial["kind"] = request.GET["kind"]
        form = MomentForm(owner=request.user, children=children, initial=initial)
    context.update(form=form, four_s=four_s.for_bands(age_bands(children)))
    return _page(request, "reflect/moment_form.html", context)


def _posted_or_kept(request: HttpRequest) -> QueryDict | None:
    """The form's data: what was posted, or on a GET what was posted just after the session
    ended (reflect/unsent.py), or None for an empty form."""
    if request.method == "POST":
        return request.POST
    return unsent.take(request)


def _quick_added(request: HttpRequest, moment: Moment) -> HttpResponse:
    """After an htmx quick-add: the first page of the journal, a fresh form, a spoken status."""
    drafts.drop(request.user.pk, "new")
    context = _journal_context(request, QueryDict())
    context.update(
        form=_quick_form(
            request, context["children"], has_coparents=bool(context["coparent_names"])
        ),
        draft_url=draft_url("new"),
        new_pk=moment.pk,
        oob=True,
        saved_drafts=[draft_url("new")],
    )
    response = render(request, "reflect/journal.html#quick-added", context)
    return push_url(response, reverse("reflect:journal"))


@require_GET
@vary_on_headers("HX-Request")
def moment_detail(request: HttpRequest, pk: int) -> HttpResponse:
    moment = _owned(request, Moment, pk)
    notes = coparent_views.notes_for_author(request.user, moment)
    return _page(request, "reflect/moment_detail.html", {"moment": moment, "notes": notes})


@unsent.restorable
@require_http_methods(["GET", "POST"])
@vary_on_headers("HX-Request")
def moment_edit(request: HttpRequest, pk: int) -> HttpResponse:
    moment = _owned(request, Moment, pk)
    name = f"moment-{moment.pk}"
    form = MomentForm(_posted_or_kept(request), instance=moment, owner=request.user)
    if request.method == "POST" and form.is_valid():
        form.save()
        _draft_saved(request, name)
        messages.success(request, _("Your changes are saved."))
        return see_other(reverse("reflect:moment_detail", args=[moment.pk]))
    context = {"form": form, "moment": moment, "draft_url": draft_url(name)}
    return _page(request, "reflect/moment_form.html", context)


@unsent.restorable
@require_http_methods(["GET", "POST"])
@vary_on_headers("HX-Request")
def moment_repair(request: HttpRequest, pk: int) -> HttpResponse:
    moment = _owned(request, Moment, pk)
    if not moment.is_mismatch:
        return see_other(reverse("reflect:moment_detail", args=[moment.pk]))
    name = f"repair-{moment.pk}"
    form = RepairForm(_posted_or_kept(request), instance=moment)
    if request.method == "POST" and form.is_valid():
        moment = form.save()
        _draft_saved(request, name)
        if moment.repair_status == Moment.RepairStatus.NOT_NEEDED:
            messages.success(request, _("Noted: it was fine already."))
        elif moment.is_repaired:
            messages.success(request, _("Your repair is saved."))
        else:
            messages.success(request, _("Your changes are saved."))
        return see_other(reverse("reflect:moment_detail", args=[moment.pk]))
    context = {"form": form, "moment": moment, "draft_url": draft_url(name)}
    return _page(request, "reflect/moment_repair.html", context)


@require_http_methods(["GET", "POST"])
@vary_on_headers("HX-Request")
def moment_delete(request: HttpRequest, pk: int) -> HttpResponse:
    moment = _owned(request, Moment, pk)
    if request.method == "POST":
        moment.delete()
        messages.success(request, _("The moment is deleted."))
        return see_other(reverse("reflect:journal"))
    return _page(request, "reflect/moment_confirm_delete.html", {"moment": moment})


@require_http_methods(["GET", "POST"])
@vary_on_headers("HX-Request")
def children(request: HttpRequest) -> HttpResponse:
    form = ChildForm(request.POST if request.method == "POST" else None)
    mine = Child.objects.for_owner(request.user)
    if request.method == "POST":
        before = form.saved_before(mine, request.POST)
        if before is None and form.is_valid():
            before, new = form.save_once(mine, request.user)
            if new:
                note = _("%(nickname)s is added.") % {"nickname": before.nickname}
                messages.success(request, note)
                return see_other(reverse("reflect:children"))
        if before is not None:
            note = _("%(nickname)s was already added, so once is enough.")
            url = reverse("reflect:children")
            return _saved_before(request, url, note % {"nickname": before.nickname})
    # No count of moments per child: it invites comparing brothers and sisters.
    listed = Child.objects.for_owner(request.user)
    return _page(request, "reflect/children.html", {"form": form, "children": listed})


@require_http_methods(["GET", "POST"])
@vary_on_headers("HX-Request")
def child_edit(request: HttpRequest, pk: int) -> HttpResponse:
    child = _owned(request, Child, pk)
    form = ChildForm(request.POST if request.method == "POST" else None, instance=child)
    if request.method == "POST" and form.is_valid():
        form.save()
        messages.success(request, _("Your changes are saved."))
        return see_other(reverse("reflect:children"))
    return _page(request, "reflect/child_form.html", {"form": form, "child": child})


@require_http_methods(["GET", "POST"])
@vary_on_headers("HX-Request")
def child_delete(request: HttpRequest, pk: int) -> HttpResponse:
    child = _owned(request, Child, pk)
    if request.method == "POST":
        child.delete()
        messages.success(request, _("%(nickname)s is removed.") % {"nickname": child.nickname})
        return see_other(reverse("reflect:children"))
    moment_count = child.moments.count()
    context = {"child": child, "moment_count": moment_count}
    return _page(request, "reflect/child_confirm_delete.html", context)
