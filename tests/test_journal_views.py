"""Every journal view: the owner sees it, others get 404, anonymous goes to login, wrong methods
get 405, htmx gets a fragment, bad input keeps the text."""

import datetime

import pytest
from django.urls import reverse as django_reverse
from django.utils import timezone, translation

from reflect.models import Child, Moment
from tests.factories import ChildFactory, MomentFactory

pytestmark = pytest.mark.django_db

HTMX = {"HX-Request": "true"}


def reverse(name, args=None, language="nl"):
    with translation.override(language):
        return django_reverse(name, args=args)


@pytest.fixture
def moment(parent):
    return MomentFactory(owner=parent, mismatch=True, what_happened="Shouting at bedtime")


@pytest.fixture
def child(parent):
    return ChildFactory(owner=parent, nickname="Noor")


def object_urls(moment, child):
    return [
        reverse("reflect:moment_detail", args=[moment.pk]),
        reverse("reflect:moment_edit", args=[moment.pk]),
        reverse("reflect:moment_repair", args=[moment.pk]),
        reverse("reflect:moment_delete", args=[moment.pk]),
        reverse("reflect:child_edit", args=[child.pk]),
        reverse("reflect:child_delete", args=[child.pk]),
    ]


PAGES = ["reflect:journal", "reflect:moment_add", "reflect:children"]


@pytest.mark.parametrize("name", PAGES)
@pytest.mark.parametrize("language", ["nl", "en"])
def test_the_owner_sees_each_journal_page_in_both_languages(parent_client, name, language):
    response = parent_client.get(reverse(name, language=language))
    assert response.status_code == 200
    assert f'<html lang="{language}">' in response.text


def test_the_owner_sees_each_of_their_objects(parent_client, moment, child):
    for url in object_urls(moment, child):
        assert parent_client.get(url).status_code == 200, url


@pytest.mark.parametrize("stranger", ["other_parent_client", "counsellor_client"])
def test_another_parent_or_a_counsellor_gets_404_for_every_object(request, stranger, moment, child):
    client = request.getfixturevalue(stranger)
    for url in object_urls(moment, child):
        assert client.get(url).status_code == 404, url
        if not url.endswith(f"/{moment.pk}/"):
            assert (
                client.post(url, {"what_happened": "mine now", "nickname": "X"}).status_code == 404
            )
    moment.refresh_from_db()
    child.refresh_from_db()
    assert moment.what_happened == "Shouting at bedtime"
    assert child.nickname == "Noor"


def test_another_parent_cannot_delete_a_moment(other_parent_client, moment):
    response = other_parent_client.post(reverse("reflect:moment_delete", args=[moment.pk]))
    assert response.status_code == 404
    assert Moment.objects.filter(pk=moment.pk).exists()


def test_anonymous_visitors_are_sent_to_login(client, moment, child):
    for url in [reverse(name) for name in PAGES] + object_urls(moment, child):
        response = client.get(url)
        assert response.status_code == 302, url
        assert response["Location"].startswith("/nl/accounts/login/?next=")


def test_an_anonymous_htmx_request_gets_401_that_htmx_does_not_swap(client):
    response = client.post(
        reverse("reflect:moment_add"), {"what_happened": "long words"}, headers=HTMX
    )
    assert response.status_code == 401
    assert response["HX-Reswap"] == "none"
    assert "login" not in response.text
    assert not Moment.objects.exists()


def test_a_wrong_method_gets_405(parent_client, moment, child):
    assert parent_client.post(reverse("reflect:journal")).status_code == 405
    assert parent_client.post(reverse("reflect:moment_detail", args=[moment.pk])).status_code == 405
    for url in [reverse(name) for name in PAGES[1:]] + object_urls(moment, child):
        assert parent_client.put(url).status_code == 405, url
        assert parent_client.delete(url).status_code == 405, url


def test_htmx_gets_a_fragment_of_every_page(parent_client, moment, child):
    for url in [reverse(name) for name in PAGES] + object_urls(moment, child):
        response = parent_client.get(url, headers=HTMX)
        assert response.status_code == 200, url
        assert "<html" not in response.text, url
        assert "HX-Request" in response["Vary"], url


