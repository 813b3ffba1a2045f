"""Trust first: nobody takes an account over from an unlocked phone, and nobody locks it.

Sensitive changes need a fresh password (allauth's reauthentication); resets go only to
confirmed addresses; signing up and resets tell nothing about who has an account; failed logins
and token guesses are counted per client, behind the proxies the settings name.
"""

import datetime
import json
import re
from unittest import mock

import pytest
from allauth.account.adapter import get_adapter
from allauth.account.models import EmailAddress
from django.core import mail
from django.db import connection
from django.test import RequestFactory
from django.utils import timezone, translation

from reflect.sharing import tokens
from reflect.sharing.access import MISS_LIMIT, MISS_WINDOW
from reflect.sharing.models import ShareLink
from tests.conftest import HttpsClient
from tests.factories import ChildFactory, UserFactory
from tests.sharing_helpers import days, make_link

pytestmark = pytest.mark.django_db

NEW_PASSWORD = "warm soup on a cold night"
REAUTH = "/nl/accounts/reauthenticate/"


class Clock:
    """Time as the rate limits, sessions and the cache see it, moved by the test."""

    def __init__(self):
        self.start = timezone.now()
        self.offset = 0.0

    def advance(self, seconds: float) -> None:
        self.offset += seconds

    def time(self) -> float:
        return self.start.timestamp() + self.offset

    def now(self) -> datetime.datetime:
        return self.start + datetime.timedelta(seconds=self.offset)


@pytest.fixture
def clock():
    clock = Clock()
    with (
        mock.patch("time.time", clock.time),
        mock.patch("django.utils.timezone.now", clock.now),
    ):
        yield clock


def behind_proxy(address: str, **extra) -> HttpsClient:
    """A visitor whose requests all come from the reverse proxy at 10.0.0.2."""
    return HttpsClient(REMOTE_ADDR="10.0.0.2", HTTP_X_FORWARDED_FOR=address, **extra)


def asks_password(response, next_path: str) -> bool:
    return response.status_code in {302, 303} and response["Location"].startswith(
        f"{REAUTH}?next={next_path.replace('/', '%2F')}"
    )


# --- Part 1: a fresh password for sensitive changes ---------------------------------------------


def test_the_takeover_sequence_is_refused_at_the_first_step(
    stale_parent_client, parent, password, mailoutbox
):
    """Signed in on a phone left unlocked, without the password: add an address, make it the main
    one, ask a reset for it. The first step already asks for the password; nothing changes."""
    response = stale_parent_client.post(
        "/nl/accounts/email/", {"action_add": "", "email": "mallory@example.net"}
    )
    assert asks_password(response, "/nl/accounts/email/")
    assert not EmailAddress.objects.filter(email="mallory@example.net").exists()

    response = stale_parent_client.post(
        "/nl/accounts/email/", {"action_primary": "", "email": "mallory@example.net"}
    )
    assert EmailAddress.objects.get(user=parent, primary=True).email == parent.email

    HttpsClient().post("/nl/accounts/password/reset/", {"email": "mallory@example.net"})
    assert not any("/password/reset/key/" in message.body for message in mailoutbox)
    parent.refresh_from_db()
    assert parent.check_password(password)


def test_after_the_password_the_added_address_is_kept_as_typed(
    stale_parent_client, parent, mailoutbox
):
    response = stale_parent_client.post(
        "/nl/accounts/email/", {"action_add": "", "email": "alice.new@example.org"}
    )
    assert asks_password(response, "/nl/accounts/email/")
    page = stale_parent_client.get(response["Location"])
    assert page.status_code == 200
    assert 'name="password"' in page.text
    response = stale_parent_client.post(response["Location"], {"password": "a calm evening walk"})
    assert response.status_code == 302
    assert response["Location"] == "/nl/accounts/email/"
    added = EmailAddress.objects.get(email="alice.new@example.org")
    assert added.user == parent
    assert not added.verified
    assert not added.primary


@pytest.mark.parametrize(
    ("language", "heading"),
    [("nl", "Eerst nog even je wachtwoord"), ("en", "First your password again")],
)
def test_the_password_page_says_why_in_the_parents_language(stale_parent_client, language, heading):
    response = stale_parent_client.get(f"/{language}/account/data/", follow=True)
    assert response.redirect_chain[-1][0].startswith(f"/{language}/accounts/reauthenticate/")
    assert f"<h1>{heading}</h1>" in response.text or heading in response.text
    assert 'autocomplete="current-password"' in response.text


