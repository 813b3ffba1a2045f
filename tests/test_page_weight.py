"""The page-weight budget: a first visit moves at most 60 KB compressed, a later one only HTML.

Measured as a browser gets it from the production setup: each page through the test client,
then every static file it references through WhiteNoise (hashed name, the precompressed
variant it picks for ``Accept-Encoding: gzip, br``). The HTML is counted gzip-compressed, as
the HTTPS proxy in front of the app sends it. No page asks anything of another site.
"""

import datetime
import gzip
import random
import re
from html.parser import HTMLParser
from urllib.parse import urlsplit

import pytest
from django.utils import timezone

from reflect.management.commands.seed_demo import TEXT
from reflect.management.commands.seed_demo import Command as SeedDemo
from reflect.models import Moment
from tests.conftest import HttpsClient

pytestmark = pytest.mark.django_db

BUDGET = 60 * 1024
ONE_YEAR = 365 * 24 * 60 * 60
HASHED = re.compile(r"\.[0-9a-f]{12}\.[a-z0-9]+$")
# Attributes whose address the browser fetches by itself, without a click.
FETCHED = {"src", "srcset", "href", "poster", "data", "action", "formaction"}


class References(HTMLParser):
    """Every address in the page, with the tag and attribute it sits in."""

    def __init__(self):
        super().__init__()
        self.found: list[tuple[str, str, str]] = []

    def handle_starttag(self, tag, attrs):
        for name, value in attrs:
            if name in FETCHED and value:
                for address in value.split(",") if name == "srcset" else [value]:
                    self.found.append((tag, name, address.strip().split(" ")[0]))


def references(html: str) -> list[tuple[str, str, str]]:
    parser = References()
    parser.feed(html)
    return parser.found


def static_files(html: str) -> list[str]:
    """The static files a browser loads for this page (not links it follows on a click)."""
    return sorted(
        {address for tag, _, address in references(html) if address.startswith("/static/")}
        - {address for tag, _, address in references(html) if tag == "a"}
    )


def fetch_static(client: HttpsClient, address: str, encodings: str = "gzip, br"):
    response = client.get(address, headers={"accept-encoding": encodings})
    assert response.status_code == 200, address
    return response, b"".join(response.streaming_content)


@pytest.fixture
def demo_client(parent, built_static):
    """A parent with 60 moments of the demo's words over the last month, two a day, signed in."""
    today = timezone.localdate()
    seeder = SeedDemo()
    rng = random.Random(9)
    children = seeder._children(parent, TEXT["nl"], today)
    Moment.objects.bulk_create(
        seeder._moment(parent, children, TEXT["nl"], rng, today - datetime.timedelta(n // 2), today)
        for n in range(60)
    )
    client = HttpsClient()
    client.force_login(parent)
    return client


def pages(demo_client) -> dict[str, tuple[HttpsClient, str]]:
    month = timezone.localdate().strftime("%Y-%m")
    visitor = HttpsClient()
    return {
        "home": (visitor, "/{lang}/"),
        "content page": (visitor, "/{lang}/learn/secure-attachment/"),
        "page with drawings": (visitor, "/{lang}/learn/mismatch-and-repair/"),
        "journal": (demo_client, "/{lang}/journal/"),
        "week summary": (demo_client, "/{lang}/journal/look-back/"),
        "month summary": (demo_client, f"/{{lang}}/journal/look-back/{month}/"),
    }


def first_visit(client: HttpsClient, url: str) -> tuple[int, str, list[str]]:
    response = client.get(url)
    assert response.status_code == 200, url
    html = response.content.decode()
    total = len(gzip.compress(response.content, compresslevel=6))
    for address in static_files(html):
        _, body = fetch_static(client, address)
        total += len(body)
    return total, html, static_files(html)


@pytest.mark.parametrize("lang", ["nl", "en"])
@pytest.mark.parametrize(
    "page",
    ["home", "content page", "page with drawings", "journal", "week summary", "month summary"],
)
def test_a_first_visit_stays_within_60_kb_compressed(demo_client, page, lang):
    client, url = pages(demo_client)[page]
    total, html, loaded = first_visit(client, url.format(lang=lang))
    assert any(address.endswith(".css") for address in loaded)
    assert any(address.endswith(".js") for address in loaded)
    if page == "journal":
        assert html.count('class="moment ') >= 20  # a full first page of moments was measured
    assert total <= BUDGET, f"{page}: {total} bytes"


def test_a_later_visit_fetches_only_the_html(demo_client):
    loaded = set()
    for client, url in pages(demo_client).values():
        loaded |= set(first_visit(client, url.format(lang="nl"))[2])
    assert len(loaded) >= 8
    for address in sorted(loaded):
        assert HASHED.search(address), f"{address} has no content hash in its name"
        response, _ = fetch_static(demo_client, address)
        cache = response["Cache-Control"]
        assert "immutable" in cache, address
        assert int(re.search(r"max-age=(\d+)", cache).group(1)) >= ONE_YEAR, address


def test_stylesheets_and_scripts_are_sent_compressed(demo_client):
    client, url = pages(demo_client)["journal"]
    _, _, loaded = first_visit(client, url.format(lang="nl"))
    for address in loaded:
        if address.endswith((".css", ".js")):
            response, body = fetch_static(client, address)
            assert response["Content-Encoding"] in {"gzip", "br"}, address
            assert len(body) == int(response["Content-Length"])
            _, plain = fetch_static(client, address, encodings="identity")
            assert len(body) < len(plain), address


def test_stylesheets_load_nothing_from_another_site(demo_client):
    client, url = pages(demo_client)["journal"]
    _, _, loaded = first_visit(client, url.format(lang="nl"))
    for address in loaded:
        if address.endswith(".css"):
            css = fetch_static(client, address, encodings="identity")[1].decode()
            assert "@import" not in css, address
            for target in re.findall(r"url\(([^)]*)\)", css):
                assert not urlsplit(target.strip("'\" ")).netloc, (address, target)


def test_no_page_loads_anything_from_another_site(demo_client):
    for client, url in pages(demo_client).values():
        response = client.get(url.format(lang="nl"))
        for tag, attribute, address in references(response.content.decode()):
            if tag == "a":
                continue  # a link is followed on a click, never loaded with the page
            parts = urlsplit(address)
            assert not parts.scheme or parts.scheme == "data", (url, tag, attribute, address)
            assert not parts.netloc, (url, tag, attribute, address)
        policy = response["Content-Security-Policy"]
        assert "http:" not in policy
        assert "https:" not in policy
        assert "default-src 'none'" in policy
