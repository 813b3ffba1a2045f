"""The project's system checks (the journal's own are in reflect/checks.py)."""

from pathlib import Path

from django.conf import settings
from django.contrib.staticfiles.storage import ManifestFilesMixin
from django.core.checks import Warning, register
from django.core.exceptions import ImproperlyConfigured
from django.core.files.storage import storages

NO_STATIC_FILES = (
    "DEBUG is off and the static files have not been collected ({manifest} is missing), "
    "so every page would fail with an error 500."
)
NO_STATIC_FILES_HINT = (
    "Run `python manage.py collectstatic --no-input` with the same STATIC_ROOT before starting "
    "the app, or set DEBUG=1 to try it out on your own computer (`make run` does)."
)


def missing_static_manifest() -> Path | None:
    """The manifest that the hashed static addresses need, when DEBUG is off and it is missing.

    With DEBUG off, Django's manifest storage looks up every ``{% static %}`` address in
    STATIC_ROOT/staticfiles.json, which only ``collectstatic`` writes; without it every page
    answers 500 ("Missing staticfiles manifest entry").
    """
    storage = storages["staticfiles"]
    if settings.DEBUG or not isinstance(storage, ManifestFilesMixin):
        return None
    if storage.read_manifest() is not None:
        return None
    return Path(storage.location) / storage.manifest_name


# Not tagged "staticfiles": collectstatic runs those checks, before it writes the manifest.
@register("static")
def static_files_are_collected(app_configs=None, **kwargs) -> list[Warning]:
    """``check``, ``migrate``, ``runserver``: say at once that the static files are missing.

    A warning, so that ``migrate`` still runs before ``collectstatic``; ``check --deploy
    --fail-level WARNING`` refuses it, and the web server refuses to start (hechting/wsgi.py).
    """
    manifest = missing_static_manifest()
    if manifest is None:
        return []
    return [
        Warning(
            NO_STATIC_FILES.format(manifest=manifest), hint=NO_STATIC_FILES_HINT, id="hechting.W001"
        )
    ]


def refuse_to_serve_without_static_files() -> None:
    """At the web server's start: stop with the check's message instead of serving 500s."""
    manifest = missing_static_manifest()
    if manifest is not None:
        raise ImproperlyConfigured(
            f"{NO_STATIC_FILES.format(manifest=manifest)} {NO_STATIC_FILES_HINT}"
        )
