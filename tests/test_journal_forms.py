"""The moment form against anything a parent (or a fuzzer) may type: no 500, nothing unescaped."""

import datetime
from unittest import mock

import pytest
from django.utils import timezone
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from reflect.forms import ChildForm, JournalFilterForm, MomentForm, RepairForm
from reflect.models import Moment
from tests.factories import ChildFactory, MomentFactory

pytestmark = pytest.mark.django_db

MARKUP = "<script>alert(1)</script>"

texts = st.one_of(
    st.text(max_size=300),
    st.text(alphabet="<>&\"'/ \n\r\t\x00abc", max_size=50),
    st.just(MARKUP),
    st.just("x" * 4001),
)
dates = st.one_of(
    st.dates(min_value=datetime.date(1900, 1, 1), max_value=datetime.date(2200, 1, 1)).map(str),
    st.text(max_size=12),
)
moment_data = st.fixed_dictionaries(
    {
        "what_happened": texts,
        "felt": texts,
        "child_needed": texts,
        "what_helped": texts,
        "repair_how": texts,
        "kind": st.sampled_from(["connection", "mismatch", "", "other", MARKUP]),
        "repair_status": st.sampled_from(["", "open", "repaired", "not_needed", "x"]),
        "part_of_day": st.sampled_from(["", "morning", "night", "noon", MARKUP]),
        "date": dates,
        "repaired_on": dates,
        "four_s": st.lists(st.sampled_from(["safe", "seen", "soothed", "secure", "brave", MARKUP])),
        "child": st.sampled_from(["", "1", "999999", "abc", MARKUP]),
    }
)


def post_data(data):
    return {key: value for key, value in data.items() if value != ""}


@settings(  # as many examples as the profile says (tests/conftest.py)
    deadline=None,
    suppress_health_check=[HealthCheck.function_scoped_fixture, HealthCheck.too_slow],
)
@given(data=moment_data)
def test_the_quick_add_never_fails_and_never_echoes_markup(parent_client, data):
    response = parent_client.post("/nl/journal/new/", post_data(data))
    assert response.status_code in {200, 303}
    assert MARKUP not in response.text
    assert "<script>alert" not in response.text
    if response.status_code == 303:
        moment = Moment.objects.latest("pk")
        assert moment.what_happened.strip()
        assert moment.date <= timezone.localdate()


@settings(
    max_examples=30,
    deadline=None,
    suppress_health_check=[HealthCheck.function_scoped_fixture, HealthCheck.too_slow],
)
@given(q=texts, s=st.text(max_size=10), show=st.text(max_size=10), page=st.text(max_size=6))
def test_the_journal_filters_never_fail(parent_client, q, s, show, page):
    response = parent_client.get(
        "/en/journal/", {"q": q.replace("\x00", ""), "s": s, "show": show, "page": page}
    )
    assert response.status_code == 200
    assert MARKUP not in response.text


def test_a_saved_moment_shows_markup_as_text(parent_client, parent):
    moment = MomentFactory(owner=parent, what_happened=MARKUP, what_helped=MARKUP)
    for url in ["/nl/journal/", f"/nl/journal/moments/{moment.pk}/"]:
        response = parent_client.get(url)
        assert MARKUP not in response.text
        assert "&lt;script&gt;alert(1)&lt;/script&gt;" in response.text


def test_the_form_strips_whitespace_and_refuses_only_spaces(parent):
    form = MomentForm({"what_happened": "   \n  ", "kind": "connection"}, owner=parent)
    assert not form.is_valid()
    form = MomentForm({"what_happened": "  a hug  ", "kind": "connection"}, owner=parent)
    assert form.is_valid()
    assert form.cleaned_data["what_happened"] == "a hug"


def test_a_connection_form_drops_repair_fields(parent):
    form = MomentForm(
        {"what_happened": "fine", "kind": "connection", "repair_how": "n/a"}, owner=parent
    )
    moment = form.save()
    assert moment.repair_status == ""
    assert moment.repair_how == ""


def test_an_empty_date_means_today(parent):
    form = MomentForm({"what_happened": "fine", "kind": "connection", "date": ""}, owner=parent)
    assert form.save().date == timezone.localdate()


def test_the_form_offers_only_the_parents_children(parent, other_parent):
    mine = ChildFactory(owner=parent)
    ChildFactory(owner=other_parent)
    form = MomentForm(owner=parent)
    assert form.children == [mine]
    assert list(form.fields["child"].queryset) == [mine]


def test_a_birth_year_in_the_future_is_refused():
    form = ChildForm({"nickname": "Sem", "birth_year": timezone.localdate().year + 1})
    assert not form.is_valid()
    assert "birth_year" in form.errors


def test_invalid_filters_are_ignored_not_fatal(parent):
    MomentFactory(owner=parent)
    form = JournalFilterForm({"s": "brave", "show": "open"}, children=[])
    moments = form.filter(Moment.objects.for_owner(parent))
    assert list(moments) == []  # "open" still applies; the unknown S is ignored


def test_the_repair_form_follows_the_models_repair_rules(parent):
    """Writing how you reconnected means it was repaired: on the repair form too (issue 15)."""
    moment = MomentFactory(owner=parent, mismatch=True)
    form = RepairForm({"repair_status": "open", "repair_how": "A long hug"}, instance=moment)
    assert form.is_valid(), form.errors
    saved = form.save()
    assert saved.is_repaired
    assert saved.repaired_on == timezone.localdate()


def test_the_day_you_reconnected_is_kept_when_you_leave_the_status_open(parent):
    day = timezone.localdate() - datetime.timedelta(days=2)
    form = MomentForm(
        {
            "what_happened": "Rushed",
            "kind": "mismatch",
            "date": day - datetime.timedelta(days=1),
            "repair_status": "open",
            "repaired_on": day,
        },
        owner=parent,
    )
    moment = form.save()
    assert moment.is_repaired
    assert moment.repaired_on == day


def test_the_forms_refuse_a_day_more_than_25_years_back(parent):
    now = datetime.datetime(2026, 3, 10, 12, tzinfo=datetime.UTC)
    with mock.patch("django.utils.timezone.now", return_value=now):
        form = MomentForm(
            {"what_happened": "x", "kind": "connection", "date": "2001-03-09"}, owner=parent
        )
        assert not form.is_valid()
    assert "25 jaar" in form.errors["date"][0]
    assert form["date"].field.widget.attrs["min"] == "2001-03-10"
    assert form["what_happened"].value() == "x"
