"""Sign up, log in and out, reset and change the password, change the email address."""

import re

import pytest
from allauth.account.models import EmailAddress
from django.contrib.auth import get_user_model
from django.core.cache import cache

pytestmark = pytest.mark.django_db

User = get_user_model()
GOOD_PASSWORD = "warm soup on a cold night"


def test_a_parent_signs_up_with_email_and_password_only(client, mailoutbox):
    page = client.get("/nl/accounts/signup/")
    assert page.status_code == 200
    assert 'name="username"' not in page.text
    response = client.post(
        "/nl/accounts/signup/",
        {"email": "Nieuw@Example.org", "password1": GOOD_PASSWORD, "password2": GOOD_PASSWORD},
    )
    assert response.status_code == 302
    user = User.objects.get()
    assert user.email == "nieuw@example.org"
    assert user.check_password(GOOD_PASSWORD)
    # In once the address is confirmed (tests/test_account_trust.py follows the whole way).
    link = re.search(r"https?://[^/\s]+(/nl/accounts/confirm-email/\S+)", mailoutbox[0].body)
    client.post(link.group(1))
    assert client.get("/nl/account/").status_code == 200


def test_signing_up_sends_a_confirmation_mail_in_the_visitors_language(client, mailoutbox):
    client.post(
        "/en/accounts/signup/",
        {"email": "new@example.org", "password1": GOOD_PASSWORD, "password2": GOOD_PASSWORD},
    )
    assert len(mailoutbox) == 1
    assert mailoutbox[0].to == ["new@example.org"]
    assert mailoutbox[0].subject == "[Hechting] Is this your email address?"


@pytest.mark.parametrize(
    ("password", "message"),
    [
        ("kort123", "Dit wachtwoord is te kort. Het moet minstens 12 tekens lang zijn."),
        ("qwerty123456", "Dit wachtwoord komt te vaak voor."),
        ("918273645546372819", "Dit wachtwoord bestaat alleen uit cijfers."),
    ],
)
def test_a_weak_password_is_refused_with_a_dutch_reason_and_the_email_kept(
    client, password, message
):
    response = client.post(
        "/nl/accounts/signup/",
        {"email": "keep@example.org", "password1": password, "password2": password},
    )
    assert response.status_code == 200
    assert message in response.text
    assert 'value="keep@example.org"' in response.text
    assert not User.objects.exists()


def test_the_password_rules_are_explained_in_english_too(client):
    response = client.get("/en/accounts/signup/")
    assert "Your password must contain at least 12 characters." in response.text


def test_an_email_address_can_hold_only_one_account(client, parent):
    response = client.post(
        "/nl/accounts/signup/",
        {"email": parent.email, "password1": GOOD_PASSWORD, "password2": GOOD_PASSWORD},
    )
    assert User.objects.count() == 1
    assert response.status_code in {200, 302}


def test_a_parent_logs_in_and_lands_in_the_journal(client, parent, password):
    response = client.post("/nl/accounts/login/", {"login": parent.email, "password": password})
    assert response.status_code == 302
    assert response["Location"] == "/nl/journal/"


def test_a_wrong_password_keeps_the_email_and_explains_in_dutch(client, parent):
    response = client.post("/nl/accounts/login/", {"login": parent.email, "password": "nope"})
    assert response.status_code == 200
    assert f'value="{parent.email}"' in response.text
    assert "wachtwoord is niet correct" in response.text


def test_logging_out_needs_a_post(parent_client):
    assert parent_client.get("/nl/accounts/logout/").status_code == 200
    assert parent_client.get("/nl/account/").status_code == 200
    response = parent_client.post("/nl/accounts/logout/")
    assert response.status_code == 302
    assert parent_client.get("/nl/account/").status_code == 302