def test_the_journal_lists_only_the_parents_own_moments(parent_client, parent, other_parent):
    MomentFactory(owner=parent, what_happened="Our walk in the rain")
    MomentFactory(owner=other_parent, what_happened="Someone else's secret")
    response = parent_client.get(reverse("reflect:journal"))
    assert "Our walk in the rain" in response.text
    assert "secret" not in response.text


def test_the_journal_groups_moments_by_week_starting_monday(parent_client, parent):
    MomentFactory(owner=parent, date=datetime.date(2025, 11, 23), what_happened="Sunday")
    MomentFactory(owner=parent, date=datetime.date(2025, 11, 24), what_happened="Monday")
    response = parent_client.get("/en/journal/")
    text = response.text
    assert "Week of 24 November 2025" in text
    assert "Week of 17 November 2025" in text
    assert text.index("Monday</p>") < text.index("Week of 17 November") < text.index("Sunday")


def test_a_mismatch_without_a_written_repair_says_so_with_two_equal_choices(parent_client, moment):
    repair = reverse("reflect:moment_repair", args=[moment.pk], language="en")
    for page in ("/en/journal/", reverse("reflect:moment_detail", args=[moment.pk], language="en")):
        html = parent_client.get(page).text
        assert "No repair written down yet." in html
        assert "never too late" not in html
        choice = html[html.index('<div class="repair-choice">') :]
        choice = choice[: choice.index("</form>")]
        # Two quiet choices of the same weight: a link and a plain form (no JavaScript needed).
        assert f'<a class="button" href="{repair}">Write how you reconnected' in choice
        assert f'<form method="post" action="{repair}">' in choice
        assert 'name="csrfmiddlewaretoken"' in choice
        assert '<input type="hidden" name="repair_status" value="not_needed">' in choice
        assert '<button type="submit">It was fine already' in choice
        assert "button--primary" not in choice
    dutch = parent_client.get("/nl/journal/").text
    assert "Herstel nog niet opgeschreven." in dutch
    assert "Schrijf op hoe jullie weer verbonden raakten" in dutch
    assert "Het was al goed" in dutch


def test_it_was_fine_already_leaves_the_no_repair_state(parent_client, moment):
    response = parent_client.post(
        reverse("reflect:moment_repair", args=[moment.pk], language="en"),
        {"repair_status": "not_needed"},
    )
    assert response.status_code == 303
    assert response["Location"] == reverse("reflect:moment_detail", args=[moment.pk], language="en")
    moment.refresh_from_db()
    assert moment.repair_status == "not_needed"
    html = parent_client.get(response["Location"]).text
    assert "Noted: it was fine already." in html
    assert "You noted that it was fine already." in html
    assert "No repair written down yet" not in html
    assert "It was fine already." in parent_client.get("/en/journal/").text


def test_the_s_tags_carry_the_dutch_word_and_no_label_is_read_on_every_card(parent_client, parent):
    MomentFactory(owner=parent, safe=True, seen=True)
    html = parent_client.get("/nl/journal/").text
    assert '<li class="s-tag s-tag--seen">Seen (gezien)</li>' in html
    assert 'aria-label="De vier S\'en"' not in html
    assert '<option value="seen">Seen (gezien)</option>' in html  # the filter too
    html = parent_client.get("/en/journal/").text
    assert '<li class="s-tag s-tag--seen">Seen</li>' in html
    assert "The four S" not in html.split('id="journal-results"')[1]


def test_only_the_required_field_is_marked_on_the_moment_form(parent_client):
    html = parent_client.get(reverse("reflect:moment_add", language="en")).text
    assert "(optional)" not in html
    assert html.count("(required)") == 1
    assert 'What happened? <span class="required">(required)</span>' in html


def test_the_children_page_counts_no_moments_per_child(parent_client, parent, child):
    MomentFactory(owner=parent, child=child)
    MomentFactory(owner=parent, child=child)
    for language in ("en", "nl"):
        html = parent_client.get(reverse("reflect:children", language=language)).text
        assert child.nickname in html
        assert "2 moment" not in html
        assert "moment" not in html.split('class="child-list"')[1].split("</ul>")[0]


