"""What the app keeps and writes about people: no more than the privacy page says.

Messages live in the server-side session, cookies are deleted with the flags they were set with,
files are readable by their owner only, sessions keep a device name and not the address, and the
logs hold no address, token or journal word.
"""

import datetime
import importlib
import os
import sqlite3
import stat
from contextlib import closing

import pytest
from allauth.usersessions.models import UserSession
from django.db.backends.sqlite3.base import DatabaseWrapper as SQLiteWrapper
from django.utils import timezone

from hechting.accounts.user_sessions import NO_ADDRESS
from hechting.lib import backups

mask_existing_sessions = importlib.import_module(
    "hechting.accounts.migrations.0005_mask_user_sessions"
).mask

pytestmark = pytest.mark.django_db

TODAY = timezone.localdate()


# --- Messages and cookies -----------------------------------------------------------------------


def test_messages_stay_on_the_server_not_in_a_cookie(parent_client):
    child = {"nickname": "Noor", "birth_year": "2021", "birth_month": "5"}
    response = parent_client.post("/nl/journal/children/", child)
    assert response.status_code == 303
    assert "messages" not in response.cookies
    page = parent_client.get(response["Location"])
    assert "messages" not in page.cookies
    assert "Noor" in page.content.decode()


def test_logging_in_says_hello_without_a_cookie_that_holds_the_address(client, parent, password):
    response = client.post("/nl/accounts/login/", {"login": parent.email, "password": password})
    assert response.status_code in {302, 303}
    assert "messages" not in response.cookies
    assert all(parent.email not in cookie.value for cookie in response.cookies.values())


def test_the_new_link_cookie_is_deleted_with_the_flags_it_was_set_with(parent_client):
    form = {
        "scope": "summaries",
        "period_kind": "month",
        "valid_until": (TODAY + datetime.timedelta(days=14)).isoformat(),
        "label": "",
        "child": "",
        "date_from": "",
        "date_to": "",
    }
    made = parent_client.post("/nl/share/", form)
    set_cookie = made.cookies["hechting_new_link"]
    shown = parent_client.get(made["Location"])
    deleted = shown.cookies["hechting_new_link"]
    assert deleted.value == ""
    assert deleted["max-age"] == 0
    for flag in ("secure", "httponly", "samesite", "path"):
        assert deleted[flag] == set_cookie[flag], flag
    assert deleted["secure"] is True


# --- Files readable by their owner only ---------------------------------------------------------


def _mode(path) -> int:
    return stat.S_IMODE(os.stat(path).st_mode)


def test_a_new_sqlite_database_and_its_wal_are_readable_by_their_owner_only(tmp_path):
    old_umask = os.umask(0o022)
    try:
        path = tmp_path / "hechting.sqlite3"
        database = {**_plain_sqlite(), "NAME": str(path), "OPTIONS": sqlite_options()}
        wrapper = SQLiteWrapper(database, alias="private-files")
        try:
            with wrapper.cursor() as cursor:
                cursor.execute("CREATE TABLE t (x INTEGER)")
                cursor.execute("INSERT INTO t VALUES (1)")
            assert (tmp_path / "hechting.sqlite3-wal").exists()
            for suffix in ("", "-wal", "-shm"):
                assert _mode(f"{path}{suffix}") == 0o600, suffix
        finally:
            wrapper.close()
    finally:
        os.umask(old_umask)


def test_an_existing_world_readable_database_is_closed_off_at_the_next_connection(tmp_path):
    path = tmp_path / "old.sqlite3"
    with closing(sqlite3.connect(path)) as db:
        db.execute("PRAGMA journal_mode=WAL")
        db.execute("CREATE TABLE t (x INTEGER)")
        db.commit()
        os.chmod(path, 0o644)
        wrapper = SQLiteWrapper({**_plain_sqlite(), "NAME": str(path)}, alias="old-file")
        try:
            wrapper.ensure_connection()
        finally:
            wrapper.close()
    assert _mode(path) == 0o600


def test_a_backup_is_readable_by_its_owner_only(tmp_path):
    old_umask = os.umask(0o022)
    try:
        source = tmp_path / "live.sqlite3"
        with closing(sqlite3.connect(source)) as db, db:
            db.execute("CREATE TABLE django_migrations (id INTEGER PRIMARY KEY, name TEXT)")
        database = {"ENGINE": backups.SQLITE_ENGINE, "NAME": str(source)}
        result = backups.take_backup(database, tmp_path / "backups", keep=3)
    finally:
        os.umask(old_umask)
    assert _mode(result.path) == 0o600


def sqlite_options() -> dict:
    """The production settings' SQLite options (WAL and all), whichever database the tests use."""
    from django.conf import settings as django_settings

    configured = django_settings.DATABASES["default"]
    if configured["ENGINE"] == backups.SQLITE_ENGINE:
        return dict(configured["OPTIONS"])
    return {"init_command": "PRAGMA journal_mode=WAL;", "transaction_mode": "IMMEDIATE"}


def _plain_sqlite() -> dict:
    return {
        "ENGINE": backups.SQLITE_ENGINE,
        "OPTIONS": {},
        "TEST": {},
        "ATOMIC_REQUESTS": False,
        "AUTOCOMMIT": True,
        "CONN_MAX_AGE": 0,
        "CONN_HEALTH_CHECKS": False,
        "TIME_ZONE": None,
        "USER": "",
        "PASSWORD": "",
        "HOST": "",
        "PORT": "",
    }


# --- Signed-in sessions -------------------------------------------------------------------------

FIREFOX_ANDROID = "Mozilla/5.0 (Android 14; Mobile; rv:131.0) Gecko/131.0 Firefox/131.0"


def test_a_login_keeps_the_device_name_and_no_address_or_browser_string(client, parent, password):
    client.post(
        "/nl/accounts/login/",
        {"login": parent.email, "password": password},
        HTTP_USER_AGENT=FIREFOX_ANDROID,
        REMOTE_ADDR="203.0.113.77",
    )
    session = UserSession.objects.get(user=parent)
    assert session.ip == NO_ADDRESS
    assert session.user_agent == "Firefox · Android"
    assert session.created_at.second == 0
    assert session.created_at.microsecond == 0
    page = client.get("/nl/accounts/sessions/", HTTP_USER_AGENT=FIREFOX_ANDROID)
    assert "Firefox · Android" in page.content.decode()


def test_the_migration_masks_the_sessions_kept_before(parent):
    from django.apps import apps

    session = UserSession.objects.create(
        user=parent, session_key="k" * 32, ip=NO_ADDRESS, user_agent="x"
    )
    UserSession.objects.filter(pk=session.pk).update(
        ip="198.51.100.4",
        user_agent=FIREFOX_ANDROID,
        created_at=timezone.now().replace(second=41),
    )
    mask_existing_sessions(apps, None)
    session.refresh_from_db()
    assert (session.ip, session.user_agent) == (NO_ADDRESS, "Firefox · Android")
    assert session.created_at.second == 0
