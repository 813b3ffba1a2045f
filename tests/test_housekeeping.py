"""Housekeeping removes exactly what has ended, and nothing that still counts (both databases).

The clock is a parameter: every row is placed relative to NOW, and run(NOW) decides.
"""

import datetime
from io import StringIO

import pytest
from allauth.usersessions.models import UserSession
from django.contrib.sessions.backends.db import SessionStore
from django.contrib.sessions.models import Session
from django.core.cache import cache
from django.core.management import CommandError, call_command
from django.db import connection
from django.test import override_settings
from django.utils import timezone

from hechting import housekeeping
from reflect import drafts
from reflect.models import Draft
from reflect.sharing.housekeeping import ENDED_KEPT
from reflect.sharing.models import Invitation, ShareLink, ShareView
from tests.factories import UserFactory
from tests.sharing_helpers import make_invitation, make_link

NOW = datetime.datetime(2026, 6, 15, 12, 0, tzinfo=datetime.UTC)
TODAY = timezone.localdate(NOW)
HOUR = datetime.timedelta(hours=1)
DAY = datetime.timedelta(days=1)
WEEK = datetime.timedelta(days=7)

pytestmark = pytest.mark.django_db


def removed(name: str) -> int:
    return dict(housekeeping.run(NOW))[name]


def session(key: str, expire_date: datetime.datetime) -> Session:
    return Session.objects.create(session_key=key, session_data="e30:", expire_date=expire_date)


def test_it_removes_the_sessions_that_have_ended_and_keeps_the_others():
    session("ended-a-day-ago", NOW - DAY)
    session("ended-a-second-ago", NOW - datetime.timedelta(seconds=1))
    session("ends-in-a-second", NOW + datetime.timedelta(seconds=1))
    session("ends-in-two-weeks", NOW + 14 * DAY)

    assert removed("ended_sessions") == 2
    assert set(Session.objects.values_list("session_key", flat=True)) == {
        "ends-in-a-second",
        "ends-in-two-weeks",
    }


def test_it_removes_the_sessions_list_rows_whose_login_is_gone():
    parent = UserFactory()
    session("still-logged-in", NOW + DAY)
    session("ended", NOW - HOUR)
    for key in ("still-logged-in", "ended", "already-gone"):
        UserSession.objects.create(user=parent, session_key=key, ip="192.0.2.1", user_agent="x")

    result = dict(housekeeping.run(NOW))

    assert result["ended_sessions"] == 1
    assert result["sessions_list_rows_without_a_session"] == 2
    assert list(UserSession.objects.values_list("session_key", flat=True)) == ["still-logged-in"]


def expiry_of(key: str):
    table = connection.ops.quote_name("hechting_cache")
    with connection.cursor() as cursor:
        # The cache stores each key as an HMAC (hechting.accounts.clients.cache_key).
        cursor.execute(f"SELECT COUNT(*) FROM {table} WHERE cache_key = %s", [cache.make_key(key)])  # noqa: S608
        return cursor.fetchone()[0]


def test_it_removes_the_expired_rate_limit_rows_of_the_database_cache():
    cache.set("counter-that-ended", 3, 60)
    cache.set("counter-still-counting", 3, 3600)
    cache.set("kept-forever", 1, None)
    # Move the clock instead of waiting: the first counter's window ended 10 minutes before NOW.
    real_now = timezone.now()
    expired = housekeeping.run(real_now + datetime.timedelta(minutes=10))

    assert dict(expired)["expired_cache_rows"] == 1
    assert expiry_of("counter-that-ended") == 0
    assert expiry_of("counter-still-counting") == 1
    assert expiry_of("kept-forever") == 1


def test_it_removes_share_links_that_ended_longer_ago_than_the_grace_period_with_their_views():
    parent = UserFactory()
    cutoff_day = timezone.localdate(NOW - ENDED_KEPT)
    expired_long_ago, _ = make_link(parent, label="a", valid_until=cutoff_day - DAY)
    ShareView.objects.create(link=expired_long_ago, viewed_at=NOW - 60 * DAY)
    _expired_recently, _ = make_link(parent, label="b", valid_until=cutoff_day)
    stopped_long_ago, _ = make_link(parent, label="c", valid_until=TODAY + 10 * DAY)
    ShareLink.objects.filter(pk=stopped_long_ago.pk).update(revoked_at=NOW - ENDED_KEPT - HOUR)
    stopped_recently, _ = make_link(parent, label="d", valid_until=TODAY + 10 * DAY)
    ShareLink.objects.filter(pk=stopped_recently.pk).update(revoked_at=NOW - ENDED_KEPT + HOUR)
    _working, _ = make_link(parent, label="e", valid_until=TODAY)

    assert removed("ended_share_links") == 2
    assert {link.label for link in ShareLink.objects.all()} == {"b", "d", "e"}  # sealed
    assert not ShareView.objects.exists()


