"""Words people typed (a name, a child's nickname) inside a sentence of ours keep their own
direction: an Arabic name in a Dutch sentence must not reorder the words around it.

``isolate`` wraps the words in a first-strong isolate and a pop directional isolate, the plain
text form of ``<bdi dir="auto">``, so it works in translated sentences, in sentences built in
Python (reflect/summaries.py) and in a page's title alike.
"""

from django import template

register = template.Library()

FIRST_STRONG_ISOLATE = "\u2068"
POP_DIRECTIONAL_ISOLATE = "\u2069"


@register.filter
def isolate(words) -> str:
    """``words`` in their own direction, or "" for no words."""
    if words in (None, ""):
        return ""
    return f"{FIRST_STRONG_ISOLATE}{words}{POP_DIRECTIONAL_ISOLATE}"
