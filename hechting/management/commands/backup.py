"""`python manage.py backup`: a checked copy of the database in DATA_DIR/backups."""

from django.conf import settings
from django.core.management.base import BaseCommand, CommandError
from django.db import DEFAULT_DB_ALIAS, connections

from hechting.lib import backups


class Command(BaseCommand):
    help = (
        "Back up the database into DATA_DIR/backups (SQLite: an online copy checked with "
        "PRAGMA integrity_check; PostgreSQL: pg_dump) and keep only the newest backups."
    )
    # Backups must work even when a system check would complain.
    requires_system_checks = []

    def add_arguments(self, parser):
        parser.add_argument(
            "--keep",
            type=int,
            default=None,
            help=f"How many backups to keep (default: BACKUP_KEEP or {backups.DEFAULT_KEEP}).",
        )
        parser.add_argument(
            "--label", default="", help="A word added to the file name, like 'before-upgrade'."
        )
        parser.add_argument("--database", default=DEFAULT_DB_ALIAS)

    def handle(self, *args, keep, label, database, **options):
        try:
            keep = keep if keep is not None else backups.keep_from_environment()
            result = backups.take_backup(
                connections[database].settings_dict,
                backups.backup_dir(settings.DATA_DIR),
                keep=keep,
                label=label,
            )
        except backups.BackupError as exc:
            raise CommandError(str(exc)) from exc
        for path in result.pruned:
            self.stdout.write(f"Removed old backup {path.name}")
        self.stdout.write(self.style.SUCCESS(f"Backup written to {result.path}"))
