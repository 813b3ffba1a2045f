"""The registry of learn pages: reading order, titles, sources and key concepts.

The text of each page lives in a version-controlled template per language:
``hechting/learn/templates/learn/pages/<language>/<slug>.html``. This module says which pages
exist and in which order a parent reads them. To add a page, add a ``Page`` below and write its
two templates (docs/editing-content.md explains it step by step).

Titles, summaries and key concepts are kept here per language (not in the message catalogue), so
that a counsellor who edits a page finds everything about it in two places: this registry and
the page's own template.
"""

import math
import re
from dataclasses import dataclass
from functools import cache
from html import unescape

from django.conf import settings
from django.template.loader import render_to_string
from django.utils import translation
from django.utils.safestring import SafeString

from hechting.learn.four_s import BY_KEY, S

# Parents read slowly at night, and B1 text asks for a calm pace: 180 words a minute.
WORDS_PER_MINUTE = 180


@dataclass(frozen=True)
class Source:
    key: str  # the anchor on the sources page, e.g. "bowlby-1988"
    short: str  # the short citation shown on a page, e.g. "Bowlby (1988)"
    reference: str  # the full reference, as printed (APA style, in English)
    url: str = ""


@dataclass(frozen=True)
class Page:
    slug: str
    title: dict[str, str]  # per language code
    summary: dict[str, str]  # one sentence for the index and the meta description
    sources: tuple[str, ...]  # keys of SOURCES
    concepts: dict[str, tuple[str, ...]]  # words a reader must meet on this page, per language
    s_key: str = ""  # for the four S pages: the S whose questions end the page
    sub: bool = False  # shown indented on the index (the four S pages under "The four S's")

    def for_language(self, language: str) -> dict[str, str]:
        return {
            "title": _pick(self.title, language),
            "summary": _pick(self.summary, language),
        }

    @property
    def s(self) -> S | None:
        return BY_KEY.get(self.s_key)

    def template_name(self, language: str) -> str:
        if language not in self.title:
            language = settings.LANGUAGE_CODE
        return f"learn/pages/{language}/{self.slug}.html"


def _pick(texts: dict[str, str], language: str) -> str:
    return texts.get(language) or texts[settings.LANGUAGE_CODE]


SOURCES: tuple[Source, ...] = (
    Source(
        "bowlby-1988",
        "Bowlby (1988)",
        "Bowlby, J. (1988). A secure base: Parent-child attachment and healthy human "
        "development. Basic Books.",
    ),
    Source(
        "schore-2015",
        "Schore (2015)",
        "Schore, A. N. (2015). Interview on the science of the art of psychotherapy. "
        "Psychotherapy.net.",
    ),
    Source(
        "schore-2021",
        "Schore (2021)",
        "Schore, A. N. (2021). The interpersonal neurobiology of intersubjectivity. Frontiers in "
        "Psychology, 12, 648616. doi:10.3389/fpsyg.2021.648616",
        "https://doi.org/10.3389/fpsyg.2021.648616",
    ),
    Source(
        "siegel-2001",
        "Siegel (2001)",
        "Siegel, D. J. (2001). Toward an interpersonal neurobiology of the developing mind: "
        'Attachment relationships, "mindsight," and neural integration. Infant Mental Health '
        "Journal, 22(1-2), 67-94.",
    ),
    Source(
        "siegel-2012",
        "Siegel (2012)",
        "Siegel, D. J. (2012). The developing mind: How relationships and the brain interact to "
        "shape who we are (2nd ed.). Guilford Press.",
    ),
    Source(
        "siegel-bryson-2020",
        "Siegel & Payne Bryson (2020)",
        "Siegel, D. J., & Payne Bryson, T. (2020). The power of showing up. Ballantine Books.",
    ),
    Source(
        "tronick-1978",
        "Tronick et al. (1978)",
        "Tronick, E., Als, H., Adamson, L., Wise, S., & Brazelton, T. B. (1978). The infant's "
        "response to entrapment between contradictory messages in face-to-face interaction. "
        "Journal of the American Academy of Child Psychiatry, 17(1), 1-13.",
    ),
    Source(
        "winnicott-1953",
        "Winnicott (1953)",
        "Winnicott, D. W. (1953). Transitional objects and transitional phenomena. International "
        "Journal of Psycho-Analysis, 34, 89-97.",
    ),
)
SOURCES_BY_KEY = {source.key: source for source in SOURCES}

FOUR_S_SOURCES = ("siegel-bryson-2020",)

