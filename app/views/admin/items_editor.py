"""The item editor: an overview of the parts and one form per part (settings, page, field,
material, step); up/down, hide/show and delete as small POST forms that work without JS."""
from __future__ import annotations

import copy
import re

from flask import abort, flash, redirect, request, url_for
from flask_appbuilder import expose
from flask_appbuilder.security.decorators import has_access
from flask_babel import lazy_gettext as _l

from app import local_text
from app.commands import CommandError
from app.commands.formdef_errors import StaleDraftError
from app.commands.item_edit import (EditDraftCommand, Editing, PartInvalidError, find,
                                    hide_field, move_part, remove_part, set_part, unhide)
from app.engine.cel_check import (SAMPLE_PERSON, check_expression, expression_inputs,
                                  variables_for)
from app.engine.cel_try import ENROLLMENT_COLUMNS, try_expression
from app.engine.fields import REGISTRY
from app.engine.lint_rules import fields_of
from app.engine.merge import WORDING
from app.engine.variants import upstream_changes
from app.views.admin.item_forms import attach_errors, form_class, form_data, read_part
from app.views.admin.item_inputs import (FILER_LABELS, ITEM_INPUTS, MATERIAL_INPUTS,
                                         PAGE_INPUTS, ROLE_LABELS, STEP_INPUTS,
                                         STEP_LEVEL_LABELS, TYPE_LABELS, field_inputs,
                                         type_choices, without_lock)
from app.views.admin.item_theirs import labelled_version, their_part
from app.views.admin.items import ItemViewBase, _problems, item_name
from app.views.admin.items_adding import ItemAddMixin
from app.views.admin.items_document import ItemDocumentMixin
from app.views.admin.items_actions import (confirm_part_delete, flash_renamed, flash_uses,
                                           part_uses, renaming, stale_of, stale_redirect)

KINDS = ("page", "field", "material", "step")
DONE = {"up": _l("Moved up."), "down": _l("Moved down."), "delete": _l("Deleted."),
        "hide": _l("Hidden."), "show": _l("Shown again.")}
KIND_LABELS = {"page": _l("page"), "field": _l("field"), "material": _l("material"),
               "step": _l("approval step"), "item": _l("item settings")}


