"""A URL configuration with a view that crashes, for the error-page test."""

from django.contrib.auth.decorators import login_not_required
from django.urls import path


@login_not_required
def crash(request):
    raise RuntimeError("boom: journal text must not leak")


urlpatterns = [path("crash/", crash)]
