"""What the app keeps and writes about people: no more than the privacy page says.

Messages live in the server-side session, cookies are deleted with the flags they were set with,
files are readable by their owner only, sessions keep a device name and not the address, and the
logs hold no address, token or journal word.
"""

import base64
import datetime
import importlib
import os
import sqlite3
import stat
from contextlib import closing
from io import StringIO

import pytest
from allauth.usersessions.models import UserSession
from django.core.management import call_command
from django.db import connection
from django.db.backends.sqlite3.base import DatabaseWrapper as SQLiteWrapper
from django.db.migrations.executor import MigrationExecutor
from django.utils import timezone

from hechting.accounts.user_sessions import NO_ADDRESS
from hechting.lib import backups
from reflect.encryption import Sealed, SealError
from reflect.sharing.models import Invitation, ShareLink
from tests.sharing_helpers import make_invitation, make_link

mask_existing_sessions = importlib.import_module(
    "hechting.accounts.migrations.0005_mask_user_sessions"
).mask

pytestmark = pytest.mark.django_db


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
        "valid_until": (timezone.localdate() + datetime.timedelta(days=14)).isoformat(),
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


# --- Words about people in sharing are sealed like journal words --------------------------------


def _stored(model, pk, field):
    with connection.cursor() as cursor:
        table = connection.ops.quote_name(model._meta.db_table)
        cursor.execute(f"SELECT {field} FROM {table} WHERE id = %s", [pk])  # noqa: S608
        return cursor.fetchone()[0]


def test_a_share_links_label_and_client_name_are_stored_sealed(parent, counsellor):
    link, _token = make_link(parent, label="Mijn hulpverlener", client_name="Anna de Vries")
    link.counsellor = counsellor
    link.save()
    for field in ("label", "client_name"):
        assert _stored(ShareLink, link.pk, field).startswith("v1:")
    again = ShareLink.objects.get(pk=link.pk)
    assert (again.label, again.client_name) == ("Mijn hulpverlener", "Anna de Vries")


def test_an_invitations_note_is_stored_sealed(counsellor):
    invitation, _token = make_invitation(counsellor, note="Fijn dat je er bent, Anna.")
    assert _stored(Invitation, invitation.pk, "note").startswith("v1:")
    assert Invitation.objects.get(pk=invitation.pk).note == "Fijn dat je er bent, Anna."


def test_a_sealed_label_does_not_open_in_another_parents_link(parent, other_parent):
    link, _token = make_link(parent, label="Mijn hulpverlener")
    theirs, _token = make_link(other_parent)
    ShareLink.objects.filter(pk=theirs.pk).update(
        label=Sealed(_stored(ShareLink, link.pk, "label"))
    )
    with pytest.raises(SealError):
        _ = ShareLink.objects.get(pk=theirs.pk).label


def test_the_counsellors_dashboard_sorts_clients_by_their_opened_names(
    parent, other_parent, counsellor, counsellor_client
):
    for owner, name in ((parent, "Zoë"), (other_parent, "Anna")):
        link, _token = make_link(owner, client_name=name)
        link.counsellor = counsellor
        link.save()
    html = counsellor_client.get("/nl/share/dashboard/").content.decode()
    assert html.index("Anna") < html.index("Zoë")


@pytest.mark.django_db(transaction=True)
def test_the_migration_seals_the_labels_and_notes_kept_before():
    executor = MigrationExecutor(connection)
    latest = executor.loader.graph.leaf_nodes()
    before = [node for node in latest if node[0] != "sharing"] + [("sharing", "0001_initial")]
    executor.migrate(before)
    old = executor.loader.project_state(before).apps
    user = old.get_model("accounts", "User").objects.create(email="old@example.org")
    link = old.get_model("sharing", "ShareLink").objects.create(
        owner_id=user.pk,
        label="Voor Anna",
        client_name="Sam",
        token_hash="a" * 64,
        valid_until=timezone.localdate(),
    )
    invitation = old.get_model("sharing", "Invitation").objects.create(
        counsellor_id=user.pk, note="Welkom", token_hash="b" * 64, valid_until=timezone.localdate()
    )
    executor = MigrationExecutor(connection)
    executor.migrate(latest)

    assert _stored(ShareLink, link.pk, "label").startswith("v1:")
    assert _stored(Invitation, invitation.pk, "note").startswith("v1:")
    sealed = ShareLink.objects.get(pk=link.pk)
    assert (sealed.label, sealed.client_name) == ("Voor Anna", "Sam")
    assert Invitation.objects.get(pk=invitation.pk).note == "Welkom"


def test_key_rotation_re_encrypts_labels_client_names_and_notes(parent, counsellor, settings):
    old, new = (f"{kid}:" + base64.b64encode(os.urandom(32)).decode() for kid in ("k1", "k2"))
    settings.JOURNAL_KEYS = old
    link, _token = make_link(parent, label="Voor Anna", client_name="Sam")
    invitation, _token = make_invitation(counsellor, note="Welkom")
    settings.JOURNAL_KEYS = f"{new},{old}"
    output = StringIO()
    call_command("rotate_journal_key", stdout=output)
    assert "1 of 1 share links re-encrypted with key 'k2'" in output.getvalue()
    assert "1 of 1 invitations re-encrypted with key 'k2'" in output.getvalue()
    settings.JOURNAL_KEYS = new
    assert _stored(ShareLink, link.pk, "client_name").startswith("v1:k2:")
    assert ShareLink.objects.get(pk=link.pk).label == "Voor Anna"
    assert Invitation.objects.get(pk=invitation.pk).note == "Welkom"


# --- The privacy page says what is stored -------------------------------------------------------


@pytest.mark.parametrize(
    ("language", "sentences"),
    [
        (
            "nl",
            [
                "Niet je internetadres",
                "De naam die je een deellink geeft, en de naam waarmee je jezelf aan een "
                "hulpverlener laat zien: versleuteld.",
                "Het persoonlijke bericht bij een uitnodiging: versleuteld.",
                "geen zoekwoorden en geen woorden uit je dagboek",
                "De roepnaam en geboortemaand van je kinderen: niet versleuteld",
            ],
        ),
        (
            "en",
            [
                "Not your internet address",
                "The name you give a share link, and the name you give yourself for a "
                "counsellor: encrypted.",
                "The personal note on an invitation: encrypted.",
                "no search words and no journal words",
                "nickname and birth month: not encrypted",
            ],
        ),
    ],
)
def test_the_privacy_page_says_field_by_field_what_is_encrypted(client, language, sentences):
    html = client.get(f"/{language}/privacy/").content.decode()
    for sentence in sentences:
        assert sentence in html