def test_the_journal_filters_open_for_repair(parent_client, parent, moment):
    MomentFactory(owner=parent, repaired=True, what_happened="Repaired already")
    MomentFactory(owner=parent, what_happened="A calm breakfast")
    response = parent_client.get(reverse("reflect:journal"), {"show": "open"})
    assert "Shouting at bedtime" in response.text
    assert "Repaired already" not in response.text
    assert "A calm breakfast" not in response.text


def test_the_journal_filters_by_s_and_child(parent_client, parent, child):
    MomentFactory(owner=parent, child=child, safe=False, seen=True, what_happened="Noor seen")
    MomentFactory(owner=parent, seen=True, what_happened="Nobody seen")
    MomentFactory(owner=parent, child=child, what_happened="Noor safe")
    response = parent_client.get(reverse("reflect:journal"), {"s": "seen", "child": child.pk})
    assert "Noor seen" in response.text
    assert "Nobody seen" not in response.text
    assert "Noor safe" not in response.text


def test_the_journal_ignores_another_parents_child_as_a_filter(parent_client, parent, other_parent):
    theirs = ChildFactory(owner=other_parent)
    MomentFactory(owner=parent, what_happened="Still here")
    response = parent_client.get(reverse("reflect:journal"), {"child": theirs.pk})
    assert response.status_code == 200
    assert "Still here" in response.text


def test_the_journal_searches_the_parents_words(parent_client, parent):
    MomentFactory(owner=parent, what_happened="Dinner", what_helped="Singing a song")
    MomentFactory(owner=parent, what_happened="Bath time")
    response = parent_client.get(reverse("reflect:journal"), {"q": "singing"})
    assert "Dinner" in response.text
    assert "Bath time" not in response.text
    assert "1 moment gevonden." in response.text


def test_the_journal_filter_via_htmx_returns_only_the_results(parent_client, parent):
    MomentFactory(owner=parent, what_happened="Bath time")
    response = parent_client.get(reverse("reflect:journal"), {"q": "bath"}, headers=HTMX)
    assert response.text.lstrip().startswith('<div id="journal-results"')
    assert "Bath time" in response.text


def test_the_journal_is_paginated(parent_client, parent):
    for day in range(30):
        MomentFactory(owner=parent, date=datetime.date(2025, 1, 1) + datetime.timedelta(day))
    first = parent_client.get("/en/journal/")
    assert "Page 1 of 2" in first.text
    assert first.text.count('class="moment moment--') == 25
    second = parent_client.get("/en/journal/", {"page": 2})
    assert second.text.count('class="moment moment--') == 5


def test_adding_a_moment_without_javascript_redirects_with_303(parent_client, parent):
    response = parent_client.post(
        reverse("reflect:moment_add"),
        {"what_happened": "We laughed about the cat", "kind": "connection", "four_s": ["seen"]},
    )
    assert response.status_code == 303
    moment = Moment.objects.get()
    assert response["Location"] == f"/nl/journal/#moment-{moment.pk}"
    assert moment.owner == parent
    assert moment.s_keys == ("seen",)
    assert moment.date == timezone.localdate()


def test_quick_add_with_htmx_returns_the_list_with_the_new_moment_focused(parent_client):
    response = parent_client.post(
        reverse("reflect:moment_add"),
        {"what_happened": "Reading together", "kind": "connection", "quick": "1"},
        headers=HTMX,
    )
    assert response.status_code == 200
    assert "<html" not in response.text
    moment = Moment.objects.get()
    assert f'id="moment-{moment.pk}"' in response.text
    assert "data-focus-after-swap" in response.text
    assert 'id="journal-status" hx-swap-oob="innerHTML"' in response.text
    assert "Je moment is bewaard." in response.text
    assert 'hx-swap-oob="outerHTML"' in response.text  # a fresh, empty quick-add form
    assert response["HX-Push-Url"] == "/nl/journal/"


def test_quick_add_with_bad_input_keeps_the_text_and_explains_in_dutch(parent_client):
    response = parent_client.post(
        reverse("reflect:moment_add"),
        {"what_happened": "", "felt": "Tired <but> hopeful", "kind": "connection", "quick": "1"},
        headers=HTMX,
    )
    assert response.status_code == 200
    assert response["HX-Retarget"] == "#quick-add"
    assert "Tired &lt;but&gt; hopeful" in response.text
    assert "Schrijf een paar woorden over wat er gebeurde" in response.text
    assert "autofocus" in response.text
    assert not Moment.objects.exists()