PAGES: tuple[Page, ...] = (
    Page(
        slug="secure-attachment",
        title={
            "nl": "Wat is veilige hechting?",
            "en": "What is secure attachment?",
        },
        summary={
            "nl": "Wat hechting is, waarom het telt, en vijf punten om te onthouden.",
            "en": "What attachment is, why it matters, and five points to remember.",
        },
        sources=("bowlby-1988", "siegel-2012", "siegel-bryson-2020"),
        concepts={
            "nl": ("hechting", "geborgen", "evolutie", "herstel", "zelfregulatie", "vier S'en"),
            "en": ("attachment", "sheltered", "evolution", "repair", "self-regulation", "four S's"),
        },
    ),
    Page(
        slug="bowlby",
        title={
            "nl": "Bowlby en de klassieke hechtingstheorie",
            "en": "Bowlby and the classic theory",
        },
        summary={
            "nl": "Veilige basis, veilige haven en het innerlijk werkmodel.",
            "en": "Secure base, safe haven and the internal working model.",
        },
        sources=("bowlby-1988",),
        concepts={
            "nl": ("Bowlby", "veilige basis", "veilige haven", "innerlijk werkmodel"),
            "en": ("Bowlby", "secure base", "safe haven", "internal working model"),
        },
    ),
    Page(
        slug="the-developing-brain",
        title={
            "nl": "Het groeiende brein",
            "en": "The developing brain",
        },
        summary={
            "nl": "Hoe afstemming zonder woorden het brein van je kind helpt groeien.",
            "en": "How attunement without words helps your child's brain grow.",
        },
        sources=("siegel-2001", "siegel-2012", "schore-2015", "schore-2021"),
        concepts={
            "nl": ("Schore", "Siegel", "Porges", "afstemming", "resonantie", "oogcontact"),
            "en": ("Schore", "Siegel", "Porges", "attunement", "resonance", "eye contact"),
        },
    ),
    Page(
        slug="mismatch-and-repair",
        title={
            "nl": "Uit de pas, en weer herstellen",
            "en": "Out of tune, and repair",
        },
        summary={
            "nl": "Niemand is altijd afgestemd. Herstel maakt de band juist sterker.",
            "en": "Nobody is always in tune. Repair makes the bond stronger.",
        },
        sources=("tronick-1978", "schore-2021", "siegel-2012"),
        concepts={
            "nl": ("mismatch", "herstel", "Tronick", "Still Face", "nooit te laat"),
            "en": ("mismatch", "repair", "Tronick", "Still Face", "never too late"),
        },
    ),
    Page(
        slug="good-enough-parenting",
        title={
            "nl": "Goed genoeg is goed",
            "en": "Good enough is good",
        },
        summary={
            "nl": "Je hoeft niet perfect te zijn. Beschikbaar zijn en herstellen telt.",
            "en": "You do not have to be perfect. Being available and repairing count.",
        },
        sources=("winnicott-1953", "bowlby-1988"),
        concepts={
            "nl": ("Winnicott", "goed-genoeg", "beschikbaar", "stress", "veilig"),
            "en": ("Winnicott", "good-enough", "available", "stress", "safe"),
        },
    ),
    Page(
        slug="four-s",
        title={
            "nl": "De vier S'en",
            "en": "The four S's",
        },
        summary={
            "nl": "Safe, Seen, Soothed en Secure: vier woorden als houvast.",
            "en": "Safe, Seen, Soothed and Secure: four words to hold on to.",
        },
        sources=FOUR_S_SOURCES,
        concepts={
            "nl": ("Siegel", "Safe", "Seen", "Soothed", "Secure", "eigen persoon"),
            "en": ("Siegel", "Safe", "Seen", "Soothed", "Secure", "own person"),
        },
    ),
    Page(
        slug="safe",
        title={"nl": "Safe: veilig", "en": "Safe"},
        summary={
            "nl": "Je kind voelt zich veilig, in lijf en gevoel.",
            "en": "Your child feels safe, in body and in feelings.",
        },
        sources=FOUR_S_SOURCES,
        concepts={
            "nl": ("veilig", "lijf", "gevoel", "herstel"),
            "en": ("safe", "body", "feelings", "repair"),
        },
        s_key="safe",
        sub=True,
    ),
    Page(
        slug="seen",
        title={"nl": "Seen: gezien", "en": "Seen"},
        summary={
            "nl": "Je kijkt achter het gedrag van je kind.",
            "en": "You look behind your child's behaviour.",
        },
        sources=FOUR_S_SOURCES,
        concepts={
            "nl": ("gezien", "gedrag", "gevoel", "behoefte"),
            "en": ("seen", "behaviour", "feelings", "needs"),
        },
        s_key="seen",
        sub=True,
    ),
    Page(
        slug="soothed",
        title={"nl": "Soothed: getroost", "en": "Soothed"},
        summary={
            "nl": "Je helpt je kind om weer rustig te worden.",
            "en": "You help your child calm down again.",
        },
        sources=FOUR_S_SOURCES,
        concepts={
            "nl": ("getroost", "rustig", "emoties", "stress"),
            "en": ("soothed", "calm", "emotions", "stress"),
        },
        s_key="soothed",
        sub=True,
    ),
    Page(
        slug="secure",
        title={"nl": "Secure: geborgen", "en": "Secure"},
        summary={
            "nl": "Door herhaling groeit vertrouwen.",
            "en": "Through repetition, trust grows.",
        },
        sources=FOUR_S_SOURCES,
        concepts={
            "nl": ("geborgen", "herhaling", "vertrouwen", "veerkracht", "ontdekken"),
            "en": ("secure", "repetition", "trust", "resilience", "explore"),
        },
        s_key="secure",
        sub=True,
    ),
    Page(
        slug="later-in-life",
        title={
            "nl": "Wat het je kind later geeft",
            "en": "What it brings later in life",
        },
        summary={
            "nl": "Wat veilige hechting kan betekenen voor een volwassene.",
            "en": "What secure attachment can mean for an adult.",
        },
        sources=("bowlby-1988", "siegel-2012"),
        concepts={
            "nl": ("zelfbeeld", "contact", "emoties", "echt", "relaties"),
            "en": ("self-image", "connect", "emotions", "authentic", "relationships"),
        },
    ),
    Page(
        slug="questions",
        title={
            "nl": "Veelgestelde vragen",
            "en": "Frequently asked questions",
        },
        summary={
            "nl": "Vijf vragen die ouders vaak stellen, kort beantwoord.",
            "en": "Five questions parents often ask, answered briefly.",
        },
        sources=("bowlby-1988", "tronick-1978", "siegel-2012"),
        concepts={
            "nl": (
                "huisarts",
                "consultatiebureau",
                "Kind en Gezin",
                "herstel",
                "kan veranderen",
                "attachment parenting",
            ),
            "en": (
                "GP",
                "consultatiebureau",
                "Kind en Gezin",
                "repair",
                "can change",
                "attachment parenting",
            ),
        },
    ),
    Page(
        slug="glossary",
        title={"nl": "Woordenlijst", "en": "Glossary"},
        summary={
            "nl": "De belangrijkste woorden, kort uitgelegd.",
            "en": "The key words, explained briefly.",
        },
        sources=("bowlby-1988", "tronick-1978", "winnicott-1953", "siegel-bryson-2020"),
        concepts={
            "nl": (
                "hechting",
                "veilige basis",
                "veilige haven",
                "innerlijk werkmodel",
                "afstemming",
                "mismatch",
                "herstel",
                "goed-genoeg ouderschap",
                "vier S'en",
            ),
            "en": (
                "attachment",
                "secure base",
                "safe haven",
                "internal working model",
                "attunement",
                "mismatch",
                "repair",
                "good-enough parenting",
                "four S's",
            ),
        },
    ),
    Page(
        slug="sources",
        title={"nl": "Bronnen", "en": "Sources"},
        summary={
            "nl": "De boeken en artikelen achter deze pagina's.",
            "en": "The books and articles behind these pages.",
        },
        sources=tuple(source.key for source in SOURCES),
        concepts={
            "nl": ("eigen woorden", "bronnen"),
            "en": ("own words", "sources"),
        },
    ),
)
BY_SLUG = {page.slug: page for page in PAGES}

