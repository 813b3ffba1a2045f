"""Small helpers for the sharing tests: links and invitations with their one-time tokens."""

import datetime
import re

from django.utils import timezone

from reflect.sharing.models import Invitation, ShareLink


def days(n: int) -> datetime.date:
    return timezone.localdate() + datetime.timedelta(days=n)


def make_link(owner, **fields) -> tuple[ShareLink, str]:
    fields.setdefault("valid_until", days(14))
    fields.setdefault("period_kind", ShareLink.PeriodKind.ALL)
    link = ShareLink(owner=owner, **fields)
    token = link.issue_token()
    link.save()
    return link, token


def make_invitation(counsellor, **fields) -> tuple[Invitation, str]:
    fields.setdefault("valid_until", days(30))
    invitation = Invitation(counsellor=counsellor, **fields)
    token = invitation.issue_token()
    invitation.save()
    return invitation, token


def open_link(client, token: str, language: str = "nl"):
    """Open a share link the way its recipient does: the token address, then the redirect."""
    response = client.get(f"/{language}/share/t/{token}/")
    assert response.status_code == 303, response.status_code
    return client.get(response["Location"])


def token_from_page(html: str, kind: str = "t") -> str:
    match = re.search(rf"/share/{kind}/([A-Za-z0-9_-]{{40,}})/", html)
    assert match, "no link on the page"
    return match.group(1)
