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
from collections.abc import Iterable
from dataclasses import dataclass
from functools import cache
from html import unescape

from django.conf import settings
from django.template.loader import render_to_string
from django.utils import translation
from django.utils.safestring import SafeString

from hechting.learn.ages import ordered
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


def _doi(doi: str) -> str:
    return f"https://doi.org/{doi}"


# The works the pages build on, in alphabetical order as the sources page lists them. The DOI
# link is given only where the work has one and it was checked; books have none.
SOURCES: tuple[Source, ...] = (
    Source(
        "ainsworth-1967",
        "Ainsworth (1967)",
        "Ainsworth, M. D. S. (1967). Infancy in Uganda: Infant care and the growth of love. "
        "Johns Hopkins Press.",
    ),
    Source(
        "ainsworth-1978",
        "Ainsworth et al. (1978)",
        "Ainsworth, M. D. S., Blehar, M. C., Waters, E., & Wall, S. (1978). Patterns of "
        "attachment: A psychological study of the strange situation. Erlbaum.",
    ),
    Source(
        "bakermans-kranenburg-2003",
        "Bakermans-Kranenburg et al. (2003)",
        "Bakermans-Kranenburg, M. J., van IJzendoorn, M. H., & Juffer, F. (2003). Less is more: "
        "Meta-analyses of sensitivity and attachment interventions in early childhood. "
        "Psychological Bulletin, 129(2), 195-215.",
        _doi("10.1037/0033-2909.129.2.195"),
    ),
    Source(
        "bowlby-1969",
        "Bowlby (1969)",
        "Bowlby, J. (1969). Attachment and loss: Vol. 1. Attachment. Basic Books.",
    ),
    Source(
        "bowlby-1988",
        "Bowlby (1988)",
        "Bowlby, J. (1988). A secure base: Parent-child attachment and healthy human "
        "development. Basic Books.",
    ),
    Source(
        "de-wolff-1997",
        "De Wolff & van IJzendoorn (1997)",
        "De Wolff, M. S., & van IJzendoorn, M. H. (1997). Sensitivity and attachment: A "
        "meta-analysis on parental antecedents of infant attachment. Child Development, 68(4), "
        "571-591.",
    ),
    Source(
        "fraley-2002",
        "Fraley (2002)",
        "Fraley, R. C. (2002). Attachment stability from infancy to adulthood: Meta-analysis and "
        "dynamic modeling of developmental mechanisms. Personality and Social Psychology "
        "Review, 6(2), 123-151.",
        _doi("10.1207/S15327957PSPR0602_03"),
    ),
    Source(
        "greenough-1987",
        "Greenough et al. (1987)",
        "Greenough, W. T., Black, J. E., & Wallace, C. S. (1987). Experience and brain "
        "development. Child Development, 58(3), 539-559.",
        _doi("10.2307/1130197"),
    ),
    Source(
        "groh-2017",
        "Groh et al. (2017)",
        "Groh, A. M., Fearon, R. M. P., van IJzendoorn, M. H., Bakermans-Kranenburg, M. J., & "
        "Roisman, G. I. (2017). Attachment in the early life course: Meta-analytic evidence for "
        "its role in socioemotional development. Child Development Perspectives, 11(1), 70-76.",
    ),
    Source(
        "grossman-2023",
        "Grossman (2023)",
        "Grossman, P. (2023). Fundamental challenges and likely refutations of the five basic "
        "premises of the polyvagal theory. Biological Psychology, 180, 108589.",
        _doi("10.1016/j.biopsycho.2023.108589"),
    ),
    Source(
        "harlow-1958",
        "Harlow (1958)",
        "Harlow, H. F. (1958). The nature of love. American Psychologist, 13(12), 673-685.",
        _doi("10.1037/h0047884"),
    ),
    Source(
        "jgz-2021",
        "JGZ-richtlijn Ouder-kindrelatie (2021)",
        "Nederlands Centrum Jeugdgezondheid. (2021). JGZ-richtlijn Ouder-kindrelatie.",
    ),
    Source(
        "mesman-2009",
        "Mesman et al. (2009)",
        "Mesman, J., van IJzendoorn, M. H., & Bakermans-Kranenburg, M. J. (2009). The many faces "
        "of the Still-Face Paradigm: A review and meta-analysis. Developmental Review, 29(2), "
        "120-162.",
        _doi("10.1016/j.dr.2009.02.001"),
    ),
    Source(
        "roisman-2002",
        "Roisman et al. (2002)",
        "Roisman, G. I., Padrón, E., Sroufe, L. A., & Egeland, B. (2002). Earned-secure "
        "attachment status in retrospect and prospect. Child Development, 73(4), 1204-1219.",
        _doi("10.1111/1467-8624.00467"),
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
        "Psychology, 12, 648616.",
        _doi("10.3389/fpsyg.2021.648616"),
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
        "Siegel & Bryson (2020)",
        "Siegel, D. J., & Bryson, T. P. (2020). The power of showing up: How parental presence "
        "shapes who our kids become and how their brains get wired. Ballantine.",
    ),
    Source(
        "tronick-1978",
        "Tronick et al. (1978)",
        "Tronick, E., Als, H., Adamson, L., Wise, S., & Brazelton, T. B. (1978). The infant's "
        "response to entrapment between contradictory messages in face-to-face interaction. "
        "Journal of the American Academy of Child Psychiatry, 17(1), 1-13.",
        _doi("10.1016/S0002-7138(09)62273-1"),
    ),
    Source(
        "tronick-1989",
        "Tronick (1989)",
        "Tronick, E. Z. (1989). Emotions and emotional communication in infants. American "
        "Psychologist, 44(2), 112-119.",
        _doi("10.1037/0003-066X.44.2.112"),
    ),
    Source(
        "tronick-cohn-1989",
        "Tronick & Cohn (1989)",
        "Tronick, E. Z., & Cohn, J. F. (1989). Infant-mother face-to-face interaction: Age and "
        "gender differences in coordination and the occurrence of miscoordination. Child "
        "Development, 60(1), 85-92.",
        _doi("10.2307/1131074"),
    ),
    Source(
        "vroemen-2024",
        "Vroemen (2024)",
        "Vroemen, S. (2024, 23 June; updated 2025, 30 July). Veilige hechting: je geborgen, "
        "verzorgd, en geliefd weten [Article].",
    ),
    Source(
        "winnicott-1953",
        "Winnicott (1953)",
        "Winnicott, D. W. (1953). Transitional objects and transitional phenomena. International "
        "Journal of Psycho-Analysis, 34, 89-97.",
    ),
    Source(
        "zeanah-gleason-2015",
        "Zeanah & Gleason (2015)",
        "Zeanah, C. H., & Gleason, M. M. (2015). Annual research review: Attachment disorders in "
        "early childhood - clinical presentation, causes, correlates, and treatment. Journal of "
        "Child Psychology and Psychiatry, 56(3), 207-222.",
        _doi("10.1111/jcpp.12347"),
    ),
)
SOURCES_BY_KEY = {source.key: source for source in SOURCES}

