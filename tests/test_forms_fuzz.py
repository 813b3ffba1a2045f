"""Every form of the journal, sharing and your data, and the import, against what a browser or a
fuzzer can send (issue 13): zero 500s; a valid example is stored (303), an invalid one is shown
again with a message (200 or 400) and changes nothing.

Each test draws examples (50 by default, 200 with ``HYPOTHESIS_PROFILE=thorough``: see
tests/conftest.py), half from a strategy of valid input and half from a wild one
(NUL, lone surrogates sent as the raw bytes a fuzzer would send, huge texts, odd dates and
numbers, lists where one value is expected, JSON of any shape around the export format), and
posts them through the test client like a form without JavaScript. Function-scoped fixtures
are set up once per test, not per example: that is intended here, each test keeps one signed-in
parent (their journal grows over the examples) and every assertion compares before and after
one request, so the health check for it is suppressed on purpose.

The strategies are built when the module is imported, the examples run later: so the clock of
every test here stands at noon of the day the module was imported (:func:`noon_of_today`), and
"today" is the same day at both times even when the run crosses midnight in Amsterdam.
"""

import datetime
import json
import time
from unittest import mock
from urllib.parse import urlencode

import pytest
from django.core.cache import cache
from django.utils import timezone
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from hechting.learn.four_s import KEYS
from reflect.models import Child, Moment, earliest_day
from reflect.sharing.models import CounsellorProfile, Invitation, ShareLink
from tests.conftest import HttpsClient
from tests.factories import PASSWORD, ChildFactory, MomentFactory, UserFactory
from tests.sharing_helpers import make_invitation

pytestmark = pytest.mark.django_db

# The number of examples comes from the Hypothesis profile (tests/conftest.py).
FUZZ = settings(suppress_health_check=[HealthCheck.function_scoped_fixture])
TODAY = timezone.localdate()
NOON = datetime.datetime.combine(TODAY, datetime.time(12), tzinfo=timezone.get_current_timezone())


@pytest.fixture(autouse=True)
def noon_of_today():
    """The clock (``time.time`` and ``timezone.now``) stands at noon of TODAY and runs on from
    there, so no example meets another day than the strategies were built with."""
    real_time = time.time
    offset = NOON.timestamp() - real_time()

    def clock_time() -> float:
        return real_time() + offset

    def clock_now() -> datetime.datetime:
        return datetime.datetime.fromtimestamp(clock_time(), tz=datetime.UTC)

    with mock.patch("time.time", clock_time), mock.patch("django.utils.timezone.now", clock_now):
        assert timezone.localdate() == TODAY
        yield


# --- What a fuzzer sends ------------------------------------------------------------------------

ODD = "\x00\x01\x1f\x7f\u200b\u202e\ufeff<>&\"' \n\r\tab"
surrogates = st.text(alphabet=st.characters(categories=["Cs"]), min_size=1, max_size=3)
wild_text = st.one_of(
    st.text(max_size=40),
    st.text(alphabet=ODD, max_size=20),
    surrogates.map(lambda s: f"a{s}b"),
    st.just(" \n "),
    st.sampled_from(["x" * 4001, "x" * 20_000, "<script>alert(1)</script>"]),
)
odd_days = st.sampled_from(
    [
        "",
        "0001-01-01",
        "1899-12-31",
        "1900-01-01",
        "9999-12-31",
        "2025-02-30",
        "2025-13-01",
        "gisteren",
        "2025-03-04T25:00",
        (TODAY + datetime.timedelta(days=1)).isoformat(),
        TODAY.isoformat(),
    ]
)
wild_day = st.one_of(odd_days, st.dates().map(datetime.date.isoformat), st.text(max_size=12))
wild_number = st.one_of(
    st.integers(-(10**6), 10**6).map(str), st.text(max_size=8), st.just("9" * 5000)
)


def wild(*choices: str) -> st.SearchStrategy:
    """One of a field's values, anything else, or several values at once."""
    one = st.one_of(st.sampled_from(choices or ("",)), wild_text)
    return st.one_of(one, st.lists(one, min_size=2, max_size=3))


def clean_text(min_size: int = 0, max_size: int = 80) -> st.SearchStrategy:
    """Text a parent types: any letters, no control characters, at most ``max_size`` long."""
    text = st.text(
        alphabet=st.characters(codec="utf-8", exclude_categories=["Cc", "Cs", "Zl", "Zp"]),
        min_size=min_size,
        max_size=max_size,
    )
    return text.filter(lambda t: t.strip()) if min_size else text


