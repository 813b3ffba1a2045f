"""Shared fixtures: an https test client, the three standing characters and a fast hasher.

The suite runs against the production settings (DEBUG off, HTTPS on), so the test client
speaks https just as a visitor of a real installation would. The signed-in clients have just
typed their password again (allauth's reauthentication), as a parent who is making a change
has; ``stale_parent_client`` is one who logged in a while ago.
"""

import pytest
from django.core.management import call_command
from django.test import Client, override_settings

from tests.factories import PASSWORD, UserFactory


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
