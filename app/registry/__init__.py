"""Insured persons: the registry interface, its embedded backend and the choice between them.

    registry = get_person_registry()             # PERSON_REGISTRY_BACKEND, one per app
    record = registry.find("11010519491231002X")  # PersonRecord | None
    scope = Scope({"person": person_variables(record, today), ...})
"""
from flask import current_app
from werkzeug.utils import import_string

from app.registry.base import (
    ENROLLMENT_KINDS,
    PERSON_KINDS,
    EnrollmentRecord,
    PersonRecord,
    PersonRegistry,
    person_variables,
)

__all__ = [
    "ENROLLMENT_KINDS", "PERSON_KINDS", "EnrollmentRecord", "PersonRecord", "PersonRegistry",
    "get_person_registry", "person_variables",
]

_EXTENSION = "banshi_person_registry"


def get_person_registry() -> PersonRegistry:
    """Return the app's registry, built once from the dotted path in PERSON_REGISTRY_BACKEND."""
    registry = current_app.extensions.get(_EXTENSION)
    if registry is None:
        path = current_app.config.get("PERSON_REGISTRY_BACKEND",
                                      "app.registry.local.LocalPersonRegistry")
        backend = import_string(path)
        if not (isinstance(backend, type) and issubclass(backend, PersonRegistry)):
            raise TypeError(f"PERSON_REGISTRY_BACKEND {path!r} is not a PersonRegistry subclass")
        registry = current_app.extensions[_EXTENSION] = backend()
    return registry
