import pytest

pytestmark = pytest.mark.django_db


def test_the_home_page_explains_the_app_in_dutch(client):
    response = client.get("/nl/")
    assert response.status_code == 200
    assert '<html lang="nl">' in response.text
    assert "Begin met lezen" in response.text


def test_the_home_page_exists_in_english(client):
    response = client.get("/en/")
    assert response.status_code == 200
    assert '<html lang="en">' in response.text
    assert "Start reading" in response.text


def test_the_root_address_sends_a_new_visitor_to_dutch(client):
    response = client.get("/")
    assert response.status_code == 302
    assert response["Location"] == "/nl/"


def test_a_signed_in_parent_goes_from_home_to_the_journal(parent_client):
    response = parent_client.get("/nl/")
    assert response.status_code == 302
    assert response["Location"] == "/nl/journal/"