def past_day(start: datetime.date | None = None) -> st.SearchStrategy:
    """A day the journal takes: in the last 25 years, up to today."""
    return st.dates(start or earliest_day(TODAY), TODAY)


def post(client, url: str, data: dict, **extra):
    """POST ``data`` urlencoded, as a browser without JavaScript does. Text is sent as UTF-8;
    a lone surrogate goes as the (invalid) bytes a fuzzer would send in its place."""
    pairs = []
    for name, value in data.items():
        for one in value if isinstance(value, list) else [value]:
            if one is None:
                continue
            if isinstance(one, datetime.date):
                one = one.isoformat()
            pairs.append((name, str(one).encode("utf-8", "surrogatepass")))
    body = urlencode(pairs)
    return client.post(url, body, content_type="application/x-www-form-urlencoded", **extra)


def examples(valid: st.SearchStrategy, wild: st.SearchStrategy) -> st.SearchStrategy:
    return st.one_of(valid.map(lambda d: (True, d)), wild.map(lambda d: (False, d)))


def answered(response, valid: bool, invalid_status: int = 200) -> bool:
    """No 500; a valid example is taken (303); what is refused says why. True when taken."""
    assert response.status_code in {303, invalid_status}, response.status_code
    if valid:
        assert response.status_code == 303, response.content.decode()[:3000]
    if response.status_code == invalid_status:
        assert 'class="errorlist' in response.text
    return response.status_code == 303


def signed_in(user) -> HttpsClient:
    client = HttpsClient()
    client.force_login(user)
    return client


# --- The journal --------------------------------------------------------------------------------


def valid_moment(children: list[int]) -> st.SearchStrategy:
    return st.fixed_dictionaries(
        {
            "what_happened": clean_text(1, 200),
            "felt": clean_text(),
            "child_needed": clean_text(),
            "what_helped": clean_text(),
            "kind": st.sampled_from(["connection", "mismatch"]),
            "four_s": st.lists(st.sampled_from(KEYS), unique=True),
            "date": past_day(),
            "part_of_day": st.sampled_from(["", "morning", "afternoon", "evening", "night"]),
            "child": st.sampled_from(["", *map(str, children)]),
            "repair_status": st.sampled_from(["", "open", "repaired", "not_needed"]),
            "repair_how": clean_text(),
        }
    )


def wild_moment() -> st.SearchStrategy:
    return st.fixed_dictionaries(
        {},
        optional={
            "what_happened": wild("A hug"),
            "felt": wild(),
            "kind": wild("connection", "mismatch"),
            "four_s": wild(*KEYS),
            "date": st.one_of(wild_day, st.lists(wild_day, max_size=2)),
            "part_of_day": wild("morning", "noon"),
            "child": st.one_of(wild(), wild_number),
            "repair_status": wild("open", "repaired", "not_needed"),
            "repaired_on": wild_day,
            "repair_how": wild(),
        },
    )


@pytest.fixture
def noor(parent):
    # Born before the journal's first day: any day a moment can have is after her birth month.
    return ChildFactory(owner=parent, nickname="Noor", birth_year=TODAY.year - 25, birth_month=1)


@FUZZ
@given(data=st.data())
def test_a_new_moment_is_stored_or_explained(parent_client, parent, noor, data):
    valid, fields = data.draw(examples(valid_moment([noor.pk]), wild_moment()))
    # An example drawn twice would be the same form sent again, stored once (issue 21).
    Moment.objects.for_owner(parent).delete()
    before = 0
    response = post(parent_client, "/nl/journal/new/", fields)
    stored = Moment.objects.for_owner(parent).count()
    assert stored == before + answered(response, valid)
    if valid:
        moment = Moment.objects.for_owner(parent).latest("pk")
        assert moment.what_happened == fields["what_happened"].strip()
        assert moment.date == fields["date"]


@FUZZ
@given(data=st.data())
def test_an_edited_moment_is_stored_or_explained(parent_client, parent, noor, data):
    moment = MomentFactory(owner=parent, what_happened="Before")
    valid, fields = data.draw(examples(valid_moment([noor.pk]), wild_moment()))
    response = post(parent_client, f"/nl/journal/moments/{moment.pk}/edit/", fields)
    taken = answered(response, valid)
    moment.refresh_from_db()
    if valid:
        assert moment.what_happened == fields["what_happened"].strip()
    elif not taken:
        assert moment.what_happened == "Before"


