"""Where material files go: the storage interface, its key format and the choice of backend.

    storage = get_storage()          # STORAGE_BACKEND, one per app
    key = storage.save(checked.data) # "3f/a2/3fa2…" — made here, never from a file name
    with storage.open(key) as handle: ...

Keys are made by the server (``uuid4`` hex, sharded two levels deep so that no directory holds
more than a few thousand files) and every method refuses a key that is not exactly in that
format, so a key read back from the database or a URL can never name a path outside the store.
The original file name is data on ``Attachment.original_name`` and never reaches a backend.

The default backend is :class:`app.storage.local.LocalDiskStorage` rooted at ``UPLOAD_FOLDER``
(``instance/files``, outside any web root: files are served only through a handler that checks
owner and region, SECURITY_TESTS.md C5). An S3-compatible object-store backend is future work:
it would implement the same five methods with the key as the object name.
"""
from __future__ import annotations

import re
import uuid
from abc import ABC, abstractmethod
from collections.abc import Iterator, Mapping
from typing import BinaryIO

from flask import current_app

from app.config_errors import backend_class

__all__ = ["InvalidStorageKey", "Storage", "check_key", "get_storage", "new_key"]

DEFAULT_BACKEND = "app.storage.local.LocalDiskStorage"
KEY_PATTERN = re.compile(r"([0-9a-f]{2})/([0-9a-f]{2})/(\1\2[0-9a-f]{28})")
_EXTENSION = "banshi_storage"


class InvalidStorageKey(ValueError):
    """A key that the server did not make (wrong format, path separators, traversal)."""


def new_key() -> str:
    """Return a fresh server-made key: ``aa/bb/aabb…`` (32 hex digits of a uuid4)."""
    digits = uuid.uuid4().hex
    return f"{digits[:2]}/{digits[2:4]}/{digits}"


def check_key(key: object) -> str:
    """Return ``key`` if it is exactly in the server format, else raise InvalidStorageKey."""
    if not isinstance(key, str) or KEY_PATTERN.fullmatch(key) is None:
        raise InvalidStorageKey(f"not a storage key: {key!r:.80}")
    return key


class Storage(ABC):
    """A store of immutable blobs addressed by server-made keys."""

    @classmethod
    @abstractmethod
    def from_config(cls, config: Mapping) -> "Storage":
        """Build the backend from the app's configuration."""

    @abstractmethod
    def save(self, data: bytes) -> str:
        """Store ``data`` completely (or not at all) under a new key and return the key."""

    @abstractmethod
    def open(self, key: str) -> BinaryIO:
        """Return a binary file object for reading; FileNotFoundError if there is none."""

    @abstractmethod
    def delete(self, key: str) -> None:
        """Remove the blob; a missing one is not an error (deletes are retried)."""

    @abstractmethod
    def exists(self, key: str) -> bool:
        """Whether a blob is stored under ``key``."""

    @abstractmethod
    def keys(self) -> Iterator[str]:
        """Yield every stored key, for reconciliation against Attachment rows."""


def get_storage() -> Storage:
    """Return the app's storage, built once from the dotted path in STORAGE_BACKEND."""
    storage = current_app.extensions.get(_EXTENSION)
    if storage is None:
        path = current_app.config.get("STORAGE_BACKEND") or DEFAULT_BACKEND
        backend = backend_class("STORAGE_BACKEND", path, Storage)
        storage = current_app.extensions[_EXTENSION] = backend.from_config(current_app.config)
    return storage
