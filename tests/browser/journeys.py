"""Steps many journeys share."""

import re

from django.core.management import call_command
from playwright.sync_api import expect

from tests.factories import PASSWORD


def log_in(page, site, language, email, next_path=None, password=PASSWORD) -> None:
    """Log in through the form and wait until the next page (the journal, or ``next_path``) has
    answered: a goto right after the click could cancel the login on its way."""
    address = f"{site}/{language}/accounts/login/"
    page.goto(f"{address}?next={next_path}" if next_path else address)
    page.fill("input[name=login]", email)
    page.fill("input[name=password]", password)
    page.locator("main form button[type=submit]").first.click()
    expect(page).to_have_url(re.compile(re.escape(next_path or f"/{language}/journal/") + "$"))


def log_in_as_the_demo_parent(page, site, language) -> None:
    """A year of the demo journal (seed_demo), and logged in as its parent."""
    call_command("seed_demo", language=language, password=PASSWORD, force=True, stdout=None)
    log_in(page, site, language, "demo@example.org")
