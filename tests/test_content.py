"""The learn pages: every page of the content brief, in Dutch and English, readable and cited.

The expectations below are written out by hand (not read from the registry), so that a page that
loses a key idea, a source or a reflection question makes a test fail.
"""

import re
from html.parser import HTMLParser

import pytest
import textstat
from django.core.exceptions import ImproperlyConfigured
from django.urls import reverse
from django.utils import translation

from hechting.learn import contacts
from hechting.learn.four_s import FOUR_S
from hechting.learn.pages import PAGES, SOURCES, SOURCES_BY_KEY
from hechting.tone import BLAMING_PHRASES, find_forbidden_terms

pytestmark = pytest.mark.django_db

LANGUAGES = ("nl", "en")

# The pages of the content brief and of issue 17, in reading order.
SLUGS = [
    "secure-attachment",
    "bowlby",
    "the-developing-brain",
    "mismatch-and-repair",
    "repair-card",
    "good-enough-parenting",
    "you",
    "four-s",
    "safe",
    "seen",
    "soothed",
    "secure",
    "later-in-life",
    "how-do-i-know",
    "questions",
    "glossary",
    "sources",
]

# The ideas of the content brief and the corrections of content-facts.md, per page: words a
# reader must meet there.
KEY_CONCEPTS = {
    "secure-attachment": {
        "nl": [
            "geborgen",
            "verzorgd",
            "geliefd",
            "elk kind hecht",
            "evolutie",
            "overleefden",
            "afstemt",
            "zelfregulatie",
            "perfecte ouder",
            "herstellen",
            "vier S'en",
            "veerkracht",
            "relaties",
            "positief zelfbeeld",
            "vader",
            "opa of oma",
            "opvang",
            "bang, moe of ziek",
            "Mary Ainsworth",
            "Susan Vroemen",
        ],
        "en": [
            "sheltered",
            "cared for",
            "loved",
            "every child attaches",
            "evolution",
            "survive",
            "tune in",
            "self-regulation",
            "perfect parent",
            "repair",
            "four S's",
            "resilience",
            "relationships",
            "positive self-image",
            "father",
            "grandparent",
            "day care",
            "scared, tired or ill",
            "Mary Ainsworth",
            "Susan Vroemen",
        ],
    },
    "bowlby": {
        "nl": [
            "John Bowlby",
            "psychiater",
            "psychoanalyticus",
            "1969",
            "aangeboren",
            "Harlow",
            "Mary Ainsworth",
            "Oeganda",
            "Baltimore",
            "A secure base",
            "1988",
            "luier",
            "gevoelig reageren",
            "innerlijk werkmodel",
            "positief zelfbeeld",
            "veilige basis",
            "veilige haven",
            "ontdekking",
            "troost",
        ],
        "en": [
            "John Bowlby",
            "psychiatrist",
            "psychoanalyst",
            "1969",
            "inborn",
            "Harlow",
            "Mary Ainsworth",
            "Uganda",
            "Baltimore",
            "A secure base",
            "1988",
            "nappy",
            "sensitive care",
            "internal working model",
            "positive self-image",
            "secure base",
            "safe haven",
            "explore",
            "comfort",
        ],
    },
    "the-developing-brain": {
        "nl": [
            "Allan Schore",
            "Daniel Siegel",
            "theorie",
            "Stephen Porges",
            "kritiek",
            "brein",
            "alle mensen die voor je kind zorgen",
            "afstemming",
            "resonantie",
            "responsiviteit",
            "oogcontact",
            "houding",
            "toon van je stem",
            "timing",
            "zelfregulatie",
            "veerkracht",
            "kan veranderen",
        ],
        "en": [
            "Allan Schore",
            "Daniel Siegel",
            "theory",
            "Stephen Porges",
            "criticise",
            "brain",
            "all the people who care for your child",
            "attunement",
            "resonance",
            "responsiveness",
            "eye contact",
            "posture",
            "tone of your voice",
            "timing",
            "self-regulation",
            "resilience",
            "can change",
        ],
    },
    "mismatch-and-repair": {
        "nl": [
            "mismatch",
            "uit de pas",
            "een derde van de tijd",
            "paar seconden",
            "Edward Tronick",
            "Still Face",
            "1 tot 4 maanden",
            "reikt",
            "niet in één keer",
            "herstel",
            "nog geen bewezen feit",
            "Schore en Siegel",
            "theorie",
            "zenuwstelsel",
            "innerlijk werkmodel",
            "Dat was niet oké van mij",
            "korte pauze",
            "nooit te laat",
        ],
        "en": [
            "mismatch",
            "out of tune",
            "a third of the time",
            "within seconds",
            "Edward Tronick",
            "Still Face",
            "1 to 4 months",
            "reach out",
            "not all at once",
            "repair",
            "not yet a proven result",
            "Schore and Siegel",
            "theory",
            "nervous system",
            "internal working model",
            "That was not okay of me",
            "short pause",
            "never too late",
        ],
    },
    "repair-card": {
        "nl": ["A5", "Afdrukken", "jouw deel", "pauze"],
        "en": ["A5", "Print", "your own part", "pause"],
    },
    "good-enough-parenting": {
        "nl": [
            "Winnicott",
            "goed-genoeg ouderschap",
            "perfect",
            "beschikbaar",
            "herstelt",
            "voorspelbaar",
            "gevoelens doen ertoe",
            "veranderen",
            "stress",
            "nabijheid",
            "afleiding",
            "rust",
            "veilig",
            "tegenslag",
        ],
        "en": [
            "Winnicott",
            "good-enough parenting",
            "perfect",
            "available",
            "repair",
            "predictable",
            "feelings matter",
            "change something",
            "stress",
            "closeness",
            "distraction",
            "rest",
            "safe",
            "setbacks",
        ],
    },
    "you": {
        "nl": ["gespannen", "pauze", "verhaal", "verdiende veiligheid", "somber", "huisarts"],
        "en": ["tense", "pause", "story", "earned security", "low", "GP"],
    },
    "four-s": {
        "nl": [
            "Daniel Siegel",
            "Tina Payne Bryson",
            "The power of showing up",
            "2020",
            "Safe",
            "Seen",
            "Soothed",
            "Secure",
            "eigen persoon",
            "verlengstuk",
            "ontdekken",
            "fouten",
            "dagboek",
            "geboortemaand",
        ],
        "en": [
            "Daniel Siegel",
            "Tina Payne Bryson",
            "The power of showing up",
            "2020",
            "Safe",
            "Seen",
            "Soothed",
            "Secure",
            "own person",
            "extension",
            "explore",
            "mistakes",
            "journal",
            "birth month",
        ],
    },
    "safe": {
        "nl": ["veilig", "lijf", "gevoel", "herstelt"],
        "en": ["safe", "body", "feelings", "restore the connection"],
    },
    "seen": {
        "nl": ["gezien", "begrijpt", "achter het gedrag", "erken", "behoefte", "verlegen"],
        "en": ["seen", "understand", "behind the behaviour", "acknowledge", "needs", "shy"],
    },
    "soothed": {
        "nl": ["getroost", "rustig", "emoties", "stress"],
        "en": ["soothed", "calm", "emotions", "stress"],
    },
    "secure": {
        "nl": ["geborgen", "herhaling", "vertrouwen", "veerkracht", "stabiel", "fouten maken"],
        "en": ["secure", "repetition", "trust", "resilience", "stable", "make mistakes"],
    },
    "later-in-life": {
        "nl": [
            "positief zelfbeeld",
            "contact",
            "emoties",
            "zichzelf te zijn",
            "relaties",
            "geen garantie",
            "verdiende veiligheid",
        ],
        "en": [
            "positive self-image",
            "connect",
            "emotions",
            "authentic",
            "relationships",
            "no guarantee",
            "earned security",
        ],
    },
    "how-do-i-know": {
        "nl": [
            "geen lijstje",
            "beoordeelt je kind niet",
            "relatie",
            "afscheid is gewoon",
            "verlegen",
            "huisarts",
            "consultatiebureau",
            "jeugdarts",
            "CJG",
            "Kind en Gezin",
            "CLB",
        ],
        "en": [
            "no checklist",
            "does not assess your child",
            "relationship",
            "goodbye is ordinary",
            "shy",
            "GP",
            "consultatiebureau",
            "youth doctor",
            "CJG",
            "Kind en Gezin",
            "CLB",
        ],
    },
    "questions": {
        "nl": [
            "Wat bedoelen we met veilige hechting",
            "beoordeelt je kind niet",
            "voorspelbaar",
            "herstel",
            "geen ziekte",
            "kan veranderen",
            "professional",
            "attachment parenting",
            "kwaliteit van het contact",
        ],
        "en": [
            "What do we mean by secure attachment",
            "does not assess your child",
            "predictable",
            "repair",
            "not an illness",
            "can change",
            "professional",
            "attachment parenting",
            "quality of the contact",
        ],
    },
    "glossary": {
        "nl": [
            "hechting",
            "veilige basis",
            "veilige haven",
            "innerlijk werkmodel",
            "afstemming",
            "mismatch",
            "herstel",
            "goed-genoeg ouderschap",
            "vier S'en",
            "zelfregulatie",
            "veerkracht",
            "zelfbeeld",
            "zenuwstelsel",
            "temperament",
        ],
        "en": [
            "attachment",
            "secure base",
            "safe haven",
            "internal working model",
            "attunement",
            "mismatch",
            "repair",
            "good-enough parenting",
            "four S's",
            "self-regulation",
            "resilience",
            "self-image",
            "nervous system",
            "temperament",
        ],
    },
    "sources": {
        "nl": ["eigen woorden", "bronnen", "Susan Vroemen", "23 juni 2024", "30 juli 2025"],
        "en": ["own words", "sources", "Susan Vroemen", "23 June 2024", "30 July 2025"],
    },
}

