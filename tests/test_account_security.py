"""Account security: two-step login, sessions, the security log and the quick exit."""

import logging
import re
import time

import pytest
from allauth.mfa.models import Authenticator
from allauth.mfa.totp.internal.auth import format_hotp_value, hotp_value
from allauth.usersessions.models import UserSession
from django.contrib.auth import SESSION_KEY
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse
from django.utils import translation

from hechting.accounts import sessions
from hechting.accounts.models import SecurityEvent
from hechting.accounts.security_log import describe_device, record
from tests.conftest import HttpsClient
from tests.factories import PASSWORD, UserFactory

pytestmark = pytest.mark.django_db

Event = SecurityEvent.Event
FIREFOX_ANDROID = "Mozilla/5.0 (Android 14; Mobile; rv:130.0) Gecko/130.0 Firefox/130.0"


def url(name, language="nl", **kwargs):
    with translation.override(language):
        return reverse(name, kwargs=kwargs or None)


def totp_code(secret, steps_ahead=0):
    """The code an authenticator app shows now (or one period later), computed like the app."""
    return format_hotp_value(hotp_value(secret, int(time.time()) // 30 + steps_ahead))


def log_in(client, user, password, language="nl"):
    return client.post(
        url("account_login", language),
        {"login": user.email, "password": password},
        HTTP_USER_AGENT=FIREFOX_ANDROID,
    )


def confirm_password(client, password=PASSWORD):
    """allauth asks for the password again before two-step settings change (within 5 minutes)."""
    response = client.post(url("account_reauthenticate"), {"password": password})
    assert response.status_code == 302


def is_signed_in(client):
    return SESSION_KEY in client.session


def enable_totp(client, language="nl"):
    confirm_password(client)
    page = client.get(url("mfa_activate_totp", language)).content.decode()
    secret = re.search(r'id="authenticator_secret" value="([A-Z2-7]+)"', page).group(1)
    response = client.post(url("mfa_activate_totp", language), {"code": totp_code(secret)})
    assert response.status_code == 302
    return secret


def age_session(client, **seconds_ago):
    session = client.session
    moment = sessions.now()
    for key, ago in seconds_ago.items():
        session[key] = moment - ago
    session.save()


@pytest.fixture
def alice(parent, password):
    """Alice logged in through the real form (allauth then knows she just proved who she is)."""
    client = HttpsClient()
    assert log_in(client, parent, password).status_code == 302
    confirm_password(client, password)
    return client


# --- Two-step login ------------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("language", "heading", "lang_attr"),
    [("nl", "Inloggen in twee stappen", 'lang="nl"'), ("en", "Two-step login", 'lang="en"')],
)
def test_the_two_step_page_uses_our_layout_in_both_languages(alice, language, heading, lang_attr):
    response = alice.get(url("mfa_index", language))
    html = response.content.decode()
    assert response.status_code == 200
    assert lang_attr in html
    assert f"<h1>{heading}</h1>" in html
    assert 'class="site-header"' in html
    assert "Hechting" in html


@pytest.mark.parametrize(
    "name",
    [
        "mfa_index",
        "mfa_activate_totp",
        "mfa_add_webauthn",
        "mfa_list_webauthn",
        "usersessions_list",
    ],
)
@pytest.mark.parametrize("language", ["nl", "en"])
def test_security_pages_have_no_inline_script_or_style(alice, name, language):
    response = alice.get(url(name, language))
    assert response.status_code == 200
    html = response.content.decode()
    for tag in re.findall(r"<script[^>]*>", html):
        assert "src=" in tag or 'type="application/json"' in tag, tag
    assert "style=" not in html
    assert "<style" not in html
    assert not re.search(r"\son[a-z]+=", html)


def test_the_security_pages_ask_visitors_to_log_in(client):
    for name in ["mfa_index", "mfa_activate_totp", "usersessions_list"]:
        response = client.get(url(name))
        assert response.status_code == 302
        assert response["Location"].startswith(url("account_login"))


def test_the_qr_code_is_an_svg_data_address_allowed_by_the_policy(alice):
    response = alice.get(url("mfa_activate_totp"))
    html = response.content.decode()
    assert re.search(r'<img class="qr-code" src="data:image/svg\+xml;base64,[A-Za-z0-9+/=]+"', html)
    assert "img-src 'self' data:" in response["Content-Security-Policy"]


@pytest.mark.parametrize(
    ("language", "message"), [("nl", "Inloggen in twee stappen staat aan"), ("en", "is on")]
)
def test_turning_on_the_app_needs_a_correct_code_and_makes_recovery_codes(
    alice, parent, language, message
):
    enable_totp(alice, language)
    assert Authenticator.objects.filter(user=parent, type="totp").exists()
    assert Authenticator.objects.filter(user=parent, type="recovery_codes").exists()
    account = alice.get(url("account", language)).content.decode()
    assert message in account


@pytest.mark.parametrize(("language", "error"), [("nl", "code"), ("en", "code")])
def test_a_wrong_code_keeps_the_app_off_and_says_so(alice, parent, language, error):
    alice.get(url("mfa_activate_totp", language))
    response = alice.post(url("mfa_activate_totp", language), {"code": "000000x"})
    assert response.status_code == 200
    html = response.content.decode()
    assert 'aria-invalid="true"' in html
    assert 'class="errorlist"' in html
    assert 'value="000000x"' in html
    assert not Authenticator.objects.filter(user=parent).exists()


def test_after_turning_it_on_logging_in_needs_the_code(parent, password):
    client = HttpsClient()
    log_in(client, parent, password)
    secret = enable_totp(client)
    client.post(url("account_logout"))

    response = log_in(client, parent, password)
    assert response.status_code == 302
    assert response["Location"] == url("mfa_authenticate")
    assert not is_signed_in(client)
    assert client.get(url("reflect:journal")).status_code == 302

    page = client.get(url("mfa_authenticate")).content.decode()
    assert "<h1>Inloggen: tweede stap</h1>" in page
    response = client.post(url("mfa_authenticate"), {"code": totp_code(secret, steps_ahead=1)})
    assert response.status_code == 302
    assert is_signed_in(client)
    assert client.get(url("reflect:journal")).status_code == 200


def test_a_wrong_second_step_code_is_refused_and_logged(parent, password):
    client = HttpsClient()
    log_in(client, parent, password)
    enable_totp(client)
    client.post(url("account_logout"))
    log_in(client, parent, password)
    response = client.post(url("mfa_authenticate", "en"), {"code": "123456"})
    assert response.status_code == 200
    assert 'aria-invalid="true"' in response.content.decode()
    assert not is_signed_in(client)
    assert SecurityEvent.objects.filter(user=parent, event=Event.MFA_FAILED).exists()


def test_a_recovery_code_logs_in_once(parent, password):
    client = HttpsClient()
    log_in(client, parent, password)
    enable_totp(client)
    page = client.get(url("mfa_view_recovery_codes")).content.decode()
    codes = re.findall(r"<li>(\d{8})</li>", page)
    assert len(codes) == 10
    client.post(url("account_logout"))

    log_in(client, parent, password)
    client.post(url("mfa_authenticate"), {"code": codes[0]})
    assert is_signed_in(client)
    client.post(url("account_logout"))

    log_in(client, parent, password)
    response = client.post(url("mfa_authenticate"), {"code": codes[0]})
    assert response.status_code == 200
    assert not is_signed_in(client)


def test_turning_the_app_off_is_logged_and_lets_the_password_alone_in(parent, password):
    client = HttpsClient()
    log_in(client, parent, password)
    enable_totp(client)
    response = client.post(url("mfa_deactivate_totp"))
    assert response.status_code == 302
    assert not Authenticator.objects.filter(user=parent, type="totp").exists()
    assert SecurityEvent.objects.filter(user=parent, event=Event.MFA_REMOVED).exists()
    client.post(url("account_logout"))
    log_in(client, parent, password)
    assert is_signed_in(client)


def test_the_passkey_page_loads_allauths_scripts_as_files_with_json_settings(alice, built_static):
    html = alice.get(url("mfa_add_webauthn", "en")).content.decode()
    assert '<script type="application/json" id="passkey-settings">' in html
    assert 'id="js_data" type="application/json"' in html
    assert re.search(r'<script src="/static/mfa/js/webauthn\.[0-9a-f]+\.js" defer>', html)
    assert re.search(r'<script src="/static/js/passkeys\.[0-9a-f]+\.js" defer>', html)
    # Without passkey support (or JavaScript) the form stays hidden and a note explains why.
    assert "data-webauthn-only hidden" in html
    assert "The authenticator app works everywhere." in html


# --- Sessions ------------------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("language", "heading"), [("nl", "Waar je bent ingelogd"), ("en", "Where you are logged in")]
)
def test_the_sessions_page_lists_each_device_in_our_layout(parent, password, language, heading):
    phone, laptop = HttpsClient(), HttpsClient()
    log_in(phone, parent, password)
    laptop.post(
        url("account_login"),
        {"login": parent.email, "password": password},
        HTTP_USER_AGENT="Mozilla/5.0 (Macintosh; Intel Mac OS X 14_0) Version/17.0 Safari/605.1.15",
    )
    html = phone.get(url("usersessions_list", language)).content.decode()
    assert f"<h1>{heading}</h1>" in html
    assert 'class="site-header"' in html
    assert "Firefox · Android" in html
    assert "Safari · macOS" in html
    assert "Mozilla/5.0" not in html