def test_after_five_failed_logins_the_right_password_must_wait_on_that_client(
    client, parent, password, settings
):
    cache.clear()
    for _ in range(5):
        client.post("/nl/accounts/login/", {"login": parent.email, "password": "wrong guess"})
    response = client.post("/nl/accounts/login/", {"login": parent.email, "password": password})
    assert response.status_code == 200
    assert "Te veel inlogpogingen" in response.text
    assert "_auth_user_id" not in client.session
    assert settings.CACHES["default"]["BACKEND"].endswith("DatabaseCache")


def test_the_failed_login_counter_lives_in_the_database_cache(client, parent):
    from django.db import connection

    cache.clear()
    client.post("/nl/accounts/login/", {"login": parent.email, "password": "wrong guess"})
    with connection.cursor() as cursor:
        cursor.execute("SELECT count(*) FROM hechting_cache")
        assert cursor.fetchone()[0] >= 1


def test_many_sign_ups_from_one_address_get_a_calm_429_page(client, settings):
    cache.clear()
    # Two a day: no run is slow enough for the window to roll over between the posts.
    settings.ACCOUNT_RATE_LIMITS = {**settings.ACCOUNT_RATE_LIMITS, "signup": "2/d/ip"}
    for n in range(2):
        client.post("/nl/accounts/signup/", {"email": f"x{n}@example.org", "password1": "a"})
    response = client.post("/nl/accounts/signup/", {"email": "y@example.org", "password1": "a"})
    assert response.status_code == 429
    assert "Even geduld" in response.text


def test_a_password_reset_mail_leads_to_a_new_password(client, parent, mailoutbox):
    response = client.post("/nl/accounts/password/reset/", {"email": parent.email})
    assert response.status_code == 302
    assert len(mailoutbox) == 1
    link = re.search(r"https?://[^/]+(/nl/accounts/password/reset/key/\S+)", mailoutbox[0].body)
    assert link, mailoutbox[0].body
    form = client.get(link.group(1), follow=True)
    assert form.status_code == 200
    response = client.post(
        form.redirect_chain[-1][0] if form.redirect_chain else link.group(1),
        {"password1": GOOD_PASSWORD, "password2": GOOD_PASSWORD},
    )
    assert response.status_code == 302
    parent.refresh_from_db()
    assert parent.check_password(GOOD_PASSWORD)


def test_a_reset_for_an_unknown_address_reveals_nothing(client, mailoutbox):
    response = client.post("/nl/accounts/password/reset/", {"email": "nobody@example.org"})
    assert response.status_code == 302
    assert response["Location"] == "/nl/accounts/password/reset/done/"


def test_a_parent_changes_their_password(parent_client, parent, password):
    response = parent_client.post(
        "/nl/accounts/password/change/",
        {"oldpassword": password, "password1": GOOD_PASSWORD, "password2": GOOD_PASSWORD},
    )
    assert response.status_code == 302
    parent.refresh_from_db()
    assert parent.check_password(GOOD_PASSWORD)


def test_a_parent_adds_a_new_email_address(parent_client, parent):
    response = parent_client.post(
        "/nl/accounts/email/", {"action_add": "", "email": "alice.new@example.org"}
    )
    assert response.status_code == 302
    assert EmailAddress.objects.filter(user=parent, email="alice.new@example.org").exists()


def test_the_account_page_shows_who_is_logged_in_and_offers_no_dead_links(parent_client):
    response = parent_client.get("/nl/account/")
    assert "alice@example.org" in response.text
    for href in re.findall(r'href="(/[^"]*)"', response.text):
        if href.startswith("/static/") or href == "/nl/leave/":  # leave quickly logs out
            continue
        assert parent_client.get(href).status_code in {200, 302}, href


def test_the_account_page_only_answers_get(parent_client):
    assert parent_client.post("/nl/account/").status_code == 405


def test_allauth_pages_use_our_layout(client):
    response = client.get("/nl/accounts/login/")
    assert 'class="site-header"' in response.text
    assert "Hulp en grenzen" in response.text
    assert '<meta name="robots" content="noindex">' in response.text
