import datetime
from unittest import mock

import pytest
from django.db import IntegrityError, transaction
from django.utils import timezone, translation

from reflect.models import Child, Moment, earliest_day, week_start
from tests.factories import ChildFactory, MomentFactory, RepairFactory

pytestmark = pytest.mark.django_db


@pytest.fixture(autouse=True)
def english():
    with translation.override("en"):
        yield


def test_a_childs_age_reads_naturally_in_dutch(parent):
    child = ChildFactory(owner=parent, birth_year=2021, birth_month=5)
    with translation.override("nl"):
        assert child.age_on(datetime.date(2023, 8, 1)) == "2 jaar en 3 maanden"
        assert child.age_on(datetime.date(2021, 6, 1)) == "1 maand"


def test_a_week_starts_on_monday():
    assert week_start(datetime.date(2025, 11, 20)) == datetime.date(2025, 11, 17)
    assert week_start(datetime.date(2025, 11, 17)) == datetime.date(2025, 11, 17)
    assert week_start(datetime.date(2025, 11, 23)) == datetime.date(2025, 11, 17)


def test_a_childs_age_is_shown_in_years_and_months(parent):
    child = ChildFactory(owner=parent, birth_year=2021, birth_month=5)
    assert child.age_on(datetime.date(2023, 8, 1)) == "2 years and 3 months"
    assert child.age_on(datetime.date(2023, 5, 30)) == "2 years"
    assert child.age_on(datetime.date(2021, 9, 1)) == "4 months"


def test_a_childs_age_is_empty_before_birth_or_when_unknown(parent):
    child = ChildFactory(owner=parent, birth_year=2021, birth_month=5)
    assert child.age_on(datetime.date(2021, 4, 30)) == ""
    assert (
        ChildFactory(owner=parent, birth_year=None, birth_month=None).age_on(
            datetime.date(2024, 1, 1)
        )
        == ""
    )


def test_a_birth_year_alone_gives_an_approximate_age(parent):
    child = ChildFactory(owner=parent, birth_year=2020, birth_month=None)
    assert child.age_on(datetime.date(2024, 3, 1)) == "about 4 years"


def test_a_birth_month_needs_a_birth_year(parent):
    with pytest.raises(IntegrityError), transaction.atomic():
        Child.objects.create(owner=parent, nickname="Sem", birth_month=3)


def test_a_new_mismatch_is_open_for_repair(parent):
    moment = MomentFactory(owner=parent, kind="mismatch")
    assert moment.repair_status == "open"
    assert moment.is_open_for_repair


def test_a_connection_never_carries_a_repair(parent):
    moment = MomentFactory(owner=parent, repaired=True)
    moment.kind = Moment.Kind.CONNECTION
    moment.save()
    moment.refresh_from_db()
    assert moment.repair_status == ""
    assert moment.repaired_on is None
    assert moment.repair_how == ""


def test_noting_a_repair_later_closes_the_mismatch(parent):
    moment = MomentFactory(owner=parent, mismatch=True, date=datetime.date(2025, 1, 3))
    moment.note_repair("We hugged in the morning.", on=datetime.date(2025, 1, 4))
    moment.refresh_from_db()
    assert moment.is_repaired
    assert not moment.is_open_for_repair
    assert moment.repaired_on == datetime.date(2025, 1, 4)


def test_a_repair_can_be_marked_not_needed_and_reopened(parent):
    moment = MomentFactory(owner=parent, mismatch=True)
    moment.mark_repair_not_needed()
    assert moment.repair_status == "not_needed"
    assert not moment.is_open_for_repair
    moment.reopen_for_repair()
    assert moment.is_open_for_repair


def test_a_connection_cannot_be_repaired(parent):
    moment = MomentFactory(owner=parent)
    with pytest.raises(ValueError, match="mismatch"):
        moment.note_repair("nothing to repair")


def test_the_database_refuses_a_repaired_connection(parent):
    moment = MomentFactory(owner=parent)
    with pytest.raises(IntegrityError), transaction.atomic():
        Moment.objects.filter(pk=moment.pk).update(repair_status="repaired")


def test_the_four_s_are_read_and_set_by_key(parent):
    moment = MomentFactory(owner=parent, safe=False)
    moment.set_s(["seen", "secure"])
    assert moment.s_keys == ("seen", "secure")
    assert [s.name for s in moment.four_s] == ["Seen", "Secure"]
    with pytest.raises(ValueError, match="Unknown"):
        moment.set_s(["brave"])


def test_a_moments_text_never_appears_in_its_name(parent):
    moment = MomentFactory(owner=parent, what_happened="A private evening")
    assert "private" not in str(moment)


def test_the_repair_factory_gives_a_repaired_mismatch(parent):
    moment = RepairFactory(owner=parent)
    assert moment.is_repaired
    assert moment.repair_how


def test_a_moment_shows_the_childs_age_on_its_own_date(parent):
    child = ChildFactory(owner=parent, birth_year=2022, birth_month=1)
    moment = MomentFactory(owner=parent, child=child, date=datetime.date(2024, 7, 15))
    assert moment.child_age == "2 years and 6 months"


