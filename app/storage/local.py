"""Material files on the local disk, under a root outside any web root."""
from __future__ import annotations

import os
import tempfile
from collections.abc import Iterator, Mapping
from pathlib import Path
from typing import BinaryIO

from app.storage import KEY_PATTERN, Storage, check_key, new_key

_HEX2 = frozenset(f"{n:02x}" for n in range(256))


class LocalDiskStorage(Storage):
    """Blobs as files ``<root>/aa/bb/<key>``: written atomically, readable by the owner only."""

    def __init__(self, root: str | os.PathLike):
        self.root = Path(root).resolve()
        self.root.mkdir(mode=0o700, parents=True, exist_ok=True)

    @classmethod
    def from_config(cls, config: Mapping) -> "LocalDiskStorage":
        return cls(config["UPLOAD_FOLDER"])

    def _path(self, key: str) -> Path:
        # The key format admits only hex digits and two slashes: no "..", no absolute path.
        return self.root / check_key(key)

    def save(self, data: bytes) -> str:
        key = new_key()
        final = self._path(key)
        for directory in (final.parent.parent, final.parent):
            directory.mkdir(mode=0o700, exist_ok=True)
        # mkstemp creates the file 0o600; the temporary name never matches the key format, so a
        # crash leaves a stray ".tmp-" file that keys() ignores, never a half-written blob.
        fd, temporary = tempfile.mkstemp(prefix=".tmp-", dir=final.parent)
        try:
            with os.fdopen(fd, "wb") as handle:
                handle.write(data)
                handle.flush()
                os.fsync(handle.fileno())
            os.replace(temporary, final)
        except BaseException:
            Path(temporary).unlink(missing_ok=True)
            raise
        _fsync_directory(final.parent)
        return key

    def open(self, key: str) -> BinaryIO:
        # O_NOFOLLOW: a symlink planted in the store is not followed out of it.
        fd = os.open(self._path(key), os.O_RDONLY | getattr(os, "O_NOFOLLOW", 0))
        return os.fdopen(fd, "rb")

    def delete(self, key: str) -> None:
        self._path(key).unlink(missing_ok=True)

    def exists(self, key: str) -> bool:
        return self._path(key).is_file()

    def keys(self) -> Iterator[str]:
        for first in _subdirectories(self.root):
            for second in _subdirectories(first):
                with os.scandir(second) as entries:
                    names = sorted(e.name for e in entries if e.is_file(follow_symlinks=False))
                for name in names:
                    key = f"{first.name}/{second.name}/{name}"
                    if KEY_PATTERN.fullmatch(key):
                        yield key


def _subdirectories(directory: Path) -> list[Path]:
    with os.scandir(directory) as entries:
        return sorted(Path(e.path) for e in entries
                      if e.name in _HEX2 and e.is_dir(follow_symlinks=False))


def _fsync_directory(directory: Path) -> None:
    """Make the rename durable: the directory entry is on disk once this returns."""
    fd = os.open(directory, os.O_RDONLY)
    try:
        os.fsync(fd)
    finally:
        os.close(fd)