class ItemEditorView(ItemAddMixin, ItemDocumentMixin, ItemViewBase):
    """Edit a draft part by part; every write is an EditDraftCommand at the revision shown."""

    method_permission_name = {"overview": "list", "settings": "edit", "part": "edit",
                              "add": "edit", "change": "edit", "cel": "edit",
                              "document": "edit"}

    def _editing(self, item) -> Editing:
        try:
            return Editing.of(item)
        except CommandError as error:
            flash(str(error), "danger")
            abort(redirect(url_for("ItemListView.list")))

    @expose("/<int:item_id>/")
    @has_access
    def overview(self, item_id: int):
        item = self.item(item_id)
        editing = self._editing(item)
        upstream = upstream_changes(item) if editing.is_variant else []
        return self.page("overview.html", item=item, editing=editing, d=editing.definition,
                         upstream=upstream, types=type_choices(REGISTRY), kinds=KIND_LABELS,
                         role_labels=ROLE_LABELS, level_labels=STEP_LEVEL_LABELS,
                         filer_labels=FILER_LABELS, title=local_text(item_name(item)),
                         type_labels=TYPE_LABELS, parent=item.derives,
                         stale=stale_of(editing),
                         unpublished=item.latest_version is None
                         or item.latest_version.source != item.draft)

    # --- one form per part ---------------------------------------------------------------

    def _inputs(self, editing: Editing, kind: str, part: dict) -> list:
        base = not editing.is_variant
        inputs = {"item": ITEM_INPUTS, "page": PAGE_INPUTS, "material": MATERIAL_INPUTS,
                  "step": STEP_INPUTS}.get(kind) or field_inputs(part.get("type"), base)
        return inputs if base else without_lock(inputs)

    @expose("/<int:item_id>/settings", methods=["GET", "POST"])
    @has_access
    def settings(self, item_id: int):
        return self._part(item_id, "item", "")

    @expose("/<int:item_id>/<kind>/<key>", methods=["GET", "POST"])
    @has_access
    def part(self, item_id: int, kind: str, key: str):
        if kind not in KINDS:
            abort(404)
        return self._part(item_id, kind, key)

    def _part(self, item_id: int, kind: str, key: str):
        item = self.item(item_id, write=True)
        editing = self._editing(item)
        if kind == "item":
            part = {k: v for k, v in editing.definition.items()
                    if k not in ("pages", "materials", "approval")}
        else:
            found = find(editing.definition, kind, key)
            if found is None:  # a part the parent removed: where its changes can go
                abort(stale_redirect(editing, kind, key) or 404)
            part = found[0][found[1]]
        inputs = self._inputs(editing, kind, part)
        context = {"fields": [(f["key"], f.get("type"), local_text(f.get("label")))
                              for _p, f, g, _i in fields_of(editing.definition)
                              if g is None and f is not part]}
        Form = form_class(inputs, context)
        if request.method == "GET":
            form = Form(data=form_data(inputs, part, item.revision))
            return self._render(item, editing, kind, key, form, part, inputs)
        form = Form()
        edited, errors = read_part(inputs, form, part)
        if kind != "item" and editing.status(kind, key) != "own":
            edited["key"] = part["key"]  # an inherited part keeps its key
        if form.validate() and not errors and request.form.get("_action") != "try":
            edit = _set_item(edited) if kind == "item" else set_part(kind, key, edited)
            edit, renamed = renaming(edit, kind, key, edited.get("key", key))
            try:
                EditDraftCommand(item, edit, int(form.revision.data or 0)).run()
            except StaleDraftError:
                return self._stale(item, kind, key, form, edited, inputs)
            except PartInvalidError as error:
                errors = error.errors
            else:
                flash_renamed(renamed, _l("Saved."))
                new_key = edited.get("key", key) if kind != "field" or "." not in key else (
                    f"{key.rpartition('.')[0]}.{edited.get('key')}")
                if kind == "item" or request.form.get("_action") == "save_close":
                    return redirect(url_for("ItemEditorView.overview", item_id=item.id))
                return redirect(url_for("ItemEditorView.part", item_id=item.id, kind=kind,
                                        key=new_key))
        # A CEL input's problems stand once, in its status line (drawn again as it is typed).
        shown = {r.error for r in _reports(editing.definition, kind, key, edited).values()}
        general = attach_errors(form, {name: [_without_key(name, str(m)) for m in messages
                                              if str(m) not in shown]
                                       for name, messages in errors.items()})
        tried = self._try(editing, kind, key, edited) if request.form.get("_action") == "try" \
            else None
        status = 422 if errors else 200
        return self._render(item, editing, kind, key, form, edited, inputs, general, tried,
                            status=status)

    def _render(self, item, editing, kind, key, form, part, inputs, general=(), tried=None,
                status=200, **extra):
        cel = _reports(editing.definition, kind, key, part)
        locked = editing.locked(kind, key) if kind != "item" else False
        editable = None
        if locked:
            editable = set() if kind != "field" else {n for n in form._fields if any(
                n.startswith(w) for w in WORDING - {"key", "after"})} | {"revision"}
        samples = {k[len("sample__"):]: v for k, v in request.form.items()
                   if k.startswith("sample__")}
        person = _sample_person() or dict(SAMPLE_PERSON, region=item.region_code)
        fixed = {"key"} if kind != "item" and editing.status(kind, key) != "own" else set()
        found = find(editing.definition, kind, key) if kind == "field" else None
        if found is not None and part.get("type") == "repeat":  # its columns, to add and edit
            page_key = editing.definition["pages"][found[2][1]]["key"]
            extra.update(group=f"{page_key}/{key}", types=type_choices(REGISTRY),
                         type_labels=TYPE_LABELS)
        return self.page("part.html", status, item=item, editing=editing, kind=kind, key=key,
                         fixed=fixed, cel_inputs=[i.key for i in inputs if i.kind == "cel"],
                         form=form, part=part, cel=cel, general=list(general), tried=tried,
                         samples=samples, person=person, editable=editable,
                         part_status=editing.status(kind, key) if kind != "item" else None,
                         kinds=KIND_LABELS, filer=request.form.get("sample_filer", "self"),
                         title=_l("Edit %(kind)s", kind=KIND_LABELS[kind]), **extra)

    def _try(self, editing, kind, key, part) -> dict:
        definition = copy.deepcopy(editing.definition)
        if kind != "item":
            found = find(definition, kind, key)
            if found is not None:
                found[0][found[1]] = part
        samples = {k[len("sample__"):]: v for k, v in request.form.items()
                   if k.startswith("sample__")}
        person = _sample_person()
        return {name: try_expression(source, name, definition, samples, person,
                                     request.form.get("sample_filer", "self"),
                                     editing.item.region_code)
                for name, source in expression_inputs(part, kind).items()}

    def _stale(self, item, kind, key, form, edited, inputs):
        """409: show their version; keep this person's input in the form, on the new revision."""
        from app.extensions import db

        db.session.expire_all()
        item = self.item(item.id, write=True)
        editing = self._editing(item)
        theirs = labelled_version(their_part(editing.definition, kind, key), inputs)
        form.revision.data = item.revision
        return self._render(item, editing, kind, key, form, edited, inputs, status=409,
                            theirs=theirs, stale=True)

    @expose("/<int:item_id>/cel/<kind>/<key>", methods=["POST"])
    @has_access
    def cel(self, item_id: int, kind: str, key: str):
        """Check one CEL input as it is typed (htmx); the same check runs again on save."""
        item = self.item(item_id, write=True)
        editing = self._editing(item)
        name = request.form.get("_input", "")
        source = request.form.get(name, "")
        visible = variables_for(editing.definition, (kind, key)) if kind in KINDS else set()
        report = check_expression(source, visible, variables_for(
            editing.definition, ("step", "")), definition=editing.definition, part=(kind, key),
            setting=name) if source.strip() else None
        return self.render_template("admin/items/_cel_status.html", name=name, report=report)

    # --- moving, hiding, deleting (adding: items_adding) ---------------------------------------------------

    @expose("/<int:item_id>/change", methods=["POST"])
    @has_access
    def change(self, item_id: int):
        item = self.item(item_id, write=True)
        form = request.form
        kind, key, action = form.get("kind"), form.get("key", ""), form.get("action")
        edits = {"up": lambda: move_part(kind, key, -1), "down": lambda: move_part(kind, key, 1),
                 "delete": lambda: remove_part(kind, key),
                 "hide": lambda: remove_part(kind, key) if item.draft.get("derives")
                 else hide_field(key, True),
                 "show": lambda: hide_field(key, False) if not item.draft.get("derives")
                 else unhide(kind, key)}
        if kind not in KINDS or action not in edits or (
                action in ("hide", "show") and kind != "field" and not item.draft.get("derives")):
            abort(400)
        used = []
        if action == "delete":  # asked first; what still reads the part is said after
            editing = self._editing(item)
            if not form.get("confirmed"):
                return confirm_part_delete(self, item, editing, kind, key)
            used = part_uses(editing.definition, kind, key)
        try:
            EditDraftCommand(item, edits[action](), int(form.get("revision") or 0)).run()
        except StaleDraftError as error:
            return self.page("stale.html", 409, item=item, message=str(error))
        except (PartInvalidError, CommandError) as error:
            flash(_problems(error), "danger")
        else:
            flash_uses(used, DONE[action])
        return redirect(url_for("ItemEditorView.overview", item_id=item.id) + f"#{kind}-{key}")


