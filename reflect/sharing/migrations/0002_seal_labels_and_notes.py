"""Seal the words about people that sharing kept in plain text: a share link's label and client
name, and an invitation's note. They are encrypted like journal words (reflect.encryption),
bound to the row's public_id and its owner (the parent; for an invitation, the counsellor).

First the two short columns become plain TEXT (a sealed value is longer than 80 characters),
then the existing values are sealed, then the fields become EncryptedTextFields. Reversible:
going back opens the values again.
"""

from django.db import migrations, models

import reflect.encryption

SEALED = {
    "sharelink": (("label", "client_name"), "owner_id"),
    "invitation": (("note",), "counsellor_id"),
}
BATCH = 500


def _rows(model):
    last = 0
    while True:
        batch = list(model.objects.filter(pk__gt=last).order_by("pk")[:BATCH])
        if not batch:
            return
        yield from batch
        last = batch[-1].pk


def _is_sealed(value: str) -> bool:
    try:
        reflect.encryption.parse_token(value)
    except reflect.encryption.SealError:
        return False
    return True


def _change(apps, seal: bool) -> None:
    from reflect.encryption import associated_data, keyring

    for model_name, (fields, owner_field) in SEALED.items():
        model = apps.get_model("sharing", model_name)
        for row in _rows(model):
            changes = {}
            for field in fields:
                value = getattr(row, field)
                if not value or _is_sealed(value) == seal:
                    continue
                aad = associated_data(
                    f"sharing.{model_name}", field, row.public_id, getattr(row, owner_field)
                )
                changes[field] = keyring().seal(value, aad) if seal else keyring().open(value, aad)
            if changes:
                model.objects.filter(pk=row.pk).update(**changes)


def seal(apps, schema_editor):
    _change(apps, seal=True)


def open_again(apps, schema_editor):
    _change(apps, seal=False)


class Migration(migrations.Migration):
    dependencies = [("sharing", "0001_initial")]

    operations = [
        migrations.AlterField(
            model_name="sharelink",
            name="label",
            field=models.TextField(blank=True, verbose_name="for whom (only you see this)"),
        ),
        migrations.AlterField(
            model_name="sharelink",
            name="client_name",
            field=models.TextField(blank=True, verbose_name="your name for your counsellor"),
        ),
        migrations.RunPython(seal, open_again, elidable=False),
        migrations.AlterField(
            model_name="invitation",
            name="note",
            field=reflect.encryption.EncryptedTextField(
                blank=True,
                max_length=1000,
                owner_field="counsellor_id",
                row_field="public_id",
                verbose_name="personal note (optional)",
            ),
        ),
        migrations.AlterField(
            model_name="sharelink",
            name="client_name",
            field=reflect.encryption.EncryptedTextField(
                blank=True,
                max_length=80,
                row_field="public_id",
                verbose_name="your name for your counsellor",
            ),
        ),
        migrations.AlterField(
            model_name="sharelink",
            name="label",
            field=reflect.encryption.EncryptedTextField(
                blank=True,
                max_length=80,
                row_field="public_id",
                verbose_name="for whom (only you see this)",
            ),
        ),
    ]