def test_a_wrong_password_changes_nothing(stale_parent_client):
    response = stale_parent_client.post(
        "/nl/accounts/email/", {"action_add": "", "email": "mallory@example.net"}
    )
    again = stale_parent_client.post(response["Location"], {"password": "not it at all"})
    assert again.status_code == 200
    assert not EmailAddress.objects.filter(email="mallory@example.net").exists()


def test_the_password_is_asked_again_after_five_minutes(parent_client, clock):
    assert parent_client.get("/nl/account/data/").status_code == 200
    clock.advance(5 * 60 + 1)
    assert asks_password(parent_client.get("/nl/account/data/"), "/nl/account/data/")


def test_an_unconfirmed_address_never_becomes_the_main_one(parent_client, parent):
    # Even on an account from before confirmation was required, with no confirmed address.
    EmailAddress.objects.filter(user=parent).update(verified=False)
    EmailAddress.objects.create(user=parent, email="new@example.net", verified=False)
    response = parent_client.post(
        "/nl/accounts/email/", {"action_primary": "", "email": "new@example.net"}, follow=True
    )
    assert EmailAddress.objects.get(user=parent, primary=True).email == parent.email
    assert "geverifieerd" in response.text or "bevestig" in response.text.lower()


def test_a_confirmed_address_can_become_the_main_one(parent_client, parent, mailoutbox):
    EmailAddress.objects.create(user=parent, email="new@example.net", verified=True)
    parent_client.post("/nl/accounts/email/", {"action_primary": "", "email": "new@example.net"})
    assert EmailAddress.objects.get(user=parent, primary=True).email == "new@example.net"
    # The old address hears of it, in our words and the page's language.
    [notice] = [m for m in mailoutbox if m.to == ["alice@example.org"]]
    assert notice.subject == "[Hechting] Je hoofd-e-mailadres is gewijzigd"
    assert "new@example.net" in notice.body


def test_a_password_reset_goes_only_to_a_confirmed_address(parent, mailoutbox):
    EmailAddress.objects.create(user=parent, email="unconfirmed@example.net", verified=False)
    response = HttpsClient().post(
        "/nl/accounts/password/reset/", {"email": "unconfirmed@example.net"}
    )
    assert response.status_code == 302
    assert not any("/password/reset/key/" in message.body for message in mailoutbox)
    HttpsClient().post("/nl/accounts/password/reset/", {"email": parent.email})
    assert any("/password/reset/key/" in message.body for message in mailoutbox)


@pytest.mark.parametrize(
    ("method", "path"),
    [
        ("post", "/nl/accounts/email/"),
        ("get", "/nl/accounts/2fa/totp/activate/"),
        ("get", "/nl/accounts/2fa/webauthn/add/"),
        ("get", "/nl/accounts/2fa/recovery-codes/generate/"),
        ("get", "/nl/account/data/"),
        ("get", "/nl/account/data/journal.json"),
        ("get", "/nl/account/data/print/"),
        ("post", "/nl/share/"),
    ],
)
def test_every_sensitive_change_asks_for_the_password_again(stale_parent_client, method, path):
    response = getattr(stale_parent_client, method)(path, {"action_add": "", "email": "x@y.nl"})
    assert response.status_code == 302
    assert response["Location"].startswith(
        ("/nl/accounts/reauthenticate/", "/nl/accounts/2fa/reauthenticate/")
    )


def test_changing_the_password_needs_the_current_one(stale_parent_client, parent, password):
    response = stale_parent_client.post(
        "/nl/accounts/password/change/",
        {"oldpassword": "a guess", "password1": NEW_PASSWORD, "password2": NEW_PASSWORD},
    )
    assert response.status_code == 200
    parent.refresh_from_db()
    assert parent.check_password(password)


def test_a_share_link_made_before_the_password_is_made_after_it(stale_parent_client, parent):
    child = ChildFactory(owner=parent)
    form = {
        "child": child.pk,
        "scope": ShareLink.Scope.SUMMARIES,
        "period_kind": ShareLink.PeriodKind.ALL,
        "valid_until": days(7).isoformat(),
        "label": "Oma",
    }
    response = stale_parent_client.post("/nl/share/", form)
    assert asks_password(response, "/nl/share/")
    assert not ShareLink.objects.exists()
    response = stale_parent_client.post(response["Location"], {"password": "a calm evening walk"})
    link = ShareLink.objects.get()
    assert response.status_code == 303
    assert response["Location"] == f"/nl/share/links/{link.public_id}/created/"
    assert link.owner == parent


