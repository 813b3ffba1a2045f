"""A release a self-hoster can trust: the locked packages, the version, security.txt, the
workflow and compose file that publish and use the image."""

import datetime
import tomllib
from pathlib import Path

import pytest
from django.conf import settings
from django.test import Client, override_settings
from django.utils import timezone

from hechting.lib import lockfile

ROOT = Path(__file__).resolve().parent.parent


def test_the_installed_packages_are_exactly_the_locked_versions():
    assert lockfile.differences(extras=("dev",)) == []


def test_the_lock_check_names_a_package_at_another_version(tmp_path):
    lock = (ROOT / "uv.lock").read_text()
    django = next(p for p in tomllib.loads(lock)["package"] if p["name"] == "django")
    changed = lock.replace(
        f'name = "django"\nversion = "{django["version"]}"', 'name = "django"\nversion = "1.0"'
    )
    (tmp_path / "uv.lock").write_text(changed)

    problems = lockfile.differences(lock_file=tmp_path / "uv.lock")

    assert problems == [f"django is {django['version']}, uv.lock has 1.0"]


def test_the_uv_requirement_carries_the_locked_hashes():
    line = lockfile.requirement("uv")
    assert line.startswith("uv==")
    assert line.count("--hash=sha256:") >= 10


def test_the_version_comes_from_pyproject():
    pyproject = tomllib.loads((ROOT / "pyproject.toml").read_text())
    assert pyproject["project"]["version"] == settings.VERSION


def test_the_changelog_has_upgrade_notes_for_this_version():
    changelog = (ROOT / "CHANGELOG.md").read_text()
    section = changelog.split(f"## {settings.VERSION} ", 1)[1].split("\n## ", 1)[0]
    assert "### Upgrade notes" in section


@pytest.mark.parametrize("language", ["nl", "en"])
def test_the_account_page_footer_shows_the_version(client, parent, language):
    client.force_login(parent)
    response = client.get(f"/{language}/account/")
    footer = response.text.split('<footer class="site-footer">', 1)[1]
    word = {"nl": "versie", "en": "version"}[language]
    assert f"Hechting {word} {settings.VERSION}" in footer


@pytest.mark.django_db
def test_other_pages_do_not_show_the_version(client):
    assert f"version {settings.VERSION}" not in client.get("/en/").text


@pytest.mark.django_db
@override_settings(SECURITY_CONTACT="mailto:security@example.org")
def test_security_txt_names_the_contact_and_expires_within_a_year(client):
    response = client.get("/.well-known/security.txt")

    assert response.status_code == 200
    assert response["Content-Type"] == "text/plain; charset=utf-8"
    fields = dict(line.split(": ", 1) for line in response.text.splitlines())
    assert fields["Contact"] == "mailto:security@example.org"
    assert fields["Canonical"] == "https://testserver/.well-known/security.txt"
    expires = datetime.datetime.fromisoformat(fields["Expires"])
    assert timezone.now() < expires < timezone.now() + datetime.timedelta(days=365)


@pytest.mark.django_db
@override_settings(SECURITY_CONTACT="")
def test_security_txt_is_not_there_without_a_contact(client):
    assert client.get("/.well-known/security.txt").status_code == 404


@pytest.mark.django_db
@override_settings(SECURITY_CONTACT="mailto:security@example.org")
def test_security_txt_answers_only_get(client):
    assert client.post("/.well-known/security.txt").status_code == 405


@pytest.mark.django_db
def test_security_txt_is_public_and_needs_no_login():
    response = Client().get("/.well-known/security.txt", secure=True)
    assert response.status_code in {200, 404}
    assert "login" not in response.get("Location", "")


def test_the_workflow_tests_every_push_and_publishes_a_scanned_multi_arch_image_on_a_tag():
    workflow = (ROOT / ".github" / "workflows" / "ci.yml").read_text()
    assert "run: bash .ci/run" in workflow
    assert 'tags: ["v*"]' in workflow
    assert "platforms: linux/amd64,linux/arm64" in workflow
    assert "sbom: true" in workflow
    assert "provenance: mode=max" in workflow
    assert "pip-audit" in workflow
    assert "--require-hashes" in workflow
    assert "images: ghcr.io/" in workflow
    assert "type=raw,value=latest" in workflow


def test_compose_runs_the_published_image_by_version_with_an_hourly_housekeeping_service():
    compose = (ROOT / "compose.yaml").read_text()
    assert f'image: "${{HECHTING_IMAGE:-ghcr.io/hechting/hechting:{settings.VERSION}}}"' in compose
    assert "build: ." in compose  # the documented alternative
    assert 'command: ["python", "manage.py", "housekeeping", "--every", "3600"]' in compose