@FUZZ
@given(data=st.data())
def test_a_repair_is_stored_or_explained(parent_client, parent, data):
    day = data.draw(past_day(), label="the mismatch's day")
    moment = MomentFactory(owner=parent, mismatch=True, date=day)
    valid = st.fixed_dictionaries(
        {
            "repair_status": st.sampled_from(["open", "repaired", "not_needed"]),
            "repaired_on": st.one_of(st.just(""), past_day(day)),
            "repair_how": clean_text(),
        }
    )
    wild_repair = st.fixed_dictionaries(
        {},
        optional={
            "repair_status": wild("open", "repaired", "not_needed"),
            "repaired_on": st.one_of(wild_day, st.lists(wild_day, max_size=2)),
            "repair_how": wild(),
        },
    )
    valid_example, fields = data.draw(examples(valid, wild_repair))
    response = post(parent_client, f"/nl/journal/moments/{moment.pk}/repair/", fields)
    answered(response, valid_example)
    moment.refresh_from_db()
    assert moment.is_mismatch
    if moment.is_repaired:
        assert day <= moment.repaired_on <= TODAY


def valid_child() -> st.SearchStrategy:
    year = st.integers(1990, TODAY.year - 1)
    return st.one_of(
        st.fixed_dictionaries({"nickname": clean_text(1, 40)}),
        st.fixed_dictionaries(
            {"nickname": clean_text(1, 40), "birth_year": year, "birth_month": st.integers(1, 12)}
        ),
    )


def wild_child() -> st.SearchStrategy:
    return st.fixed_dictionaries(
        {},
        optional={
            "nickname": wild("Sem"),
            "birth_year": st.one_of(wild_number, st.just(str(TODAY.year + 1))),
            "birth_month": st.one_of(wild_number, wild("5", "13")),
        },
    )


@FUZZ
@given(data=st.data())
def test_a_new_child_is_stored_or_explained(parent_client, parent, data):
    valid, fields = data.draw(examples(valid_child(), wild_child()))
    before = Child.objects.for_owner(parent).count()
    response = post(parent_client, "/nl/journal/children/", fields)
    assert Child.objects.for_owner(parent).count() == before + answered(response, valid)


@FUZZ
@given(data=st.data())
def test_an_edited_child_is_stored_or_explained(parent_client, parent, noor, data):
    valid, fields = data.draw(examples(valid_child(), wild_child()))
    response = post(parent_client, f"/nl/journal/children/{noor.pk}/edit/", fields)
    if answered(response, valid) and valid:
        noor.refresh_from_db()
        assert noor.nickname == fields["nickname"].strip()


@FUZZ
@given(
    query=st.fixed_dictionaries(
        {},
        optional={
            "q": wild("bear"),
            "s": wild(*KEYS),
            "child": st.one_of(wild(), wild_number),
            "show": wild("connection", "mismatch", "open"),
            "page": wild_number,
        },
    )
)
def test_the_journal_filters_never_fail(parent_client, parent, query):
    """The filters are a GET form: what does not fit is left out, the page always answers."""
    cache.clear()  # each example is a fresh minute: searches are rate limited per parent
    pairs = [
        (name, str(one).encode("utf-8", "surrogatepass"))
        for name, value in query.items()
        for one in (value if isinstance(value, list) else [value])
    ]
    assert parent_client.get("/nl/journal/?" + urlencode(pairs)).status_code == 200


# --- Sharing ------------------------------------------------------------------------------------


def days_ahead(low: int, high: int) -> st.SearchStrategy:
    return st.integers(low, high).map(lambda n: TODAY + datetime.timedelta(days=n))


@FUZZ
@given(data=st.data())
def test_a_share_link_is_made_or_explained(parent_client, parent, noor, data):
    valid = st.fixed_dictionaries(
        {
            "label": clean_text(0, 80),
            "scope": st.sampled_from(["summaries", "moments"]),
            "period_kind": st.sampled_from(["week", "month", "last_month", "all"]),
            "child": st.sampled_from(["", str(noor.pk)]),
            "valid_until": days_ahead(0, 90),
            "s_keys": st.lists(st.sampled_from(KEYS), unique=True),
        }
    )
    wild_link = st.fixed_dictionaries(
        {},
        optional={
            "label": wild(),
            "scope": wild("summaries", "moments"),
            "period_kind": wild("dates", "all"),
            "child": st.one_of(wild(), wild_number),
            "valid_until": wild_day,
            "date_from": wild_day,
            "date_to": wild_day,
            "s_keys": wild(*KEYS),
        },
    )
    valid_example, fields = data.draw(examples(valid, wild_link))
    before = ShareLink.objects.filter(owner=parent).count()
    response = post(parent_client, "/nl/share/", fields)
    taken = answered(response, valid_example, invalid_status=400)
    assert ShareLink.objects.filter(owner=parent).count() == before + taken


