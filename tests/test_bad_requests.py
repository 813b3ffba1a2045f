"""No request a browser or a fuzzer can send answers 500 or an error in a foreign language.

``next`` values of every shape, over-long addresses and bodies over the upload limit each get a
redirect to a page of this site or a clear page in the visitor's language.
"""

import pytest
from django.urls import reverse
from django.utils import translation

from tests.factories import MomentFactory

NEXT_VALUES = [
    "abc",
    "abc.def",
    "account",
    "reflect:journal",
    "",
    "//evil.example/",
    "/\\evil.example/",
    "\\\\evil.example",
    "https://evil.example/",
    "http:/evil.example",
    "javascript:alert(1)",
    "/nl/journal/\x00",
    "/nl/journal/\r\nSet-Cookie: x=1",
    "/" + "a" * 5000,
    "/nl/%ff%fe/",
    "/nl/%ED%A0%80/",
    "?next=/",
    "#top",
]


def url(name, language="nl", **kwargs):
    with translation.override(language):
        return reverse(name, **kwargs)


def assert_local_redirect_or_400(response):
    assert response.status_code in {301, 302, 303, 400}, response.status_code
    if response.status_code != 400:
        location = response["Location"]
        assert location.startswith("/"), location
        assert not location.startswith(("//", "/\\")), location


@pytest.mark.parametrize("next_value", NEXT_VALUES)
def test_stay_logged_in_with_any_next_answers_a_local_redirect_or_400(parent_client, next_value):
    response = parent_client.post(url("accounts:still_here"), {"next": next_value})
    assert_local_redirect_or_400(response)


def test_stay_logged_in_with_a_name_instead_of_an_address_goes_to_the_account(parent_client):
    response = parent_client.post(url("accounts:still_here"), {"next": "abc"})
    assert response.status_code == 303
    assert response["Location"] == url("account")


def test_stay_logged_in_keeps_a_local_address_with_its_query(parent_client):
    target = url("reflect:journal") + "?q=stairs&page=2"
    response = parent_client.post(url("accounts:still_here"), {"next": target})
    assert response["Location"] == target


@pytest.mark.parametrize("next_value", NEXT_VALUES)
def test_the_language_switch_with_any_next_answers_a_local_redirect_or_400(client, next_value):
    response = client.post(url("set_language"), {"language": "en", "next": next_value})
    assert_local_redirect_or_400(response)


@pytest.mark.parametrize("next_value", NEXT_VALUES)
@pytest.mark.parametrize(
    "name", ["account_login", "account_signup", "account_reset_password", "admin:login"]
)
def test_account_pages_with_any_next_answer_without_error(client, db, name, next_value):
    response = client.get(url(name), {"next": next_value})
    assert response.status_code < 500


@pytest.mark.parametrize("next_value", NEXT_VALUES)
def test_logging_in_with_any_next_lands_on_this_site(client, parent, password, next_value):
    response = client.post(
        url("account_login"), {"login": parent.email, "password": password, "next": next_value}
    )
    assert_local_redirect_or_400(response)


@pytest.mark.parametrize("next_value", NEXT_VALUES)
def test_logging_out_with_any_next_lands_on_this_site(parent_client, next_value):
    response = parent_client.post(url("account_logout"), {"next": next_value})
    assert_local_redirect_or_400(response)


@pytest.mark.parametrize("next_value", NEXT_VALUES)
def test_signed_in_pages_with_any_next_answer_without_error(parent_client, next_value):
    for name in ["account_reauthenticate", "account_email", "usersessions_list", "account"]:
        response = parent_client.get(url(name), {"next": next_value})
        assert response.status_code < 500, name


# --- Long addresses -----------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("language", "words"), [("nl", "hoogstens 200 tekens"), ("en", "at most 200")]
)
def test_a_search_that_is_too_long_says_so_in_the_pages_language(
    parent_client, parent, language, words
):
    MomentFactory(owner=parent, what_happened="We read a book about the sea")
    response = parent_client.get(url("reflect:journal", language), {"q": "a" * 5000})
    assert response.status_code == 200
    html = response.content.decode()
    assert words in html
    assert 'aria-invalid="true"' in html
    assert "a book about the sea" not in html  # not silently every moment instead


def test_a_search_that_is_too_long_says_so_in_the_htmx_results_too(parent_client):
    response = parent_client.get(
        url("reflect:journal"), {"q": "zee " * 1000}, HTTP_HX_REQUEST="true"
    )
    assert response.status_code == 200
    assert "hoogstens 200 tekens" in response.content.decode()


def test_a_search_of_the_longest_allowed_length_still_searches(parent_client, parent):
    MomentFactory(owner=parent, what_happened="We read a book about the sea")
    response = parent_client.get(url("reflect:journal", "en"), {"q": "sea" + " " * 197})
    assert "a book about the sea" in response.content.decode()


# --- Large bodies -------------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("language", "words"),
    [("nl", "Dat was te veel om in één keer te versturen"), ("en", "too much to send at once")],
)
def test_a_form_over_the_upload_limit_gets_our_413_page_in_the_users_language(
    parent_client, settings, language, words
):
    settings.DATA_UPLOAD_MAX_MEMORY_SIZE = 10_000
    response = parent_client.post(
        url("reflect:moment_add", language), {"what_happened": "x" * 20_000, "kind": "connection"}
    )
    assert response.status_code == 413
    assert words in response.content.decode()


def test_a_plain_body_over_the_upload_limit_gets_413_too(client, db, settings):
    settings.DATA_UPLOAD_MAX_MEMORY_SIZE = 10_000
    response = client.post(
        url("account_login", "en"),
        "login=a&password=" + "y" * 20_000,
        content_type="application/x-www-form-urlencoded",
    )
    assert response.status_code == 413
    assert "too much to send at once" in response.content.decode()


def test_other_bad_requests_keep_the_400_page(client, db, settings):
    settings.DATA_UPLOAD_MAX_NUMBER_FIELDS = 5
    fields = "&".join(f"f{n}=x" for n in range(10))
    response = client.post(
        url("account_login", "en"), fields, content_type="application/x-www-form-urlencoded"
    )
    assert response.status_code == 400
    assert "Something was wrong with the request" in response.content.decode()
