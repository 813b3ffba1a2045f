from django.http import HttpRequest


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
        # The parent's share links under "Sharing", a counsellor's pages under "Overview".
        parent_pages = ("links", "link_created", "link_view", "link_revoke")
        section = "sharing" if match.url_name in parent_pages else "counsellor"
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
