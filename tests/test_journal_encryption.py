"""The journal's words at rest: sealed with AES-256-GCM, bound to their row, keys that rotate.

Runs on SQLite and PostgreSQL (the raw column checks read what the database really holds); the
file test runs `manage.py` on its own SQLite database, whatever database the suite uses.
"""

import base64
import os
import subprocess
import sys
from io import StringIO
from pathlib import Path

import pytest
from django.core.exceptions import FieldError, ImproperlyConfigured
from django.core.management import call_command
from django.db import connection
from django.db.migrations.executor import MigrationExecutor
from django.test.utils import CaptureQueriesContext

from reflect import checks, encryption
from reflect.models import Moment
from reflect.summaries import recent_quotes
from tests.factories import MomentFactory

REPO = Path(__file__).resolve().parent.parent
MARKER = "Marker sentence: the blue kite flew over the dike at dawn."


def a_key(kid: str) -> str:
    return f"{kid}:{base64.b64encode(os.urandom(32)).decode()}"


def stored(moment: Moment, field: str = "what_happened") -> str:
    """The value exactly as the database holds it."""
    table = connection.ops.quote_name(Moment._meta.db_table)
    with connection.cursor() as cursor:
        cursor.execute(f"SELECT {field} FROM {table} WHERE id = %s", [moment.pk])  # noqa: S608
        return cursor.fetchone()[0]


def store_raw(moment: Moment, field: str, value: str) -> None:
    table = connection.ops.quote_name(Moment._meta.db_table)
    with connection.cursor() as cursor:
        cursor.execute(f"UPDATE {table} SET {field} = %s WHERE id = %s", [value, moment.pk])  # noqa: S608


# --- In the database ----------------------------------------------------------------------------


@pytest.mark.django_db
def test_the_words_are_stored_sealed_and_read_back_as_written(parent):
    moment = MomentFactory(owner=parent, what_happened=MARKER, felt="Tired, then warm")
    raw = stored(moment)
    assert raw.startswith("v1:dev:")
    assert "blue kite" not in raw
    assert "Tired" not in stored(moment, "felt")
    again = Moment.objects.get(pk=moment.pk)
    assert again.what_happened == MARKER
    assert again.felt == "Tired, then warm"


@pytest.mark.django_db
def test_the_same_words_twice_look_different_at_rest(parent):
    one = MomentFactory(owner=parent, what_happened=MARKER)
    two = MomentFactory(owner=parent, what_happened=MARKER)
    assert stored(one) != stored(two)


@pytest.mark.django_db
def test_an_empty_optional_field_stays_empty_so_the_look_back_can_skip_it(parent):
    moment = MomentFactory(owner=parent, what_happened="At the park", what_helped="")
    assert stored(moment, "what_helped") == ""
    assert Moment.objects.filter(what_helped="").get() == moment


@pytest.mark.django_db
def test_words_moved_to_another_row_do_not_open(parent, other_parent):
    source = MomentFactory(owner=parent, what_happened=MARKER)
    same_parent = MomentFactory(owner=parent, what_happened="Something else")
    other = MomentFactory(owner=other_parent, what_happened="Something else")
    for target in (same_parent, other):
        store_raw(target, "what_happened", stored(source))
        with pytest.raises(encryption.SealError):
            _ = Moment.objects.get(pk=target.pk).what_happened


@pytest.mark.django_db
def test_words_moved_to_another_field_of_the_same_row_do_not_open(parent):
    moment = MomentFactory(owner=parent, what_happened=MARKER, felt="Calm")
    store_raw(moment, "felt", stored(moment, "what_happened"))
    with pytest.raises(encryption.SealError):
        _ = Moment.objects.get(pk=moment.pk).felt


@pytest.mark.django_db
def test_filtering_on_the_words_is_refused(parent):
    MomentFactory(owner=parent, what_happened=MARKER)
    with pytest.raises(FieldError):
        list(Moment.objects.filter(what_happened__icontains="kite"))
    with pytest.raises(ValueError, match="encrypted"):
        list(Moment.objects.filter(what_happened=MARKER))


