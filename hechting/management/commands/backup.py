"""`python manage.py backup`: a checked copy of the database in DATA_DIR/backups, and a second
checked copy in BACKUP_COPY_DIR (another disk, a mounted share) when that is set."""

from pathlib import Path

from django.conf import settings
from django.core.management.base import BaseCommand, CommandError
from django.db import DEFAULT_DB_ALIAS, connections

from hechting.lib import backups


class Command(BaseCommand):
    help = (
        "Back up the database into DATA_DIR/backups (SQLite: an online copy checked with "
        "PRAGMA integrity_check; PostgreSQL: pg_dump), copy it into a second folder "
        "(BACKUP_COPY_DIR or --copy-to) and keep only the newest backups in each."
    )
    # Backups must work even when a system check would complain.
    requires_system_checks = []

    def add_arguments(self, parser):
        parser.add_argument(
            "--keep",
            type=int,
            default=None,
            help="How many backups to keep in each folder (default: BACKUP_KEEP, 10).",
        )
        parser.add_argument(
            "--label", default="", help="A word added to the file name, like 'before-upgrade'."
        )
        parser.add_argument(
            "--copy-to",
            type=Path,
            default=None,
            help="A second folder for a checked copy (default: BACKUP_COPY_DIR; must exist).",
        )
        parser.add_argument("--database", default=DEFAULT_DB_ALIAS)

    def handle(self, *args, keep, label, copy_to, database, **options):
        keep = keep if keep is not None else settings.BACKUP_KEEP
        copy_to = copy_to or settings.BACKUP_COPY_DIR
        database = connections[database].settings_dict
        try:
            result = backups.take_backup(
                database, backups.backup_dir(settings.DATA_DIR), keep=keep, label=label
            )
            self._report(result, "Backup written to")
            if copy_to:
                copy = backups.copy_backup(result.path, database, copy_to, keep=keep)
                self._report(copy, "Copy written to")
        except backups.BackupError as exc:
            raise CommandError(str(exc)) from exc

    def _report(self, result: backups.Backup, what: str) -> None:
        for path in result.pruned:
            self.stdout.write(f"Removed old backup {path.name} from {path.parent}")
        self.stdout.write(self.style.SUCCESS(f"{what} {result.path}"))
