"""`python manage.py housekeeping`: remove what has ended (see hechting/housekeeping.py)."""

from django.core.management.base import BaseCommand

from hechting import housekeeping


class Command(BaseCommand):
    help = (
        "Remove ended sessions, share links and invitations past their life, expired "
        "rate-limit rows and the other rows in settings.HOUSEKEEPING. Run it every hour."
    )

    def handle(self, *args, **options):
        for name, removed in housekeeping.run():
            self.stdout.write(f"{name.replace('_', ' ')}: {removed} removed")
