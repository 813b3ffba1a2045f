"""Re-encrypt the journal's words with the current (first) key in JOURNAL_KEYS.

To rotate: put a new key first in JOURNAL_KEYS and keep the old one after it
("k2:<new>,k1:<old>"), restart, run this command, then remove the old key. Rows are read in
batches in primary-key order; each batch is one transaction. Rows already sealed with the
current key are skipped, so the command can be stopped and run again at any time.
"""

from django.core.management.base import BaseCommand
from django.db import transaction

from reflect.encryption import Sealed, keyring
from reflect.models import Draft, Moment


class Command(BaseCommand):
    help = (
        "Re-encrypt every moment's words with the current journal key (the first in JOURNAL_KEYS)."
    )

    def add_arguments(self, parser):
        parser.add_argument("--batch-size", type=int, default=500)

    def handle(self, *args, batch_size: int, **options):
        current = keyring().current
        fields = [Moment._meta.get_field(name) for name in Moment.TEXT_FIELDS]
        last_pk, checked, rotated = 0, 0, 0
        while True:
            with transaction.atomic():
                batch = list(
                    Moment.objects.filter(pk__gt=last_pk)
                    .order_by("pk")
                    .select_for_update()
                    .only("pk", "uid", "owner", *Moment.TEXT_FIELDS)[:batch_size]
                )
                if not batch:
                    break
                for moment in batch:
                    stored = [moment.__dict__[field.attname] for field in fields]
                    if all(
                        not value or (isinstance(value, Sealed) and value.key_id == current)
                        for value in stored
                    ):
                        continue
                    changes = {
                        field.attname: field.seal(moment, getattr(moment, field.attname))
                        for field in fields
                    }
                    Moment.objects.filter(pk=moment.pk).update(**changes)
                    rotated += 1
                checked += len(batch)
                last_pk = batch[-1].pk
        self.stdout.write(f"{rotated} of {checked} moments re-encrypted with key {current!r}.")
        self.stdout.write(f"{self._drafts(current)} drafts re-encrypted with key {current!r}.")

    def _drafts(self, current: str) -> int:
        field = Draft._meta.get_field("fields")
        rotated = 0
        with transaction.atomic():
            for draft in Draft.objects.select_for_update().order_by("pk"):
                stored = draft.__dict__[field.attname]
                if isinstance(stored, Sealed) and stored.key_id != current:
                    sealed = field.seal(draft, draft.fields)
                    Draft.objects.filter(pk=draft.pk).update(fields=sealed)
                    rotated += 1
        return rotated