def test_logging_out_elsewhere_ends_the_other_sessions_and_keeps_this_one(parent, password):
    phone, laptop = HttpsClient(), HttpsClient()
    log_in(phone, parent, password)
    log_in(laptop, parent, password)
    assert UserSession.objects.filter(user=parent).count() == 2

    response = phone.post(url("usersessions_list"))
    assert response.status_code == 302
    assert phone.get(url("reflect:journal")).status_code == 200
    assert laptop.get(url("reflect:journal")).status_code == 302
    assert UserSession.objects.filter(user=parent).count() == 1
    event = SecurityEvent.objects.get(user=parent, event=Event.SESSIONS_ENDED)
    assert event.details == {"count": 1}


def test_logging_out_elsewhere_leaves_another_parents_sessions_alone(
    parent, other_parent, password
):
    phone, bobs = HttpsClient(), HttpsClient()
    log_in(phone, parent, password)
    log_in(bobs, other_parent, password)
    phone.post(url("usersessions_list"))
    assert bobs.get(url("reflect:journal")).status_code == 200


def test_a_password_change_ends_the_other_sessions_but_not_this_one(parent, password):
    phone, laptop = HttpsClient(), HttpsClient()
    log_in(phone, parent, password)
    log_in(laptop, parent, password)
    response = phone.post(
        url("account_change_password"),
        {
            "oldpassword": password,
            "password1": "a new quiet morning",
            "password2": "a new quiet morning",
        },
    )
    assert response.status_code == 302
    assert phone.get(url("reflect:journal")).status_code == 200
    assert laptop.get(url("reflect:journal")).status_code == 302
    assert UserSession.objects.filter(user=parent).count() == 1
    assert SecurityEvent.objects.filter(user=parent, event=Event.PASSWORD_CHANGED).exists()


