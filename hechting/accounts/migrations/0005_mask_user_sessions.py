"""Mask the sessions allauth kept before: no IP address, only a device name, times to the minute."""

from django.db import migrations

from hechting.accounts.user_sessions import keep_only_what_is_shown


def mask(apps, schema_editor):
    UserSession = apps.get_model("usersessions", "UserSession")
    for session in UserSession.objects.iterator():
        keep_only_what_is_shown(session)
        session.save(update_fields=["ip", "user_agent", "created_at", "last_seen_at"])


class Migration(migrations.Migration):
    dependencies = [
        ("accounts", "0004_drop_journal_version"),
        ("usersessions", "0001_initial"),
    ]

    operations = [migrations.RunPython(mask, migrations.RunPython.noop)]
