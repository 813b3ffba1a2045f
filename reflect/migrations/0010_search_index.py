"""The blind search index (reflect/search.py): a table of keyed tokens of each moment's words,
filled for the moments that exist. Going back drops the table (the tokens are made again from
the words when migrating forward).

The moments are read with this migration's model (their words open as the field opens them);
the tokens are made with reflect.search's helpers, under the current journal key.
"""

import django.db.models.deletion
from django.db import migrations, models

TEXT_FIELDS = ("what_happened", "felt", "child_needed", "what_helped", "repair_how")
BATCH = 500


def build_index(apps, schema_editor):
    from reflect import search
    from reflect.encryption import keyring

    Moment = apps.get_model("reflect", "Moment")
    SearchToken = apps.get_model("reflect", "SearchToken")
    last = 0
    while True:
        batch = list(
            Moment.objects.filter(pk__gt=last)
            .order_by("pk")
            .only("pk", "uid", "owner_id", *TEXT_FIELDS)[:BATCH]
        )
        if not batch:
            return
        ring = keyring()
        rows = []
        for moment in batch:
            key = search.parent_key(ring.keys[ring.current], moment.owner_id)
            texts = [getattr(moment, field) for field in TEXT_FIELDS]
            rows += [
                SearchToken(moment_id=moment.pk, key_id=ring.current, token=value)
                for value in search.tokens_for(texts, key)
            ]
        SearchToken.objects.bulk_create(rows, batch_size=2000)
        last = batch[-1].pk


class Migration(migrations.Migration):
    dependencies = [
        ("reflect", "0009_dates_and_form_keys"),
    ]

    operations = [
        migrations.CreateModel(
            name="SearchToken",
            fields=[
                (
                    "id",
                    models.BigAutoField(
                        auto_created=True, primary_key=True, serialize=False, verbose_name="ID"
                    ),
                ),
                ("key_id", models.CharField(max_length=16)),
                ("token", models.BigIntegerField()),
                (
                    "moment",
                    models.ForeignKey(
                        on_delete=django.db.models.deletion.CASCADE,
                        related_name="search_tokens",
                        to="reflect.moment",
                    ),
                ),
            ],
            options={
                "indexes": [models.Index(fields=["token", "moment"], name="reflect_search_token")],
            },
        ),
        migrations.RunPython(build_index, migrations.RunPython.noop, elidable=True),
    ]
