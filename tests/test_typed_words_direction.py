"""Words people typed keep their own direction (issue 21): every element that shows them has
``dir="auto"`` (or is a ``<bdi>`` in a sentence of ours), so Arabic or Hebrew text does not
reorder visibly in a Dutch or English page. Each page is rendered with right-to-left words in every
field, and every piece of text that holds them must sit in such an element."""

import re
from html.parser import HTMLParser

import pytest

from tests.factories import ChildFactory, MomentFactory
from tests.sharing_helpers import days, make_invitation, make_link, open_link

pytestmark = pytest.mark.django_db

RTL = re.compile("[\u0590-\u08ff\ufb1d-\ufdff\ufe70-\ufeff]")
# First-strong isolate ... pop directional isolate: the plain-text form of <bdi dir="auto">.
ISOLATED = re.compile("\u2068[^\u2069]*\u2069")
VOID = {"area", "br", "col", "embed", "hr", "img", "input", "link", "meta", "source", "wbr"}


class Directions(HTMLParser):
    """Each text node with right-to-left letters, and whether an element around it says auto."""

    def __init__(self):
        super().__init__(convert_charrefs=True)
        self.stack: list[tuple[str, bool]] = []
        self.found: list[tuple[str, bool]] = []

    def handle_starttag(self, tag, attrs):
        if tag in VOID:
            return
        auto = dict(attrs).get("dir") == "auto" or tag == "bdi"
        self.stack.append((tag, auto))

    def handle_endtag(self, tag):
        while self.stack:
            if self.stack.pop()[0] == tag:
                break

    def handle_data(self, data):
        data = ISOLATED.sub("", data)  # isolated in the text itself, as a <bdi> does in HTML
        if RTL.search(data) and not any(tag in {"script", "title"} for tag, _ in self.stack):
            isolated = any(auto for _, auto in self.stack)
            self.found.append((data.strip()[:40], isolated))


def unisolated(html: str) -> tuple[int, list[str]]:
    parser = Directions()
    parser.feed(html)
    return len(parser.found), [text for text, isolated in parser.found if not isolated]


WORDS = "שלום, we read together"  # Hebrew first, then English: the order that breaks


@pytest.fixture
def rtl_journal(parent):
    child = ChildFactory(owner=parent, nickname="نور", birth_year=2021, birth_month=5)
    moment = MomentFactory(
        owner=parent,
        child=child,
        date=days(0),
        mismatch=True,
        what_happened=f"{WORDS} 1",
        felt=f"{WORDS} 2",
        child_needed=f"{WORDS} 3",
        what_helped=f"{WORDS} 4",
    )
    repaired = MomentFactory(
        owner=parent, child=child, date=days(0), mismatch=True, what_happened=f"{WORDS} 5"
    )
    repaired.note_repair(how=f"{WORDS} 6")
    return child, moment, repaired


def test_every_journal_page_isolates_the_words_typed(parent_client, rtl_journal):
    child, moment, repaired = rtl_journal
    pages = [
        "/nl/journal/",
        "/en/journal/",
        f"/nl/journal/moments/{moment.pk}/",
        f"/nl/journal/moments/{repaired.pk}/",
        f"/nl/journal/moments/{moment.pk}/edit/",
        f"/nl/journal/moments/{moment.pk}/repair/",
        f"/nl/journal/moments/{moment.pk}/delete/",
        "/nl/journal/new/",
        "/nl/journal/children/",
        f"/nl/journal/look-back/{days(0):%Y-%m}/?child={child.pk}",
        f"/nl/journal/look-back/{days(0):%Y-%m}/print/?child={child.pk}",
        "/nl/account/data/print/",
    ]
    for page in pages:
        response = parent_client.get(page)
        assert response.status_code == 200, page
        seen, wrong = unisolated(response.text)
        assert seen, f"{page}: no right-to-left words on the page"
        assert not wrong, f"{page}: typed words without dir=auto: {wrong}"


def test_every_field_for_words_has_dir_auto(parent_client, rtl_journal):
    child, moment, _repaired = rtl_journal
    for page in (
        f"/nl/journal/moments/{moment.pk}/edit/",
        f"/nl/journal/children/{child.pk}/edit/",
    ):
        html = parent_client.get(page).text
        fields = re.findall(
            r"<(?:textarea|input)[^>]*name=\"(?:nickname|what_happened|felt|child_needed|what_helped|repair_how)\"[^>]*>",
            html,
        )
        assert fields, page
        assert all('dir="auto"' in field for field in fields), fields


def test_the_shared_look_back_isolates_the_words_typed(client, parent, rtl_journal):
    _link, token = make_link(parent, scope="moments", client_name="شيماء")
    html = open_link(client, token).text
    seen, wrong = unisolated(html)
    assert seen
    assert not wrong, wrong


def test_the_counsellors_pages_isolate_the_words_typed(
    client, counsellor_client, counsellor, parent
):
    child = ChildFactory(owner=parent, nickname="نور")
    invitation, token = make_invitation(counsellor, note="أهلا بك, welcome")
    make_link(
        parent, counsellor=counsellor, invitation=invitation, client_name="شيماء", child=child
    )
    welcome = client.get(client.get(f"/nl/share/i/{token}/")["Location"])
    for page, response in [
        ("dashboard", counsellor_client.get("/nl/share/dashboard/")),
        ("welcome", welcome),
    ]:
        assert response.status_code == 200, page
        seen, wrong = unisolated(response.text)
        assert seen, page
        assert not wrong, f"{page}: {wrong}"


def test_the_parents_list_of_links_isolates_names_and_labels(parent_client, parent):
    child = ChildFactory(owner=parent, nickname="نور")
    make_link(parent, label="لجدتي", child=child)
    seen, wrong = unisolated(parent_client.get("/nl/share/").text)
    assert seen
    assert not wrong, wrong
