from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.views.decorators.http import require_GET


@require_GET
def journal(request: HttpRequest) -> HttpResponse:
    return render(request, "reflect/journal.html")


@require_GET
def look_back(request: HttpRequest) -> HttpResponse:
    return render(request, "reflect/look_back.html")


@require_GET
def moment_add(request: HttpRequest) -> HttpResponse:
    """Placeholder until the journal issue lands: ?s=<key> and ?kind=mismatch preselect."""
    return redirect("reflect:journal")
