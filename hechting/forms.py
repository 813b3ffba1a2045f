"""What every form of the site shares: nothing typed is lost at the edges of a form."""

from __future__ import annotations

from django import forms
from django.utils.translation import gettext_lazy as _

TOO_LONG = _(
    "This is longer than %(limit_value)d characters (it has %(show_value)d). Shorten it a "
    "little, or put part of it in another field."
)


# The widgets a person types words into (email and password fields keep their own rules).
TYPED = (forms.Textarea, forms.TextInput, forms.URLInput)


class NoSilentCut:
    """No ``maxlength`` on any field (a browser cuts a paste there without a word): the limit
    becomes ``data-limit``, for the counter of static/reflect/journal.js, and the server says
    what is too long while the form keeps every character."""

    too_long = TOO_LONG

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        for field in self.fields.values():
            limit = getattr(field, "max_length", None)
            if limit and isinstance(field.widget, TYPED):
                field.widget.attrs["dir"] = "auto"  # words in any script keep their order
                field.widget.attrs.pop("maxlength", None)
                field.widget.attrs["data-limit"] = limit
                field.error_messages["max_length"] = self.too_long