def test_a_quiet_session_is_logged_out_after_thirty_minutes(parent_client, parent):
    age_session(parent_client, hechting_last_activity=30 * 60)
    response = parent_client.get(url("reflect:journal"))
    assert response.status_code == 302
    assert response["Location"].startswith(url("account_login"))
    assert not is_signed_in(parent_client)
    assert SecurityEvent.objects.filter(user=parent, event=Event.IDLE_LOGOUT).exists()
    page = parent_client.get(response["Location"]).content.decode()
    assert "omdat het een tijdje stil was" in page


def test_a_session_quiet_for_29_minutes_stays_and_starts_counting_again(parent_client):
    age_session(parent_client, hechting_last_activity=29 * 60)
    assert parent_client.get(url("reflect:journal")).status_code == 200
    assert parent_client.session[sessions.LAST_ACTIVITY] >= sessions.now() - 2


def session_writes(client, path: str) -> int:
    with CaptureQueriesContext(connection) as queries:
        assert client.get(path).status_code == 200
    return sum(
        query["sql"].startswith("UPDATE") and "django_session" in query["sql"] for query in queries
    )


def test_activity_is_written_to_the_session_once_a_minute_not_on_every_page(parent_client):
    """Writing it on every page would make every page a database write."""
    age_session(parent_client, hechting_last_activity=30)
    assert session_writes(parent_client, url("learn:index")) == 0
    assert parent_client.session[sessions.LAST_ACTIVITY] <= sessions.now() - 30
    age_session(parent_client, hechting_last_activity=sessions.ACTIVITY_STEP)
    assert session_writes(parent_client, url("learn:index")) == 1
    assert parent_client.session[sessions.LAST_ACTIVITY] >= sessions.now() - 2


