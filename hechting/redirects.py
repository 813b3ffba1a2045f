"""Where a ``next`` value may send a visitor: only to a path on this site.

Every place that honours a ``next`` value asks :func:`is_local_path` (our views through
:func:`next_path`, allauth through the account adapter, the language switch), so a value such
as ``abc`` (which ``redirect()`` would try to reverse as a view name: a 500), ``//evil.example``,
``javascript:`` or a relative address can never leave the site or break the page.
"""

from django.http import HttpRequest
from django.utils.http import url_has_allowed_host_and_scheme


def is_local_path(value: str | None, request: HttpRequest) -> bool:
    """Whether ``value`` is an absolute path on this site ("/nl/journal/?q=x"), nothing else."""
    return bool(
        value
        and value.startswith("/")
        and value.isprintable()
        and url_has_allowed_host_and_scheme(
            value, allowed_hosts={request.get_host()}, require_https=request.is_secure()
        )
    )


def next_path(request: HttpRequest, fallback: str) -> str:
    """The request's ``next`` (form field, else query) if it is a local path, else ``fallback``.

    ``fallback`` is an address (already reversed), never a view name.
    """
    value = request.POST.get("next") or request.GET.get("next")
    return value if is_local_path(value, request) else fallback