# --- The rules of what a journal holds: one place, for the forms and the import ------------------


def checked(instance) -> dict[str, list[str]]:
    """What ``full_clean`` says, as a form and the import run it ({} when all is well)."""
    from django.core.exceptions import ValidationError

    try:
        instance.full_clean(exclude={"owner", "child"}, validate_constraints=False)
    except ValidationError as error:
        return error.message_dict
    return {}


def test_writing_how_you_reconnected_means_the_repair_happened(parent):
    moment = Moment(owner=parent, what_happened="Rushed", kind="mismatch", repair_status="open")
    moment.repair_how = "I said sorry"
    assert checked(moment) == {}
    assert moment.is_repaired
    assert moment.repaired_on == timezone.localdate()


def test_giving_the_day_you_reconnected_keeps_that_day(parent):
    day = timezone.localdate() - datetime.timedelta(days=3)
    moment = Moment(
        owner=parent,
        what_happened="Rushed",
        kind="mismatch",
        repair_status="open",
        date=day - datetime.timedelta(days=1),
        repaired_on=day,
    )
    assert checked(moment) == {}
    assert moment.is_repaired
    assert moment.repaired_on == day


def test_a_repair_before_its_moment_is_refused_by_the_model(parent):
    day = datetime.date(2025, 3, 4)
    moment = Moment(
        owner=parent,
        what_happened="Rushed",
        kind="mismatch",
        repair_status="repaired",
        date=day,
        repaired_on=day - datetime.timedelta(days=1),
    )
    assert "A repair comes after the moment itself" in checked(moment)["repaired_on"][0]


@pytest.mark.parametrize(
    ("day", "message"),
    [
        (datetime.date(1899, 12, 31), "last 25 years"),
        (datetime.date(1, 1, 1), "last 25 years"),
        (datetime.date(9999, 12, 31), "still to come"),
    ],
)
def test_a_day_outside_the_journals_calendar_is_refused(parent, day, message):
    moment = Moment(owner=parent, what_happened="Fine", date=day)
    assert message in checked(moment)["date"][0]
    assert checked(Moment(owner=parent, what_happened="Fine", date=earliest_day())) == {}


def test_tomorrow_in_the_parents_time_zone_is_still_to_come(parent):
    # 23:30 UTC on 9 March is already 10 March in Amsterdam.
    now = datetime.datetime(2025, 3, 9, 23, 30, tzinfo=datetime.UTC)

    def noted(day: datetime.date) -> Moment:
        return Moment(owner=parent, what_happened="x", date=day, created=now)

    with mock.patch("django.utils.timezone.now", return_value=now):
        with timezone.override("UTC"):
            assert "still to come" in checked(noted(datetime.date(2025, 3, 10)))["date"][0]
        with timezone.override("Europe/Amsterdam"):
            assert checked(noted(datetime.date(2025, 3, 10))) == {}
            assert "still to come" in checked(noted(datetime.date(2025, 3, 11)))["date"][0]


@pytest.mark.parametrize("text", ["a\x00b", "half an emoji \ud83d", "\udfff"])
def test_text_that_cannot_be_stored_is_refused_in_every_field(parent, text):
    for field in Moment.TEXT_FIELDS:
        moment = Moment(owner=parent, what_happened="Fine", kind="mismatch")
        setattr(moment, field, text)
        assert "cannot be stored" in checked(moment)[field][0]
    assert "cannot be stored" in checked(Child(owner=parent, nickname=text))["nickname"][0]


def test_only_spaces_are_not_words(parent):
    assert (
        "not only spaces"
        in checked(Moment(owner=parent, what_happened="  \n "))["what_happened"][0]
    )
    assert "not only spaces" in checked(Child(owner=parent, nickname="   "))["nickname"][0]


def test_a_birth_month_still_to_come_is_refused_by_the_model(parent):
    today = timezone.localdate()
    later = Child(owner=parent, nickname="Sem", birth_year=today.year + 1)
    assert "still to come" in checked(later)["birth_year"][0]
    assert checked(Child(owner=parent, nickname="Sem", birth_year=today.year)) == {}
    no_year = Child(owner=parent, nickname="Sem", birth_month=5)
    assert "Add the birth year too" in checked(no_year)["birth_year"][0]


def test_reopening_a_repair_leaves_it_open(parent):
    moment = RepairFactory(owner=parent)
    moment.reopen_for_repair()
    moment.refresh_from_db()
    assert moment.is_open_for_repair
    assert moment.repair_how == ""


@pytest.mark.parametrize("language", ["nl", "en"])
@pytest.mark.parametrize("name", ["kind", "part_of_day", "repair_status"])
def test_a_moments_choice_labels_are_djangos(name, language):
    """Moment's get_FOO_display give what Django's own gives, for every choice, none and an
    unknown value."""
    field = Moment._meta.get_field(name)
    with translation.override(language):
        for value in [*(value for value, _label in field.choices), "", "unknown", None]:
            moment = Moment(**{name: value})
            ours = getattr(moment, f"get_{name}_display")()
            assert ours == moment._get_FIELD_display(field)
            assert type(ours) is type(moment._get_FIELD_display(field))