# Every work the pages cite, with a fragment of its reference and its DOI where it has one.
REFERENCES = [
    ("ainsworth-1967", "Ainsworth, M. D. S. (1967). Infancy in Uganda", ""),
    ("ainsworth-1978", "Patterns of attachment", ""),
    ("bakermans-kranenburg-2003", "Less is more", "10.1037/0033-2909.129.2.195"),
    ("bowlby-1969", "Bowlby, J. (1969). Attachment and loss", ""),
    ("bowlby-1988", "Bowlby, J. (1988). A secure base", ""),
    ("de-wolff-1997", "Sensitivity and attachment", ""),
    (
        "fraley-2002",
        "Attachment stability from infancy to adulthood",
        "10.1207/S15327957PSPR0602_03",
    ),
    ("greenough-1987", "Experience and brain development", "10.2307/1130197"),
    ("groh-2017", "Attachment in the early life course", ""),
    ("grossman-2023", "premises of the polyvagal theory", "10.1016/j.biopsycho.2023.108589"),
    ("harlow-1958", "The nature of love", "10.1037/h0047884"),
    ("jgz-2021", "JGZ-richtlijn Ouder-kindrelatie", ""),
    ("mesman-2009", "The many faces of the Still-Face Paradigm", "10.1016/j.dr.2009.02.001"),
    ("roisman-2002", "Earned-secure attachment status", "10.1111/1467-8624.00467"),
    ("schore-2015", "Interview on the science of the art of psychotherapy", ""),
    (
        "schore-2021",
        "The interpersonal neurobiology of intersubjectivity",
        "10.3389/fpsyg.2021.648616",
    ),
    ("siegel-2001", "Infant Mental Health Journal, 22(1-2), 67-94", ""),
    ("siegel-2012", "Siegel, D. J. (2012). The developing mind", ""),
    (
        "siegel-bryson-2020",
        "Siegel, D. J., &amp; Bryson, T. P. (2020). The power of showing up",
        "",
    ),
    (
        "tronick-1978",
        "Tronick, E., Als, H., Adamson, L., Wise, S., &amp; Brazelton, T. B. (1978)",
        "10.1016/S0002-7138(09)62273-1",
    ),
    (
        "tronick-1989",
        "Emotions and emotional communication in infants",
        "10.1037/0003-066X.44.2.112",
    ),
    ("tronick-cohn-1989", "Infant-mother face-to-face interaction", "10.2307/1131074"),
    ("vroemen-2024", "Veilige hechting: je geborgen, verzorgd, en geliefd weten", ""),
    (
        "winnicott-1953",
        "Winnicott, D. W. (1953). Transitional objects and transitional phenomena",
        "",
    ),
    ("zeanah-gleason-2015", "Attachment disorders in early childhood", "10.1111/jcpp.12347"),
]

