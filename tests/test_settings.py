"""Settings come from the environment; bad values stop the app with a clear message."""

import base64
import os
import secrets
import sqlite3
import subprocess
import sys
from pathlib import Path

import pytest
from django.conf import settings

import hechting.settings as project_settings
from hechting.hashers import HechtingArgon2PasswordHasher

ROOT = Path(__file__).resolve().parent.parent
# The child process gets the environment of a real start, not the one of this test run.
SCRUBBED = {"DATABASE_URL", "DEBUG", "HTTPS", "DJANGO_ALLOW_ASYNC_UNSAFE"}


def _run(code: str, **env) -> subprocess.CompletedProcess:
    clean = {k: v for k, v in os.environ.items() if k not in SCRUBBED}
    return subprocess.run(
        [sys.executable, "-c", code],
        cwd=ROOT,
        env={**clean, "DJANGO_SETTINGS_MODULE": "hechting.settings", **env},
        capture_output=True,
        text=True,
        timeout=60,
    )


def _manage(*args, **env) -> subprocess.CompletedProcess:
    clean = {k: v for k, v in os.environ.items() if k not in SCRUBBED}
    return subprocess.run(
        [sys.executable, "manage.py", *args],
        cwd=ROOT,
        env={**clean, **env},
        capture_output=True,
        text=True,
        timeout=120,
    )


@pytest.mark.parametrize(
    ("name", "value"),
    [
        ("DEBUG", "maybe"),
        ("HTTPS", "sometimes"),
        ("SESSION_COOKIE_AGE", "two weeks"),
        ("DATABASE_URL", "mysql://root@localhost/hechting"),
        ("EMAIL_URL", "ftp://mail.example.org"),
        ("CSRF_TRUSTED_ORIGINS", "hechting.example.org"),
        ("LOG_LEVEL", "LOUD"),
        ("TRUSTED_PROXY_COUNT", "one"),
        ("SECRET_KEY_FILE", "/does/not/exist"),
        ("JOURNAL_KEYS", "k1:not-a-32-byte-key"),
        ("JOURNAL_KEYS_FILE", "/does/not/exist"),
        ("DB_WAIT_TIMEOUT", "a minute"),
        ("BACKUP_BEFORE_MIGRATE", "perhaps"),
        ("BACKUP_KEEP", "0"),
        ("BACKUP_KEEP", "-1"),
        ("BACKUP_KEEP", "many"),
        ("SECURITY_CONTACT", "call us"),
        ("SECURITY_CONTACT", "http://example.org/security"),
        ("SECURITY_CONTACT", "mailto:a@example.org\nContact: mailto:b@example.org"),
    ],
)
def test_a_bad_value_stops_the_app_and_names_the_variable(name, value):
    result = _run("import django; django.setup()", **{name: value})
    assert result.returncode != 0
    assert "ImproperlyConfigured" in result.stderr
    assert name.removesuffix("_FILE") in result.stderr


def test_the_secret_key_can_come_from_a_file(tmp_path):
    key = secrets.token_urlsafe(50)
    (tmp_path / "key").write_text(key + "\n")
    result = _run(
        "from django.conf import settings; print(settings.SECRET_KEY)",
        SECRET_KEY_FILE=str(tmp_path / "key"),
    )
    assert result.stdout.strip() == key


def test_email_url_configures_smtp_with_tls():
    result = _run(
        "from django.conf import settings; o = settings.MAILERS['default']['OPTIONS'];"
        "print(o['host'], o['port'], o['username'], o['password'], o['use_tls'])",
        EMAIL_URL="smtp://mailer:s%40cret@mail.example.org:2525?tls=1",
    )
    assert result.stdout.split() == ["mail.example.org", "2525", "mailer", "s@cret", "True"]


def test_without_email_settings_mail_goes_to_the_console():
    # Django's console backend, printing the text as written (hechting/lib/console_mail.py).
    assert (
        project_settings.MAILERS["default"]["BACKEND"] == "hechting.lib.console_mail.EmailBackend"
    )


def test_the_proxies_that_pass_the_visitors_address_come_from_the_environment():
    code = (
        "from django.conf import settings;"
        "print(settings.ALLAUTH_TRUSTED_PROXY_COUNT, settings.ALLAUTH_TRUSTED_CLIENT_IP_HEADER)"
    )
    assert _run(code).stdout.split() == ["0", "None"]  # nothing forwarded is believed
    result = _run(code, TRUSTED_PROXY_COUNT="2", TRUSTED_CLIENT_IP_HEADER="X-Real-IP")
    assert result.stdout.split() == ["2", "X-Real-IP"]


def test_behind_a_proxy_the_forwarded_protocol_is_trusted():
    result = _run(
        "from django.conf import settings; print(settings.SECURE_PROXY_SSL_HEADER)",
        BEHIND_PROXY="1",
    )
    assert "HTTP_X_FORWARDED_PROTO" in result.stdout


def test_debug_is_off_by_default_and_https_follows_it():
    assert project_settings.DEBUG is False
    assert project_settings.HTTPS is True
    result = _run("from django.conf import settings; print(settings.HTTPS)", DEBUG="1")
    assert result.stdout.strip() == "False"