def test_an_htmx_request_after_a_quiet_half_hour_gets_401_and_keeps_the_page(parent_client):
    age_session(parent_client, hechting_last_activity=31 * 60)
    response = parent_client.get(url("reflect:journal"), HTTP_HX_REQUEST="true")
    assert response.status_code == 401
    assert response["HX-Reswap"] == "none"


def test_a_busy_session_still_ends_two_weeks_after_logging_in(parent_client, parent, settings):
    age_session(
        parent_client, hechting_signed_in_at=settings.SESSION_COOKIE_AGE, hechting_last_activity=5
    )
    response = parent_client.get(url("reflect:journal"))
    assert response.status_code == 302
    assert not is_signed_in(parent_client)
    assert SecurityEvent.objects.filter(user=parent, event=Event.SESSION_EXPIRED).exists()


def test_a_session_thirteen_days_old_and_active_stays(parent_client):
    age_session(parent_client, hechting_signed_in_at=13 * 24 * 3600, hechting_last_activity=60)
    assert parent_client.get(url("reflect:journal")).status_code == 200


def test_asking_how_long_is_left_is_not_activity(parent_client):
    age_session(parent_client, hechting_last_activity=20 * 60)
    response = parent_client.get(url("accounts:session_status"), HTTP_X_HECHTING_SESSION_CHECK="1")
    assert response.status_code == 200
    assert 9 * 60 <= response.json()["seconds_left"] <= 10 * 60
    assert (
        response["Cache-Control"].startswith("max-age=0") or "no-store" in response["Cache-Control"]
    )
    again = parent_client.get(url("accounts:session_status"), HTTP_X_HECHTING_SESSION_CHECK="1")
    assert again.json()["seconds_left"] <= 10 * 60


def test_the_session_status_sends_visitors_to_log_in_and_refuses_post(client, parent_client):
    assert client.get(url("accounts:session_status")).status_code == 302
    assert parent_client.post(url("accounts:session_status")).status_code == 405


def test_stay_logged_in_counts_as_activity(parent_client):
    age_session(parent_client, hechting_last_activity=28 * 60)
    response = parent_client.post(url("accounts:still_here"), HTTP_ACCEPT="application/json")
    assert response.status_code == 200
    assert response.json()["seconds_left"] >= 29 * 60


def test_stay_logged_in_without_javascript_goes_back_to_the_page(parent_client):
    response = parent_client.post(url("accounts:still_here"), {"next": url("reflect:journal")})
    assert response.status_code == 303
    assert response["Location"] == url("reflect:journal")


def test_stay_logged_in_never_sends_you_to_another_site(parent_client):
    response = parent_client.post(url("accounts:still_here"), {"next": "https://evil.example/"})
    assert response.status_code == 303
    assert response["Location"] == url("account")


def test_stay_logged_in_refuses_get_and_visitors(client, parent_client):
    assert parent_client.get(url("accounts:still_here")).status_code == 405
    assert client.post(url("accounts:still_here")).status_code == 302


def test_signed_in_pages_carry_the_idle_notice_settings(parent_client, settings):
    settings.IDLE_TIMEOUT, settings.IDLE_WARNING = 600, 120
    html = parent_client.get(url("reflect:journal")).content.decode()
    assert 'data-timeout="600" data-warning="120"' in html
    assert 'role="status"' in html


