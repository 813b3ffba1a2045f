"""The learn pages: public, indexable, the same in every language (only the text differs)."""

from dataclasses import dataclass

from django.contrib.auth.decorators import login_not_required
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import render
from django.utils.translation import get_language, gettext
from django.views.decorators.http import require_safe

from hechting.learn import contacts
from hechting.learn.ages import parent_age_bands
from hechting.learn.pages import (
    PAGES,
    SOURCES_BY_KEY,
    Page,
    get_page,
    neighbours,
    page_reading_minutes,
    reading_minutes,
    render_body,
    sections,
)


@dataclass(frozen=True)
class PageLink:
    """A page as the index and the previous / next links show it, in the current language."""

    slug: str
    title: str
    summary: str
    minutes: int
    sub: bool


def _link(page: Page | None, language: str) -> PageLink | None:
    if page is None:
        return None
    texts = page.for_language(language)
    minutes = page_reading_minutes(page.slug, language)
    return PageLink(page.slug, texts["title"], texts["summary"], minutes, page.sub)


@login_not_required
@require_safe
def index(request: HttpRequest) -> HttpResponse:
    language = get_language()
    entries: list[dict] = []
    for learn_page in PAGES:
        link = _link(learn_page, language)
        if learn_page.sub and entries:
            entries[-1]["children"].append(link)
        else:
            entries.append({"page": link, "children": []})
    return render(request, "learn/index.html", {"pages": entries})


@login_not_required
@require_safe
def page(request: HttpRequest, slug: str) -> HttpResponse:
    learn_page = get_page(slug)
    if learn_page is None:
        raise Http404
    language = get_language()
    bands = parent_age_bands(request.user) if learn_page.s else ()
    body = render_body(learn_page, language, request, bands)
    previous, following = neighbours(learn_page)
    context = {
        "page": learn_page,
        "texts": learn_page.for_language(language),
        "body": body,
        "sections": _sections(learn_page, body),
        "minutes": reading_minutes(body),
        "sources": [SOURCES_BY_KEY[key] for key in learn_page.sources],
        "s": learn_page.s,
        "previous": _link(previous, language),
        "next": _link(following, language),
    }
    return render(request, "learn/page.html", context)


def _sections(learn_page: Page, body: str) -> list[tuple[str, str]]:
    found = sections(body)
    if learn_page.s:
        found.append(("reflect", gettext("Questions to reflect on")))
    return found


@login_not_required
@require_safe
def help_page(request: HttpRequest) -> HttpResponse:
    return render(request, "learn/help.html", {"help": contacts.load(get_language())})
