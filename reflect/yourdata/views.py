"""Your data: download the journal, import it, delete the account.

Everything here is the signed-in person's own: each view reads ``request.user`` and nothing
else, so there is no object of someone else's to ask for.
"""

from __future__ import annotations

from allauth.core import ratelimit
from django.contrib import messages
from django.contrib.auth.decorators import login_not_required
from django.contrib.auth.models import AnonymousUser
from django.http import HttpRequest, HttpResponse
from django.shortcuts import render
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _
from django.views.decorators.cache import never_cache
from django.views.decorators.http import require_GET, require_http_methods, require_POST

from hechting.accounts import security_log
from hechting.accounts.reauth import fresh_login_required, fresh_login_required_then
from hechting.http import see_other
from reflect.models import Child, Moment

from . import erasure, portability
from .forms import DeleteAccountForm, ImportForm


def _page(request: HttpRequest, form: ImportForm | None = None, status: int = 200):
    context = {
        "form": form or ImportForm(),
        "moment_count": Moment.objects.for_owner(request.user).count(),
        "max_mb": portability.MAX_BYTES // (1024 * 1024),
        "max_moments": portability.MAX_MOMENTS,
    }
    return render(request, "yourdata/index.html", context, status=status)


@require_GET
@fresh_login_required
def your_data(request: HttpRequest) -> HttpResponse:
    return _page(request)


@never_cache
@require_GET
@fresh_login_required
def export_json(request: HttpRequest) -> HttpResponse:
    content = portability.export_json(request.user)
    security_log.record(request, security_log.Event.EXPORT, user=request.user, format="json")
    response = HttpResponse(content, content_type="application/json; charset=utf-8")
    name = f"hechting-journal-{timezone.localdate():%Y-%m-%d}.json"
    response["Content-Disposition"] = f'attachment; filename="{name}"'
    return response


@require_GET
@fresh_login_required
def export_print(request: HttpRequest) -> HttpResponse:
    children = list(Child.objects.for_owner(request.user))
    moments = list(
        Moment.objects.for_owner(request.user)
        .select_related("child")
        .order_by("date", "created", "pk")
    )
    security_log.record(request, security_log.Event.EXPORT, user=request.user, format="html")
    context = {"children": children, "moments": moments, "today": timezone.localdate()}
    return render(request, "yourdata/print.html", context)


@require_POST
@fresh_login_required_then("yourdata:index")
def import_file(request: HttpRequest) -> HttpResponse:
    form = ImportForm(request.POST, request.FILES)
    if not form.is_valid():
        return _page(request, form, status=400)
    try:
        result = portability.import_journal(request.user, form.journal)
    except portability.ImportFailed:
        form.add_error(
            None,
            _(
                "The import stopped halfway because of a problem on our side. What it had "
                "written is taken out again. Try again in a moment."
            ),
        )
        return _page(request, form, status=503)
    security_log.record(
        request,
        security_log.Event.IMPORT,
        user=request.user,
        moments_added=result.moments_added,
        moments_updated=result.moments_updated,
        children_added=result.children_added,
    )
    messages.success(
        request,
        _(
            "Your journal is imported. New moments: %(added)s. Already here and brought up to "
            "date: %(updated)s."
        )
        % {"added": result.moments_added, "updated": result.moments_updated},
    )
    return see_other(reverse("yourdata:index"))


@require_http_methods(["GET", "POST"])
def delete_account(request: HttpRequest) -> HttpResponse:
    allowed = True
    if request.method == "POST":
        allowed = ratelimit.consume(request, action="reauthenticate", user=request.user)
    form = DeleteAccountForm(
        request.POST if request.method == "POST" else None, user=request.user, allowed=allowed
    )
    if request.method == "POST" and form.is_valid():
        erasure.erase_account(request.user, request)
        # Not logout(): its signal would write a log record for the account that is gone.
        request.session.flush()
        request.user = AnonymousUser()
        return see_other(reverse("yourdata:deleted"))
    context = {"form": form, "moment_count": Moment.objects.for_owner(request.user).count()}
    return render(request, "yourdata/delete.html", context, status=400 if form.errors else 200)


@login_not_required
@require_GET
def deleted(request: HttpRequest) -> HttpResponse:
    return render(request, "yourdata/deleted.html")