# --- The security log ----------------------------------------------------------------------------


def test_logging_in_and_out_is_recorded_with_a_coarse_device(parent, password):
    client = HttpsClient()
    log_in(client, parent, password)
    client.post(url("account_logout"), HTTP_USER_AGENT=FIREFOX_ANDROID)
    events = list(SecurityEvent.objects.filter(user=parent).order_by("id"))
    assert [e.event for e in events] == [Event.LOGIN, Event.LOGOUT]
    assert events[0].device == "Firefox · Android"


def test_a_failed_log_in_is_recorded_for_the_account_it_tried(parent):
    HttpsClient().post(url("account_login"), {"login": parent.email, "password": "not it at all"})
    assert SecurityEvent.objects.filter(user=parent, event=Event.LOGIN_FAILED).count() == 1


def test_a_failed_log_in_for_an_unknown_address_is_recorded_without_a_user(db):
    HttpsClient().post(url("account_login"), {"login": "nobody@example.org", "password": "x" * 12})
    event = SecurityEvent.objects.get(event=Event.LOGIN_FAILED)
    assert event.user is None
    assert "nobody" not in str(event.details)


def test_adding_and_changing_the_main_email_address_is_recorded(parent_client, parent):
    parent_client.post(url("account_email"), {"action_add": "", "email": "alice.new@example.org"})
    assert SecurityEvent.objects.filter(user=parent, event=Event.EMAIL_ADDED).exists()
    from allauth.account.models import EmailAddress

    EmailAddress.objects.filter(email="alice.new@example.org").update(verified=True)
    parent_client.post(
        url("account_email"), {"action_primary": "", "email": "alice.new@example.org"}
    )
    assert SecurityEvent.objects.filter(user=parent, event=Event.EMAIL_CHANGED).exists()


def test_no_password_secret_code_or_address_reaches_the_log(parent, password, caplog):
    caplog.set_level(logging.DEBUG)
    client = HttpsClient()
    log_in(client, parent, password)
    secret = enable_totp(client)
    codes = re.findall(
        r"<li>(\d{8})</li>", client.get(url("mfa_view_recovery_codes")).content.decode()
    )
    client.post(
        url("account_change_password"),
        {
            "oldpassword": password,
            "password1": "a new quiet morning",
            "password2": "a new quiet morning",
        },
    )
    client.post(url("account_logout"))
    HttpsClient().post(url("account_login"), {"login": parent.email, "password": "wrong guess 123"})

    security_lines = [r.getMessage() for r in caplog.records if r.name == "hechting.security"]
    assert len(security_lines) >= 5
    everything = "\n".join(r.getMessage() for r in caplog.records)
    stored = "\n".join(f"{e.device} {e.details}" for e in SecurityEvent.objects.all())
    for secret_text in [
        password,
        "a new quiet morning",
        "wrong guess 123",
        secret,
        parent.email,
        *codes,
    ]:
        assert secret_text not in everything
        assert secret_text not in stored
    assert all(re.fullmatch(r"event=[a-z_]+ user=(\d+|-)( .*)?", line) for line in security_lines)


def test_record_refuses_free_text_and_unknown_events(rf, parent):
    request = rf.get("/")
    with pytest.raises(ValueError, match="short lowercase"):
        record(request, Event.SHARE_LINK_CREATED, parent, note="Noor cried at bedtime")
    with pytest.raises(ValueError, match="diary_read"):
        record(request, "diary_read", parent)
    entry = record(request, Event.SHARE_LINK_CREATED, parent, link=7, scope="week")
    assert entry.details == {"link": 7, "scope": "week"}


def test_security_events_go_with_the_account(parent, rf):
    record(rf.get("/"), Event.EXPORT, parent)
    parent.delete()
    assert not SecurityEvent.objects.exists()


