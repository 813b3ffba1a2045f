"""The journal's words at rest: AES-256-GCM, one key ring, keys that can rotate.

What a parent writes in a moment (what happened, what I felt, what my child seemed to need, what
helped, how we reconnected) is stored as ``v1:<key id>:<base64url(nonce + ciphertext + tag)>``.

* **Keys** come from ``JOURNAL_KEYS`` (or a file named by ``JOURNAL_KEYS_FILE``, for Docker
  secrets): ``"k2:<base64 32 bytes>,k1:<base64 32 bytes>"``. The first key encrypts; every key
  listed can decrypt, so a new key goes first and the old one stays until
  ``manage.py rotate_journal_key`` has re-encrypted every row with the new one.
* **Without keys**, a development key is derived from the development SECRET_KEY, but only when
  DEBUG is on or SECRET_KEY is still the development key (``make run`` and the tests). In any
  other case nothing is encrypted or decrypted without ``JOURNAL_KEYS``, and
  ``check --deploy`` says so (``reflect.E001``).
* **Associated data** binds each value to its field, its row's stable ``uid`` (assigned before
  the insert, so the value can be sealed in the same INSERT) and its owner's id: a value copied
  into another row, another field or another parent's journal no longer opens.
* **Empty stays empty.** An empty optional field is stored as ``""``, so the database can still
  tell "what helped" was left empty (the look back filters on it). That is all it can tell.

:class:`EncryptedTextField` is a ``TextField`` that seals in ``pre_save`` and opens on first
attribute access (model instances only: ``values()`` returns sealed values, so read the words
through model instances). Filtering on the words is refused, except for ``= ""``: search asks
a blind index of keyed tokens instead (reflect/search.py).
"""

from __future__ import annotations

import base64
import binascii
import functools
import hashlib
import os
import re
from dataclasses import dataclass

from cryptography.exceptions import InvalidTag
from cryptography.hazmat.primitives.ciphers.aead import AESGCM
from django.conf import settings
from django.core.exceptions import ImproperlyConfigured
from django.db import models
from django.db.models.query_utils import DeferredAttribute

VERSION = "v1"
NONCE_BYTES = 12
KEY_BYTES = 32
DEV_KEY_ID = "dev"
_KEY_ID = re.compile(r"^[A-Za-z0-9_-]{1,16}$")


class SealError(Exception):
    """A stored value that does not open: a wrong or missing key, or a value moved elsewhere."""


@dataclass(frozen=True)
class KeyRing:
    current: str
    keys: dict[str, bytes]

    def seal(self, plaintext: str, aad: bytes) -> str:
        nonce = os.urandom(NONCE_BYTES)
        sealed = _aead(self.keys[self.current]).encrypt(nonce, plaintext.encode(), aad)
        body = base64.urlsafe_b64encode(nonce + sealed).decode().rstrip("=")
        return f"{VERSION}:{self.current}:{body}"

    def open(self, token: str, aad: bytes) -> str:
        kid, body = parse_token(token)
        key = self.keys.get(kid)
        if key is None:
            raise SealError(f"No key {kid!r} in JOURNAL_KEYS for a stored value.")
        try:
            raw = base64.urlsafe_b64decode(body + "=" * (-len(body) % 4))
            return _aead(key).decrypt(raw[:NONCE_BYTES], raw[NONCE_BYTES:], aad).decode()
        except (InvalidTag, binascii.Error, ValueError) as exc:
            raise SealError("A stored value does not open with its key and its row.") from exc


@functools.lru_cache(maxsize=8)
def _aead(key: bytes) -> AESGCM:
    return AESGCM(key)


def parse_token(token: str) -> tuple[str, str]:
    """``(key id, body)`` of a stored value; :class:`SealError` for anything else."""
    version, _, rest = token.partition(":")
    kid, _, body = rest.partition(":")
    if version != VERSION or not kid or not body:
        raise SealError("A stored value is not in the v1 format.")
    return kid, body


def parse_keys(text: str) -> KeyRing:
    """``"kid:base64key,kid:base64key"`` (first is current) as a :class:`KeyRing`."""
    keys: dict[str, bytes] = {}
    for item in (part.strip() for part in text.split(",")):
        if not item:
            continue
        kid, sep, encoded = item.partition(":")
        if not sep or not _KEY_ID.match(kid):
            raise ImproperlyConfigured(
                "JOURNAL_KEYS must look like 'k1:<base64 key>,k0:<older key>'; a key id is 1-16 "
                "letters, digits, '-' or '_'."
            )
        try:
            text = encoded.strip().rstrip("=").replace("-", "+").replace("_", "/")
            key = base64.b64decode(text + "=" * (-len(text) % 4), validate=True)
        except (binascii.Error, ValueError):
            raise ImproperlyConfigured(f"JOURNAL_KEYS: key {kid!r} is not base64.") from None
        if len(key) != KEY_BYTES:
            raise ImproperlyConfigured(
                f"JOURNAL_KEYS: key {kid!r} must be 32 random bytes in base64 (44 characters)."
            )
        if kid in keys:
            raise ImproperlyConfigured(f"JOURNAL_KEYS: key id {kid!r} appears twice.")
        keys[kid] = key
    if not keys:
        raise ImproperlyConfigured("JOURNAL_KEYS holds no key.")
    return KeyRing(next(iter(keys)), keys)


