"""Give every existing child and moment its own uid, then seal the existing words with the
current journal key (bound to the row's uid and owner, as reflect.encryption describes).

The fields are still plain TextFields in this migration's state, so the rows are read and
written as they are stored. Reversible: going back opens the words again.
"""

import uuid

from django.db import migrations

TEXT_FIELDS = ("what_happened", "felt", "child_needed", "what_helped", "repair_how")
BATCH = 500


def _rows(model):
    last = 0
    while True:
        batch = list(model.objects.filter(pk__gt=last).order_by("pk")[:BATCH])
        if not batch:
            return
        yield from batch
        last = batch[-1].pk


def seal_words(apps, schema_editor):
    from reflect.encryption import associated_data, keyring

    Child = apps.get_model("reflect", "Child")
    Moment = apps.get_model("reflect", "Moment")
    for child in _rows(Child):
        Child.objects.filter(pk=child.pk).update(uid=uuid.uuid4())
    for moment in _rows(Moment):
        uid = uuid.uuid4()
        changes = {"uid": uid}
        for field in TEXT_FIELDS:
            value = getattr(moment, field)
            if value:
                aad = associated_data("reflect.moment", field, uid, moment.owner_id)
                changes[field] = keyring().seal(value, aad)
        Moment.objects.filter(pk=moment.pk).update(**changes)


def open_words(apps, schema_editor):
    from reflect.encryption import associated_data, keyring

    Moment = apps.get_model("reflect", "Moment")
    for moment in _rows(Moment):
        changes = {}
        for field in TEXT_FIELDS:
            value = getattr(moment, field)
            if value:
                aad = associated_data("reflect.moment", field, moment.uid, moment.owner_id)
                changes[field] = keyring().open(value, aad)
        if changes:
            Moment.objects.filter(pk=moment.pk).update(**changes)


class Migration(migrations.Migration):
    dependencies = [("reflect", "0002_uids")]

    operations = [migrations.RunPython(seal_words, open_words, elidable=False)]