@pytest.mark.parametrize(
    ("agent", "device"),
    [
        (FIREFOX_ANDROID, "Firefox · Android"),
        (
            "Mozilla/5.0 (iPhone; CPU iPhone OS 17_0 like Mac OS X) AppleWebKit/605.1.15 "
            "(KHTML, like Gecko) Version/17.0 Mobile/15E148 Safari/604.1",
            "Safari · iOS",
        ),
        (
            "Mozilla/5.0 (Windows NT 10.0; Win64; x64) AppleWebKit/537.36 (KHTML, like Gecko) "
            "Chrome/130.0 Safari/537.36 Edg/130.0",
            "Edge · Windows",
        ),
        ("curl/8.0", ""),
        ("", ""),
    ],
)
def test_the_device_is_described_coarsely(agent, device):
    assert describe_device(agent) == device


@pytest.mark.parametrize(
    ("language", "words", "encouragement"),
    [
        ("nl", "Je bent ingelogd", "raden we het van harte aan"),
        ("en", "You logged in", "we warmly recommend it"),
    ],
)
def test_the_account_page_shows_recent_activity_in_words_and_a_gentle_note(
    parent, password, language, words, encouragement
):
    client = HttpsClient()
    log_in(client, parent, password)
    html = client.get(url("account", language)).content.decode()
    assert words in html
    assert "Firefox · Android" in html
    assert encouragement in html
    assert url("mfa_index", language) in html
    assert url("usersessions_list", language) in html


def test_the_account_page_shows_only_ones_own_activity(parent_client, other_parent, rf):
    record(rf.get("/"), Event.SHARE_LINK_VIEWED, other_parent)
    html = parent_client.get(url("account", "en")).content.decode()
    assert "Someone opened your share link" not in html


def test_the_account_page_costs_the_same_queries_for_few_and_many_events(parent_client, parent, rf):
    from django.db import connection
    from django.test.utils import CaptureQueriesContext

    def count():
        with CaptureQueriesContext(connection) as captured:
            assert parent_client.get(url("account")).status_code == 200
        return len(captured)

    small = count()
    for _ in range(60):
        record(rf.get("/"), Event.LOGIN, parent)
    assert count() == small
    html = parent_client.get(url("account", "en")).content.decode()
    assert html.count("You logged in") == 15


# --- Quick exit ----------------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("language", "label", "site"),
    [
        ("nl", "Snel weg", "https://www.buienradar.nl/"),
        ("en", "Leave quickly", "https://www.bbc.com/weather"),
    ],
)
def test_every_page_has_a_plain_quick_exit_link(
    parent_client, client, language, label, site, built_static
):
    """Signed in or not (home, learn pages, the log in page): the same link to the exit address."""
    pages = [
        (parent_client, url("reflect:journal", language)),
        (client, url("home", language)),
        (client, url("learn:index", language)),
        (client, url("learn:help", language)),
        (client, url("account_login", language)),
    ]
    exit_url = url("quick_exit", language)
    for who, address in pages:
        html = who.get(address).content.decode()
        assert (
            f'<a class="quick-exit" href="{exit_url}" rel="noreferrer" data-quick-exit '
            f'data-neutral="{site}">{label}'
        ) in html, address
        assert re.search(r'<script src="/static/js/quick-exit\.[0-9a-f]+\.js" defer>', html)


def test_the_quick_exit_site_can_be_configured(parent_client, settings):
    settings.QUICK_EXIT_URL = "https://example.org/weather"
    html = parent_client.get(url("reflect:journal", "en")).content.decode()
    assert 'data-neutral="https://example.org/weather"' in html
    response = parent_client.get(url("quick_exit", "en"))
    assert response["Location"] == "https://example.org/weather"


def test_visitors_see_no_session_notice(client):
    for name in ["home", "learn:index"]:
        html = client.get(url(name)).content.decode()
        assert "data-idle-notice" not in html


@pytest.mark.parametrize(
    ("language", "site"),
    [("nl", "https://www.buienradar.nl/"), ("en", "https://www.bbc.com/weather")],
)
def test_the_exit_address_ends_the_login_and_goes_to_the_neutral_site(
    parent_client, parent, language, site
):
    response = parent_client.get(url("quick_exit", language))
    assert response.status_code == 303
    assert response["Location"] == site
    assert response["Clear-Site-Data"] == '"storage"'
    assert "no-store" in response["Cache-Control"]
    assert SecurityEvent.objects.filter(user=parent, event="logout").exists()
    assert parent_client.get(url("reflect:journal", language)).status_code == 302


