"""What issue 18 changed to make pages rendered fresh cheaper, each with what it must keep."""

import pytest
from django.db import IntegrityError, connection, transaction
from django.test.utils import CaptureQueriesContext
from django.utils import translation

from hechting.learn.four_s import BY_KEY, FOUR_S
from reflect.charts import s_name
from reflect.models import Moment
from tests.factories import MomentFactory

pytestmark = pytest.mark.django_db


def test_saving_a_moment_asks_the_database_nothing_about_the_repair_rules(parent_client, parent):
    with CaptureQueriesContext(connection) as captured:
        response = parent_client.post(
            "/nl/journal/new/", {"what_happened": "We lazen samen.", "kind": "mismatch"}
        )
    assert response.status_code == 303
    assert not [q for q in captured.captured_queries if '"_check"' in q["sql"]]
    moment = Moment.objects.for_owner(parent).get()
    assert (moment.kind, moment.repair_status) == ("mismatch", "open")  # normalised, as before


def test_the_database_still_refuses_a_moment_that_breaks_the_repair_rules(parent):
    moment = MomentFactory(owner=parent, kind="connection")
    with pytest.raises(IntegrityError), transaction.atomic():
        Moment.objects.filter(pk=moment.pk).update(repair_status="open")
    with pytest.raises(IntegrityError), transaction.atomic():
        Moment.objects.filter(pk=moment.pk).update(repaired_on=moment.date)


def test_the_other_name_of_an_s_is_the_local_word_only_where_it_differs():
    with translation.override("nl"):
        assert BY_KEY["safe"].other_name == "veilig"
        assert s_name(BY_KEY["seen"]) == "Seen (gezien)"
    with translation.override("en"):
        assert [s.other_name for s in FOUR_S] == ["", "", "", ""]
        assert s_name(BY_KEY["seen"]) == "Seen"


def test_the_journal_shows_the_local_word_beside_the_english_name(parent_client, parent):
    MomentFactory(owner=parent, safe=True)
    dutch = parent_client.get("/nl/journal/").content.decode()
    assert '<li class="s-tag s-tag--safe">Safe (veilig)</li>' in dutch
    english = parent_client.get("/en/journal/").content.decode()
    assert '<li class="s-tag s-tag--safe">Safe</li>' in english
