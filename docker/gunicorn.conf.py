"""Gunicorn settings for the container, from the environment.

WEB_CONCURRENCY  worker processes (default 2). Each sync worker serves one request at a time and
                 needs about 50-70 MiB, plus 19 MiB while it hashes a password (Argon2id).
GUNICORN_TIMEOUT seconds before a stuck worker is restarted (default 30).
PORT             the port to listen on inside the container (default 8000).
"""

import os
import sys
from pathlib import Path

from gunicorn.glogging import Logger

# The app's own folder, for the log filter (gunicorn adds it to the path only after this file).
sys.path.insert(0, str(Path(__file__).resolve().parent.parent))
from hechting.lib.log_redaction import RedactPersonalData

bind = f"0.0.0.0:{os.environ.get('PORT', '8000')}"
workers = int(os.environ.get("WEB_CONCURRENCY", "2"))
timeout = int(os.environ.get("GUNICORN_TIMEOUT", "30"))
graceful_timeout = timeout
keepalive = 5
# Recycle workers now and then so that slow memory growth cannot add up over months.
max_requests = 1000
max_requests_jitter = 100
# Heartbeat files in memory: a container's /tmp may sit on a slow overlay file system.
worker_tmp_dir = "/dev/shm" if os.path.isdir("/dev/shm") else None  # noqa: S108
# No access log: addresses can carry password-reset tokens. Errors still go to stderr.
accesslog = None
errorlog = "-"
loglevel = os.environ.get("LOG_LEVEL", "info").lower()
# A request line of up to 8190 bytes (gunicorn's most; 4094 by default), so that a long search
# reaches the app, which answers it in the visitor's language. Longer lines get gunicorn's 400.
limit_request_line = 8190
# gunicorn 25+ opens a control socket for `gunicornc` by default, in a folder the unprivileged
# app user cannot write ("Control server error: Permission denied" at every start). Not used here.
control_socket_disable = True


class RedactingLogger(Logger):
    """gunicorn's logs without client addresses, tokens or query strings: the error log quotes
    the request line of a malformed request, the access log (if switched on) every address."""

    def setup(self, cfg) -> None:
        super().setup(cfg)
        for log in (self.error_log, self.access_log):
            for handler in log.handlers:
                if not any(isinstance(f, RedactPersonalData) for f in handler.filters):
                    handler.addFilter(RedactPersonalData())


logger_class = RedactingLogger
# The X-Forwarded-Proto header is read by Django (BEHIND_PROXY=1), not by gunicorn.
forwarded_allow_ips = "127.0.0.1"