def test_bad_input_without_javascript_keeps_the_text_and_explains_in_english(parent_client):
    tomorrow = timezone.localdate() + datetime.timedelta(days=1)
    response = parent_client.post(
        "/en/journal/new/",
        {"what_happened": "A walk to the harbour", "kind": "connection", "date": tomorrow},
    )
    assert response.status_code == 200
    assert "A walk to the harbour" in response.text
    assert "This date is still to come" in response.text
    assert not Moment.objects.exists()


def test_the_add_page_preselects_an_s_and_mismatch_from_the_address(parent_client):
    response = parent_client.get(
        reverse("reflect:moment_add"), {"s": "soothed", "kind": "mismatch"}
    )
    assert (
        'value="soothed" id="id_four_s_soothed" aria-describedby="id_four_s_soothed_hint" checked'
        in (response.text)
    )
    assert 'value="mismatch" id="id_kind_1" required checked' in response.text


def test_the_add_page_ignores_an_unknown_s(parent_client):
    response = parent_client.get(reverse("reflect:moment_add"), {"s": "<script>"})
    assert response.status_code == 200
    assert "<script>" not in response.text.split("</head>")[1]


def test_one_child_is_preselected_and_no_child_hides_the_choice(parent_client, parent):
    response = parent_client.get(reverse("reflect:moment_add"))
    assert 'name="child"' not in response.text
    only = ChildFactory(owner=parent, nickname="Sem")
    response = parent_client.get(reverse("reflect:moment_add"))
    assert f'value="{only.pk}" id="id_child_{only.pk}" checked' in response.text
    parent_client.post(
        reverse("reflect:moment_add"),
        {"what_happened": "x", "kind": "connection", "child": only.pk},
    )
    assert Moment.objects.get().child == only


def test_a_moment_cannot_be_about_another_parents_child(parent_client, other_parent):
    theirs = ChildFactory(owner=other_parent)
    response = parent_client.post(
        reverse("reflect:moment_add"),
        {"what_happened": "x", "kind": "connection", "child": theirs.pk},
    )
    assert response.status_code == 200
    assert not Moment.objects.exists()


def test_editing_keeps_the_moments_identity(parent_client, moment):
    response = parent_client.post(
        reverse("reflect:moment_edit", args=[moment.pk]),
        {"what_happened": "Shouting, then a hug", "kind": "mismatch", "date": moment.date},
    )
    assert response.status_code == 303
    assert response["Location"] == reverse("reflect:moment_detail", args=[moment.pk])
    edited = Moment.objects.get()
    assert edited.pk == moment.pk
    assert edited.what_happened == "Shouting, then a hug"
    assert edited.created == moment.created


def test_editing_with_bad_input_keeps_the_text(parent_client, moment):
    response = parent_client.post(
        reverse("reflect:moment_edit", args=[moment.pk]),
        {"what_happened": "", "what_helped": "A glass of water", "kind": "mismatch"},
    )
    assert response.status_code == 200
    assert "A glass of water" in response.text
    moment.refresh_from_db()
    assert moment.what_happened == "Shouting at bedtime"


def test_a_mismatch_is_repaired_later(parent_client, moment):
    response = parent_client.post(
        reverse("reflect:moment_repair", args=[moment.pk]),
        {"repair_status": "repaired", "repaired_on": moment.date, "repair_how": "We hugged"},
    )
    assert response.status_code == 303
    moment.refresh_from_db()
    assert moment.is_repaired
    assert moment.repair_how == "We hugged"


def test_a_repair_before_the_moment_is_explained_and_the_text_kept(parent_client, moment):
    response = parent_client.post(
        reverse("reflect:moment_repair", args=[moment.pk], language="en"),
        {
            "repair_status": "repaired",
            "repaired_on": moment.date - datetime.timedelta(days=2),
            "repair_how": "We made pancakes",
        },
    )
    assert response.status_code == 200
    assert "A repair comes after the moment itself" in response.text
    assert "We made pancakes" in response.text