# The article whose selection of ideas these pages follow: credited on every page built on it.
ARTICLE = "vroemen-2024"
FOUR_S_SOURCES = ("siegel-bryson-2020", ARTICLE)


PAGES: tuple[Page, ...] = (
    Page(
        slug="secure-attachment",
        title={"nl": "Wat is veilige hechting?", "en": "What is secure attachment?"},
        summary={
            "nl": "Wat hechting is, waarom het telt, en vijf punten om te onthouden.",
            "en": "What attachment is, why it matters, and five points to remember.",
        },
        sources=("bowlby-1969", "ainsworth-1978", "groh-2017", "siegel-bryson-2020", ARTICLE),
        concepts={
            "nl": ("hechting", "geborgen", "evolutie", "herstel", "zelfregulatie", "vier S'en"),
            "en": ("attachment", "sheltered", "evolution", "repair", "self-regulation", "four S's"),
        },
    ),
    Page(
        slug="bowlby",
        title={
            "nl": "Bowlby, Ainsworth en de klassieke theorie",
            "en": "Bowlby, Ainsworth and the classic theory",
        },
        summary={
            "nl": "Waarom een kind zich hecht, de veilige basis en het innerlijk werkmodel.",
            "en": "Why a child attaches, the secure base and the internal working model.",
        },
        sources=(
            "bowlby-1969",
            "bowlby-1988",
            "harlow-1958",
            "ainsworth-1967",
            "ainsworth-1978",
            "de-wolff-1997",
            ARTICLE,
        ),
        concepts={
            "nl": ("Bowlby", "Ainsworth", "veilige basis", "veilige haven", "innerlijk werkmodel"),
            "en": ("Bowlby", "Ainsworth", "secure base", "safe haven", "internal working model"),
        },
    ),
    Page(
        slug="the-developing-brain",
        title={"nl": "Het groeiende brein", "en": "The developing brain"},
        summary={
            "nl": "Hoe contact zonder woorden meegroeit met het brein van je kind.",
            "en": "How contact without words grows along with your child's brain.",
        },
        sources=(
            "greenough-1987",
            "siegel-2001",
            "siegel-2012",
            "schore-2015",
            "schore-2021",
            "grossman-2023",
            "groh-2017",
            ARTICLE,
        ),
        concepts={
            "nl": ("Schore", "Siegel", "Porges", "afstemming", "resonantie", "oogcontact"),
            "en": ("Schore", "Siegel", "Porges", "attunement", "resonance", "eye contact"),
        },
    ),
    Page(
        slug="mismatch-and-repair",
        title={"nl": "Uit de pas, en weer herstellen", "en": "Out of tune, and repair"},
        summary={
            "nl": "Niemand is altijd afgestemd. Herstel hoort bij gewoon contact.",
            "en": "Nobody is always in tune. Repair is part of ordinary contact.",
        },
        sources=(
            "tronick-1978",
            "mesman-2009",
            "tronick-cohn-1989",
            "tronick-1989",
            "schore-2021",
            "siegel-2012",
            "siegel-bryson-2020",
            ARTICLE,
        ),
        concepts={
            "nl": ("mismatch", "herstel", "Tronick", "Still Face", "nooit te laat"),
            "en": ("mismatch", "repair", "Tronick", "Still Face", "never too late"),
        },
    ),
    Page(
        slug="repair-card",
        title={"nl": "Kaart: zo kan herstel klinken", "en": "Card: what repair can sound like"},
        summary={
            "nl": "Eén kaart om te printen: herstel bij elke leeftijd.",
            "en": "One card to print: repair at every age.",
        },
        sources=("siegel-bryson-2020", "tronick-1989"),
        concepts={
            "nl": ("herstel", "baby", "peuter", "schoolkind", "tiener"),
            "en": ("repair", "baby", "toddler", "school child", "teenager"),
        },
        sub=True,
    ),
    Page(
        slug="good-enough-parenting",
        title={"nl": "Goed genoeg is goed", "en": "Good enough is good"},
        summary={
            "nl": "Je hoeft niet perfect te zijn. Beschikbaar zijn en herstellen telt.",
            "en": "You do not have to be perfect. Being available and repairing count.",
        },
        sources=("winnicott-1953", "de-wolff-1997", ARTICLE),
        concepts={
            "nl": ("Winnicott", "goed-genoeg", "beschikbaar", "stress", "veilig"),
            "en": ("Winnicott", "good-enough", "available", "stress", "safe"),
        },
    ),
    Page(
        slug="you",
        title={"nl": "En jij?", "en": "And you?"},
        summary={
            "nl": "Jouw stress, je eigen verleden, somberheid na een bevalling, en hulp voor jou.",
            "en": "Your stress, your own past, low mood after a birth, and help for you.",
        },
        sources=("roisman-2002", "siegel-bryson-2020", "bakermans-kranenburg-2003"),
        concepts={
            "nl": ("stress", "verleden", "bevalling", "pauze", "hulp"),
            "en": ("stress", "past", "birth", "pause", "help"),
        },
    ),
    Page(
        slug="four-s",
        title={"nl": "De vier S'en", "en": "The four S's"},
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
        sources=("siegel-bryson-2020", "bowlby-1969", ARTICLE),
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
        sources=("siegel-bryson-2020", "ainsworth-1967", ARTICLE),
        concepts={
            "nl": ("geborgen", "herhaling", "vertrouwen", "veerkracht", "ontdekken"),
            "en": ("secure", "repetition", "trust", "resilience", "explore"),
        },
        s_key="secure",
        sub=True,
    ),
    Page(
        slug="later-in-life",
        title={"nl": "Wat het later kan geven", "en": "What it can bring later in life"},
        summary={
            "nl": "Wat veilige hechting kan betekenen voor een volwassene, zonder garantie.",
            "en": "What secure attachment can mean for an adult, without a promise.",
        },
        sources=("groh-2017", "fraley-2002", "roisman-2002", "bowlby-1988", ARTICLE),
        concepts={
            "nl": ("zelfbeeld", "contact", "emoties", "echt", "relaties"),
            "en": ("self-image", "connect", "emotions", "authentic", "relationships"),
        },
    ),
    Page(
        slug="how-do-i-know",
        title={
            "nl": "Kan ik zien hoe mijn kind gehecht is?",
            "en": "Can I tell how my child is attached?",
        },
        summary={
            "nl": "Waarom geen lijstje past, en bij wie je terechtkunt met een zorg.",
            "en": "Why no checklist fits, and who to turn to with a worry.",
        },
        sources=("jgz-2021", "ainsworth-1978", "zeanah-gleason-2015", "bowlby-1969"),
        concepts={
            "nl": ("relatie", "afscheid", "verlegen", "consultatiebureau", "jeugdarts", "CLB"),
            "en": ("relationship", "goodbye", "shy", "consultatiebureau", "youth doctor", "CLB"),
        },
    ),
    Page(
        slug="questions",
        title={"nl": "Veelgestelde vragen", "en": "Frequently asked questions"},
        summary={
            "nl": "Vragen die ouders vaak stellen, kort beantwoord.",
            "en": "Questions parents often ask, answered briefly.",
        },
        sources=(
            "de-wolff-1997",
            "bakermans-kranenburg-2003",
            "zeanah-gleason-2015",
            "tronick-1989",
            ARTICLE,
        ),
        concepts={
            "nl": ("herstel", "kan veranderen", "attachment parenting"),
            "en": ("repair", "can change", "attachment parenting"),
        },
    ),
    Page(
        slug="glossary",
        title={"nl": "Woordenlijst", "en": "Glossary"},
        summary={
            "nl": "De belangrijkste woorden, kort uitgelegd.",
            "en": "The key words, explained briefly.",
        },
        sources=(
            "bowlby-1969",
            "ainsworth-1978",
            "tronick-1989",
            "winnicott-1953",
            "siegel-bryson-2020",
        ),
        concepts={"nl": ("hechting", "afstemming"), "en": ("attachment", "attunement")},
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
            "nl": ("eigen woorden", "bronnen", "Susan Vroemen"),
            "en": ("own words", "sources", "Susan Vroemen"),
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


def render_body(page: Page, language: str, request=None, bands: Iterable[str] = ()) -> SafeString:
    """The page's text. The age bands in ``bands`` (a parent's children) come first."""
    bands = tuple(bands)
    context = {
        "sources": SOURCES,
        "page": page,
        "bands": ordered(bands),
        "your_bands": bands,
    }
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
