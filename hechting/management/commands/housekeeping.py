"""`python manage.py housekeeping [--every SECONDS]`: remove what has ended
(see hechting/housekeeping.py), once or in a loop (the `housekeeping` service in compose.yaml)."""

import time

from django.core.management.base import BaseCommand, CommandError
from django.db import connections

from hechting import housekeeping


class Command(BaseCommand):
    help = (
        "Remove ended sessions, share links and invitations past their life, expired "
        "rate-limit rows and the other rows in settings.HOUSEKEEPING. Run it every hour: "
        "--every 3600 keeps running and does it once an hour."
    )

    def add_arguments(self, parser):
        parser.add_argument(
            "--every",
            type=int,
            default=0,
            metavar="SECONDS",
            help="Keep running and repeat after this many seconds (at least 60).",
        )

    def handle(self, *args, every: int, **options):
        if every and every < 60:
            raise CommandError("--every must be at least 60 seconds.")
        while True:
            for name, removed in housekeeping.run():
                self.stdout.write(f"{name.replace('_', ' ')}: {removed} removed")
            self.stdout.flush()
            if not every:
                return
            connections.close_all()  # no connection left idle for an hour
            time.sleep(every)
