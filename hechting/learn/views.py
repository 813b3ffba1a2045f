from django.contrib.auth.decorators import login_not_required
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import render
from django.views.decorators.http import require_GET


@login_not_required
@require_GET
def index(request: HttpRequest) -> HttpResponse:
    return render(request, "learn/index.html")


@login_not_required
@require_GET
def help_page(request: HttpRequest) -> HttpResponse:
    return render(request, "learn/help.html")


@login_not_required
@require_GET
def page(request: HttpRequest, slug: str) -> HttpResponse:
    """Placeholder until the content issue lands: one page per slug of the registry."""
    raise Http404