_H2 = re.compile(r'<h2 id="(?P<id>[a-z0-9-]+)">(?P<text>.*?)</h2>', re.DOTALL)
_TAG = re.compile(r"<[^>]+>")


def get_page(slug: str) -> Page | None:
    return BY_SLUG.get(slug)


def neighbours(page: Page) -> tuple[Page | None, Page | None]:
    index = PAGES.index(page)
    previous = PAGES[index - 1] if index > 0 else None
    following = PAGES[index + 1] if index + 1 < len(PAGES) else None
    return previous, following


def render_body(page: Page, language: str, request=None) -> SafeString:
    context = {"sources": SOURCES, "page": page}
    return render_to_string(page.template_name(language), context, request)


def plain_text(html: str) -> str:
    return " ".join(unescape(_TAG.sub(" ", html)).split())


def reading_minutes(body_html: str) -> int:
    words = len(plain_text(body_html).split())
    return max(1, math.ceil(words / WORDS_PER_MINUTE))


@cache
def page_reading_minutes(slug: str, language: str) -> int:
    """The reading time of a page, counted once per process (the index lists every page)."""
    with translation.override(language):
        return reading_minutes(render_body(BY_SLUG[slug], language))


def sections(body_html: str) -> list[tuple[str, str]]:
    """The (id, heading text) of each h2 in a rendered body, for the "on this page" list."""
    return [(m["id"], plain_text(m["text"])) for m in _H2.finditer(body_html)]