# The pages whose choice of ideas follows the article (content-facts.md, "Credit").
ARTICLE_PAGES = [
    "secure-attachment",
    "bowlby",
    "the-developing-brain",
    "mismatch-and-repair",
    "good-enough-parenting",
    "four-s",
    "safe",
    "seen",
    "soothed",
    "secure",
    "later-in-life",
    "questions",
]

GLOSSARY_ANCHORS = [
    "attachment",
    "secure-base",
    "safe-haven",
    "internal-working-model",
    "attunement",
    "mismatch",
    "repair",
    "good-enough-parenting",
    "four-s",
    "self-regulation",
    "resilience",
    "self-image",
    "nervous-system",
    "temperament",
]

# How each glossary term is written in running text; the first of these on a page must link to
# the glossary (or sit in a <dfn> that explains it).
GLOSSARY_TERMS = {
    "nl": {
        "attachment": r"hechting",
        "secure-base": r"veilige basis",
        "safe-haven": r"veilige haven",
        "internal-working-model": r"innerlijk werkmodel",
        "attunement": r"afstem\w*|afgestemd\w*",
        "mismatch": r"mismatch\w*",
        "repair": r"herstel\w*",
        "good-enough-parenting": r"goed-genoeg ouderschap",
        "four-s": r"vier S'en",
        "self-regulation": r"zelfregulatie",
        "resilience": r"veerkracht\w*",
        "self-image": r"zelfbeeld\w*",
        "nervous-system": r"zenuwstelsel\w*",
        "temperament": r"temperament\w*",
    },
    "en": {
        "attachment": r"attachment",
        "secure-base": r"secure base",
        "safe-haven": r"safe haven",
        "internal-working-model": r"internal working model",
        "attunement": r"attun\w*|in tune|tune in",
        "mismatch": r"mismatch\w*",
        "repair": r"repair\w*",
        "good-enough-parenting": r"good-enough parenting",
        "four-s": r"four S's",
        "self-regulation": r"self-regulation",
        "resilience": r"resilien\w*",
        "self-image": r"self-image",
        "nervous-system": r"nervous system",
        "temperament": r"temperament",
    },
}

BLOCKS = {"p", "li", "h1", "h2", "h3", "dt", "dd", "blockquote"}


class ArticleText(HTMLParser):
    """The visible text of the page's <article>, one block per paragraph, list item or heading.

    Leaves out navigation inside the article, the drawings (their titles are tested on their
    own) and any part in another language (the English references on the Dutch sources page),
    so only the page's own prose is measured.
    """

    def __init__(self, language: str, other_languages: bool):
        super().__init__()
        self.language = language
        self.other_languages = other_languages
        self.stack: list[tuple[str, bool]] = []  # (tag, skipped)
        self.in_article = False
        self.blocks: list[str] = []
        self.current: list[str] = []

    def handle_starttag(self, tag, attrs):
        attributes = dict(attrs)
        if tag == "article":
            self.in_article = True
        skipped = self.skipping or tag in {"nav", "script", "style", "svg"}
        if not self.other_languages and attributes.get("lang", self.language) != self.language:
            skipped = True
        if tag in BLOCKS:
            self.flush()
        if tag not in {"br", "img", "input", "meta", "link"}:
            self.stack.append((tag, skipped))

    def handle_endtag(self, tag):
        if tag in BLOCKS:
            self.flush()
        while self.stack:
            open_tag, _ = self.stack.pop()
            if open_tag == tag:
                break
        if tag == "article":
            self.in_article = False

    @property
    def skipping(self) -> bool:
        return bool(self.stack) and self.stack[-1][1]

    def handle_data(self, data):
        if self.in_article and not self.skipping:
            self.current.append(data)

    def flush(self):
        text = " ".join("".join(self.current).split())
        self.current = []
        if text:
            self.blocks.append(text if text[-1] in ".!?:" else text + ".")

    @property
    def text(self) -> str:
        self.flush()
        return " ".join(self.blocks)


def article_text(html: str, language: str, other_languages: bool = False) -> str:
    parser = ArticleText(language, other_languages)
    parser.feed(html)
    return parser.text


def url(language: str, name: str, **kwargs) -> str:
    with translation.override(language):
        return reverse(name, kwargs=kwargs or None)


def page_url(language: str, slug: str) -> str:
    return url(language, "learn:page", slug=slug)


def hrefs(html: str) -> list[str]:
    return re.findall(r'href="([^"]+)"', html)


def test_the_registry_holds_every_page_of_the_brief_in_reading_order():
    assert [page.slug for page in PAGES] == SLUGS


@pytest.mark.parametrize("language", LANGUAGES)
@pytest.mark.parametrize("slug", SLUGS)
def test_each_page_renders_in_both_languages_for_an_anonymous_visitor(client, slug, language):
    response = client.get(page_url(language, slug))

    assert response.status_code == 200
    assert f'<html lang="{language}">' in response.text
    page = next(page for page in PAGES if page.slug == slug)
    assert f'<h1 id="page-title">{page.title[language]}</h1>'.replace("'", "&#x27;") in (
        response.text
    )


