"""Insured persons: the registry interface, its embedded backend and the choice between them.

    registry = get_person_registry()             # PERSON_REGISTRY_BACKEND, one per app
    record = registry.find("11010519491231002X")  # PersonRecord | None
    scope = Scope({"person": person_variables(record, today), ...})

A backend elsewhere (a province's own platform) can fail mid-look-up: its ``find`` is called
through :class:`GuardedRegistry`, which logs the failure (without the ID number) and raises
:class:`RegistryUnavailableError`, answered 503 on pages and in the API (app.errors).
"""
import logging
import re

from flask import current_app
from sqlalchemy.exc import SQLAlchemyError

from app.config_errors import backend_class
from app.registry.base import (
    ENROLLMENT_KINDS,
    PERSON_KINDS,
    EnrollmentRecord,
    PersonRecord,
    PersonRegistry,
    RegistryUnavailableError,
    person_variables,
)
from app.validators import mask_id_number

__all__ = [
    "ENROLLMENT_KINDS", "PERSON_KINDS", "EnrollmentRecord", "GuardedRegistry", "PersonRecord",
    "PersonRegistry", "RegistryUnavailableError", "get_person_registry", "person_variables",
]

_EXTENSION = "banshi_person_registry"
#: An ID number inside a client's error text (a URL, say): masked before it is logged (F1).
_ID_LIKE = re.compile(r"\d{14,17}[\dXx]")
log = logging.getLogger(__name__)


def _masked(text: str) -> str:
    return _ID_LIKE.sub(lambda found: mask_id_number(found.group()), text)


class GuardedRegistry(PersonRegistry):
    """A backend whose failures are :class:`RegistryUnavailableError`, logged once each.

    Every error of the backend's ``find`` counts as the registry being unavailable (a client
    library may raise its own kinds for a timeout or a reply it cannot read), except banshi's
    own database failing under the embedded backend, which is banshi's error as anywhere else.
    """

    def __init__(self, backend: PersonRegistry) -> None:
        self.backend = backend

    def find(self, id_number: str) -> PersonRecord | None:
        try:
            return self.backend.find(id_number)
        except SQLAlchemyError:
            raise
        except Exception as error:
            log.warning("person registry %s unavailable: %s: %s", type(self.backend).__name__,
                        type(error).__name__, _masked(str(error)))
            if isinstance(error, RegistryUnavailableError):
                raise
            raise RegistryUnavailableError(str(error)) from error


def get_person_registry() -> PersonRegistry:
    """Return the app's registry, built once from the dotted path in PERSON_REGISTRY_BACKEND."""
    registry = current_app.extensions.get(_EXTENSION)
    if registry is None:
        path = current_app.config.get("PERSON_REGISTRY_BACKEND",
                                      "app.registry.local.LocalPersonRegistry")
        backend = backend_class("PERSON_REGISTRY_BACKEND", path, PersonRegistry)
        registry = current_app.extensions[_EXTENSION] = GuardedRegistry(backend())
    return registry
