"""One vocabulary: allauth's pages, forms and mails speak in our words, in Dutch and English.

Log in / Sign up / Log out, never allauth's "Sign In", "Sign Up", "Sign Out" or "Remember Me";
mails with our own subjects, the site's name instead of a host and port, and no journal words
(a mail can be read by whoever sees the parent's inbox).
"""

import re
from pathlib import Path

import allauth
import pytest
from allauth.account.models import EmailAddress
from django.template import Context, Engine, loader
from django.utils import translation

from tests.conftest import HttpsClient, signed_in
from tests.urlwalk import all_routes

pytestmark = pytest.mark.django_db

LANGUAGES = ("nl", "en")
PASSWORD = "warm soup on a cold night"
# allauth's own capitals and its "sign in / sign out"; our words are Log in, Sign up, Log out.
DEFAULT_WORDING = re.compile(
    r"\b(?:[Ss]ign[ -]?[Ii]n|[Ss]ign[ -]?[Oo]ut|Sign Up|Signup|Remember Me|Password \(again\))\b"
)
SCRIPT = re.compile(r"<script\b.*?</script>", re.S)
HOST = "127.0.0.1:8111"
URL = re.compile(r"https?://\S+")
JOURNAL_WORDS = re.compile(r"journal|dagboek|moment", re.I)

ALLAUTH_TEMPLATES = Path(allauth.__file__).parent / "templates"
# allauth's templates on their own, to see what its defaults say.
ALLAUTH_ENGINE = Engine(
    dirs=[ALLAUTH_TEMPLATES],
    libraries={
        "i18n": "django.templatetags.i18n",
        "account": "allauth.account.templatetags.account",
        "allauth": "allauth.templatetags.allauth",
    },
)
MAIL_TEMPLATES = sorted(
    str(path.relative_to(ALLAUTH_TEMPLATES))
    for folder in ("account/email", "mfa/email")
    for path in (ALLAUTH_TEMPLATES / folder).glob("*_subject.txt")
)


def _page_text(response) -> str:
    return SCRIPT.sub("", response.content.decode())


def _pages():
    for route in all_routes():
        if route.path and not route.path.startswith("/admin/"):
            yield route


@pytest.mark.parametrize("language", LANGUAGES)
def test_no_page_of_the_site_shows_allauths_default_wording(language, parent, settings):
    settings.ACCOUNT_RATE_LIMITS = False
    seen = 0
    for route in _pages():
        path = route.path.replace("/nl/", f"/{language}/", 1)
        # A new client for each page: logging out or leaving quickly ends the one before.
        for client in (HttpsClient(), signed_in(parent, fresh=False)):
            response = client.get(path)
            if "text/html" not in response.get("Content-Type", ""):
                continue
            seen += 1
            found = DEFAULT_WORDING.findall(_page_text(response))
            assert not found, f"{path} ({response.status_code}) says {found}"
    assert seen > 100  # the walk did reach the site


@pytest.mark.parametrize("language", LANGUAGES)
@pytest.mark.parametrize(
    "path",
    ["accounts/login/", "accounts/signup/", "accounts/logout/", "accounts/password/reset/"],
)
def test_the_account_pages_say_log_in_sign_up_and_log_out(language, path, parent):
    client = signed_in(parent) if "logout" in path else HttpsClient()
    text = _page_text(client.get(f"/{language}/{path}"))
    words = {
        "nl": {"login": "Inloggen", "signup": "Account maken", "logout": "Uitloggen"},
        "en": {"login": "Log in", "signup": "Sign up", "logout": "Log out"},
    }[language]
    heading = re.search(r"<h1>(.*?)</h1>", text).group(1)
    expected = {
        "accounts/login/": words["login"],
        "accounts/signup/": words["signup"],
        "accounts/logout/": words["logout"],
        "accounts/password/reset/": {"nl": "Wachtwoord vergeten?", "en": "Forgot your password?"}[
            language
        ],
    }[path]
    assert heading == expected
    assert "placeholder=" not in text  # one label per field, not said twice


def test_the_signup_page_does_not_highlight_log_in_in_the_menu():
    signup = HttpsClient().get("/nl/accounts/signup/").text
    login = HttpsClient().get("/nl/accounts/login/").text
    assert 'aria-current="page">Inloggen' not in signup
    assert 'aria-current="page">Inloggen' in login


