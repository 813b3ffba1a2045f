"""The site's form renderer (``FORM_RENDERER``): Django's, with its most used widget templates
written in Python. Set once in the settings, so every form shares one renderer and its engine.
"""

from __future__ import annotations

from django.forms.renderers import DjangoTemplates
from django.utils.functional import Promise
from django.utils.html import conditional_escape
from django.utils.safestring import SafeData

_WIDGETS = "django/forms/widgets/"
_INPUTS = {
    f"{_WIDGETS}{name}.html"
    for name in ("input", "text", "date", "number", "email", "search", "hidden", "url", "tel")
}
_OPTIONS = {f"{_WIDGETS}radio_option.html", f"{_WIDGETS}checkbox_option.html"}
_ERRORS = {"django/forms/errors/list/default.html", "django/forms/errors/list/ul.html"}


def _text(value) -> str:
    """``{{ value|stringformat:'s' }}`` as Django's widget templates write it."""
    return conditional_escape(value if isinstance(value, SafeData) else str(value))


def _attrs(attrs: dict) -> str:
    """``django/forms/widgets/attrs.html``."""
    return "".join(
        f" {conditional_escape(name)}"
        if value is True
        else f' {conditional_escape(name)}="{_text(value)}"'
        for name, value in attrs.items()
        if value is not False
    )


def _input(widget: dict) -> str:
    """``django/forms/widgets/input.html``."""
    kind, name = conditional_escape(widget["type"]), conditional_escape(widget["name"])
    value = "" if widget["value"] is None else f' value="{_text(widget["value"])}"'
    return f'<input type="{kind}" name="{name}"{value}{_attrs(widget["attrs"])}>'


class FastWidgets(DjangoTemplates):
    """Django's form renderer, with the most used widget templates written in Python.

    The journal page renders a dozen inputs, radio buttons and (empty) error lists for its
    quick-add form on every request; through the template engine that is about a sixth of the
    page's time (measured in docs/performance.md). These functions write exactly what Django's
    own templates write (tests/test_form_renderer.py compares them on every form of the site);
    anything unusual falls back to the templates.
    """

    def render(self, template_name, context, request=None):
        widget = context.get("widget")
        if template_name in _INPUTS and _plain(widget):
            return _input(widget)
        if template_name == f"{_WIDGETS}textarea.html" and _plain(widget, str):
            text = conditional_escape(widget["value"]) if widget["value"] else ""
            name = conditional_escape(widget["name"])
            return f'<textarea name="{name}"{_attrs(widget["attrs"])}>\n{text}</textarea>'
        if template_name in _OPTIONS and _plain(widget) and not widget.get("wrap_label"):
            return _input(widget)
        if template_name == f"{_WIDGETS}select.html" and _plain(widget, list):
            options = _select_options(widget["optgroups"])
            if options is not None:
                name = conditional_escape(widget["name"])
                return f'<select name="{name}"{_attrs(widget["attrs"])}>{options}\n</select>'
        if template_name in _ERRORS and not context.get("errors"):
            return ""
        return super().render(template_name, context, request=request)


def _plain(widget, *types) -> bool:
    """A widget context the Python versions write exactly like the templates."""
    if not isinstance(widget, dict) or not isinstance(widget.get("attrs"), dict):
        return False
    value = widget.get("value")
    return value is None or isinstance(value, types or (str, int))


def _select_options(optgroups) -> str | None:
    """The options of ``select.html`` (``select_option.html``), or None for groups."""
    parts = []
    for group_name, options, _index in optgroups:
        if group_name:
            return None
        for option in options:
            label = option["label"]
            if not isinstance(label, str | Promise):
                return None
            parts.append(
                f'\n  <option value="{_text(option["value"])}"{_attrs(option["attrs"])}>'
                f"{conditional_escape(label)}</option>\n"
            )
    return "".join(parts)