@pytest.mark.parametrize("language", LANGUAGES)
@pytest.mark.parametrize("slug", SLUGS)
def test_each_page_carries_the_key_concepts_of_the_brief(client, slug, language):
    html = client.get(page_url(language, slug)).text
    text = article_text(html, language, other_languages=True).lower()
    page = next(page for page in PAGES if page.slug == slug)

    missing = [
        concept
        for concept in [*KEY_CONCEPTS[slug][language], *page.concepts[language]]
        if concept.lower() not in text
    ]
    assert missing == []


@pytest.mark.parametrize("slug", SLUGS)
def test_each_dutch_page_reads_at_b1_level(client, slug):
    text = article_text(client.get(page_url("nl", slug)).text, "nl")
    textstat.set_lang("nl")  # flesch_reading_ease is then the Flesch-Douma formula

    assert len(text.split()) > 40
    assert textstat.flesch_reading_ease(text) >= 60
    assert textstat.words_per_sentence(text) <= 15


def sentences(text: str) -> list[str]:
    return [
        part.strip()
        for part in re.split(r"(?:(?<=[.!?])|(?<=[.!?][\"”]))\s+", text)
        if part.strip()
    ]


@pytest.mark.parametrize("language", LANGUAGES)
@pytest.mark.parametrize("slug", SLUGS)
def test_no_sentence_on_a_page_is_longer_than_20_words(client, slug, language):
    text = article_text(client.get(page_url(language, slug)).text, language)

    too_long = [sentence for sentence in sentences(text) if len(sentence.split()) > 20]
    assert too_long == []


def test_the_sentence_length_check_finds_a_long_sentence():
    long = " ".join(["woord"] * 21) + '. Zeg: "Kort." Klaar.'
    assert [len(sentence.split()) for sentence in sentences(long)] == [21, 2, 1]


def test_the_reading_ease_measure_tells_easy_from_hard_dutch():
    textstat.set_lang("nl")
    easy = "Je kind zoekt jou op. Jij troost het. Zo groeit vertrouwen."
    hard = (
        "De neurobiologische ontwikkelingsprocessen van interpersoonlijke regulatiemechanismen "
        "worden gedurende de vroegkinderlijke levensfase fundamenteel gemoduleerd door "
        "gehechtheidsgerelateerde interactiepatronen tussen verzorgers en zuigelingen."
    )
    assert textstat.flesch_reading_ease(easy) >= 60
    assert textstat.flesch_reading_ease(hard) < 60
    assert textstat.words_per_sentence(hard) > 15


@pytest.mark.parametrize("language", LANGUAGES)
def test_the_sources_page_lists_every_cited_work_with_its_doi_as_a_link(client, language):
    html = client.get(page_url(language, "sources")).text

    for key, fragment, doi in REFERENCES:
        entry = re.search(rf'<li id="{re.escape(key)}" lang="en">(.*?)</li>', html, re.DOTALL)
        assert entry, key
        assert fragment in entry[1], key
        if doi:
            address = f"https://doi.org/{doi}"
            assert f'<a href="{address}">{address}</a>' in entry[1], key
    assert [source.key for source in SOURCES] == [key for key, _, _ in REFERENCES]
    assert "doi:" not in html


def test_every_work_on_the_sources_page_is_cited_by_a_page():
    cited = {key for page in PAGES if page.slug != "sources" for key in page.sources}
    assert cited == {source.key for source in SOURCES}


@pytest.mark.parametrize("language", LANGUAGES)
@pytest.mark.parametrize("slug", [slug for slug in SLUGS if slug != "sources"])
def test_every_page_cites_a_source_and_links_to_the_sources_page(client, slug, language):
    html = client.get(page_url(language, slug)).text
    sources_url = page_url(language, "sources")
    footer = html.split('<footer class="learn-sources">')[1]

    assert sources_url in hrefs(html)
    cited = [href for href in hrefs(footer) if href.startswith(sources_url + "#")]
    assert cited
    assert {href.split("#")[1] for href in cited} <= {key for key, _, _ in REFERENCES}
    for href in cited:
        key = href.split("#")[1]
        assert f">{SOURCES_BY_KEY[key].short}</a>".replace("&", "&amp;") in footer


@pytest.mark.parametrize("language", LANGUAGES)
@pytest.mark.parametrize("slug", ARTICLE_PAGES)
def test_every_page_built_on_the_article_credits_it(client, slug, language):
    footer = client.get(page_url(language, slug)).text.split('<footer class="learn-sources">')[1]

    assert f'href="{page_url(language, "sources")}#vroemen-2024">Vroemen (2024)</a>' in footer


@pytest.mark.parametrize("language", LANGUAGES)
def test_the_sources_page_credits_the_article_and_does_not_claim_every_idea_is_research(
    client, language
):
    text = article_text(client.get(page_url(language, "sources")).text, language)

    assert "Susan Vroemen" in text
    assert "Veilige hechting: je geborgen, verzorgd, en geliefd weten" in text
    assert "komen uit het werk van onderzoekers" not in text
    assert "come from the work of researchers" not in text


def test_the_questions_no_longer_repeat_the_earlier_headings(client):
    html = client.get(page_url("nl", "questions")).text

    assert "Wat betekent veilige hechting precies?" not in html
    assert "Hoe weet ik of mijn kind veilig gehecht is?" not in html


@pytest.mark.parametrize(
    ("language", "forbidden"),
    [
        (
            "nl",
            [
                "liet zien dat zulke",
                "herstel maakt de band juist sterker",
                "lacht, wijst",
                "komt snel tot rust",
                "Dat heet ook wel het CJG",
                "droeg daaraan bij",
            ],
        ),
        (
            "en",
            [
                "Tronick showed",
                "Repair makes the bond stronger",
                "smiles, points",
                "soon settles",
                "is also called the CJG",
                "also contributed",
            ],
        ),
    ],
)
def test_the_old_claims_are_gone(client, language, forbidden):
    text = " ".join(
        article_text(client.get(page_url(language, slug)).text, language) for slug in SLUGS
    )
    index = " ".join(page.summary[language] for page in PAGES)
    for phrase in forbidden:
        assert phrase.lower() not in (text + index).lower(), phrase


