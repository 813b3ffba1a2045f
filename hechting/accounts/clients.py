"""Who is asking: the client address behind the proxies we were told about, and keys that count
per client without keeping the address.

Rate limits (allauth's for logging in, ours for share tokens) count per client. Behind a reverse
proxy every request comes from the proxy, so the settings name how the proxy passes the real
address on (``TRUSTED_PROXY_COUNT`` / ``TRUSTED_CLIENT_IP_HEADER``, docs/self-hosting.md);
without them a forwarded header is ignored, since any visitor can send one.

No address is kept: :func:`client_key` and :func:`cache_key` are HMACs keyed with SECRET_KEY,
so the cache table holds neither addresses nor email addresses.
"""

from __future__ import annotations

import ipaddress

from django.http import HttpRequest
from django.utils.crypto import salted_hmac

# IPv6 clients usually hold a whole /64: they are counted as one.
IPV6_PREFIX = 64


def _hmac(purpose: str, value: str) -> str:
    return salted_hmac(f"hechting.{purpose}", value, algorithm="sha256").hexdigest()


def address(request: HttpRequest) -> str:
    """The client's address as allauth reads it under the settings (our AccountAdapter)."""
    from allauth.account.adapter import get_adapter

    return get_adapter(request).get_client_ip(request)


def _network(ip: str) -> str:
    try:
        parsed = ipaddress.ip_address(ip)
    except ValueError:
        return ip
    if parsed.version == 6:
        return str(ipaddress.ip_network(f"{parsed}/{IPV6_PREFIX}", strict=False))
    return str(parsed)


def client_key(request: HttpRequest) -> str:
    """A stable name for this client that does not reveal its address."""
    return _hmac("client", _network(address(request)))[:32]


def cache_key(key: str, key_prefix: str, version: int) -> str:
    """Django's KEY_FUNCTION for the shared cache: the key itself is stored as an HMAC."""
    return f"{key_prefix}:{version}:{_hmac('cache-key', key)}"
