from django.http import HttpRequest

SHARING_SECTIONS = {
    **dict.fromkeys(
        ("links", "link_created", "link_view", "link_revoke", "invitation_answer"), "sharing"
    ),
    **dict.fromkeys(
        (
            "dashboard",
            "counsellor_profile",
            "invitation_new",
            "invitation_created",
            "invitation_revoke",
            "invitation_last_day",
        ),
        "counsellor",
    ),
}


def nav_section(request: HttpRequest) -> dict[str, str]:
    """Which item of the main navigation the current page belongs to (for aria-current)."""
    match = getattr(request, "resolver_match", None)
    if match is None:
        return {"nav_section": ""}
    if match.namespace == "learn":
        section = "learn"
    elif match.namespace == "reflect":
        section = "look_back" if match.url_name.startswith("look_back") else "journal"
    elif match.namespace == "sharing":
        # The parent's share links under "Sharing", a counsellor's own pages under "Overview";
        # the public pages (a welcome, the page for counsellors) under neither.
        section = SHARING_SECTIONS.get(match.url_name, "")
    elif match.url_name == "account" or (match.url_name or "").startswith("account_"):
        section = "account"
    else:
        section = ""
    return {"nav_section": section}


def is_discreet(request: HttpRequest) -> bool:
    """Discreet mode: the signed-in parent asked for a neutral title and icon (a shared phone)."""
    user = getattr(request, "user", None)
    return bool(user is not None and user.is_authenticated and user.discreet)


def discreet(request: HttpRequest) -> dict[str, bool]:
    return {"discreet": is_discreet(request)}