@pytest.mark.parametrize("language", LANGUAGES)
def test_every_page_and_the_help_page_are_reachable_from_the_index(client, language):
    response = client.get(url(language, "learn:index"))

    assert response.status_code == 200
    links = hrefs(response.text)
    for slug in SLUGS:
        assert page_url(language, slug) in links
    assert url(language, "learn:help") in links


@pytest.mark.parametrize("language", LANGUAGES)
def test_the_index_shows_a_reading_time_for_each_page(client, language):
    html = client.get(url(language, "learn:index")).text

    assert len(re.findall(r'class="reading-path__time">\d+ min<', html)) == len(SLUGS)


@pytest.mark.parametrize("language", LANGUAGES)
def test_next_links_lead_through_every_page_in_reading_order(client, language):
    visited = []
    address = page_url(language, SLUGS[0])
    while address.startswith(url(language, "learn:index")) and len(visited) < 50:
        visited.append(address)
        html = client.get(address).text
        found = re.search(r'href="([^"]+)" rel="next"', html)
        if found is None:
            break
        address = found[1]

    assert visited == [page_url(language, slug) for slug in SLUGS]


@pytest.mark.parametrize("language", LANGUAGES)
def test_previous_links_lead_back_and_the_first_page_links_to_the_overview(client, language):
    html = client.get(page_url(language, "bowlby")).text
    assert f'href="{page_url(language, "secure-attachment")}" rel="prev"' in html

    first = client.get(page_url(language, SLUGS[0])).text
    assert 'rel="prev"' not in first
    assert f'class="pager__link" href="{url(language, "learn:index")}"' in first


@pytest.mark.parametrize("language", LANGUAGES)
def test_each_page_shows_its_reading_time(client, language):
    html = client.get(page_url(language, "mismatch-and-repair")).text
    expected = "Ongeveer 4 minuten lezen" if language == "nl" else "About 4 minutes of reading"

    assert expected in html


@pytest.mark.parametrize("language", LANGUAGES)
@pytest.mark.parametrize("slug", SLUGS)
def test_each_section_has_an_anchor_listed_on_the_page(client, slug, language):
    html = client.get(page_url(language, slug)).text
    body = html.split('<div class="learn-body">')[1]
    headings = re.findall(r"<h2([^>]*)>", body)
    ids = re.findall(r'<h2 id="([a-z0-9-]+)">', body)

    assert len(ids) == len(headings)
    assert len(set(ids)) == len(ids)
    if len(ids) > 1:
        for anchor in ids:
            assert f'href="#{anchor}"' in html


@pytest.mark.parametrize("language", LANGUAGES)
@pytest.mark.parametrize("s", FOUR_S, ids=lambda s: s.key)
def test_each_s_page_ends_with_its_journal_questions_and_a_link_to_note_a_moment(
    client, s, language
):
    html = client.get(page_url(language, s.page_slug)).text
    end = html.split('<section class="reflect-questions"')[1]

    with translation.override(language):
        questions = [str(question).replace("'", "&#x27;") for question in s.questions]
    assert 2 <= len(questions) <= 3
    for question in questions:
        assert f"<li>{question}</li>" in end
    assert f'href="{url(language, "reflect:moment_add")}?s={s.key}"' in end
    assert f"about {s.name}<" in end or f"over {s.name}<" in end


def test_the_s_questions_are_translated_into_dutch(client):
    html = client.get(page_url("nl", "safe")).text

    assert "Wanneer leek je kind zich vandaag veilig te voelen bij jou?" in html


@pytest.mark.parametrize("language", LANGUAGES)
def test_the_mismatch_page_links_to_noting_a_mismatch_and_its_repair(client, language):
    html = client.get(page_url(language, "mismatch-and-repair")).text

    assert f'href="{url(language, "reflect:moment_add")}?kind=mismatch"' in html


@pytest.mark.parametrize("language", LANGUAGES)
def test_the_glossary_explains_each_key_term_with_an_anchor(client, language):
    html = client.get(page_url(language, "glossary")).text

    for anchor in GLOSSARY_ANCHORS:
        assert re.search(rf'<dt id="{anchor}">.+?</dt>\s*<dd>.+?</dd>', html, re.DOTALL)


@pytest.mark.parametrize("language", LANGUAGES)
def test_links_into_the_glossary_point_at_existing_terms(client, language):
    glossary = page_url(language, "glossary")
    for slug in SLUGS:
        html = client.get(page_url(language, slug)).text
        for href in hrefs(html):
            if href.startswith(glossary + "#"):
                assert href.split("#")[1] in GLOSSARY_ANCHORS


@pytest.mark.parametrize("language", LANGUAGES)
def test_no_learn_page_blames_a_parent_or_labels_their_child(client, language):
    addresses = [url(language, "learn:index"), url(language, "learn:help")]
    addresses += [page_url(language, slug) for slug in SLUGS]
    for address in addresses:
        text = article_text(client.get(address).text, language) or client.get(address).text
        assert find_forbidden_terms(text, BLAMING_PHRASES) == [], address


def test_a_signed_in_parent_reads_the_same_pages(parent_client):
    response = parent_client.get(page_url("nl", "safe"))

    assert response.status_code == 200
    assert "Vragen om over na te denken" in response.text


@pytest.mark.parametrize(
    "address",
    ["/nl/learn/", "/nl/learn/help/", "/nl/learn/safe/", "/en/learn/sources/"],
)
def test_posting_to_a_learn_page_is_not_allowed(client, address):
    assert client.post(address).status_code == 405


@pytest.mark.parametrize("address", ["/nl/learn/", "/en/learn/help/", "/nl/learn/bowlby/"])
def test_a_head_request_is_answered(client, address):
    assert client.head(address).status_code == 200


