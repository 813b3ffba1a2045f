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
from hechting.learn.pages import PAGES, SOURCES
from hechting.tone import BLAMING_PHRASES, find_forbidden_terms

pytestmark = pytest.mark.django_db

LANGUAGES = ("nl", "en")

# The pages of the content brief, in reading order.
SLUGS = [
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
    "glossary",
    "sources",
]

# The ideas of the content brief, per page: words a reader must meet there.
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
        ],
    },
    "bowlby": {
        "nl": [
            "John Bowlby",
            "psychiater",
            "psychoanalyticus",
            "A secure base",
            "1988",
            "luier",
            "kwaliteit",
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
            "A secure base",
            "1988",
            "nappy",
            "quality of the contact",
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
            "Stephen Porges",
            "brein",
            "eerste jaren",
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
            "Stephen Porges",
            "brain",
            "first years",
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
            "Edward Tronick",
            "Still Face",
            "herstel",
            "steviger",
            "Schore en Siegel",
            "zenuwstelsel",
            "innerlijk werkmodel",
            "nooit te laat",
        ],
        "en": [
            "mismatch",
            "out of tune",
            "Edward Tronick",
            "Still Face",
            "repair",
            "stronger",
            "Schore and Siegel",
            "nervous system",
            "internal working model",
            "never too late",
        ],
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
        ],
    },
    "safe": {
        "nl": ["veilig", "lijf", "gevoel", "herstelt"],
        "en": ["safe", "body", "feelings", "restore the connection"],
    },
    "seen": {
        "nl": ["gezien", "begrijpt", "achter het gedrag", "erken", "behoefte"],
        "en": ["seen", "understand", "behind the behaviour", "acknowledge", "needs"],
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
        "nl": ["positief zelfbeeld", "contact", "emoties", "zichzelf te zijn", "relaties"],
        "en": ["positive self-image", "connect", "emotions", "authentic", "relationships"],
    },
    "questions": {
        "nl": [
            "Wat betekent veilige hechting",
            "Hoe weet ik",
            "steun",
            "ontdekken",
            "troosten",
            "beoordeelt je kind niet",
            "huisarts",
            "consultatiebureau",
            "CJG",
            "Kind en Gezin",
            "voorspelbaar",
            "herstel",
            "kan veranderen",
            "professional",
            "attachment parenting",
            "kwaliteit van het contact",
        ],
        "en": [
            "What does secure attachment mean",
            "How do I know",
            "support",
            "explore",
            "comforted",
            "does not assess your child",
            "GP",
            "consultatiebureau",
            "CJG",
            "Kind en Gezin",
            "predictable",
            "repair",
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
        ],
    },
    "sources": {
        "nl": ["eigen woorden", "bronnen"],
        "en": ["own words", "sources"],
    },
}

# The eight references of the content brief.
REFERENCES = [
    ("bowlby-1988", "Bowlby, J. (1988). A secure base"),
    ("schore-2015", "Schore, A. N. (2015). Interview on the science of the art of psychotherapy"),
    ("schore-2021", "doi:10.3389/fpsyg.2021.648616"),
    ("siegel-2001", "Infant Mental Health Journal, 22(1-2), 67-94"),
    ("siegel-2012", "Siegel, D. J. (2012). The developing mind"),
    ("siegel-bryson-2020", "Siegel, D. J., &amp; Payne Bryson, T. (2020). The power of showing up"),
    ("tronick-1978", "Tronick, E., Als, H., Adamson, L., Wise, S., &amp; Brazelton, T. B. (1978)"),
    ("winnicott-1953", "Winnicott, D. W. (1953). Transitional objects and transitional phenomena"),
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
]

BLOCKS = {"p", "li", "h1", "h2", "h3", "dt", "dd", "blockquote"}


