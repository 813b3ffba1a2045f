"""The main pages on small phones (320 and 390 px wide): nothing sticks out sideways, and every
touch target is at least 44 x 44 px (docs: the UX brief; WCAG 2.2 2.5.5, 2.5.8).

What counts as a touch target: links, buttons, form fields, ``<summary>``, and for a radio
button or checkbox the label that holds it (tapping the label chooses it, so the label is the
target; WCAG 2.5.8 counts it). The exceptions WCAG 2.2 allows and that we use, honestly:

- **Inline**: a link inside a sentence (its block has text outside the link) is sized by the
  line of text it sits in (2.5.8 "Inline"); making it 44 px tall would tear the paragraph apart.
- **Not shown**: elements that are hidden, 1 px "visually hidden" helpers for screen readers,
  and the skip link while it waits off screen for keyboard focus.
- **User agent control**: the parts of a native control that the browser draws itself (the
  dot of a radio inside its label, the picker button of a date field) are the browser's.

Nothing else is exempt: a button, a field or a stand-alone link under 44 px fails.
"""

import re
from pathlib import Path

import pytest

from tests.browser.journeys import log_in_as_the_demo_parent
from tests.factories import PASSWORD

WIDTHS = (320, 390)
PAGES = {
    "journal": "/{}/journal/",
    "moment form": "/{}/journal/new/",
    "look back": "/{}/journal/look-back/",
    "sharing": "/{}/share/",
    "your data": "/{}/account/data/",
}

# One pass over the page: what is too wide, too small or squeezed (rules in the docstring).
MEASURE = (Path(__file__).parent / "layout_measure.js").read_text().split("\n", 2)[2]


def _open(page, url):
    page.goto(url)
    if "/accounts/reauthenticate/" in page.url:  # sharing and your data ask for it again
        page.fill("input[name=password]", PASSWORD)
        page.locator("main form button[type=submit]").first.click()
        page.wait_for_url(re.compile(re.escape(url.split("//", 1)[1].split("/", 1)[1]) + "$"))
    page.wait_for_load_state("load")


@pytest.mark.parametrize("scheme", ["light", "dark"])
@pytest.mark.parametrize("language", ["nl", "en"])
def test_the_main_pages_fit_small_phones_with_targets_big_enough(site, page, axe, language, scheme):
    page.emulate_media(color_scheme=scheme)
    log_in_as_the_demo_parent(page, site, language)
    problems = []
    for width in WIDTHS:
        page.set_viewport_size({"width": width, "height": 800})
        for name, path in PAGES.items():
            _open(page, site + path.format(language))
            if width == 390:
                axe(page)
            # Open the folded parts too: what is inside must fit as well.
            page.evaluate("() => document.querySelectorAll('details').forEach(d => d.open = true)")
            found = page.evaluate(MEASURE)
            if found["scroll"] > found["width"]:
                problems.append(f"{width}px {name}: scrolls sideways ({found['scroll']}px)")
            problems += [f"{width}px {name}: wider than the screen: {w}" for w in found["wide"]]
            problems += [f"{width}px {name}: target under 44x44: {s}" for s in found["small"]]
            problems += [f"{width}px {name}: squeezed: {s}" for s in found["squashed"]]
    assert not problems, "\n".join(problems)
