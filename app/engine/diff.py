"""What changed between two (effective, normalised) definitions, for people deciding to publish.

    for change in definition_diff(old, new):      # old: the version in effect; new: the draft
        change.part, change.key, change.change     # "field", "special_type", "changed"
        change.settings                            # (SettingChange("required", True, None), …)
        change.options                             # (OptionChange("3", "added", None, {...}), …)

Parts are identified by :func:`app.engine.variants.diff_definitions` (the same comparison that
lists a parent's upstream changes to a variant); this module adds what a person needs to judge
them: the old and new value of every setting, options compared one by one, limits marked
(:data:`LIMITS`), pages (title, help, the order of their fields) and the order of materials and
approval steps. A setting left out has the schema's default (app.engine.schema.DEFAULTS:
``approvers: 1``, ``required: false`` …), so a change to a default reads as the value in effect
(``approvers`` 2 → 1); any other value that is absent is ``None``, and a setting that was there
and is not any more (a variant's ``null``) is :attr:`SettingChange.removed`.
"""
from __future__ import annotations

from dataclasses import dataclass
from typing import Any, Optional

from app.engine.schema import DEFAULTS
from app.engine.variants import _parts as parts_of  # the index diff_definitions compares
from app.engine.variants import diff_definitions

#: Settings that limit what a citizen may give or how long review may take.
LIMITS = frozenset({"time_limit_days", "max_size_mb", "max_files", "accept", "max_length", "min",
                    "max", "min_items", "max_items", "min_selections", "max_selections",
                    "approvers", "levels", "within", "level", "pattern"})
PART_ORDER = ("item", "page", "field", "material", "step")


@dataclass(frozen=True)
class SettingChange:
    setting: str
    old: Any
    new: Any

    @property
    def is_limit(self) -> bool:
        return self.setting in LIMITS

    @property
    def removed(self) -> bool:
        """True when the setting is gone (a variant's ``null``: ``when`` → removed)."""
        return self.new is None and self.old is not None


@dataclass(frozen=True)
class OptionChange:
    value: str
    change: str  # added, removed, changed (its label)
    old: Optional[dict]
    new: Optional[dict]


@dataclass(frozen=True)
class PartChange:
    """One part added, removed or changed; ``label`` is its wording (new, else old)."""

    part: str  # item, page, field, material, step
    key: str
    change: str  # added, removed, changed
    label: Any = None
    settings: tuple[SettingChange, ...] = ()
    options: tuple[OptionChange, ...] = ()

    @property
    def limits(self) -> tuple[SettingChange, ...]:
        return tuple(s for s in self.settings if s.is_limit)


def _in_effect(node: dict, setting: str) -> Any:
    """Return ``node``'s value of ``setting``: a left-out setting has the schema's default."""
    return node[setting] if setting in node else DEFAULTS.get(setting)


def _label(node: Optional[dict]) -> Any:
    if not node:
        return None
    return node.get("label") or node.get("name") or node.get("title") or node.get("value")


def _options(old: list, new: list) -> tuple[OptionChange, ...]:
    before = {o["value"]: o.get("label") for o in old or []}
    after = {o["value"]: o.get("label") for o in new or []}
    changes = [OptionChange(v, "removed", before[v], None) for v in before if v not in after]
    for value, label in after.items():
        if value not in before:
            changes.append(OptionChange(value, "added", None, label))
        elif before[value] != label:
            changes.append(OptionChange(value, "changed", before[value], label))
    if not changes and list(before) != list(after):
        changes.append(OptionChange("", "reordered", None, None))
    return tuple(changes)


def _pages(old: dict, new: dict) -> list[PartChange]:
    before = {p["key"]: p for p in old.get("pages", [])}
    after = {p["key"]: p for p in new.get("pages", [])}
    changes = [PartChange("page", k, "removed", _label(p)) for k, p in before.items()
               if k not in after]
    for key, page in after.items():
        if key not in before:
            changes.append(PartChange("page", key, "added", _label(page)))
            continue
        settings = [SettingChange(s, before[key].get(s), page.get(s)) for s in ("title", "help")
                    if before[key].get(s) != page.get(s)]
        order = ([f["key"] for f in before[key].get("fields", [])],
                 [f["key"] for f in page.get("fields", [])])
        common = [k for k in order[0] if k in order[1]]
        if common != [k for k in order[1] if k in order[0]]:
            settings.append(SettingChange("order", order[0], order[1]))
        if settings:
            changes.append(PartChange("page", key, "changed", _label(page), tuple(settings)))
    return changes


def _order(old: dict, new: dict, part: str) -> Optional[PartChange]:
    before = [x["key"] for x in old.get(part, [])]
    after = [x["key"] for x in new.get(part, [])]
    if [k for k in before if k in after] == [k for k in after if k in before]:
        return None
    return PartChange("item", part, "changed", None, (SettingChange("order", before, after),))


def definition_diff(old: Optional[dict], new: dict) -> list[PartChange]:
    """Return what ``new`` adds, removes or changes relative to ``old`` (None: all added)."""
    old = old or {}
    before, after = parts_of(old), parts_of(new)
    changes = _pages(old, new)
    for change in diff_definitions(old, new):
        ident = (change.part, change.key)
        a, b = before.get(ident), after.get(ident)
        if change.part == "item":  # an item setting: one value, given, changed or dropped
            changes.append(PartChange("item", change.key, change.change, None, (SettingChange(
                change.key, (a or {}).get("value"), (b or {}).get("value")),)))
            continue
        if change.change != "changed":
            changes.append(PartChange(change.part, change.key, change.change, _label(b or a)))
            continue
        settings = tuple(SettingChange(s, _in_effect(a, s), _in_effect(b, s))
                         for s in change.settings if s != "options")
        options = _options(a.get("options"), b.get("options")) if "options" in change.settings \
            else ()
        changes.append(PartChange(change.part, change.key, "changed", _label(b), settings,
                                  options))
    for part in ("materials", "approval"):
        moved = _order(old, new, part)
        if moved is not None:
            changes.append(moved)
    rank = {name: index for index, name in enumerate(PART_ORDER)}
    return sorted(changes, key=lambda c: rank[c.part])  # stable: definition order within a part
