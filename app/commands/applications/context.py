"""What the engine needs for an application: its EngineContext and its CEL variables.

    ctx = engine_context(application)            # or engine_context("440106", "en")
    scope_vars = variables(application)          # filer, person, region, today
    persons = people(application)                # who signs, the registry's names

Both answer from the database (code tables in effect for the region, the region tree, the person
registry) and are cached for the request; code tables and regions also per process, until they
change (app.reference_cache). ``now()`` and ``today()`` are the application's one clock
(app.clock, re-exported here for the commands): the ``BANSHI_CLOCK`` setting replaces it in
tests, so a deadline or a serial number for a given day is computed without waiting for that day.
"""
from __future__ import annotations

from typing import Any, Callable, Optional, Union

from flask import g, has_request_context
from flask_babel import get_locale
from sqlalchemy import select

from app.clock import now, today  # noqa: F401 - the commands import the clock from here
from app.engine.cel import to_cel
from app.engine.fields import DictEntry, EngineContext
from app.engine.fields.base import People
from app.engine.subject_identity import AGENT_FILING, DECLARED, declared_identity
from app.extensions import db
from app.models.application import Application
from app.models.dictionary import entries_in_effect
from app.models.region import Region
from app.reference_cache import cached
from app.region_tree import region_tree
from app.registry import PERSON_KINDS, PersonRecord, get_person_registry, person_variables

_CONTEXTS = "_banshi_engine_contexts"
_VARIABLES = "_banshi_application_variables"




def _cache(name: str) -> dict:
    return g.setdefault(name, {}) if has_request_context() else {}


def _locale(locale: Optional[str]) -> str:
    if locale:
        return str(locale)
    found = get_locale() if has_request_context() else None
    return str(found) if found else "zh"


def _region_facts(code: str) -> Optional[tuple[str, str]]:
    """Return a region's (level, path), or None if unknown; cached (app.reference_cache)."""
    def load():
        row = db.session.execute(
            select(Region.level, Region.path).where(Region.code == code)).first()
        return tuple(row) if row is not None else None

    return cached("region", code, load)


def region_nodes(code: Optional[str]) -> tuple[tuple[str, str], ...]:
    """Return ``(code, level)`` of a region and its known ancestors, root first; () if unknown."""
    facts = _region_facts(code) if code else None
    if facts is None:
        return ()
    nodes = []
    for node in facts[1].strip("/").split("/"):
        found = facts if node == code else _region_facts(node)
        if found is not None:
            nodes.append((node, found[0]))
    return tuple(nodes)


def region_chain(code: str) -> list[str]:
    """Return ``code`` and its ancestors (root first), or [] for an unknown region."""
    facts = _region_facts(code)
    return facts[1].strip("/").split("/") if facts else []


def dictionary_entries(code: str, region_code: Optional[str]
                       ) -> Optional[tuple[DictEntry, ...]]:
    """Return the entries of dictionary ``code`` in effect in a region, or None if unknown.

    National entries plus the local ones of the region and its ancestors: a local code applies
    to its region's subtree (app.models.dictionary).
    """
    return entries_in_effect(code, region_chain(region_code) if region_code else ())


def _region_level(code: str) -> Optional[str]:
    """Return a region's level (None if unknown)."""
    facts = _region_facts(code)
    return facts[0] if facts else None


def _region_exists(code: str) -> bool:
    return _region_level(code) is not None


def _region_below(code: str) -> Optional[str]:
    """Return the level of the shallowest current region under ``code`` (the cached tree)."""
    return region_tree().level_below(code)


def _region_names(locale: str) -> Callable[[str], str]:
    """Return ``code -> full name`` in ``locale`` (English names where there are some)."""
    return lambda code: region_tree().full_name(code, locale)


def engine_context(application_or_region: Union[Application, str, None],
                   locale: Optional[str] = None) -> EngineContext:
    """Return the database-backed EngineContext for an application (or a region code)."""
    region = (application_or_region.region_code
              if isinstance(application_or_region, Application) else application_or_region)
    key = (region, _locale(locale), today())
    cache = _cache(_CONTEXTS)
    if key not in cache:
        cache[key] = EngineContext(
            locale=key[1], region=region,
            dictionary=lambda code: dictionary_entries(code, region),
            region_exists=_region_exists, region_level=_region_level, today=key[2],
            region_name=_region_names(key[1]), region_below=_region_below)
    return cache[key]


def subject_id_number(application: Application) -> Optional[str]:
    """Return the ID number the application is about: the subject's, else the applicant's."""
    return application.subject_id_number or getattr(application.applicant, "id_number", None)


def person_record(application: Application) -> Optional[PersonRecord]:
    """Return the registry record of the application's subject, or None."""
    number = subject_id_number(application)
    return get_person_registry().find(number) if number else None


def verified_identity(application: Application) -> dict[str, Any]:
    """Return ``person`` for a subject the registry does not know: the name and ID number
    verified for the application (the account's own, or the subject's), else nothing."""
    if application.subject_verified_at is None or not application.subject_id_number:
        return {}
    return to_cel({"name": application.subject_name, "cert_type": "01",
                   "id_number": application.subject_id_number}, "map", PERSON_KINDS)


def people(application: Application) -> People:
    """Return the persons app.engine.people checks answers against: who signs (``filer``: the
    subject filing for themself, the account holder filing as agent; ``subject``) and the
    person registry's names. Nothing is read until a check asks."""
    def signer(role: str) -> Optional[str]:
        holder = getattr(application.applicant, "first_name", None) or None
        if role == "filer" and application.filer == "agent":
            return holder
        return application.subject_name or holder

    def name_of(number: str) -> Optional[str]:
        found = get_person_registry().find(number)
        return found.name if found is not None else None

    return People(signer, name_of)


def agent_filing(application: Application) -> bool:
    """Tell whether an agent files for the subject: not a self filing, and not the counter's
    entry (the clerk checks the subject's identity in person). An agent's pages show no more
    of the registry than the identity they declared (app.engine.subject_identity)."""
    return application.filer == "agent" and application.channel != "window"


def variables(application: Application) -> dict[str, Any]:
    """Return the CEL variables besides the answers: filer, person, region, today (and the
    declared subject, which app.engine.answers takes out: app.engine.subject_identity)."""
    key = (application.id, subject_id_number(application), application.filer, today(),
           application.subject_name, application.channel)
    cache = _cache(_VARIABLES)
    if application.id is None or key not in cache:
        record = person_record(application)
        cache[key] = {
            "filer": application.filer,
            "person": person_variables(record, key[3]) if record is not None
            else verified_identity(application),
            "region": application.region_code,
            "today": key[3],
            # The subject as declared, for identity answers person does not give, and
            # whether an agent declared it (who is then shown no more of the registry).
            DECLARED: {**declared_identity(application.subject_name,
                                           application.subject_id_number),
                       AGENT_FILING: agent_filing(application)},
        }
    return cache[key]
