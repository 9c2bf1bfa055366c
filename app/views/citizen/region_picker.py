"""The region picker: province → city → county (→ 医保 grassroots node), one select per level.

A region question (app.engine.fields.region.RegionField) is drawn here as selects that all carry
the question's name; the answer is the deepest choice that lies within the one above it. Each
select lists the current regions under the choice above, within the field's ``within:`` subtree
and down to its ``level:`` (county when it names none), from the cached tree (app.region_tree:
no query of its own on a warm cache).

With JavaScript, changing a select asks ``GET /regions/picker`` (htmx) for the picker drawn
again under the new choice. Without it, the picker's button sends the page with the wizard's
"update" action: the page is saved as it is and drawn again with the next level's select. The
route is public: it answers with the public region tree and nothing else.
"""
from __future__ import annotations

import re
from dataclasses import dataclass, field as dataclass_field
from typing import Any, Optional

from flask import render_template, request, url_for
from flask_appbuilder import BaseView, expose
from flask_babel import get_locale, lazy_gettext as _l
from markupsafe import Markup

from app.engine.fields.base import level_rank, reaches_level
from app.engine.fields.region import PICKER
from app.engine.fields.widgets import CHOOSE
from app.models.region import LEVELS
from app.region_tree import Node, RegionTree, region_tree

#: The level a picker goes down to when the field names none.
DEFAULT_DEPTH = "county"
LABELS = {"province": _l("Province"), "city": _l("City"), "county": _l("County or district"),
          "grassroots": _l("Grassroots division")}
#: Said under a choice that is complete because the tree skips the level asked under it (上海市,
#: its districts straight under it, in a city-level question); one message per level.
COMPLETE = {"city": _l("%(region)s has no cities under it: this choice is complete."),
            "county": _l("%(region)s has no counties or districts under it: this choice is "
                         "complete.")}
_NAME = re.compile(r"[A-Za-z][A-Za-z0-9_-]{0,119}")
_CODE = re.compile(r"[0-9]{6,12}")


@dataclass
class Level:
    id: str
    label: str
    options: tuple[Node, ...]
    selected: str
    url: str


@dataclass
class Picker:
    name: str
    id: str
    levels: list[Level] = dataclass_field(default_factory=list)
    root: Optional[Node] = None
    shown: str = ""  # the answer's full name (a read-only question shows only that)
    readonly: bool = False
    refine: bool = False
    complete: str = ""  # why the last choice needs no further level (COMPLETE), when it does
    choose: str = ""  # the blank option's text, as the other selects of the page say it
    attrs: dict = dataclass_field(default_factory=dict)  # aria-describedby, aria-invalid


def _label(options: tuple[Node, ...]) -> str:
    shallowest = min(options, key=lambda node: node.rank)
    return str(LABELS.get(shallowest.level, LABELS["county"]))


def build(tree: RegionTree, name: str, id: str, code: str, within: Optional[str] = None,
          level: Optional[str] = None) -> Picker:
    """Return the picker of a question ``name`` holding ``code``: one level per choice made, and
    the next one to make."""
    depth = level if level in LEVELS else DEFAULT_DEPTH
    root = tree.get(within) if within and within != "000000" else None
    chain = tree.chain(code)
    if root is not None:
        codes = [node.code for node in chain]
        chain = chain[codes.index(root.code) + 1:] if root.code in codes else []
    if chain and chain[-1].rank > level_rank(depth):  # a deeper answer (prefilled) is kept
        depth = chain[-1].level
    picker = Picker(name, id, root=root, shown=tree.full_name(code) if code else "",
                    choose=CHOOSE["en" if str(get_locale() or "zh").startswith("en") else "zh"])
    parent = root.code if root is not None else None
    while len(picker.levels) < len(LEVELS):
        options = tree.children(parent, depth)
        if not options:
            break
        index = len(picker.levels)
        chosen = chain[index].code if index < len(chain) else ""
        selected = chosen if any(node.code == chosen for node in options) else ""
        picker.levels.append(Level(
            id if index == 0 else f"{id}-{index + 1}", _label(options), options, selected,
            url_for("RegionPickerView.picker", _name=name, _id=id, _within=within or None,
                    _level=level or None, _parent=parent)))
        if not selected:
            break
        parent = selected
    if not picker.levels and root is not None:  # a subtree no deeper than the level asked
        picker.levels.append(Level(id, str(LABELS.get(root.level, "")), (root,),
                                   code if code == root.code else "", ""))
    last = picker.levels[-1].options if picker.levels else ()
    picker.refine = len(picker.levels) > 1 or any(tree.children(n.code, depth) for n in last)
    picker.complete = _complete(tree, tree.get(picker.levels[-1].selected) if picker.levels
                                else None, depth)
    return picker


def _complete(tree: RegionTree, chosen: Optional[Node], depth: str) -> str:
    """Return COMPLETE's sentence when ``chosen`` is shallower than ``depth`` yet answers it."""
    if (chosen is None or depth not in COMPLETE or chosen.rank >= level_rank(depth)
            or not reaches_level(chosen.level, tree.level_below(chosen.code), depth)):
        return ""
    return str(COMPLETE[depth]) % {"region": chosen.name_for()}


def render_picker(field: Any, **attributes: Any) -> Markup:
    """Draw a RegionField (the renderer app.engine.fields.region.PICKER names)."""
    picker = build(region_tree(), field.name, field.id, field._value().strip(),
                   getattr(field, "within", None), getattr(field, "level", None))
    picker.readonly = bool(attributes.get("readonly") or attributes.get("disabled"))
    picker.attrs = {key: value for key, value in attributes.items()
                    if key in ("aria-describedby", "aria-invalid") and value}
    return Markup(render_template("citizen/partials/region_picker.html", picker=picker))


def _arg(name: str, pattern: re.Pattern) -> Optional[str]:
    value = request.args.get(name, "")[:120]
    return value if pattern.fullmatch(value) else None


class RegionPickerView(BaseView):
    """``GET /regions/picker``: a region picker drawn again under a new choice (htmx)."""

    route_base = "/regions"
    default_view = "picker"

    def create_blueprint(self, appbuilder, endpoint=None, static_folder=None):
        """Create the blueprint; register the picker as the way region questions are drawn."""
        blueprint = super().create_blueprint(appbuilder, endpoint, static_folder)
        blueprint.record_once(lambda state: state.app.extensions.setdefault(PICKER, render_picker))
        return blueprint

    @expose("/picker")
    def picker(self):
        """Answer the picker's selects for ``<_name>=<code>`` (``_parent`` when it is blank)."""
        name, id = _arg("_name", _NAME), _arg("_id", _NAME)
        if name is None or id is None:
            return Markup(""), 400
        tree = region_tree()
        code = _arg(name, _CODE) or _arg("_parent", _CODE) or ""
        within = _arg("_within", _CODE)
        level = request.args.get("_level") if request.args.get("_level") in LEVELS else None
        picker = build(tree, name, id, code if tree.get(code) else "",
                       within if tree.get(within) else None, level)
        response = self.render_template("citizen/partials/region_picker.html", picker=picker)
        return response, 200, {"Cache-Control": "no-store"}
