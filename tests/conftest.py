"""Shared fixtures: an https test client, the three standing characters and a fast hasher.

The suite runs against the production settings (DEBUG off, HTTPS on), so the test client
speaks https just as a visitor of a real installation would. The signed-in clients have just
typed their password again (allauth's reauthentication), as a parent who is making a change
has; ``stale_parent_client`` is one who logged in a while ago.
"""

import fcntl
import os
from pathlib import Path

import pytest
from django.conf import settings as django_settings
from django.core.management import call_command
from django.test import Client, override_settings
from django.utils import translation
from hypothesis import settings as hypothesis_settings

from tests.factories import PASSWORD, UserFactory

# Hypothesis: no deadline per example. A request's time depends on how busy the machine is, and
# a test must not fail for that. The properties that post forms through the test client take
# their number of examples from the profile: 50 in every run, 200 with HYPOTHESIS_PROFILE=thorough
# (before a release, or after changing a form or the import). The others set their own number.
hypothesis_settings.register_profile("hechting", deadline=None, max_examples=50)
hypothesis_settings.register_profile("thorough", deadline=None, max_examples=200)
hypothesis_settings.load_profile(os.environ.get("HYPOTHESIS_PROFILE") or "hechting")


class HttpsClient(Client):
    """Django's test client, always over https (the settings redirect plain http)."""

    def generic(
        self, method, path, data="", content_type="application/octet-stream", secure=True, **extra
    ):
        return super().generic(method, path, data, content_type, secure=True, **extra)


SOURCE_STATIC = Path(__file__).resolve().parent.parent / "static"


@pytest.fixture(autouse=True)
def plain_static(settings):
    """Most tests need no built files: static addresses without hashes, served from the source.

    Tests that look at what production serves (hashed names, compressed copies) ask for
    :func:`built_static` instead, and only they wait for ``collectstatic``.
    """
    settings.STORAGES = {**settings.STORAGES, "staticfiles": {"BACKEND": PLAIN_STORAGE}}
    settings.STATIC_ROOT = SOURCE_STATIC


PLAIN_STORAGE = "django.contrib.staticfiles.storage.StaticFilesStorage"
BUILT_STORAGES = django_settings.STORAGES


@pytest.fixture(scope="session")
def collected_static(tmp_path_factory, worker_id):
    """Static files collected as in production, once a run: the parallel workers share them."""
    shared = tmp_path_factory.getbasetemp()
    if worker_id != "master":
        shared = shared.parent
    static_root = shared / "static"
    with (shared / "static.lock").open("w") as lock:
        fcntl.flock(lock, fcntl.LOCK_EX)  # one worker collects, the others wait for it
        if not (static_root / "staticfiles.json").exists():
            with override_settings(STATIC_ROOT=static_root, STORAGES=BUILT_STORAGES):
                call_command("collectstatic", interactive=False, verbosity=0)
    return static_root


@pytest.fixture
def built_static(collected_static, settings):
    """This test sees the static files as production serves them (hashed, compressed)."""
    settings.STORAGES = BUILT_STORAGES
    settings.STATIC_ROOT = collected_static
    return collected_static


@pytest.fixture(autouse=True)
def default_language():
    """Every test starts in the default language, whatever the test before it activated."""
    translation.activate(django_settings.LANGUAGE_CODE)
    yield
    translation.activate(django_settings.LANGUAGE_CODE)


@pytest.fixture(autouse=True)
def fast_password_hasher(settings):
    settings.PASSWORD_HASHERS = ["django.contrib.auth.hashers.MD5PasswordHasher"]


@pytest.fixture(autouse=True)
def no_rest_between_import_batches(settings):
    """An import rests between its batches on SQLite (other parents' saves); tests need not."""
    settings.IMPORT_BATCH_PAUSE = 0


@pytest.fixture
def client():
    return HttpsClient()


@pytest.fixture
def password():
    return PASSWORD


@pytest.fixture
def parent(db):
    """Alice: the parent whose journal we look at."""
    return UserFactory(email="alice@example.org")


@pytest.fixture
def other_parent(db):
    """Bob: another parent, who must never see Alice's journal."""
    return UserFactory(email="bob@example.org")


@pytest.fixture
def counsellor(db):
    """Charlie: a counsellor, who sees nothing unless a parent shares it."""
    from reflect.sharing.models import CounsellorProfile

    user = UserFactory(email="charlie@example.org", display_name="Charlie")
    CounsellorProfile.objects.get_or_create(
        user=user, defaults={"name": "Charlie", "practice": "Praktijk De Linde"}
    )
    return user


def reauthenticate(client, password: str = PASSWORD) -> None:
    """Type the password again, as allauth asks before a sensitive change."""
    response = client.post("/nl/accounts/reauthenticate/", {"password": password})
    assert response.status_code == 302, response.status_code


def signed_in(user, *, fresh: bool = True) -> HttpsClient:
    client = HttpsClient()
    client.force_login(user)
    if fresh:
        reauthenticate(client)
    return client


@pytest.fixture
def parent_client(parent):
    return signed_in(parent)


@pytest.fixture
def stale_parent_client(parent):
    """Alice, signed in but without a recent password: someone holding her unlocked phone."""
    return signed_in(parent, fresh=False)


@pytest.fixture
def other_parent_client(other_parent):
    return signed_in(other_parent)


@pytest.fixture
def counsellor_client(counsellor):
    return signed_in(counsellor)