def test_sqlite_uses_wal_immediate_transactions_and_a_busy_timeout(tmp_path):
    if settings.DATABASES["default"]["ENGINE"].endswith("sqlite3"):
        options = settings.DATABASES["default"]["OPTIONS"]
        assert options["transaction_mode"] == "IMMEDIATE"
        assert options["timeout"] >= 5
    result = _manage("migrate", "-v0", DATA_DIR=str(tmp_path))
    assert result.returncode == 0, result.stderr
    database = sqlite3.connect(tmp_path / "hechting.sqlite3")
    assert database.execute("PRAGMA journal_mode").fetchone()[0] == "wal"
    assert database.execute("SELECT count(*) FROM hechting_cache").fetchone()[0] == 0


def test_time_is_stored_in_utc_and_shown_in_amsterdam():
    assert settings.USE_TZ is True
    assert settings.TIME_ZONE == "Europe/Amsterdam"


def test_argon2id_is_the_first_hasher_sized_for_a_small_server():
    assert project_settings.PASSWORD_HASHERS[0] == "hechting.hashers.HechtingArgon2PasswordHasher"
    encoded = HechtingArgon2PasswordHasher().encode("a calm evening walk", "saltsaltsaltsalt")
    assert encoded.startswith("argon2$argon2id$v=19$m=19456,t=2,p=1$")


def test_deploy_checks_pass_with_production_values(tmp_path):
    result = _manage(
        "check",
        "--deploy",
        "--fail-level",
        "WARNING",
        SECRET_KEY=secrets.token_urlsafe(50),
        ALLOWED_HOSTS="hechting.example.org",
        CSRF_TRUSTED_ORIGINS="https://hechting.example.org",
        EMAIL_URL="smtp://hechting:secret@mail.example.org:587?tls=1",
        JOURNAL_KEYS="k1:" + base64.b64encode(secrets.token_bytes(32)).decode(),
        DATA_DIR=str(tmp_path),
        STATIC_ROOT=str(_collected(tmp_path / "static")),
    )
    assert result.returncode == 0, result.stdout + result.stderr


def _collected(static_root: Path) -> Path:
    """A STATIC_ROOT as collectstatic leaves it, as far as the start-up check looks."""
    static_root.mkdir()
    (static_root / "staticfiles.json").write_text('{"paths": {}, "version": "1.1", "hash": ""}')
    return static_root


def test_with_debug_off_and_no_collected_static_files_the_checks_say_what_to_do(tmp_path):
    result = _manage("check", DATA_DIR=str(tmp_path), STATIC_ROOT=str(tmp_path / "static"))
    assert "hechting.W001" in result.stderr
    assert "static files have not been collected" in result.stderr
    assert "manage.py collectstatic" in result.stderr  # the hint
    strict = _manage(
        "check",
        "--fail-level",
        "WARNING",
        DATA_DIR=str(tmp_path),
        STATIC_ROOT=str(tmp_path / "static"),
    )
    assert strict.returncode != 0


def test_with_collected_static_files_or_debug_on_the_check_is_quiet(tmp_path):
    collected = _manage(
        "check", DATA_DIR=str(tmp_path), STATIC_ROOT=str(_collected(tmp_path / "static"))
    )
    assert collected.returncode == 0, collected.stderr
    assert "hechting.W001" not in collected.stderr
    debug = _manage("check", DATA_DIR=str(tmp_path), DEBUG="1", STATIC_ROOT=str(tmp_path / "x"))
    assert debug.returncode == 0, debug.stderr
    assert "hechting.W001" not in debug.stderr


def test_the_web_server_refuses_to_start_without_collected_static_files(tmp_path):
    code = "import hechting.wsgi"
    missing = _run(code, DATA_DIR=str(tmp_path), STATIC_ROOT=str(tmp_path / "static"))
    assert missing.returncode != 0
    assert "ImproperlyConfigured: DEBUG is off and the static files" in missing.stderr
    assert "collectstatic" in missing.stderr.splitlines()[-1]
    present = _run(code, DATA_DIR=str(tmp_path), STATIC_ROOT=str(_collected(tmp_path / "s")))
    assert present.returncode == 0, present.stderr


def test_deploy_checks_refuse_a_production_start_without_journal_keys(tmp_path):
    result = _manage(
        "check",
        "--deploy",
        SECRET_KEY=secrets.token_urlsafe(50),
        ALLOWED_HOSTS="hechting.example.org",
        DATA_DIR=str(tmp_path),
        JOURNAL_KEYS="",
    )
    assert result.returncode != 0
    assert "reflect.E001" in result.stderr
    assert "JOURNAL_KEYS is not set" in result.stderr


def test_deploy_checks_refuse_the_development_secret_key(tmp_path):
    result = _manage(
        "check", "--deploy", "--fail-level", "WARNING", DATA_DIR=str(tmp_path), SECRET_KEY=""
    )
    assert result.returncode != 0
    assert "SECRET_KEY" in result.stdout + result.stderr


@pytest.mark.parametrize(
    ("value", "contact"),
    [
        ("security@example.org", "mailto:security@example.org"),
        ("mailto:security@example.org", "mailto:security@example.org"),
        ("https://example.org/security", "https://example.org/security"),
        ("", ""),
    ],
)
def test_the_security_contact_is_an_email_address_or_an_https_page(value, contact):
    result = _run(
        "from django.conf import settings; print(repr(settings.SECURITY_CONTACT))",
        SECURITY_CONTACT=value,
    )
    assert result.stdout.strip() == repr(contact), result.stderr