class ArticleText(HTMLParser):
    """The visible text of the page's <article>, one block per paragraph, list item or heading.

    Leaves out navigation inside the article and any part in another language (the English
    references on the Dutch sources page), so only the page's own prose is measured.
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
        skipped = self.skipping or tag in {"nav", "script", "style"}
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
def test_the_sources_page_lists_every_reference_of_the_brief(client, language):
    html = client.get(page_url(language, "sources")).text

    for key, fragment in REFERENCES:
        assert f'id="{key}"' in html
        assert fragment in html
    assert len(SOURCES) == len(REFERENCES)


def test_the_english_references_are_marked_as_english_on_the_dutch_page(client):
    html = client.get(page_url("nl", "sources")).text

    for key, _ in REFERENCES:
        assert f'<li id="{key}" lang="en">' in html


@pytest.mark.parametrize("language", LANGUAGES)
@pytest.mark.parametrize("slug", [slug for slug in SLUGS if slug != "sources"])
def test_every_page_cites_a_source_and_links_to_the_sources_page(client, slug, language):
    html = client.get(page_url(language, slug)).text
    sources_url = page_url(language, "sources")

    assert sources_url in hrefs(html)
    cited = [href for href in hrefs(html) if href.startswith(sources_url + "#")]
    assert cited
    known = {key for key, _ in REFERENCES}
    assert {href.split("#")[1] for href in cited} <= known


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
    expected = "Ongeveer 2 minuten lezen" if language == "nl" else "About 2 minutes of reading"

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


@pytest.mark.parametrize("language", LANGUAGES)
def test_the_help_page_states_the_limits_and_lists_the_contacts(client, language):
    html = client.get(url(language, "learn:help")).text

    expected = {
        "nl": [
            "beoordeelt niet",
            "stelt geen diagnose",
            "Nederland",
            "België (Vlaanderen)",
            "browsegeschiedenis",
        ],
        "en": [
            "does not assess or diagnose",
            "The Netherlands",
            "Belgium (Flanders)",
            "browsing history",
        ],
    }[language]
    for text in expected:
        assert text in html
    assert '<a href="tel:112">112</a>' in html
    for name, number in [
        ("Veilig Thuis", "tel:08002000"),
        ("113 Zelfmoordpreventie", "tel:08000113"),
        ("De Kindertelefoon", "tel:08000432"),
        ("Kind en Gezin", "tel:078150100"),
        ("1712", "tel:1712"),
        ("Zelfmoordlijn 1813", "tel:1813"),
        ("Awel", "tel:102"),
    ]:
        assert name in html
        assert f'href="{number}"' in html
    for name in ["huisarts", "Consultatiebureau", "CJG", "Opvoedlijn", "113.nl"]:
        assert name in html


def test_the_help_page_is_linked_from_the_footer_of_every_learn_page(client):
    for slug in SLUGS:
        footer = client.get(page_url("en", slug)).text.split('<footer class="site-footer">')[1]
        assert 'href="/en/learn/help/"' in footer


CUSTOM_CONTACTS = """
emergency = "911"

[[regions]]
name = { nl = "Testland", en = "Testland (en)" }

[[regions.contacts]]
name = { nl = "Hulplijn Testland", en = "Testland helpline" }
about = { nl = "Dag en nacht.", en = "Day and night." }
phone = "+1 555 0100"
url = "https://help.example.org/"
"""


def test_another_region_replaces_the_contacts_by_replacing_one_file(client, tmp_path, monkeypatch):
    data = tmp_path / "contacts.toml"
    data.write_text(CUSTOM_CONTACTS, encoding="utf-8")
    monkeypatch.setattr(contacts, "CONTACTS_FILE", data)

    html = client.get("/nl/learn/help/").text

    assert "Hulplijn Testland" in html
    assert 'href="tel:+15550100"' in html
    assert ">help.example.org<" in html
    assert '<a href="tel:911">911</a>' in html
    assert "Veilig Thuis" not in html
    assert "Testland helpline" in client.get("/en/learn/help/").text


def test_a_missing_dutch_text_in_the_contacts_file_fails_loudly(tmp_path):
    data = tmp_path / "contacts.toml"
    data.write_text(CUSTOM_CONTACTS.replace('nl = "Hulplijn Testland", ', ""), encoding="utf-8")

    with pytest.raises(ImproperlyConfigured, match="region 1, contact 1, name"):
        contacts.load("en", data)


def test_an_unknown_field_in_the_contacts_file_fails_loudly(tmp_path):
    data = tmp_path / "contacts.toml"
    data.write_text(CUSTOM_CONTACTS.replace("phone =", "telephone ="), encoding="utf-8")

    with pytest.raises(ImproperlyConfigured, match="unknown field"):
        contacts.load("nl", data)


def test_a_missing_english_text_falls_back_to_dutch(tmp_path):
    data = tmp_path / "contacts.toml"
    data.write_text(CUSTOM_CONTACTS.replace(', en = "Day and night."', ""), encoding="utf-8")

    assert contacts.load("en", data).regions[0].contacts[0].about == "Dag en nacht."