def _without_key(name: str, message: str) -> str:
    """Drop the ``key: `` a schema message starts with when it stands by that input."""
    return re.sub(rf"^{re.escape(name)}\s*[:：]\s*", "", message) if name else message


def _sample_person() -> dict:
    """Return the Try panel's sample person: ``person__age`` …, and the enrollments' rows
    (``enrollment__0__insutype`` …) under ``enrollments``; empty when the form has none."""
    person = {k[len("person__"):]: v for k, v in request.form.items() if k.startswith("person__")}
    rows: dict[int, dict] = {}
    for name, value in request.form.items():
        index, _, column = name[len("enrollment__"):].partition("__")
        if name.startswith("enrollment__") and index.isdigit() and column in ENROLLMENT_COLUMNS:
            rows.setdefault(int(index), {})[column] = value
    if rows:
        person["enrollments"] = [rows[i] for i in sorted(rows)]
    return person


def _reports(definition: dict, kind: str, key: str, part: dict) -> dict:
    """Return the check of each CEL input of ``part`` by input name."""
    visible = variables_for(definition, (kind, key)) if kind != "item" else set()
    every = variables_for(definition, ("step", ""))
    return {name: check_expression(source, visible, every, definition=definition,
                                   part=(kind, key), setting=name)
            for name, source in expression_inputs(part, kind).items()}


def _set_item(values: dict):
    def edit(definition: dict) -> tuple:
        for key in {item_input.key.split(".")[0] for item_input in ITEM_INPUTS}:
            definition.pop(key, None)
        definition.update({k: v for k, v in values.items()
                           if k not in ("pages", "materials", "approval")})
        return "item", None
    return edit

