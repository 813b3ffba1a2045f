"""Re-encrypt the journal's words (and the other encrypted fields: share-link labels and client
names, invitation notes) with the current (first) key in JOURNAL_KEYS, then make the search
index's tokens again with it (reflect/search.py: their key is derived from the journal key).

To rotate: put a new key first in JOURNAL_KEYS and keep the old one after it
("k2:<new>,k1:<old>"), restart, run this command, then remove the old key. Rows are read in
batches in primary-key order; each batch is one transaction. Rows already sealed with the
current key are skipped (and moments whose tokens are of the current key), so the command can
be stopped and run again at any time.
"""

from django.apps import apps
from django.core.management.base import BaseCommand
from django.db import transaction
from django.utils import translation

from reflect import search
from reflect.encryption import EncryptedTextField, Sealed, keyring
from reflect.models import Moment


def encrypted_models():
    """Every model with encrypted fields (moments; share links and invitations) and those fields."""
    for model in apps.get_models():
        fields = [field for field in model._meta.fields if isinstance(field, EncryptedTextField)]
        if fields:
            yield model, fields


class Command(BaseCommand):
    help = (
        "Re-encrypt every moment's words, share-link labels and invitation notes with the "
        "current journal key (the first in JOURNAL_KEYS)."
    )

    def add_arguments(self, parser):
        parser.add_argument("--batch-size", type=int, default=500)

    def handle(self, *args, batch_size: int, **options):
        current = keyring().current
        for model, fields in encrypted_models():
            checked, rotated = self.rotate(model, fields, current, batch_size)
            with translation.override("en"):
                name = str(model._meta.verbose_name_plural)
            self.stdout.write(f"{rotated} of {checked} {name} re-encrypted with key {current!r}.")
        rekeyed = search.rekey(Moment, batch_size)
        self.stdout.write(f"Search index of {rekeyed} moments made again with key {current!r}.")

    def rotate(self, model, fields, current: str, batch_size: int) -> tuple[int, int]:
        bound_to = {name for field in fields for name in (field.row_field, field.owner_field)}
        columns = ["pk", *sorted(bound_to), *(field.name for field in fields)]
        last_pk, checked, rotated = 0, 0, 0
        while True:
            with transaction.atomic():
                batch = list(
                    model.objects.filter(pk__gt=last_pk)
                    .order_by("pk")
                    .select_for_update()
                    .only(*columns)[:batch_size]
                )
                if not batch:
                    break
                for row in batch:
                    stored = [row.__dict__[field.attname] for field in fields]
                    if all(
                        not value or (isinstance(value, Sealed) and value.key_id == current)
                        for value in stored
                    ):
                        continue
                    changes = {
                        field.attname: field.seal(row, getattr(row, field.attname))
                        for field in fields
                    }
                    model.objects.filter(pk=row.pk).update(**changes)
                    rotated += 1
                checked += len(batch)
                last_pk = batch[-1].pk
        return checked, rotated
