"""The schema's complaints about what the designer edited, by the input that holds it."""
from __future__ import annotations

from flask_babel import lazy_gettext as _l

from app.engine.problems import shape_message
from app.engine.schema import load_definition
from app.engine.schema_fields import REQUIRED

#: Item settings the designer asks for part by part (an input for notice.title, notice.body …).
NESTED_SETTINGS = ("notice", "outcomes")


def setting_errors(draft: dict) -> dict[str, list]:
    """Return the schema's complaints about the item's settings, by input (the setting)."""
    errors: dict[str, list] = {}
    for path, message in load_definition(draft)[1]:
        if not path or path[0] in ("pages", "materials", "approval"):
            continue
        if len(path) > 1 and path[0] in NESTED_SETTINGS and message is REQUIRED:
            # At its own input (notice.body): "must not be empty", not '"body" is required'.
            errors.setdefault(f"{path[0]}.{path[1]}", []).append(str(_l("must not be empty")))
        else:
            errors.setdefault(str(path[0]), []).append(shape_message(tuple(path), message))
    return errors


def part_errors(draft: dict, where: tuple) -> dict[str, list]:
    """Return the schema's complaints about the part at ``where`` (its path in the draft), by
    input (the part's first key)."""
    errors: dict[str, list] = {}
    for path, message in load_definition(draft)[1]:
        if len(path) > len(where) and path[:len(where)] == where:
            name = str(path[len(where)])
            errors.setdefault(name, []).append(shape_message((name,), message))
    return errors
