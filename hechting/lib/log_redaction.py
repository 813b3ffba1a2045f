"""No IP address, token or journal word in a log line, from the app or from gunicorn.

:class:`RedactPersonalData` is a logging filter that rewrites each record (its message, its
traceback and its stack) before any handler writes it:

* IP addresses (v4 and v6) become ``[ip]``;
* the secret part of addresses that carry one (share links ``/share/t/...``, invitations
  ``/share/i/...``, co-parent invitations ``/together/i/...``, e-mail confirmations, password
  resets) becomes ``[redacted]``, and so does any other long run of token-like characters
  (session keys, signed values);
* query strings, where a search holds a parent's words, become ``?[redacted]``;
* what gunicorn quotes from a malformed request (the request line, a header) is dropped.

Django's handlers get it from ``LOGGING`` in the settings, gunicorn's from
docker/gunicorn.conf.py. Framework-free: gunicorn's master process imports it without Django.
"""

from __future__ import annotations

import ipaddress
import logging
import re

REDACTED = "[redacted]"
_SECRET_PATH = re.compile(
    r"(/(?:share/[ti]|together/i|confirm-email|password/reset/key)/)[^/\s\"'?#]+", re.IGNORECASE
)
_QUERY = re.compile(r"\?[^\s\"'#]+")
_TOKEN_LIKE = re.compile(r"(?<![\w:-])(?=[\w:-]*\d)(?=[\w:-]*[A-Za-z])[\w:-]{32,}(?![\w:-])")
_IPV4 = re.compile(r"(?<![\d.])(?:\d{1,3}\.){3}\d{1,3}(?![\d.])")
_IPV6 = re.compile(r"(?<![\w:.])(?:[0-9A-Fa-f]{0,4}:){2,7}[0-9A-Fa-f]{0,4}(?![\w:])")
# gunicorn: "Invalid request from ip=...: Invalid HTTP request line: 'GET /share/t/...'"
_INVALID_REQUEST = re.compile(r"^(Invalid request from ip=\S*: [^'\"]*)['\"].*$", re.DOTALL)


def _ipv6(match: re.Match) -> str:
    try:
        ipaddress.IPv6Address(match.group(0))
    except ValueError:
        return match.group(0)  # a time of day such as 22:39:29, not an address
    return "[ip]"


def redact(text: str) -> str:
    """``text`` without addresses, tokens, query strings or quoted request parts."""
    text = _INVALID_REQUEST.sub(rf"\1'{REDACTED}'", text)
    text = _SECRET_PATH.sub(rf"\1{REDACTED}", text)
    text = _QUERY.sub(f"?{REDACTED}", text)
    text = _TOKEN_LIKE.sub(REDACTED, text)
    text = _IPV4.sub("[ip]", text)
    return _IPV6.sub(_ipv6, text)


_TRACEBACKS = logging.Formatter()


class RedactPersonalData(logging.Filter):
    """Rewrite a record so that no handler writes an address, a token or a search."""

    def filter(self, record: logging.LogRecord) -> bool:
        try:
            message = record.getMessage()
        except (TypeError, ValueError, KeyError):
            message = str(record.msg)
        record.msg, record.args = redact(message), ()
        if record.exc_info and not record.exc_text:
            record.exc_text = _TRACEBACKS.formatException(record.exc_info)
        if record.exc_text:
            record.exc_text = redact(record.exc_text)
        if record.stack_info:
            record.stack_info = redact(record.stack_info)
        if getattr(record, "request", None) is not None:
            record.request = None  # a handler that prints the request would print its address
        return True