def _render_ours_and_allauths(name: str, language: str, context: dict) -> tuple[str, str]:
    with translation.override(language):
        ours = loader.render_to_string(name, context).strip()
        theirs = ALLAUTH_ENGINE.get_template(name).render(Context(context))
    return ours, theirs.strip()


@pytest.mark.parametrize("name", MAIL_TEMPLATES)
def test_every_mail_allauth_can_send_has_our_own_subject_and_words(name, parent):
    context = {
        "user": parent,
        "email": parent.email,
        "code": "123456",
        "activate_url": "https://hechting.example.org/nl/accounts/confirm-email/key/",
        "password_reset_url": "https://hechting.example.org/nl/accounts/password/reset/key/x/",
        "signup_url": "https://hechting.example.org/nl/accounts/signup/",
        "current_site": {"name": HOST, "domain": HOST},
        "added_email": "a@example.org",
        "from_email": "a@example.org",
        "to_email": "b@example.org",
        "deleted_email": "a@example.org",
    }
    message = name.replace("_subject.txt", "_message.txt")
    for language in LANGUAGES:
        subject, default_subject = _render_ours_and_allauths(name, language, context)
        assert subject != default_subject, f"{name} is allauth's subject in {language}"
        body, default_body = _render_ours_and_allauths(message, language, context)
        assert body != default_body, f"{message} is allauth's text in {language}"
        plain = URL.sub("", body)
        assert HOST not in plain
        assert "Hechting" in body
        assert not JOURNAL_WORDS.search(subject + body), f"{message} names the journal"


def _allauth_subjects() -> set[str]:
    subjects = set()
    for name in MAIL_TEMPLATES:
        for language in LANGUAGES:
            with translation.override(language):
                context = Context({"current_site": {"name": HOST, "domain": HOST}})
                subjects.add(ALLAUTH_ENGINE.get_template(name).render(context).strip())
    return subjects


@pytest.mark.parametrize("language", LANGUAGES)
def test_the_mails_the_site_sends_name_hechting_not_a_host_and_port(
    language, parent, password, mailoutbox, settings
):
    settings.ACCOUNT_RATE_LIMITS = False
    # Everything a parent or a visitor can make the site mail, on a site at a host and port.
    parent_client = signed_in(parent)
    parent_client.defaults["HTTP_HOST"] = HOST
    email_page = f"/{language}/accounts/email/"
    parent_client.post(email_page, {"action_add": "", "email": "second@example.org"})
    EmailAddress.objects.filter(email="second@example.org").update(verified=True)
    parent_client.post(email_page, {"action_remove": "", "email": "second@example.org"})
    parent_client.post(
        f"/{language}/accounts/password/change/",
        {"oldpassword": password, "password1": PASSWORD, "password2": PASSWORD},
    )
    for email in ("newcomer@example.org", parent.email):
        HttpsClient(HTTP_HOST=HOST).post(
            f"/{language}/accounts/signup/",
            {"email": email, "password1": PASSWORD, "password2": PASSWORD},
        )
    for email in (parent.email, "nobody@example.org"):
        HttpsClient(HTTP_HOST=HOST).post(f"/{language}/accounts/password/reset/", {"email": email})
    reset_link = re.compile(r"https?://\S+(/\w\w/accounts/password/reset/key/\S+)")
    link = next(m for m in map(reset_link.search, (m.body for m in mailoutbox)) if m)
    visitor = HttpsClient(HTTP_HOST=HOST)
    form = visitor.get(link.group(1), follow=True)
    visitor.post(form.redirect_chain[-1][0], {"password1": PASSWORD, "password2": PASSWORD})

    kinds = {message.subject for message in mailoutbox}
    # added, removed, password changed, confirm, already exists, reset link, unknown, was reset
    assert len(kinds) == 8, kinds
    defaults = _allauth_subjects()
    for message in mailoutbox:
        assert message.subject.startswith("[Hechting] ")
        assert message.subject.removeprefix("[Hechting] ") not in defaults, message.subject
        plain = URL.sub("", message.body)
        assert HOST not in plain, message.body
        assert "8111" not in plain, message.body
        assert not JOURNAL_WORDS.search(message.subject + message.body), message.body
        greeting = {"nl": "Hallo,", "en": "Hello,"}[language]
        assert message.body.startswith(greeting), message.body
