"""Age bands (hechting/learn/ages.py): a child's optional birth month puts that
child's band first on the S pages and in the journal's prompts; without it, all bands show in
their usual order."""

import datetime
import re

import pytest
from django.contrib.auth.models import AnonymousUser
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.utils import timezone

from hechting.learn import ages
from hechting.learn.ages import age_bands, parent_age_bands
from hechting.learn.four_s import BY_KEY
from reflect.models import Child
from tests.factories import ChildFactory

pytestmark = pytest.mark.django_db

DAY = datetime.date(2026, 12, 1)
ORDER = ["baby", "toddler", "school", "teen"]


def born_months_ago(owner, months: int, on: datetime.date | None = None, **extra) -> Child:
    """A child whose birth month lies ``months`` whole months before ``on`` (today)."""
    on = on or timezone.localdate()
    total = on.year * 12 + on.month - 1 - months
    year, month = divmod(total, 12)
    return ChildFactory(owner=owner, birth_year=year, birth_month=month + 1, **extra)


def bands_on_page(html: str) -> list[str]:
    return re.findall(r'<section class="age-band[^"]*" aria-labelledby="age-([a-z]+)">', html)


AGES = [(0, "baby"), (11, "baby"), (12, "toddler"), (47, "toddler"), (48, "school")]
AGES += [(143, "school"), (144, "teen"), (215, "teen"), (216, None), (-1, None), (None, None)]


@pytest.mark.parametrize(("months", "band"), AGES)
def test_each_age_in_months_falls_in_one_band_or_none(months, band):
    assert ages.band_for_months(months) == band


def test_the_bands_of_a_parents_children_come_first_in_their_order():
    assert [band.key for band in ages.ordered()] == ORDER
    assert [band.key for band in ages.ordered(["teen"])] == ["teen", "baby", "toddler", "school"]
    assert [band.key for band in ages.ordered(["school", "baby", "school", "nonsense"])] == [
        "school",
        "baby",
        "toddler",
        "teen",
    ]


def test_children_map_to_their_bands_youngest_first_each_once(parent):
    born_months_ago(parent, 150, DAY)
    born_months_ago(parent, 5, DAY)
    born_months_ago(parent, 160, DAY)
    ChildFactory(owner=parent, birth_year=2024, birth_month=None)  # a year alone is too rough
    ChildFactory(owner=parent, birth_year=None, birth_month=None)

    assert age_bands(Child.objects.for_owner(parent), DAY) == ("baby", "teen")
    assert parent_age_bands(parent, DAY) == ("baby", "teen")


def test_a_child_born_after_the_day_or_grown_up_has_no_band(parent):
    born_months_ago(parent, -2, DAY)
    born_months_ago(parent, 18 * 12, DAY)

    assert parent_age_bands(parent, DAY) == ()


def test_a_visitor_and_a_parent_without_birth_months_have_no_bands(parent, client):
    ChildFactory(owner=parent, birth_year=None, birth_month=None)
    assert parent_age_bands(AnonymousUser(), DAY) == ()
    assert parent_age_bands(parent, DAY) == ()


def test_another_parents_children_never_count(parent, other_parent):
    born_months_ago(other_parent, 100, DAY)

    assert parent_age_bands(parent, DAY) == ()


def test_the_journal_prompts_keep_their_age_questions_in_band_order():
    safe = BY_KEY["safe"]

    assert [band.key for band, _ in safe.questions_by_age()] == ORDER
    assert next(band.key for band, _ in safe.questions_by_age(["toddler"])) == "toddler"


@pytest.mark.parametrize("slug", ["safe", "seen", "soothed", "secure"])
def test_a_parent_sees_their_childs_band_first_on_each_s_page(parent_client, parent, slug):
    born_months_ago(parent, 14 * 12)

    html = parent_client.get(f"/nl/learn/{slug}/").text

    assert bands_on_page(html) == ["teen", "baby", "toddler", "school"]
    assert html.count("de leeftijd van je kind") == 1
    assert '<section class="age-band age-band--yours" aria-labelledby="age-teen">' in html