@pytest.mark.django_db
def test_search_finds_only_the_parents_own_moments_in_one_query(parent, other_parent):
    mine = MomentFactory(owner=parent, what_helped="Singing softly at BEDTIME")
    MomentFactory(owner=parent, what_happened="The park")
    MomentFactory(owner=other_parent, what_happened="bedtime at Bob's")
    with CaptureQueriesContext(connection) as captured:
        found = list(Moment.objects.search(parent, "bedtime"))
    assert len(captured) == 1  # the index answers in the same query that reads the moments
    assert found == [mine]


@pytest.mark.django_db
def test_the_look_back_quotes_what_helped_in_the_parents_words(parent):
    MomentFactory(owner=parent, what_helped="A warm bath together")
    MomentFactory(owner=parent, repaired=True, repair_how="We made up with a hug")
    quotes = {quote.text for quote in recent_quotes(Moment.objects.for_owner(parent))}
    assert quotes == {"A warm bath together", "We made up with a hug"}


# --- Keys ---------------------------------------------------------------------------------------


@pytest.mark.django_db
def test_rotation_re_encrypts_every_moment_with_the_new_key(parent, other_parent, settings):
    old, new = a_key("k1"), a_key("k2")
    settings.JOURNAL_KEYS = old
    moments = [MomentFactory(owner=parent, what_happened=f"{MARKER} {n}") for n in range(5)]
    moments.append(MomentFactory(owner=other_parent, repaired=True, what_helped="Time"))
    assert all(stored(moment).startswith("v1:k1:") for moment in moments)

    settings.JOURNAL_KEYS = f"{new},{old}"  # the new key first, the old one still readable
    assert Moment.objects.get(pk=moments[0].pk).what_happened == f"{MARKER} 0"
    output = StringIO()
    call_command("rotate_journal_key", "--batch-size", "2", stdout=output)
    assert "6 of 6 moments re-encrypted with key 'k2'" in output.getvalue()
    for moment in moments:
        for field in ("what_happened", "what_helped", "repair_how"):
            value = stored(moment, field)
            assert value == "" or value.startswith("v1:k2:")

    settings.JOURNAL_KEYS = new  # the old key can go
    assert Moment.objects.get(pk=moments[0].pk).what_happened == f"{MARKER} 0"
    assert Moment.objects.get(pk=moments[-1].pk).repair_how == moments[-1].repair_how
    output = StringIO()
    call_command("rotate_journal_key", stdout=output)
    assert "0 of 6 moments" in output.getvalue()


@pytest.mark.django_db
def test_without_the_old_key_the_words_do_not_open(parent, settings):
    settings.JOURNAL_KEYS = a_key("k1")
    moment = MomentFactory(owner=parent, what_happened=MARKER)
    settings.JOURNAL_KEYS = a_key("k2")
    with pytest.raises(encryption.SealError, match="No key 'k1'"):
        _ = Moment.objects.get(pk=moment.pk).what_happened


@pytest.mark.parametrize(
    ("value", "problem"),
    [
        ("just-a-key", "must look like"),
        ("k 1:" + "A" * 43 + "=", "must look like"),
        ("k1:c2hvcnQ=", "32 random bytes"),
        ("k1:%%%%", "not base64"),
        (f"k1:{'A' * 43}=,k1:{'B' * 43}=", "appears twice"),
        (" , ", "holds no key"),
    ],
)
def test_a_malformed_key_list_is_refused_with_a_clear_message(value, problem):
    with pytest.raises(ImproperlyConfigured, match=problem):
        encryption.parse_keys(value)


def test_the_first_key_listed_is_the_current_one():
    ring = encryption.parse_keys(f"{a_key('new')}, {a_key('old')}")
    assert ring.current == "new"
    assert set(ring.keys) == {"new", "old"}