def dev_key_allowed() -> bool:
    return bool(settings.DEBUG or settings.SECRET_KEY == settings.INSECURE_DEV_SECRET_KEY)


@functools.cache
def _ring_for(configured: str, secret_key: str, dev: bool) -> KeyRing:
    if configured:
        return parse_keys(configured)
    if not dev:
        raise ImproperlyConfigured(
            "JOURNAL_KEYS is not set: the journal cannot be encrypted or read. Create a key with "
            "python3 -c \"import base64, os; print('k1:' + base64.b64encode(os.urandom(32))"
            '.decode())" and put it in JOURNAL_KEYS (or a file named by JOURNAL_KEYS_FILE).'
        )
    derived = hashlib.sha256(b"hechting development journal key:" + secret_key.encode()).digest()
    return KeyRing(DEV_KEY_ID, {DEV_KEY_ID: derived})


def keyring() -> KeyRing:
    """The key ring the settings describe (cached per configuration)."""
    return _ring_for(settings.JOURNAL_KEYS, settings.SECRET_KEY, dev_key_allowed())


def associated_data(label: str, field: str, uid, owner_id) -> bytes:
    """What a value is bound to: its model and field, its row's uid and its owner."""
    return f"hechting:{label}:{field}:{uid}:{owner_id}".encode()


# --- The model field ----------------------------------------------------------------------------


class Sealed(str):
    """A value as read from the database, not opened yet (opened on attribute access)."""

    __slots__ = ()

    @property
    def key_id(self) -> str:
        return parse_token(self)[0]


class Ciphertext(str):
    """A value sealed for one row, on its way into the database."""

    __slots__ = ()


class _OpensOnAccess(DeferredAttribute):
    """A data descriptor (it has ``__set__``), so it is asked even when the value is loaded."""

    def __set__(self, instance, value):
        instance.__dict__[self.field.attname] = value

    def __get__(self, instance, cls=None):
        value = super().__get__(instance, cls)
        if instance is not None and isinstance(value, Sealed):
            value = self.field.open(instance, value)
            instance.__dict__[self.field.attname] = value
        return value


class EncryptedTextField(models.TextField):
    """A TextField stored encrypted, bound to the row's ``uid`` and ``owner_id``.

    A model whose stable id or owner has another name says so: a share link is bound to its
    ``public_id`` and its owner, an invitation to its ``public_id`` and its counsellor.
    """

    descriptor_class = _OpensOnAccess

    def __init__(self, *args, row_field: str = "uid", owner_field: str = "owner_id", **kwargs):
        self.row_field, self.owner_field = row_field, owner_field
        super().__init__(*args, **kwargs)

    def deconstruct(self):
        name, path, args, kwargs = super().deconstruct()
        if self.row_field != "uid":
            kwargs["row_field"] = self.row_field
        if self.owner_field != "owner_id":
            kwargs["owner_field"] = self.owner_field
        return name, path, args, kwargs

    def aad(self, instance) -> bytes:
        return associated_data(
            instance._meta.label_lower,
            self.name,
            getattr(instance, self.row_field),
            getattr(instance, self.owner_field),
        )

    def seal(self, instance, plaintext: str) -> str:
        if not plaintext:
            return plaintext
        return Ciphertext(keyring().seal(plaintext, self.aad(instance)))

    def open(self, instance, stored: str) -> str:
        if not stored:
            return stored
        try:
            return keyring().open(stored, self.aad(instance))
        except SealError as exc:
            message = f"{instance._meta.label}.{self.name} of row {instance.pk}: {exc}"
            raise SealError(message) from exc

    def get_lookup(self, lookup_name):
        # Only "is it empty?": a pattern such as contains would compare ciphertext (None makes
        # Django raise "Unsupported lookup").
        return super().get_lookup(lookup_name) if lookup_name in {"exact", "isnull"} else None

    def from_db_value(self, value, expression, connection):
        return Sealed(value) if value else value

    def pre_save(self, model_instance, add):
        return self.seal(model_instance, getattr(model_instance, self.attname))

    def get_prep_value(self, value):
        if value is None or isinstance(value, Ciphertext | Sealed) or value == "":
            return None if value is None else str(value)
        raise ValueError(
            f"{self.model._meta.label}.{self.name} is encrypted: it cannot be filtered on or "
            "written without its row (search uses reflect/search.py)."
        )