def test_an_import_before_the_password_comes_back_to_the_form(stale_parent_client, parent):
    journal = json.dumps({"format": "hechting-journal", "version": 1, "children": []})
    response = stale_parent_client.post(
        "/nl/account/data/import/", {"file": ("journal.json", journal.encode())}
    )
    assert response.status_code == 303
    assert response["Location"] == f"{REAUTH}?next=%2Fnl%2Faccount%2Fdata%2F"
    response = stale_parent_client.post(response["Location"], {"password": "a calm evening walk"})
    assert response["Location"] == "/nl/account/data/"


def test_answering_an_invitation_with_yes_needs_the_password(counsellor, parent):
    from tests.sharing_helpers import make_invitation

    invitation, token = make_invitation(counsellor)
    client = HttpsClient()
    client.force_login(parent)
    client.get(f"/nl/share/i/{token}/")
    url = f"/nl/share/invitation/{invitation.public_id}/answer/"
    assert client.get(url).status_code == 200
    response = client.post(url, {"answer": "summary", "valid_until": days(30).isoformat()})
    assert asks_password(response, url)
    assert not ShareLink.objects.exists()
    # Saying no changes nothing that matters: no password for that.
    response = client.post(url, {"answer": "no", "valid_until": days(30).isoformat()})
    assert response["Location"] == "/nl/journal/"


# --- Part 1: mails when something changes -------------------------------------------------------


def test_changing_the_password_sends_a_mail_in_the_parents_language(
    parent_client, parent, password, mailoutbox
):
    parent_client.post(
        "/en/accounts/password/change/",
        {"oldpassword": password, "password1": NEW_PASSWORD, "password2": NEW_PASSWORD},
        HTTP_USER_AGENT="Mozilla/5.0 (Android 14) Firefox/128.0",
    )
    [notice] = mailoutbox
    assert notice.to == [parent.email]
    assert notice.subject == "[Hechting] Your password was changed"
    assert "Firefox · Android" in notice.body
    assert "testserver" not in notice.body
    assert "127.0.0.1" not in notice.body


def test_adding_an_address_tells_the_main_address(parent_client, parent, mailoutbox):
    parent_client.post("/nl/accounts/email/", {"action_add": "", "email": "new@example.net"})
    notice = next(m for m in mailoutbox if m.to == [parent.email])
    assert notice.subject == "[Hechting] Er is een e-mailadres toegevoegd"
    assert "new@example.net" in notice.body
    assert any(m.to == ["new@example.net"] for m in mailoutbox)  # the link to confirm it


NOTIFICATIONS = [
    "account/email/password_changed",
    "account/email/password_set",
    "account/email/password_reset",
    "account/email/email_changed",
    "account/email/email_deleted",
    "account/email/email_added",
    "mfa/email/totp_activated",
    "mfa/email/totp_deactivated",
    "mfa/email/webauthn_added",
    "mfa/email/webauthn_removed",
    "mfa/email/recovery_codes_generated",
]


@pytest.mark.parametrize("template", NOTIFICATIONS)
def test_every_notification_has_our_own_words_in_dutch_and_english(template, parent):
    from allauth.core import context

    texts = {}
    for language in ("nl", "en"):
        request = RequestFactory().get("/", HTTP_HOST="localhost:8443")
        request.user = parent
        with translation.override(language), context.request_context(request):
            mail.outbox = []
            get_adapter(request).send_notification_mail(
                template,
                parent,
                {"from_email": "a@b.nl", "to_email": "c@d.nl", "deleted_email": "e@f.nl"},
            )
            [message] = mail.outbox
        assert message.subject.startswith("[Hechting] ")
        assert "Hechting" in message.body
        assert "localhost" not in message.body
        assert "8443" not in message.body
        texts[language] = message.subject + message.body
    assert texts["nl"] != texts["en"]
    assert "Hallo," in texts["nl"]
    assert "Hello," in texts["en"]


# --- Part 2: no telling who has an account -------------------------------------------------------


def _sign_up(client, email: str):
    return client.post(
        "/nl/accounts/signup/",
        {"email": email, "password1": NEW_PASSWORD, "password2": NEW_PASSWORD},
        follow=True,
    )


def test_signing_up_answers_the_same_for_a_known_and_a_new_address(parent, mailoutbox):
    known = _sign_up(HttpsClient(), parent.email)
    new = _sign_up(HttpsClient(), "newcomer@example.org")
    assert known.redirect_chain == new.redirect_chain
    assert known.status_code == new.status_code == 200
    nonce = re.compile(
        r'nonce="[^"]+"|"X-CSRFToken": "[^"]+"|name="csrfmiddlewaretoken" value="[^"]+"'
    )
    assert nonce.sub("", known.text.replace(parent.email, "X")) == nonce.sub(
        "", new.text.replace("newcomer@example.org", "X")
    )
    # The owner of the known address hears that someone tried; the newcomer gets a link.
    by_address = {m.to[0]: m for m in mailoutbox}
    assert "/password/reset/" in by_address[parent.email].body
    assert "/accounts/confirm-email/" in by_address["newcomer@example.org"].body
    assert "testserver" not in by_address["newcomer@example.org"].body.split("http")[0]