@pytest.mark.parametrize("slug", ["does-not-exist", "help-me", "pages"])
def test_an_unknown_page_is_not_found(client, slug):
    assert client.get(f"/nl/learn/{slug}/").status_code == 404


def test_a_page_address_without_a_valid_slug_is_not_found(client):
    assert client.get("/nl/learn/../../etc/passwd/").status_code == 404
    assert client.get("/nl/learn/saf%20e/").status_code == 404


def test_an_htmx_request_gets_the_whole_page(client):
    response = client.get(page_url("en", "safe"), headers={"HX-Request": "true"})

    assert response.status_code == 200
    assert "<!DOCTYPE html>" in response.text


def test_the_pages_are_indexable(client):
    html = client.get(page_url("nl", "bowlby")).text
    robots = client.get("/robots.txt").text

    assert "noindex" not in html
    assert "Disallow: /nl/learn" not in robots
    assert "Disallow: /en/learn" not in robots


def test_a_page_needs_no_database_query(client, django_assert_num_queries):
    with django_assert_num_queries(0):
        client.get(page_url("nl", "four-s"))


@pytest.mark.parametrize("language", LANGUAGES)
def test_the_pages_stay_light_and_keep_to_the_content_security_policy(client, language):
    for address in [url(language, "learn:help")] + [page_url(language, slug) for slug in SLUGS]:
        html = client.get(address).text
        assert " style=" not in html
        assert "<style" not in html
        assert not re.search(r"<script(?![^>]*\bsrc=)", html)
        for image in re.findall(r'<img[^>]*src="([^"]+)"', html):
            assert image.endswith(".svg")


# The help lines of content-facts.md, checked in December 2026: (name, what a tel: link dials).
CHECKED_LINES = {
    "now": [
        ("113 Zelfmoordpreventie", "tel:113"),
        ("113 Zelfmoordpreventie", "tel:08000113"),
        ("Veilig Thuis", "tel:08002000"),
        ("Zelfmoordlijn 1813", "tel:1813"),
        ("1712", "tel:1712"),
    ],
    "tonight": [("Huisartsenpost", ""), ("1733", "tel:1733")],
    "talk": [
        ("De Luisterlijn", "tel:0880767000"),
        ("huisarts", ""),
        ("Tele-Onthaal", "tel:106"),
        ("Opvoedingslijn", ""),
    ],
    "child": [
        ("Consultatiebureau", ""),
        ("jeugdarts", ""),
        ("CJG", ""),
        ("De Kindertelefoon", "tel:08000432"),
        ("Kind en Gezin", "tel:078150100"),
        ("CLB", ""),
        ("Awel", "tel:102"),
    ],
}
GROUP_TITLES = {
    "nl": ["Nu, in gevaar", "Vanavond of vannacht", "Om te praten", "Voor je kind"],
    "en": ["Now, in danger", "Tonight", "To talk", "For your child"],
}


def help_groups(html: str) -> dict[str, str]:
    """The HTML of each group of the help page, by its key."""
    found = re.findall(
        r'<section class="help-group[^"]*" aria-labelledby="([a-z-]+)">(.*?)</section>',
        html,
        re.DOTALL,
    )
    return dict(found)


@pytest.mark.parametrize("language", LANGUAGES)
def test_the_help_page_states_the_limits(client, language):
    html = client.get(url(language, "learn:help")).text

    expected = {
        "nl": ["beoordeelt niet", "stelt geen diagnose", "browsegeschiedenis"],
        "en": ["does not assess or diagnose", "browsing history"],
    }[language]
    for text in expected:
        assert text in html
    assert 'id="quick-exit"' in html


@pytest.mark.parametrize("language", LANGUAGES)
def test_the_help_page_shows_the_month_its_lines_were_checked(client, language):
    html = client.get(url(language, "learn:help")).text

    expected = {
        "nl": "We hebben deze nummers gecontroleerd in december 2026.",
        "en": "We checked these numbers in December 2026.",
    }[language]
    assert expected in " ".join(html.split())
    assert contacts.load(language).checked.isoformat() == "2026-12-01"


@pytest.mark.parametrize("language", LANGUAGES)
def test_the_help_page_lists_every_checked_line_in_its_group(client, language):
    html = client.get(url(language, "learn:help")).text
    groups = help_groups(html)

    assert list(groups) == list(CHECKED_LINES)
    for key, title in zip(CHECKED_LINES, GROUP_TITLES[language], strict=True):
        assert f'<h2 id="{key}">{title}</h2>' in groups[key]
    for key, lines in CHECKED_LINES.items():
        for name, tel in lines:
            assert name in groups[key], (key, name)
            if tel:
                assert f'href="{tel}"' in groups[key], (key, tel)
    assert '<a href="tel:112">112</a>' in groups["now"]
    assert "Nederland" in html or "The Netherlands" in html
    assert ">113.nl<" in groups["now"]


@pytest.mark.parametrize("language", LANGUAGES)
def test_the_help_page_puts_112_first_and_links_to_the_page_for_the_parent(client, language):
    html = client.get(url(language, "learn:help")).text
    article = html.split('<article class="prose learn-page"')[1]

    assert article.index('href="tel:112"') < article.index('href="tel:113"')
    assert f'href="{page_url(language, "you")}"' in help_groups(html)["talk"]


@pytest.mark.parametrize("language", LANGUAGES)
def test_the_mismatch_page_links_to_the_page_for_the_parent(client, language):
    html = client.get(page_url(language, "mismatch-and-repair")).text

    assert f'href="{page_url(language, "you")}"' in html


def test_the_help_page_is_linked_from_the_footer_of_every_learn_page(client):
    for slug in SLUGS:
        footer = client.get(page_url("en", slug)).text.split('<footer class="site-footer">')[1]
        assert 'href="/en/learn/help/"' in footer