@pytest.fixture
def counsellor_invitation(counsellor):
    invitation, _token = make_invitation(counsellor)
    return invitation


@FUZZ
@given(data=st.data())
def test_a_counsellor_profile_is_saved_or_explained(counsellor_client, counsellor, data):
    valid = st.fixed_dictionaries(
        {
            "name": clean_text(1, 80),
            "practice": clean_text(1, 120),
            "website": st.sampled_from(["", "https://example.org", "https://praktijk.nl/x"]),
        }
    )
    wild_profile = st.fixed_dictionaries(
        {},
        optional={"name": wild("Charlie"), "practice": wild(), "website": wild("javascript:1")},
    )
    valid_example, fields = data.draw(examples(valid, wild_profile))
    response = post(counsellor_client, "/nl/share/counsellor/", fields)
    if answered(response, valid_example, invalid_status=400) and valid_example:
        profile = CounsellorProfile.objects.get(user=counsellor)
        assert profile.name == " ".join(fields["name"].split())


@FUZZ
@given(data=st.data())
def test_an_invitation_is_made_or_explained(counsellor_client, counsellor, data):
    valid = st.fixed_dictionaries(
        {
            "note": clean_text(0, 300),
            "focus": st.sampled_from(["", "s:safe", "s:secure"]),
            "valid_until": days_ahead(0, 365),
        }
    )
    wild_invitation = st.fixed_dictionaries(
        {},
        optional={"note": wild(), "focus": wild("s:safe", "page:x"), "valid_until": wild_day},
    )
    valid_example, fields = data.draw(examples(valid, wild_invitation))
    before = Invitation.objects.filter(counsellor=counsellor).count()
    response = post(counsellor_client, "/nl/share/invitations/new/", fields)
    taken = answered(response, valid_example, invalid_status=400)
    assert Invitation.objects.filter(counsellor=counsellor).count() == before + taken


@FUZZ
@given(data=st.data())
def test_an_invitations_last_day_is_moved_or_explained(
    counsellor_client, counsellor_invitation, data
):
    valid = st.fixed_dictionaries({"valid_until": days_ahead(0, 365)})
    wild_day_form = st.fixed_dictionaries({}, optional={"valid_until": wild_day})
    valid_example, fields = data.draw(examples(valid, wild_day_form))
    url = f"/nl/share/invitations/{counsellor_invitation.public_id}/last-day/"
    taken = answered(post(counsellor_client, url, fields), valid_example, invalid_status=400)
    if taken and valid_example:
        counsellor_invitation.refresh_from_db()
        assert counsellor_invitation.valid_until == fields["valid_until"]


@FUZZ
@given(data=st.data())
def test_an_invitation_is_answered_or_explained(parent_client, parent, counsellor, data):
    invitation, token = make_invitation(counsellor)
    assert parent_client.get(f"/nl/share/i/{token}/").status_code == 303  # the grant
    valid = st.one_of(
        st.fixed_dictionaries({"answer": st.just("no")}),
        st.fixed_dictionaries(
            {
                "answer": st.sampled_from(["summaries", "moments"]),
                "valid_until": days_ahead(0, 90),
                "client_name": clean_text(0, 80),
            }
        ),
    )
    wild_answer = st.fixed_dictionaries(
        {},
        optional={
            "answer": wild("no", "summaries", "moments"),
            "valid_until": wild_day,
            "client_name": wild(),
        },
    )
    valid_example, fields = data.draw(examples(valid, wild_answer))
    url = f"/nl/share/invitation/{invitation.public_id}/answer/"
    taken = answered(post(parent_client, url, fields), valid_example, invalid_status=400)
    shared = ShareLink.objects.filter(owner=parent, invitation=invitation).exists()
    answer = fields.get("answer")
    answer = answer[-1] if isinstance(answer, list) else answer  # the form reads the last one
    assert shared == (taken and answer != "no")


# --- Your data: the import and deleting the account ---------------------------------------------


