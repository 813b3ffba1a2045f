"""Shared fixtures: an https test client, the three standing characters and a fast hasher.

The suite runs against the production settings (DEBUG off, HTTPS on), so the test client
speaks https just as a visitor of a real installation would.
"""

import pytest
from django.core.cache import caches
from django.core.management import call_command
from django.test import Client, override_settings
from hypothesis import settings as hypothesis_settings

from tests.factories import PASSWORD, UserFactory

# Hypothesis: no deadline per example. A request's time depends on how busy the machine is, and
# a test must not fail for that (each test still sets its own number of examples).
hypothesis_settings.register_profile("hechting", deadline=None)
hypothesis_settings.load_profile("hechting")


class HttpsClient(Client):
    """Django's test client, always over https (the settings redirect plain http)."""

    def generic(
        self, method, path, data="", content_type="application/octet-stream", secure=True, **extra
    ):
        return super().generic(method, path, data, content_type, secure=True, **extra)


@pytest.fixture(scope="session", autouse=True)
def collected_static(tmp_path_factory):
    """Collect static files once per run into a private folder (hashed names, as in production)."""
    static_root = tmp_path_factory.mktemp("static")
    with override_settings(STATIC_ROOT=static_root):
        call_command("collectstatic", interactive=False, verbosity=0)
        yield static_root


@pytest.fixture(autouse=True)
def fast_password_hasher(settings):
    settings.PASSWORD_HASHERS = ["django.contrib.auth.hashers.MD5PasswordHasher"]


@pytest.fixture(autouse=True)
def no_kept_pages():
    """Every test starts without kept pages (hechting/page_cache.py), which stay switched on."""
    caches["pages"].clear()


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


@pytest.fixture
def parent_client(parent):
    client = HttpsClient()
    client.force_login(parent)
    return client


@pytest.fixture
def other_parent_client(other_parent):
    client = HttpsClient()
    client.force_login(other_parent)
    return client


@pytest.fixture
def counsellor_client(counsellor):
    client = HttpsClient()
    client.force_login(counsellor)
    return client
