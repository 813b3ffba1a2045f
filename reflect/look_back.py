"""The look back ("terugblik"): a week, a month or everything since the start, in a few calm
sections, for all children or one; and a printable brief of the same period for a counsellor.

Every query is scoped to ``request.user`` here, in the view: :func:`_scope` picks the parent's
own moments and, when ``?child=`` names one, the parent's own child (anything else is a 404).
One view serves the full page and, for htmx, its ``content`` partial. A look back costs the same
handful of queries for ten moments and for five thousand (see :mod:`reflect.summaries`).
"""

from __future__ import annotations

import dataclasses
from dataclasses import dataclass

from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import render
from django.urls import path, reverse
from django.utils import timezone
from django.utils.http import urlencode
from django.utils.translation import gettext as _
from django.views.decorators.http import require_GET
from django.views.decorators.vary import vary_on_headers

from .charts import chart_context
from .coparents import models as coparents
from .models import Child, Moment, MomentQuerySet
from .summaries import (
    Kind,
    Period,
    Summary,
    first_moment_date,
    month_of,
    parse_period,
    summarise,
    week_of,
)


@dataclass(frozen=True)
class Scope:
    moments: MomentQuerySet
    child: Child | None
    children: list[Child]
    shared: bool = False  # the child has a co-parent (reflect/coparents/)
    together: bool = False  # ... and the look back shows what they shared too


def _scope(request: HttpRequest) -> Scope:
    """The parent's own moments, for one of the parent's own children when ``?child=`` asks.

    The children are one query (the page lists them anyway); a child id that is not a number, or
    not one of this parent's children, is a 404: we never confirm that it exists.
    """
    children = list(Child.objects.for_owner(request.user))
    moments = Moment.objects.for_owner(request.user)
    raw = request.GET.get("child", "")
    if not raw:
        return Scope(moments, None, children)
    child = next((child for child in children if str(child.pk) == raw), None)
    if child is None:
        raise Http404("No such child in this journal.")
    if not coparents.is_linked(request.user, child):
        return Scope(moments.for_child(child), child, children)
    if request.GET.get("view") == "together":
        together = coparents.together_for_child(request.user, child)
        return Scope(together, child, children, shared=True, together=True)
    return Scope(moments.for_child(child), child, children, shared=True)


def _url(name: str, period: Period | str, child: Child | None, together: bool = False) -> str:
    slug = period if isinstance(period, str) else period.slug
    url = reverse(name, kwargs={"period": slug})
    if not child:
        return url
    query = {"child": child.pk, "view": "together"} if together else {"child": child.pk}
    return f"{url}?{urlencode(query)}"


def _together(request: HttpRequest, summary: Summary) -> Summary:
    """Both parents' moments: the sentences speak of the shared journal, and every quote names
    its author ("you", or the name the co-parent chose). One query for the names."""
    names = coparents.names_for(request.user)
    quotes = [
        quote
        if quote.owner_id == request.user.pk
        else dataclasses.replace(quote, author=names.get(quote.owner_id) or _("the other parent"))
        for quote in summary.quotes
    ]
    return dataclasses.replace(summary, together=True, quotes=quotes)


def _context(request: HttpRequest, slug: str) -> dict:
    scope = _scope(request)
    today = timezone.localdate()
    first = first_moment_date(scope.moments)
    try:
        period = parse_period(slug, today=today, first=first)
    except ValueError:
        raise Http404("No such period.") from None
    summary = summarise(scope.moments, period, today)
    if scope.together:
        summary = _together(request, summary)
    previous, following = period.previous(), period.next()
    anchor = min(period.end, today)
    child, together = scope.child, scope.together
    links = {
        "week": _url("reflect:look_back_period", week_of(anchor), child, together),
        "month": _url("reflect:look_back_period", month_of(anchor), child, together),
        "all": _url("reflect:look_back_period", Kind.ALL.value, child, together),
        "print": _url("reflect:look_back_print", period, child, together),
        "page": _url("reflect:look_back_period", period, child, together),
        "mine": _url("reflect:look_back_period", period, child),
        "together": _url("reflect:look_back_period", period, child, together=True),
    }
    if previous and first and first <= previous.end:
        links["previous"] = _url("reflect:look_back_period", previous, child, together)
    if following and following.start <= today:
        links["next"] = _url("reflect:look_back_period", following, child, together)
    return {
        "shared": scope.shared,
        "together": together,
        "summary": summary,
        "period": period,
        "is_current": today in period,
        "child": scope.child,
        "children": scope.children,
        "links": links,
        **chart_context(summary),
        "today": today,
    }


def _render(request: HttpRequest, slug: str) -> HttpResponse:
    context = _context(request, slug)
    template = "reflect/look_back.html"
    return render(request, f"{template}#content" if request.htmx else template, context)


@require_GET
@vary_on_headers("HX-Request")
def look_back(request: HttpRequest) -> HttpResponse:
    """The entry of the look back: this week, for all children (or ``?child=``)."""
    return _render(request, week_of(timezone.localdate()).slug)


@require_GET
@vary_on_headers("HX-Request")
def look_back_period(request: HttpRequest, period: str) -> HttpResponse:
    """A week (``2025-03-03``), a month (``2025-03``) or since the start (``all``)."""
    return _render(request, period)


@require_GET
def look_back_print(request: HttpRequest, period: str) -> HttpResponse:
    """The same period as a short brief on A4, to take to a counsellor."""
    return render(request, "reflect/look_back_print.html", _context(request, period))


# Included by reflect/urls.py under "look-back/", in the "reflect" namespace. The names start with
# "look_back" so that the main navigation marks "Look back" as the current section.
urlpatterns = [
    path("", look_back, name="look_back"),
    path("<str:period>/", look_back_period, name="look_back_period"),
    path("<str:period>/print/", look_back_print, name="look_back_print"),
]
