"""A page as a reader sees it: typed names arrive wrapped in Unicode isolates
(reflect/templatetags/typed_words.py), which show as nothing."""

import re

ISOLATES = str.maketrans("", "", "\u2068\u2069")


def as_read(text: str) -> str:
    return text.translate(ISOLATES)


def as_shown(text: str) -> re.Pattern:
    """``text`` as a browser test finds it, whether or not names in it are isolated."""
    return re.compile("[\u2068\u2069]*".join(re.escape(char) for char in text))
