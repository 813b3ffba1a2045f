"""Gunicorn settings for the container, from the environment.

WEB_CONCURRENCY  worker processes (default 2). Each sync worker serves one request at a time and
                 needs about 50-70 MiB, plus 19 MiB while it hashes a password (Argon2id).
GUNICORN_TIMEOUT seconds before a stuck worker is restarted (default 30).
PORT             the port to listen on inside the container (default 8000).
"""

import os

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
# The X-Forwarded-Proto header is read by Django (BEHIND_PROXY=1), not by gunicorn.
forwarded_allow_ips = "127.0.0.1"