@st.composite
def valid_journal(draw) -> dict:
    """A journal file as the export writes it, with the values a form would take."""
    child_ids = draw(st.lists(st.uuids(), max_size=2, unique=True))
    children = [
        {
            "id": str(uid),
            "nickname": draw(clean_text(1, 40)).strip(),
            # Born before any day a moment can have: no moment is before its child's birth.
            "birth_year": draw(st.one_of(st.none(), st.integers(1990, TODAY.year - 25))),
            "birth_month": None,
        }
        for uid in child_ids
    ]
    moments = []
    for uid in draw(st.lists(st.uuids(), max_size=3, unique=True)):
        day = draw(past_day())
        kind = draw(st.sampled_from(["connection", "mismatch"]))
        status = draw(st.sampled_from(["open", "repaired", "not_needed"]))
        repair = None
        if kind == "mismatch":
            on = draw(past_day(day)).isoformat() if status == "repaired" else None
            how = draw(clean_text()) if status != "open" else ""
            repair = {"status": status, "on": on, "how": how}
        moments.append(
            {
                "id": str(uid),
                "child": draw(st.sampled_from([None, *map(str, child_ids)])),
                "date": day.isoformat(),
                "part_of_day": draw(st.sampled_from(["", "morning", "night"])),
                "kind": kind,
                "four_s": draw(st.lists(st.sampled_from(KEYS), unique=True)),
                "what_happened": draw(clean_text(1, 100)),
                "felt": draw(clean_text()),
                "child_needed": "",
                "what_helped": draw(clean_text()),
                "repair": repair,
                "created": draw(
                    st.datetimes(datetime.datetime(1900, 1, 2), datetime.datetime(2025, 1, 1)).map(
                        lambda t: t.replace(tzinfo=datetime.UTC).isoformat()
                    )
                ),
            }
        )
    return {"format": "hechting-journal", "version": 1, "children": children, "moments": moments}


json_values = st.recursive(
    st.one_of(
        st.none(),
        st.booleans(),
        st.integers(),
        st.floats(),
        wild_text,
        odd_days,
        st.sampled_from(
            ["2025-03-04T25:00:00+00:00", "0001-01-01T00:00:00+14:00", "9999-12-31T23:59:59-14:00"]
        ),
    ),
    lambda inner: st.lists(inner, max_size=3) | st.dictionaries(st.text(max_size=6), inner),
    max_leaves=6,
)
FILE_KEYS = ["format", "version", "children", "moments", "share_links"]
ITEM_KEYS = [
    "id",
    "child",
    "date",
    "part_of_day",
    "kind",
    "four_s",
    "what_happened",
    "felt",
    "repair",
    "created",
    "nickname",
    "birth_year",
    "birth_month",
]


@st.composite
def wild_file(draw) -> bytes:
    """A valid file with one value changed into anything, or bytes that are barely JSON."""
    document = draw(valid_journal())
    where = draw(st.sampled_from(["file", "child", "moment", "repair", "raw"]))
    value = draw(json_values)
    if where == "raw":
        return draw(st.one_of(st.binary(max_size=60), json_values.map(json.dumps).map(str.encode)))
    if where == "file":
        document[draw(st.sampled_from(FILE_KEYS))] = value
    elif where == "child" and document["children"]:
        document["children"][0][draw(st.sampled_from(ITEM_KEYS))] = value
    elif document["moments"]:
        moment = document["moments"][0]
        if where == "repair" and isinstance(moment["repair"], dict):
            moment["repair"][draw(st.sampled_from(["status", "on", "how"]))] = value
        else:
            moment[draw(st.sampled_from(ITEM_KEYS))] = value
    return json.dumps(document).encode()


def upload_of(content: bytes) -> dict:
    from django.core.files.uploadedfile import SimpleUploadedFile

    return {"file": SimpleUploadedFile("journal.json", content, content_type="application/json")}


@FUZZ
@given(data=st.data())
def test_an_import_is_stored_whole_or_explained(parent_client, parent, data):
    valid, content = data.draw(
        examples(valid_journal().map(lambda d: json.dumps(d).encode()), wild_file())
    )
    before = Moment.objects.for_owner(parent).count()
    response = parent_client.post("/nl/account/data/import/", upload_of(content))
    if answered(response, valid, invalid_status=400):
        document = json.loads(content)
        ids = [moment["id"] for moment in document["moments"]]
        assert Moment.objects.for_owner(parent).filter(uid__in=ids).count() == len(ids)
        assert parent_client.get("/nl/journal/").status_code == 200
        assert parent_client.get("/nl/account/data/journal.json").status_code == 200
    else:
        assert "Er is niets veranderd" in response.text
        assert Moment.objects.for_owner(parent).count() == before


@FUZZ
@given(password=st.one_of(st.just(PASSWORD), wild_text, st.just(PASSWORD + " ")))
def test_deleting_the_account_needs_the_password_and_explains_a_wrong_one(db, password):
    user = UserFactory()
    response = post(signed_in(user), "/nl/account/data/delete/", {"password": password})
    answered(response, password == PASSWORD, invalid_status=400)
    assert type(user).objects.filter(pk=user.pk).exists() == (password != PASSWORD)