def test_it_removes_invitations_that_ended_long_ago_and_keeps_the_links_made_from_them():
    counsellor, parent = UserFactory(), UserFactory()
    cutoff_day = timezone.localdate(NOW - ENDED_KEPT)
    old, _ = make_invitation(counsellor, focus="old", valid_until=cutoff_day - DAY)
    link, _ = make_link(parent, invitation=old, counsellor=counsellor, valid_until=TODAY)
    _recent, _ = make_invitation(counsellor, focus="recent", valid_until=cutoff_day)
    stopped, _ = make_invitation(counsellor, focus="stopped", valid_until=TODAY + DAY)
    Invitation.objects.filter(pk=stopped.pk).update(revoked_at=NOW - ENDED_KEPT - HOUR)
    _open_one, _ = make_invitation(counsellor, focus="open", valid_until=TODAY + DAY)

    assert removed("ended_invitations") == 2
    assert set(Invitation.objects.values_list("focus", flat=True)) == {"recent", "open"}
    link.refresh_from_db()
    assert link.invitation is None


def test_a_second_run_finds_nothing_more_to_remove():
    session("ended", NOW - DAY)
    housekeeping.run(NOW)

    assert all(count == 0 for _, count in housekeeping.run(NOW))


def test_each_step_in_the_setting_runs_so_a_new_step_is_one_line(settings):
    settings.HOUSEKEEPING = [*settings.HOUSEKEEPING, "tests.test_housekeeping.a_step_for_drafts"]

    assert dict(housekeeping.run(NOW))["a_step_for_drafts"] == 7


def a_step_for_drafts(now: datetime.datetime) -> int:
    assert now == NOW
    return 7


def test_the_command_says_what_it_removed_without_any_personal_detail():
    store = SessionStore()
    store["words"] = "a private sentence"
    store.create()
    Session.objects.filter(session_key=store.session_key).update(expire_date=timezone.now() - DAY)
    output = StringIO()

    call_command("housekeeping", stdout=output)

    assert "ended sessions: 1 removed" in output.getvalue()
    assert "share links: 0 removed" in output.getvalue()
    assert store.session_key not in output.getvalue()
    assert not Session.objects.exists()


class Stop(Exception):
    pass


@pytest.mark.django_db(transaction=True)  # the loop closes its connection for real
def test_the_service_repeats_after_the_given_seconds_without_keeping_a_connection(monkeypatch):
    slept = []

    def sleep(seconds):
        slept.append(seconds)
        if len(slept) == 2:
            raise Stop
        session("ended-while-it-slept", timezone.now() - HOUR)

    monkeypatch.setattr("hechting.management.commands.housekeeping.time.sleep", sleep)
    output = StringIO()

    with pytest.raises(Stop):
        call_command("housekeeping", every=3600, stdout=output)

    assert slept == [3600, 3600]
    assert output.getvalue().count("ended sessions: ") == 2
    assert "ended sessions: 1 removed" in output.getvalue()
    assert not Session.objects.exists()


def test_the_service_refuses_a_busy_loop():
    with pytest.raises(CommandError, match="at least 60"):
        call_command("housekeeping", every=5)


@override_settings(DRAFT_LIFE=datetime.timedelta(days=7))
def test_it_removes_the_drafts_past_their_life_and_keeps_the_others():
    parent, other = UserFactory(), UserFactory()
    drafts.keep(parent.pk, "new", None, {"what_happened": ["Getypt, niet bewaard"]}, now=NOW - WEEK)
    drafts.keep(other.pk, "new", None, {"what_happened": ["Nog bezig"]}, now=NOW - HOUR)

    result = dict(housekeeping.run(NOW))

    assert result["purge_expired_drafts"] == 1
    assert list(Draft.objects.values_list("owner", flat=True)) == [other.pk]


def test_it_removes_co_parent_invitations_that_ended_long_ago_and_keeps_the_links():
    from reflect.coparents.models import CoParentInvitation, CoParentLink
    from tests.factories import ChildFactory

    alice, bob = UserFactory(), UserFactory()
    noor = ChildFactory(owner=alice)
    long_ago, recently = NOW - ENDED_KEPT - HOUR, NOW - ENDED_KEPT + HOUR

    def invitation(name: str, created: datetime.datetime, **ended) -> CoParentInvitation:
        row = CoParentInvitation(inviter=alice, child=noor, email="b@example.org")
        row.issue_token()
        row.inviter_name = name
        row.save()
        CoParentInvitation.objects.filter(pk=row.pk).update(
            created=created, expires_at=created + WEEK, **ended
        )
        return row

    invitation("answered long ago", long_ago - DAY, answered_at=long_ago, accepted=True)
    invitation("withdrawn long ago", long_ago - DAY, revoked_at=long_ago)
    invitation("expired long ago", long_ago - WEEK)
    invitation("answered recently", recently - DAY, answered_at=recently)
    invitation("withdrawn recently", recently - DAY, revoked_at=recently)
    invitation("expired recently", recently - WEEK)
    invitation("open", NOW - DAY)
    link = CoParentLink.objects.create(
        inviter=alice,
        inviter_child=noor,
        inviter_name="Mama",
        coparent=bob,
        coparent_child=ChildFactory(owner=bob),
        coparent_name="Papa",
    )

    assert removed("ended_coparent_invitations") == 3
    assert set(CoParentInvitation.objects.values_list("inviter_name", flat=True)) == {
        "answered recently",
        "withdrawn recently",
        "expired recently",
        "open",
    }
    assert CoParentLink.objects.filter(pk=link.pk).exists()