CUSTOM_CONTACTS = """
checked = "2027-03"
emergency = "911"

[[regions]]
key = "tl"
name = { nl = "Testland", en = "Testland (en)" }

[[groups]]
key = "now"
title = { nl = "Nu", en = "Now" }

[[groups.contacts]]
region = "tl"
name = { nl = "Hulplijn Testland", en = "Testland helpline" }
about = { nl = "Dag en nacht.", en = "Day and night." }
phone = "+1 555 0100"
url = "https://help.example.org/"

[[groups]]
key = "later"
title = { nl = "Later", en = "Later" }

[[groups.contacts]]
name = { nl = "Iedereen", en = "Everyone" }
about = { nl = "Overal.", en = "Everywhere." }
phone = ["1 2 3", "456"]
"""


@pytest.fixture
def custom_contacts(tmp_path, monkeypatch):
    data = tmp_path / "contacts.toml"
    data.write_text(CUSTOM_CONTACTS, encoding="utf-8")
    monkeypatch.setattr(contacts, "CONTACTS_FILE", data)
    return data


def test_another_region_replaces_the_contacts_by_replacing_one_file(client, custom_contacts):
    html = client.get("/nl/learn/help/").text

    assert "Hulplijn Testland" in html
    assert 'href="tel:+15550100"' in html
    assert 'href="tel:123"' in html
    assert 'href="tel:456"' in html
    assert ">help.example.org<" in html
    assert '<a href="tel:911">911</a>' in html
    assert "maart 2027" in html
    assert "Veilig Thuis" not in html
    assert list(help_groups(html)) == ["now", "later"]
    english = client.get("/en/learn/help/").text
    assert "Testland helpline" in english
    assert "March 2027" in english


@pytest.mark.parametrize(
    ("change", "message"),
    [
        (('nl = "Hulplijn Testland", ', ""), "group 1, contact 1, name"),
        (("phone =", "telephone ="), "unknown field"),
        (('checked = "2027-03"', ""), '"checked" must say the month'),
        (('checked = "2027-03"', 'checked = "maart"'), '"checked" must say the month'),
        (('checked = "2027-03"', 'checked = "2027-13"'), '"checked" must say the month'),
        (('region = "tl"', 'region = "xx"'), "region 'xx' is not one of"),
        (('key = "later"', 'key = "Later!"'), "group 2, key"),
        (('phone = ["1 2 3", "456"]', "phone = [1]"), "group 2, contact 1, phone"),
        (('phone = ["1 2 3", "456"]', 'phone = "call us"'), "group 2, contact 1, phone"),
    ],
)
def test_a_mistake_in_the_contacts_file_fails_loudly(tmp_path, change, message):
    data = tmp_path / "contacts.toml"
    data.write_text(CUSTOM_CONTACTS.replace(*change), encoding="utf-8")

    with pytest.raises(ImproperlyConfigured, match=re.escape(message)):
        contacts.load("en", data)


def test_a_group_without_contacts_fails_loudly(tmp_path):
    data = tmp_path / "contacts.toml"
    text = CUSTOM_CONTACTS.split("[[groups.contacts]]\nname")[0]
    data.write_text(text, encoding="utf-8")

    with pytest.raises(ImproperlyConfigured, match="group 2: a group needs at least one contact"):
        contacts.load("en", data)


def test_a_missing_english_text_falls_back_to_dutch(tmp_path):
    data = tmp_path / "contacts.toml"
    data.write_text(CUSTOM_CONTACTS.replace(', en = "Day and night."', ""), encoding="utf-8")

    assert contacts.load("en", data).groups[0].contacts[0].about == "Dag en nacht."


# The "how do I know" page (content-facts.md): no checklist, no test, people to turn to.
@pytest.mark.parametrize("language", LANGUAGES)
def test_the_how_do_i_know_page_offers_no_list_of_signs(client, language):
    html = client.get(page_url(language, "how-do-i-know")).text
    body = html.split('<div class="learn-body">')[1].split('<footer class="learn-sources">')[0]

    assert "<ul" not in body
    assert "<ol" not in body
    assert 'type="checkbox"' not in body
    assert "<form" not in body


@pytest.mark.parametrize("language", LANGUAGES)
def test_the_questions_page_no_longer_lists_signs_and_points_to_the_how_do_i_know_page(
    client, language
):
    html = client.get(page_url(language, "questions")).text
    section = html.split('<h2 id="how-do-i-know">')[1].split("<h2")[0]

    assert "<ul" not in section
    assert f'href="{page_url(language, "how-do-i-know")}"' in section


# The age bands on the S pages (issue 17, point 4).
BANDS = ["baby", "toddler", "school", "teen"]
BAND_NAMES = {
    "nl": ["Baby", "Peuter", "Schoolkind", "Tiener"],
    "en": ["Baby", "Toddler", "School child", "Teenager"],
}


def age_bands_on(html: str) -> list[tuple[str, str]]:
    """(band key, scene text) of each age band on a page, in the order shown."""
    found = re.findall(
        r'<section class="age-band[^"]*" aria-labelledby="age-([a-z]+)">(.*?)</section>',
        html,
        re.DOTALL,
    )
    return [(key, plain_text(body)) for key, body in found]


def plain_text(html: str) -> str:
    return " ".join(re.sub(r"<[^>]+>", " ", html).split())


@pytest.mark.parametrize("language", LANGUAGES)
@pytest.mark.parametrize("s", FOUR_S, ids=lambda s: s.key)
def test_each_s_page_carries_all_four_age_bands_and_a_one_minute_try_this(client, s, language):
    html = client.get(page_url(language, s.page_slug)).text
    bands = age_bands_on(html)

    assert [key for key, _ in bands] == BANDS
    for (key, text), name in zip(bands, BAND_NAMES[language], strict=True):
        assert text.startswith(name), key
        assert len(text.split()) >= 15, key  # a scene, not only a heading
    try_this = html.split('<section class="try-this" aria-labelledby="try-this">')[1]
    heading = {"nl": "Probeer dit (een minuut)", "en": "Try this (one minute)"}[language]
    assert f'<h2 id="try-this">{heading}</h2>' in try_this
    assert 'href="#try-this"' in html
    assert 'href="#ages"' in html