def test_two_children_put_both_bands_first_youngest_first(parent_client, parent):
    born_months_ago(parent, 8 * 12)
    born_months_ago(parent, 2 * 12)

    html = parent_client.get("/en/learn/safe/").text

    assert bands_on_page(html) == ["toddler", "school", "baby", "teen"]
    assert html.count('class="age-band__yours"') == 2


def test_a_visitor_sees_every_band_in_order_without_a_label(client):
    html = client.get("/en/learn/seen/").text

    assert bands_on_page(html) == ORDER
    assert 'class="age-band__yours"' not in html


def test_a_parent_without_a_birth_month_sees_every_band_in_order(parent_client, parent):
    ChildFactory(owner=parent, birth_year=2020, birth_month=None)

    html = parent_client.get("/nl/learn/secure/").text

    assert bands_on_page(html) == ORDER
    assert "de leeftijd van je kind" not in html


def test_another_parents_child_does_not_change_my_page(parent_client, other_parent):
    born_months_ago(other_parent, 14 * 12)

    assert bands_on_page(parent_client.get("/nl/learn/safe/").text) == ORDER


def test_a_new_birth_month_shows_at_once_on_a_page_read_before(parent_client, parent):
    child = ChildFactory(owner=parent, birth_year=None, birth_month=None)
    assert bands_on_page(parent_client.get("/nl/learn/safe/").text) == ORDER

    today = timezone.localdate()
    child.birth_year, child.birth_month = today.year - 6, today.month
    child.save()

    assert bands_on_page(parent_client.get("/nl/learn/safe/").text)[0] == "school"


def test_a_visitor_never_gets_a_parents_page_from_memory(parent_client, parent, client):
    born_months_ago(parent, 14 * 12)
    parent_client.get("/nl/learn/safe/")

    assert bands_on_page(client.get("/nl/learn/safe/").text) == ORDER


def test_an_s_page_costs_a_parent_the_same_queries_with_one_child_or_many(parent_client, parent):
    born_months_ago(parent, 30)
    with CaptureQueriesContext(connection) as one:
        parent_client.get("/nl/learn/soothed/?one")
    for months in (5, 60, 100, 150, 170):
        born_months_ago(parent, months)
    with CaptureQueriesContext(connection) as many:
        parent_client.get("/nl/learn/soothed/?many")

    assert len(many) == len(one)


def test_the_other_learn_pages_do_not_look_at_the_children(parent_client, parent):
    born_months_ago(parent, 30)
    with CaptureQueriesContext(connection) as queries:
        parent_client.get("/nl/learn/bowlby/")

    assert not any("reflect_child" in query["sql"] for query in queries)


def test_the_moment_form_shows_the_childs_age_prompts_first(parent_client, parent):
    born_months_ago(parent, 14 * 12)

    html = parent_client.get("/en/journal/new/").text
    prompts = html.split('<details class="more prompts">')[1].split("</details>")[0]
    safe = prompts.split("prompts__group--safe")[1].split("prompts__group--seen")[0]

    labels = re.findall(r'<span class="prompts__age">([^<]+):</span>', safe)
    assert labels == ["Teenager", "Baby", "Toddler", "School child"]
    assert "When did your teenager come to you today, even for a moment?" in safe


def test_the_journal_prompts_show_every_band_in_order_without_a_birth_month(parent_client):
    html = parent_client.get("/nl/journal/").text
    prompts = html.split('<details class="more prompts">')[1].split("</details>")[0]

    labels = re.findall(r'<span class="prompts__age">([^<]+):</span>', prompts)
    assert labels == ["Baby", "Peuter", "Schoolkind", "Tiener"] * 4
    assert "Wanneer ontspande je baby vandaag in je armen?" in prompts


def test_the_journal_prompts_follow_the_parents_children(parent_client, parent):
    born_months_ago(parent, 2 * 12)

    html = parent_client.get("/nl/journal/").text
    prompts = html.split('<details class="more prompts">')[1].split("</details>")[0]

    labels = re.findall(r'<span class="prompts__age">([^<]+):</span>', prompts)
    assert labels[:4] == ["Peuter", "Baby", "Schoolkind", "Tiener"]
