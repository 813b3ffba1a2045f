"""`python manage.py restore FILE`: put a backup back, after checking it and the current data."""

from pathlib import Path

from django.conf import settings
from django.core.management.base import BaseCommand, CommandError
from django.db import DEFAULT_DB_ALIAS, connections

from hechting.lib import backups


class Command(BaseCommand):
    help = (
        "Replace the database with a backup made by `manage.py backup`. The backup is checked "
        "first, and the current database is backed up (label 'before-restore') unless it is "
        "missing. Stop the web server before restoring."
    )
    # A disaster tool: it must run even when a system check would complain.
    requires_system_checks = []

    def add_arguments(self, parser):
        parser.add_argument("file", help="A .sqlite3 (SQLite) or .dump (PostgreSQL) backup.")
        parser.add_argument(
            "--no-input",
            "--noinput",
            action="store_false",
            dest="interactive",
            help="Do not ask for confirmation.",
        )
        parser.add_argument("--database", default=DEFAULT_DB_ALIAS)

    def handle(self, *args, file, interactive, database, **options):
        backup_file = Path(file).resolve()
        connection = connections[database]
        settings_dict = connection.settings_dict
        try:
            backups.check_backup(settings_dict, backup_file)  # before touching anything
            if interactive and not self._confirmed(backup_file):
                raise CommandError("Nothing was restored.")
            connection.close()
            self._save_current(settings_dict)
            backups.restore(settings_dict, backup_file)
        except backups.BackupError as exc:
            raise CommandError(str(exc)) from exc
        self.stdout.write(self.style.SUCCESS(f"Restored {backup_file.name}; integrity check ok."))
        self.stdout.write("Start the app again; it applies any newer migrations at start-up.")

    def _confirmed(self, backup_file: Path) -> bool:
        answer = input(
            f"This replaces everything in the database with {backup_file.name}.\n"
            "Type 'yes' to continue: "
        )
        return answer.strip().lower() == "yes"

    def _save_current(self, settings_dict: dict) -> None:
        """Keep what is there now, so that restoring the wrong file can be undone."""
        if backups.is_sqlite(settings_dict) and not backups.sqlite_has_data(settings_dict):
            return  # nothing there yet (a wiped or new database)
        try:
            saved = backups.take_backup(
                settings_dict,
                backups.backup_dir(settings.DATA_DIR),
                keep=None,  # pruning now could delete the very file being restored
                label="before-restore",
            )
        except backups.BackupUnavailable as exc:
            self.stderr.write(f"The current database was not saved first: {exc}")
            return
        self.stdout.write(f"The current database was saved as {saved.path}")
