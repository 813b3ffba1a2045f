#!/bin/sh
# Container entrypoint. For the web server (the default command, gunicorn) it first runs the
# start-up checks: refuse a missing SECRET_KEY in production, wait for the database, back up
# before migrating, migrate (docker/prestart.py). Any other command (manage.py backup, restore,
# createsuperuser, a shell...) runs as given, without touching the database first.
set -eu

app_dir="$(CDPATH='' cd -- "$(dirname -- "$0")/.." && pwd)"
cd "$app_dir"

if [ "$#" -eq 0 ]; then
    set -- gunicorn --config docker/gunicorn.conf.py hechting.wsgi:application
fi

if [ "$1" = "gunicorn" ]; then
    python docker/prestart.py
fi

exec "$@"
