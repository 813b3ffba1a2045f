from django.apps import AppConfig
from django.db.backends.signals import connection_created


class HechtingConfig(AppConfig):
    name = "hechting"
    verbose_name = "Hechting"

    def ready(self) -> None:
        from . import checks  # noqa: F401  (registers the project's system checks)

        connection_created.connect(_keep_sqlite_private, dispatch_uid="hechting-sqlite-private")


_checked: set[str] = set()


def _keep_sqlite_private(sender, connection, **kwargs) -> None:
    """The SQLite database and its -wal and -shm are readable by their owner only.

    Checked once per file and process (SQLite gives later -wal and -shm files the database's mode).
    """
    if connection.vendor != "sqlite":
        return
    name = str(connection.settings_dict["NAME"])
    if name in _checked or name == ":memory:" or name.startswith("file:") or "mode=memory" in name:
        return
    from hechting.lib.private_files import keep_sqlite_private

    keep_sqlite_private(name)
    _checked.add(name)
