"""Words Hechting never uses about a parent or a child.

Two lists, shared by the learn pages, the journal and its summaries (ux-brief, "Tone"):

- ``FORBIDDEN_TERMS``: never in the journal's screens or in a summary. No diagnosis, no scores,
  no percentages, no comparisons, no labels for a child or a parent.
- ``BLAMING_PHRASES``: never anywhere, the learn pages included. The learn pages may explain
  insecure attachment in general and hopeful terms, but never tell a parent that their child is
  insecurely attached or that they damaged their child.

Check our own sentences with them (summary text, journal messages), not the words a parent
wrote and we quote back, and not the footer's statement that Hechting does *not* diagnose.

Matching ignores case and finds whole words only ("score" matches "Score" but not "scoreboard";
"%" matches anywhere). Several words match across any whitespace, including line breaks.
"""

import re
from collections.abc import Iterable

FORBIDDEN_TERMS: dict[str, tuple[str, ...]] = {
    "nl": (
        # diagnosis and disorder
        "diagnose",
        "diagnosticeren",
        "gediagnosticeerd",
        "stoornis",
        "hechtingsstoornis",
        "gehechtheidsstoornis",
        "afwijking",
        "afwijkend",
        "pathologisch",
        # labels for a child
        "onveilig gehecht",
        "onveilige hechting",
        "vermijdend gehecht",
        "angstig gehecht",
        "ambivalent gehecht",
        "gedesorganiseerd",
        "beschadigd",
        "getraumatiseerd",
        "probleemkind",
        # labels for a parent
        "slechte ouder",
        "slechte moeder",
        "slechte vader",
        "tekortgeschoten",
        "gefaald",
        "falen",
        "mislukt",
        # scores, percentages and comparisons
        "score",
        "scoren",
        "cijfer",
        "procent",
        "%",
        "gemiddelde ouder",
        "andere ouders",
        "vergeleken met",
        "dan vorige week",
    ),
    "en": (
        # diagnosis and disorder
        "diagnosis",
        "diagnose",
        "diagnosed",
        "disorder",
        "abnormal",
        "pathological",
        # labels for a child
        "insecurely attached",
        "insecure attachment",
        "avoidant",
        "anxiously attached",
        "ambivalent",
        "disorganised",
        "disorganized",
        "damaged",
        "traumatised",
        "traumatized",
        "problem child",
        # labels for a parent
        "bad parent",
        "bad mother",
        "bad father",
        "failure",
        "failed",
        "failing",
        # scores, percentages and comparisons
        "score",
        "scored",
        "rating",
        "percent",
        "%",
        "average parent",
        "other parents",
        "compared to",
        "than last week",
    ),
}

BLAMING_PHRASES: dict[str, tuple[str, ...]] = {
    "nl": (
        "je kind is onveilig gehecht",
        "jouw kind is onveilig gehecht",
        "je hebt je kind beschadigd",
        "je hebt jouw kind beschadigd",
        "jouw schuld",
        "je schuld",
        "slechte ouder",
        "slechte moeder",
        "slechte vader",
        "stoornis",
    ),
    "en": (
        "your child is insecurely attached",
        "you damaged your child",
        "you have damaged your child",
        "your fault",
        "bad parent",
        "bad mother",
        "bad father",
        "disorder",
    ),
}


def _pattern(term: str) -> re.Pattern[str]:
    words = r"\s+".join(re.escape(word) for word in term.split())
    if term[0].isalnum():
        words = r"(?<!\w)" + words
    if term[-1].isalnum():
        words += r"(?!\w)"
    return re.compile(words, re.IGNORECASE)


def _all_terms(terms: dict[str, tuple[str, ...]] | Iterable[str]) -> list[str]:
    if isinstance(terms, dict):
        return [term for language in terms.values() for term in language]
    return list(terms)


def find_forbidden_terms(
    text: str, terms: dict[str, tuple[str, ...]] | Iterable[str] = FORBIDDEN_TERMS
) -> list[str]:
    """The terms of the list that occur in ``text``, each once, in the order of the list.

    By default it checks the terms of every language, since a parent may write in either.
    Pass ``BLAMING_PHRASES`` (or any list) to check another list.
    """
    found: list[str] = []
    for term in _all_terms(terms):
        if term not in found and _pattern(term).search(text):
            found.append(term)
    return found