def test_the_exit_address_answers_the_script_with_204(parent):
    client = HttpsClient(enforce_csrf_checks=True)
    client.force_login(parent)
    page = client.get(url("reflect:journal", "nl"))
    token = re.search(r'"X-CSRFToken": "([^"]+)"', page.content.decode()).group(1)
    origin = {"Origin": "https://testserver", "X-CSRFToken": token}
    response = client.post(url("quick_exit", "nl"), headers=origin)
    assert response.status_code == 204
    assert response["Clear-Site-Data"] == '"storage"'
    assert client.get(url("reflect:journal", "nl")).status_code == 302


def test_the_exit_address_refuses_a_post_from_another_site(parent):
    client = HttpsClient(enforce_csrf_checks=True)
    client.force_login(parent)
    assert client.post(url("quick_exit", "nl")).status_code == 403
    assert client.get(url("reflect:journal", "nl")).status_code == 200


def test_the_exit_address_works_for_a_visitor_and_refuses_other_methods(client):
    response = client.get(url("quick_exit", "en"))
    assert response.status_code == 303
    assert response["Clear-Site-Data"] == '"storage"'
    assert client.put(url("quick_exit", "en")).status_code == 405


def test_logging_out_clears_the_sites_storage_in_the_browser(parent_client):
    response = parent_client.post(url("account_logout", "nl"))
    assert response.status_code == 302
    assert response["Clear-Site-Data"] == '"storage"'


def test_an_ordinary_page_clears_nothing(parent_client, client):
    assert "Clear-Site-Data" not in parent_client.get(url("reflect:journal", "nl"))
    assert "Clear-Site-Data" not in client.get(url("home", "nl"))


@pytest.mark.parametrize(
    ("language", "text"),
    [("nl", "Snel weg"), ("en", "Leave quickly")],
)
def test_the_help_page_explains_what_quick_exit_does_not_do(client, language, text):
    html = client.get(url("learn:help", language)).content.decode()
    assert text in html
    assert ("privévenster" if language == "nl" else "private window") in html


def test_a_new_user_has_no_activity_yet(db):
    user = UserFactory()
    client = HttpsClient()
    client.force_login(user)
    SecurityEvent.objects.all().delete()
    html = client.get(url("account", "en")).content.decode()
    assert "Nothing yet." in html


def test_a_password_reset_by_email_ends_every_session(parent, password, mailoutbox):
    laptop = HttpsClient()
    log_in(laptop, parent, password)
    visitor = HttpsClient()
    visitor.post(url("account_reset_password"), {"email": parent.email})
    link = re.search(r"https?://[^/\s]+(/\S+/password/reset/key/\S+/)", mailoutbox[-1].body).group(
        1
    )
    form_page = visitor.get(link, follow=True)
    new = "a new quiet morning"
    visitor.post(form_page.redirect_chain[-1][0], {"password1": new, "password2": new})
    parent.refresh_from_db()
    assert parent.check_password(new)
    assert laptop.get(url("reflect:journal")).status_code == 302
    assert not UserSession.objects.filter(user=parent).exists()
    assert SecurityEvent.objects.filter(user=parent, event=Event.PASSWORD_RESET).exists()


def test_another_parents_passkey_cannot_be_renamed_or_removed(alice, other_parent):
    key = Authenticator.objects.create(user=other_parent, type="webauthn", data={})
    assert alice.get(url("mfa_remove_webauthn", pk=key.pk)).status_code == 404
    assert alice.post(url("mfa_remove_webauthn", pk=key.pk)).status_code == 404
    assert alice.get(url("mfa_edit_webauthn", pk=key.pk)).status_code == 404
    assert Authenticator.objects.filter(pk=key.pk).exists()


def test_the_second_step_page_cannot_be_opened_without_a_password_first(client):
    response = client.get(url("mfa_authenticate"))
    assert response.status_code == 302
    assert response["Location"].startswith(url("account_login"))
