"""Dutch first, English second; a shared link opens in its own language."""

import pytest

pytestmark = pytest.mark.django_db


def test_a_link_with_a_language_prefix_opens_in_that_language(client):
    assert '<html lang="en">' in client.get("/en/privacy/").text
    assert '<html lang="nl">' in client.get("/nl/privacy/").text


def test_the_language_switch_works_without_javascript_and_keeps_the_page(client):
    response = client.post("/i18n/setlang/", {"language": "en", "next": "/nl/privacy/"})
    assert response.status_code == 302
    assert response["Location"] == "/en/privacy/"
    assert response.cookies["hechting_language"].value == "en"
    assert client.get("/").headers["Location"] == "/en/"


def test_the_language_switch_goes_back_to_dutch_from_an_english_page(client):
    client.cookies["hechting_language"] = "nl"
    response = client.post("/i18n/setlang/", {"language": "nl", "next": "/en/privacy/"})
    assert response["Location"] == "/nl/privacy/"


def test_the_language_switch_ignores_addresses_on_other_sites(client):
    response = client.post("/i18n/setlang/", {"language": "en", "next": "https://evil.example/"})
    assert response["Location"] == "/"


def test_the_language_switch_is_a_form_on_every_page(client):
    html = client.get("/nl/").text
    assert 'action="/i18n/setlang/"' in html
    assert 'name="language" value="en"' in html
    assert 'name="csrfmiddlewaretoken"' in html


def test_the_language_switch_refuses_get(client):
    assert client.get("/i18n/setlang/").status_code == 405


def test_the_account_messages_follow_the_active_language(client, parent, password):
    dutch = client.post(
        "/nl/accounts/login/", {"login": parent.email, "password": password}, follow=True
    )
    assert "Je bent ingelogd." in dutch.text
    client.post("/nl/accounts/logout/")
    english = client.post(
        "/en/accounts/login/", {"login": parent.email, "password": password}, follow=True
    )
    assert "You are logged in." in english.text


@pytest.mark.parametrize(
    ("path", "dutch", "english"),
    [
        ("/{}/", "Begin met lezen", "Start reading"),
        ("/{}/privacy/", "Wat we bewaren", "What we store"),
        ("/{}/accounts/login/", "Wachtwoord", "Password"),
        ("/{}/missing/", "Pagina niet gevonden", "Page not found"),
    ],
)
def test_pages_exist_in_dutch_and_in_english(client, path, dutch, english):
    assert dutch in client.get(path.format("nl")).text
    assert english in client.get(path.format("en")).text
