"""Reference data cached per process, checked against the database once per request.

Code tables, the region tree and published item versions change rarely, yet every wizard page
reads them (and builds its form class from them). A worker process keeps what it read or built
together with the generation it read it under: one row of ``cache_generation`` that database
triggers renumber on every write to those tables, in the writing transaction, never to an
earlier value (app.models.cache). A request reads that row once (one query by primary key);
when it differs from the cache's, the cache is emptied first. So every worker sees a committed
change on its next request, on SQLite and PostgreSQL alike, with no cache server to run and
nothing a writer has to remember to call.

    entries = cached("dictionary", (code, chain), lambda: load(code, chain))
    infos = cached_many("queue_item", version_ids, load_infos)  # one load for the missing

Outside a request the generation is read on every lookup (commands and workers live long).
A flush that writes one of the reference tables makes the request read it again, so a request
sees its own changes. What is cached is shared: treat it as read-only. Each namespace keeps
at most :data:`LIMITS` entries, least recently used dropped first.
"""
from __future__ import annotations

import threading
from collections import OrderedDict
from collections.abc import Callable, Iterable, Mapping
from typing import Any, TypeVar

from flask import current_app, has_request_context, request
from sqlalchemy import event, select
from sqlalchemy.orm import Session

from app.extensions import db
from app.models.cache import REFERENCE, REFERENCE_TABLES, CacheGeneration

T = TypeVar("T")
#: Entries kept per namespace; a namespace not named keeps DEFAULT_LIMIT.
LIMITS = {"dictionary": 1024, "region": 4096, "definition": 64, "page_form": 256,
          "queue_item": 4096, "queue_subtree": 1024}
DEFAULT_LIMIT = 256
_EXTENSION = "banshi_reference_cache"
_ENVIRON_KEY = "banshi.reference_generation"
_UNSET = object()


class ReferenceCache:
    """Least-recently-used maps per namespace, all valid for one generation (thread-safe)."""

    def __init__(self, limits: Mapping[str, int] | None = None) -> None:
        self.limits = dict(LIMITS if limits is None else limits)
        self.generation: Any = _UNSET
        self._maps: dict[str, OrderedDict] = {}
        self._lock = threading.Lock()

    def _map(self, generation: Any, namespace: str) -> OrderedDict:
        if generation != self.generation:
            self._maps.clear()
            self.generation = generation
        return self._maps.setdefault(namespace, OrderedDict())

    def get(self, generation: Any, namespace: str, key: Any, load: Callable[[], T]) -> T:
        """Return the value cached under ``key``, else ``load()`` (kept when still current)."""
        with self._lock:
            entries = self._map(generation, namespace)
            if key in entries:
                entries.move_to_end(key)
                return entries[key]
        value = load()
        with self._lock:
            if generation == self.generation:
                entries = self._map(generation, namespace)
                entries[key] = value
                while len(entries) > self.limits.get(namespace, DEFAULT_LIMIT):
                    entries.popitem(last=False)
        return value

    def get_many(self, generation: Any, namespace: str, keys: Iterable[Any],
                 load: Callable[[list], Mapping[Any, T]]) -> dict[Any, T]:
        """Return ``{key: value}`` of ``keys`` cached, the missing ones from one call of
        ``load(missing)`` (kept when still current; a key ``load`` leaves out is left out)."""
        found: dict[Any, T] = {}
        missing = []
        with self._lock:
            entries = self._map(generation, namespace)
            for key in keys:
                if key in entries:
                    entries.move_to_end(key)
                    found[key] = entries[key]
                else:
                    missing.append(key)
        if not missing:
            return found
        loaded = load(missing)
        with self._lock:
            if generation == self.generation:
                entries = self._map(generation, namespace)
                entries.update(loaded)
                while len(entries) > self.limits.get(namespace, DEFAULT_LIMIT):
                    entries.popitem(last=False)
        found.update(loaded)
        return found

    def __len__(self) -> int:
        return sum(len(entries) for entries in self._maps.values())


def reference_cache() -> ReferenceCache:
    """Return the application's cache (one per app: each app has its own database)."""
    cache = current_app.extensions.get(_EXTENSION)
    if cache is None:
        cache = current_app.extensions.setdefault(_EXTENSION, ReferenceCache())
        if not event.contains(Session, "after_flush", _forget_generation):
            event.listen(Session, "after_flush", _forget_generation)
    return cache


def current_generation() -> Any:
    """Return the reference generation (None while the row is missing), once per request."""
    environ = request.environ if has_request_context() else {}
    value = environ.get(_ENVIRON_KEY, _UNSET)
    if value is _UNSET:
        value = db.session.scalar(
            select(CacheGeneration.value).where(CacheGeneration.name == REFERENCE))
        environ[_ENVIRON_KEY] = value
    return value


def cached(namespace: str, key: Any, load: Callable[[], T]) -> T:
    """Return reference data cached under ``(namespace, key)``, loading it when missing."""
    return reference_cache().get(current_generation(), namespace, key, load)


def cached_many(namespace: str, keys: Iterable[Any],
                load: Callable[[list], Mapping[Any, T]]) -> dict[Any, T]:
    """Return ``{key: value}`` for ``keys`` under ``namespace``, loading every missing key with
    one call of ``load(missing)`` (which returns ``{key: value}``): one query for a page of
    rows, one generation read outside a request."""
    return reference_cache().get_many(current_generation(), namespace, keys, load)


def forget_generation() -> None:
    """Read the generation again on the next lookup (after a write the flush hook cannot see:
    a Core statement, or a write in another session)."""
    if has_request_context():
        request.environ.pop(_ENVIRON_KEY, None)


def _forget_generation(session: Session, flush_context: Any) -> None:
    """Read the generation again after this request flushed a write to a reference table."""
    if not has_request_context() or _ENVIRON_KEY not in request.environ:
        return
    for instance in (*session.new, *session.dirty, *session.deleted):
        if getattr(instance, "__tablename__", None) in REFERENCE_TABLES:
            del request.environ[_ENVIRON_KEY]
            return