def test_a_newcomer_confirms_the_address_and_arrives_in_the_journal(mailoutbox):
    client = HttpsClient()
    _sign_up(client, "newcomer@example.org")
    assert client.get("/nl/account/").status_code == 302  # not in yet
    [message] = mailoutbox
    link = re.search(r"https?://[^/\s]+(/nl/accounts/confirm-email/\S+)", message.body).group(1)
    assert client.get(link).status_code == 200
    response = client.post(link)
    assert response.status_code == 302
    assert response["Location"] == "/nl/journal/"
    assert client.get("/nl/account/").status_code == 200
    assert EmailAddress.objects.get(email="newcomer@example.org").verified


def test_with_make_runs_console_mail_the_newcomer_finds_the_link_in_the_terminal(settings, capsys):
    # `make run` has no mail settings: mails are printed (tests/test_settings.py checks that).
    settings.MAILERS = {"default": {"BACKEND": "hechting.lib.console_mail.EmailBackend"}}
    client = HttpsClient()
    _sign_up(client, "newcomer@example.org")
    printed = capsys.readouterr().out
    assert "To: newcomer@example.org" in printed
    link = re.search(r"https?://[^/\s]+(/nl/accounts/confirm-email/\S+)", printed).group(1)
    client.post(link)
    assert client.get("/nl/journal/").status_code == 200


def test_a_password_reset_answers_the_same_for_a_known_and_an_unknown_address(parent):
    known = HttpsClient().post("/nl/accounts/password/reset/", {"email": parent.email})
    unknown = HttpsClient().post("/nl/accounts/password/reset/", {"email": "nobody@example.org"})
    assert known.status_code == unknown.status_code == 302
    assert known["Location"] == unknown["Location"]


# --- Part 3: rate limits that do not lock the owner out ----------------------------------------


def _log_in(client, email: str, password: str):
    return client.post("/nl/accounts/login/", {"login": email, "password": password})


@pytest.mark.usefixtures("clock")
def test_a_locked_out_guesser_does_not_stop_the_owners_login(settings, parent, password):
    settings.ALLAUTH_TRUSTED_PROXY_COUNT = 1
    guesser = behind_proxy("203.0.113.5")
    for _ in range(5):
        assert "_auth_user_id" not in _log_in(guesser, parent.email, "a guess").wsgi_request.session
    refused = _log_in(guesser, parent.email, password)
    assert "Te veel inlogpogingen" in refused.text  # the guesser is stopped, even when right
    owner = behind_proxy("198.51.100.7")
    assert _log_in(owner, parent.email, password)["Location"] == "/nl/journal/"


def test_on_the_same_network_the_owner_waits_at_most_five_minutes(parent, password, clock):
    guesser = HttpsClient(REMOTE_ADDR="192.0.2.20")
    for _ in range(5):
        _log_in(guesser, parent.email, "a guess")
        clock.advance(10)
    owner = HttpsClient(REMOTE_ADDR="192.0.2.20")
    assert "Te veel inlogpogingen" in _log_in(owner, parent.email, password).text
    clock.advance(5 * 60 - 40)  # five minutes after the first miss, the oldest one is gone
    assert _log_in(owner, parent.email, password)["Location"] == "/nl/journal/"


def test_a_forwarded_header_is_ignored_unless_a_proxy_is_configured(parent, password):
    spoofer = behind_proxy("203.0.113.5")
    for _ in range(5):
        _log_in(spoofer, parent.email, "a guess")
    # Without TRUSTED_PROXY_COUNT the header counts for nothing: "another" visitor sending another
    # forwarded address is the same client (10.0.0.2), so it cannot dodge the limit that way.
    other = behind_proxy("198.51.100.7")
    assert "Te veel inlogpogingen" in _log_in(other, parent.email, password).text
    for _ in range(MISS_LIMIT):
        spoofer.get(f"/nl/share/t/{tokens.new_token()}/")
    _link, token = make_link(parent)
    assert other.get(f"/nl/share/t/{token}/").status_code == 429


