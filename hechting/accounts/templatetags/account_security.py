from django import template
from django.conf import settings
from django.utils import translation
from django.utils.translation import gettext

from hechting.accounts.security_log import describe_device

register = template.Library()


@register.simple_tag
def quick_exit_url() -> str:
    """The neutral site "leave quickly" opens: QUICK_EXIT_URL, or one per language."""
    if settings.QUICK_EXIT_URL:
        return settings.QUICK_EXIT_URL
    urls = settings.QUICK_EXIT_URLS
    return urls.get(translation.get_language() or "", next(iter(urls.values())))


@register.simple_tag
def idle_timeout() -> int:
    return settings.IDLE_TIMEOUT


@register.simple_tag
def idle_warning() -> int:
    return settings.IDLE_WARNING


@register.simple_tag
def device_name(user_agent: str) -> str:
    """ "Firefox · Android" from a browser string, or "a browser" when we cannot tell."""
    return describe_device(user_agent or "") or gettext("an unknown browser")