def test_a_connection_has_no_repair_page(parent_client, parent):
    connection = MomentFactory(owner=parent)
    response = parent_client.get(reverse("reflect:moment_repair", args=[connection.pk]))
    assert response.status_code == 303


def test_a_mismatch_noted_with_its_repair_is_repaired_at_once(parent_client):
    parent_client.post(
        reverse("reflect:moment_add"),
        {"what_happened": "Too rushed", "kind": "mismatch", "repair_how": "I said sorry"},
    )
    moment = Moment.objects.get()
    assert moment.is_repaired
    assert moment.repaired_on == timezone.localdate()


def test_deleting_asks_for_confirmation_first(parent_client, moment):
    response = parent_client.get(reverse("reflect:moment_delete", args=[moment.pk]))
    assert "Dit moment verwijderen?" in response.text
    assert Moment.objects.exists()
    response = parent_client.post(reverse("reflect:moment_delete", args=[moment.pk]))
    assert response.status_code == 303
    assert not Moment.objects.exists()


def test_a_child_is_added_by_nickname(parent_client, parent):
    response = parent_client.post(
        reverse("reflect:children"), {"nickname": "Lotte", "birth_month": "3", "birth_year": "2022"}
    )
    assert response.status_code == 303
    child = Child.objects.get()
    assert (child.owner, child.nickname, child.birth_month, child.birth_year) == (
        parent,
        "Lotte",
        3,
        2022,
    )


def test_a_child_without_a_nickname_is_explained_and_the_year_kept(parent_client):
    response = parent_client.post(
        reverse("reflect:children"), {"nickname": "", "birth_year": "2019"}
    )
    assert response.status_code == 200
    assert 'value="2019"' in response.text
    assert "Geef een bijnaam of een initiaal" in response.text
    assert not Child.objects.exists()


def test_a_birth_month_without_a_year_is_explained(parent_client):
    response = parent_client.post("/en/journal/children/", {"nickname": "Daan", "birth_month": "4"})
    assert "Add the birth year too" in response.text


def test_a_child_is_edited_and_removed_but_their_moments_stay(parent_client, parent, child):
    MomentFactory(owner=parent, child=child)
    response = parent_client.post(
        reverse("reflect:child_edit", args=[child.pk]), {"nickname": "Noortje"}
    )
    assert response.status_code == 303
    child.refresh_from_db()
    assert child.nickname == "Noortje"
    response = parent_client.post(reverse("reflect:child_delete", args=[child.pk]))
    assert response.status_code == 303
    assert not Child.objects.exists()
    assert Moment.objects.get().child is None


def test_the_journal_page_links_each_s_to_its_learn_page(parent_client):
    response = parent_client.get(reverse("reflect:journal"))
    for slug in ["safe", "seen", "soothed", "secure"]:
        assert f'href="/nl/learn/{slug}/"' in response.text


def test_the_moment_page_shows_the_childs_age_at_the_moment(parent_client, parent):
    child = ChildFactory(owner=parent, nickname="Mila", birth_year=2022, birth_month=1)
    moment = MomentFactory(owner=parent, child=child, date=datetime.date(2024, 7, 15))
    response = parent_client.get(reverse("reflect:moment_detail", args=[moment.pk], language="en"))
    assert '<bdi dir="auto">Mila</bdi> (2 years and 6 months)' in response.text


def test_a_saved_draft_is_marked_for_forgetting_on_the_next_page(parent_client, parent):
    parent_client.post(reverse("reflect:moment_add"), {"what_happened": "x", "kind": "connection"})
    response = parent_client.get(reverse("reflect:journal"))
    assert f'data-draft-clear="{reverse("reflect:draft", args=["new"])}"' in response.text
    again = parent_client.get(reverse("reflect:journal"))
    assert "data-draft-clear" not in again.text


def test_a_connection_saves_even_when_the_folded_repair_choice_was_posted(parent_client):
    # The repair radios are in the form (folded); a browser posts their default for a connection.
    response = parent_client.post(
        reverse("reflect:moment_add"),
        {"what_happened": "Calm breakfast", "kind": "connection", "repair_status": "open"},
    )
    assert response.status_code == 303
    assert Moment.objects.get().repair_status == ""
