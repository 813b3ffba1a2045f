"""Walk every URL pattern of the project (used by the URL-sweep tests)."""

import re
import uuid
from dataclasses import dataclass

from django.urls import URLPattern, URLResolver, get_resolver
from django.urls.resolvers import LocalePrefixPattern, RegexPattern, RoutePattern
from django.utils import translation

SAMPLES = {
    "int": "1",
    "slug": "sample",
    "str": "sample",
    "path": "sample",
    "uuid": str(uuid.uuid4()),
}


@dataclass(frozen=True)
class Route:
    name: str  # "namespace:name", or the view's dotted path when unnamed
    path: str | None  # a concrete path, or None when a regex cannot be filled in
    view: object

    @property
    def is_public(self) -> bool:
        return not getattr(self.view, "login_required", True)


def _fill_route(route: str) -> str:
    return re.sub(r"<(?:(\w+):)?\w+>", lambda m: SAMPLES.get(m.group(1) or "str", "sample"), route)


def _piece(pattern) -> str | None:
    if isinstance(pattern, LocalePrefixPattern):
        return pattern.language_prefix
    if isinstance(pattern, RoutePattern):
        return _fill_route(str(pattern))
    if isinstance(pattern, RegexPattern):
        regex = str(pattern).lstrip("^").rstrip("$").replace("\\Z", "")
        if re.search(r"[()\[\]|?*+\\]", regex):
            return None
        return regex
    return None


def walk(patterns=None, prefix: str | None = "/", namespace: str = ""):
    if patterns is None:
        with translation.override("nl"):
            yield from walk(get_resolver().url_patterns, "/", "")
        return
    for entry in patterns:
        piece = _piece(entry.pattern)
        path = prefix + piece if (prefix is not None and piece is not None) else None
        if isinstance(entry, URLResolver):
            child_ns = f"{namespace}{entry.namespace}:" if entry.namespace else namespace
            yield from walk(entry.url_patterns, path, child_ns)
        elif isinstance(entry, URLPattern):
            view = entry.callback
            name = (
                f"{namespace}{entry.name}" if entry.name else f"{view.__module__}.{view.__name__}"
            )
            yield Route(name=name, path=path, view=view)


def all_routes() -> list[Route]:
    return list(walk())