def test_a_production_start_without_keys_refuses_to_seal_anything(settings):
    settings.DEBUG = False
    settings.SECRET_KEY = "a-real-production-secret-" + "q" * 40
    settings.JOURNAL_KEYS = ""
    with pytest.raises(ImproperlyConfigured, match="JOURNAL_KEYS is not set"):
        encryption.keyring()
    assert [error.id for error in checks.journal_keys_are_set()] == ["reflect.E001"]


def test_development_derives_a_key_and_a_configured_key_satisfies_the_deploy_check(settings):
    settings.DEBUG = True
    settings.SECRET_KEY = "a-real-production-secret-" + "q" * 40
    settings.JOURNAL_KEYS = ""
    assert encryption.keyring().current == "dev"
    settings.JOURNAL_KEYS = a_key("k1")
    assert checks.journal_keys_are_set() == []


# --- Existing rows ------------------------------------------------------------------------------


@pytest.mark.django_db(transaction=True)
def test_the_migration_gives_existing_rows_uids_and_seals_their_words(parent):
    executor = MigrationExecutor(connection)
    executor.migrate([("reflect", "0002_uids")])
    executor.loader.build_graph()
    old_apps = executor.loader.project_state([("reflect", "0002_uids")]).apps
    OldMoment = old_apps.get_model("reflect", "Moment")
    rows = [
        OldMoment.objects.create(owner_id=parent.pk, what_happened=f"{MARKER} {n}", felt="")
        for n in range(3)
    ]
    executor = MigrationExecutor(connection)
    executor.migrate(executor.loader.graph.leaf_nodes())

    moments = list(Moment.objects.filter(pk__in=[row.pk for row in rows]).order_by("pk"))
    assert len({moment.uid for moment in moments}) == 3
    assert [moment.what_happened for moment in moments] == [f"{MARKER} {n}" for n in range(3)]
    assert all(stored(moment).startswith("v1:dev:") for moment in moments)
    assert all(stored(moment, "felt") == "" for moment in moments)


# --- On disk ------------------------------------------------------------------------------------

WRITE_AND_BACK_UP = """
import shutil
from django.conf import settings
from django.core.management import call_command
from tests.factories import ChildFactory, MomentFactory, UserFactory

parent = UserFactory(email="disk@example.org")
child = ChildFactory(owner=parent, nickname="Zonnebloem")
MomentFactory(owner=parent, child=child, what_happened=MARKER, what_helped=MARKER, mismatch=True)
wal = settings.DATA_DIR / "hechting.sqlite3-wal"
shutil.copy(wal, settings.DATA_DIR / "wal-while-running")
call_command("backup", "--label", "marker")
"""


def test_a_marker_sentence_is_in_neither_the_sqlite_file_its_wal_nor_a_backup(tmp_path):
    env = {
        **{k: v for k, v in os.environ.items() if k not in {"DATABASE_URL", "DEBUG"}},
        "DATA_DIR": str(tmp_path),
        "SECRET_KEY": "a-production-like-secret-" + "z" * 40,
        "JOURNAL_KEYS": a_key("k1"),
        "PYTHONPATH": str(REPO),
    }

    def manage(*args):
        result = subprocess.run(
            [sys.executable, "manage.py", *args],
            cwd=REPO,
            env=env,
            capture_output=True,
            text=True,
            timeout=120,
            check=False,
        )
        assert result.returncode == 0, result.stderr
        return result

    manage("migrate", "-v0")
    manage("shell", "-c", f"MARKER = {MARKER!r}\n{WRITE_AND_BACK_UP}")
    backups = list((tmp_path / "backups").glob("hechting-*-marker.sqlite3"))
    files = {
        "database": (tmp_path / "hechting.sqlite3").read_bytes(),
        "wal": (tmp_path / "wal-while-running").read_bytes(),
        "backup": backups[0].read_bytes(),
    }
    # The nickname is not encrypted (see docs/privacy-and-encryption.md): it proves the write
    # reached the WAL and the backup, so the marker's absence means something.
    assert b"Zonnebloem" in files["wal"]
    assert b"Zonnebloem" in files["backup"]
    for name, content in files.items():
        assert MARKER.encode() not in content, name
        assert b"blue kite" not in content, name