def test_a_client_ip_header_is_read_when_configured(settings, parent):
    settings.ALLAUTH_TRUSTED_CLIENT_IP_HEADER = "X-Real-IP"
    guesser = HttpsClient(REMOTE_ADDR="10.0.0.2", HTTP_X_REAL_IP="203.0.113.5")
    for _ in range(MISS_LIMIT):
        guesser.get(f"/nl/share/t/{tokens.new_token()}/")
    assert guesser.get(f"/nl/share/t/{tokens.new_token()}/").status_code == 429
    _link, token = make_link(parent)
    someone = HttpsClient(REMOTE_ADDR="10.0.0.2", HTTP_X_REAL_IP="198.51.100.7")
    assert someone.get(f"/nl/share/t/{token}/").status_code == 303


def test_a_request_that_skipped_a_proxy_is_counted_on_its_own_address(settings, parent):
    settings.ALLAUTH_TRUSTED_PROXY_COUNT = 2
    response = HttpsClient(REMOTE_ADDR="10.0.0.2", HTTP_X_FORWARDED_FOR="203.0.113.5").get(
        f"/nl/share/t/{tokens.new_token()}/"
    )
    assert response.status_code == 404  # not a 500


@pytest.mark.usefixtures("clock")
def test_behind_the_proxy_one_guesser_does_not_block_anyone_elses_share_link(settings, parent):
    settings.ALLAUTH_TRUSTED_PROXY_COUNT = 1
    link, token = make_link(parent)
    guesser = behind_proxy("203.0.113.5")
    for _ in range(MISS_LIMIT):
        assert guesser.get(f"/nl/share/t/{tokens.new_token()}/").status_code == 404
    refused = guesser.get(f"/nl/share/i/{tokens.new_token()}/")
    assert refused.status_code == 429
    assert refused["Retry-After"] == str(MISS_WINDOW)
    grandma = behind_proxy("198.51.100.7")
    assert grandma.get(f"/nl/share/t/{token}/")["Location"] == f"/nl/share/view/{link.public_id}/"
    # The other client logs in too.
    assert _log_in(grandma, parent.email, "a calm evening walk").status_code == 302


def test_token_misses_are_counted_for_fifteen_minutes_from_the_first(parent, clock):
    link, token = make_link(parent)
    guesser = HttpsClient(REMOTE_ADDR="203.0.113.9")
    for _ in range(MISS_LIMIT):
        guesser.get(f"/nl/share/t/{tokens.new_token()}/")
        clock.advance(30)  # ten minutes of guessing; each miss stored again
    refused = guesser.get(f"/nl/share/t/{token}/")
    assert refused.status_code == 429
    assert refused["Retry-After"] == str(MISS_WINDOW - MISS_LIMIT * 30)
    clock.advance(MISS_WINDOW - MISS_LIMIT * 30 - 1)  # 14:59 after the first miss
    assert guesser.get(f"/nl/share/t/{token}/")["Retry-After"] == "1"
    clock.advance(1)
    assert guesser.get(f"/nl/share/t/{token}/")["Location"] == f"/nl/share/view/{link.public_id}/"


def test_the_cache_holds_no_address_and_no_email(parent, settings):
    settings.ALLAUTH_TRUSTED_PROXY_COUNT = 1
    guesser = behind_proxy("203.0.113.77")
    guesser.get(f"/nl/share/t/{tokens.new_token()}/")
    _log_in(guesser, parent.email, "a guess")
    with connection.cursor() as cursor:
        cursor.execute("SELECT cache_key FROM hechting_cache")
        keys = [row[0] for row in cursor.fetchall()]
    assert len(keys) >= 3
    for key in keys:
        assert "203.0.113" not in key
        assert "alice" not in key
        assert "sharing" not in key
        assert "login_failed" not in key


def test_an_ipv6_client_is_counted_per_64_network(parent):
    for n in range(MISS_LIMIT):
        HttpsClient(REMOTE_ADDR=f"2001:db8:1:2::{n + 1:x}").get(
            f"/nl/share/t/{tokens.new_token()}/"
        )
    _link, token = make_link(parent)
    assert HttpsClient(REMOTE_ADDR="2001:db8:1:2::ffff").get(f"/nl/share/t/{token}/").status_code
    assert (
        HttpsClient(REMOTE_ADDR="2001:db8:1:2::ffff").get(f"/nl/share/t/{token}/").status_code
        == 429
    )
    assert HttpsClient(REMOTE_ADDR="2001:db8:9::1").get(f"/nl/share/t/{token}/").status_code == 303


def test_a_new_parent_of_a_known_address_gets_no_second_account(parent):
    _sign_up(HttpsClient(), parent.email)
    assert UserFactory._meta.model.objects.filter(email=parent.email).count() == 1