@pytest.mark.parametrize("language", LANGUAGES)
def test_the_scenes_are_never_a_milestone_a_norm_or_a_should(client, language):
    words = {
        "nl": r"\b(moet|moeten|hoort te|zou moeten|normaal voor zijn leeftijd|achterstand"
        r"|mijlpaal)\b",
        "en": r"\b(should|must|ought to|by this age|milestone|behind for|on track)"
        r"\b",
    }[language]
    for s in FOUR_S:
        for key, text in age_bands_on(client.get(page_url(language, s.page_slug)).text):
            assert not re.search(words, text, re.IGNORECASE), (s.key, key, text)


@pytest.mark.parametrize("language", LANGUAGES)
def test_the_repair_card_has_a_line_for_every_age(client, language):
    html = client.get(page_url(language, "repair-card")).text
    card = html.split('<section class="repair-card" aria-labelledby="card">')[1]
    card = card.split("</section>")[0]

    for name in BAND_NAMES[language]:
        assert f"<dt>{name}</dt>" in card


def test_the_english_pages_never_call_the_child_it(client):
    pattern = re.compile(
        r"\b(?:its|itself)\b|\bit (?:feels|cries|learns|knows|crawls|smiles|seeks|trusts"
        r"|dares|comes back|finds|needs|wants)\b",
        re.IGNORECASE,
    )
    for slug in SLUGS:
        text = article_text(client.get(page_url("en", slug)).text, "en")
        # The bond, the brain and the moment may have "its"; the child never.
        for allowed in ("its own way", "by itself, to a set plan", "and its repair", "its role"):
            text = text.replace(allowed, "")
        assert not pattern.search(text), (slug, pattern.search(text))


# Pictures (issue 17, point 7): our own inline SVG, each with a title and a description.
def test_the_pages_carry_three_or_four_drawings_each_with_a_title_and_a_description(client):
    for language in LANGUAGES:
        drawings = []
        for slug in SLUGS:
            html = client.get(page_url(language, slug)).text
            for svg in re.findall(r"<svg\b.*?</svg>", html.split("<main")[1], re.DOTALL):
                drawings.append(svg)
                labelled = re.search(r'role="img" aria-labelledby="([a-z-]+) ([a-z-]+)"', svg)
                assert labelled, svg[:80]
                title, desc = labelled.groups()
                assert re.search(rf'<title id="{title}">[^<]{{5,}}</title>', svg)
                assert re.search(rf'<desc id="{desc}">[^<]{{20,}}</desc>', svg)
                assert "style=" not in svg
                assert "href" not in svg
        assert 3 <= len(drawings) <= 5, language


def test_the_drawings_have_dutch_titles_on_the_dutch_pages(client):
    html = client.get(page_url("nl", "mismatch-and-repair")).text

    assert '<title id="art-face-title">Het Still Face-onderzoek in drie stappen</title>' in html


# Plain language (issue 17, point 10): each glossary term links to the glossary where a page
# first uses it, or is explained right there in a <dfn>. Headings only name a topic; the
# explanation comes in the text below them, so they are not counted as a first use.
class Segments(HTMLParser):
    def __init__(self):
        super().__init__()
        self.segments: list[tuple[str, str, bool]] = []  # (text, link, in <dfn>)
        self.href = ""
        self.dfn = 0
        self.skip = 0

    def handle_starttag(self, tag, attrs):
        if tag in {"svg", "h2", "h3", "nav"}:
            self.skip += 1
        elif tag == "a":
            self.href = dict(attrs).get("href", "")
        elif tag == "dfn":
            self.dfn += 1

    def handle_endtag(self, tag):
        if tag in {"svg", "h2", "h3", "nav"}:
            self.skip -= 1
        elif tag == "a":
            self.href = ""
        elif tag == "dfn":
            self.dfn -= 1

    def handle_data(self, data):
        if not self.skip:
            self.segments.append((data, self.href, self.dfn > 0))


def first_uses(html: str, language: str) -> dict[str, tuple[str, str, bool]]:
    body = html.split('<div class="learn-body">')[1].split('<section class="reflect-questions"')[0]
    parser = Segments()
    parser.feed(body.split('<footer class="learn-sources">')[0])
    found = {}
    for anchor, pattern in GLOSSARY_TERMS[language].items():
        regex = re.compile(rf"\b(?:{pattern})\b", re.IGNORECASE)
        for segment in parser.segments:
            if regex.search(segment[0]):
                found[anchor] = segment
                break
    return found


@pytest.mark.parametrize("language", LANGUAGES)
@pytest.mark.parametrize("slug", [slug for slug in SLUGS if slug not in {"glossary", "sources"}])
def test_each_glossary_term_links_to_the_glossary_at_its_first_use(client, slug, language):
    html = client.get(page_url(language, slug)).text
    glossary = page_url(language, "glossary")

    unexplained = [
        (anchor, text)
        for anchor, (text, link, in_dfn) in first_uses(html, language).items()
        if link != f"{glossary}#{anchor}" and not in_dfn
    ]
    assert unexplained == []


def test_the_first_use_check_sees_a_term_used_before_its_link():
    glossary = page_url("nl", "glossary")
    html = (
        '<div class="learn-body"><h2 id="x">Herstel</h2><p>Je herstelt het. '
        f'<a href="{glossary}#repair">Herstel</a> helpt. <a href="{glossary}#mismatch">Een '
        "mismatch</a>. <dfn>Zelfbeeld</dfn> is hoe je over jezelf denkt.</p></div>"
    )
    uses = first_uses(html, "nl")

    assert uses["repair"] == ("Je herstelt het. ", "", False)
    assert uses["mismatch"][1] == f"{glossary}#mismatch"
    assert uses["self-image"][2] is True
    assert "attachment" not in uses
