"""The answer to a successful POST: 303 See Other, so the browser follows with a GET."""

from django.http import HttpResponseRedirect
from django.shortcuts import resolve_url


class HttpResponseSeeOther(HttpResponseRedirect):
    status_code = 303


def see_other(to, *args, **kwargs) -> HttpResponseSeeOther:
    """Like ``django.shortcuts.redirect``: a URL, a URL name with its arguments, or a model."""
    return HttpResponseSeeOther(resolve_url(to, *args, **kwargs))
