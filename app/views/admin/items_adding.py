"""Adding a part in the designer: a page, field, material or approval step, from the item
page's small forms (no JavaScript needed); the new part opens in its own form, except a page:
it starts empty (a draft keeps it, lint holds it back from publishing) and the item page opens at
it, where its first field is added — no placeholder field to remember to delete."""
from __future__ import annotations

import re

from flask import abort, flash, redirect, request, url_for
from flask_appbuilder import expose
from flask_appbuilder.security.decorators import has_access
from flask_babel import lazy_gettext as _l

from app.commands import CommandError
from app.commands.formdef_errors import StaleDraftError
from app.commands.item_edit import EditDraftCommand, PartInvalidError, add_part
from app.views.admin.item_inputs import SETTING_LABELS, field_defaults
from app.views.admin.items import _problems


CHOICES = ("select", "radio", "checkboxes")
NO_OPTIONS = _l("a choice needs its options: list them in the add form, separated by commas "
                "(e.g. 是, 否)")


def options(text: str) -> list[str]:
    """Return the options typed in the add form: "是, 否" → ["是", "否"], each once."""
    return list(dict.fromkeys(o.strip() for o in re.split(r"[,，、;；\n]", text) if o.strip()))


class ItemAddMixin:
    """The add route of ItemEditorView (``/items/<id>/add/<kind>``)."""

    @expose("/<int:item_id>/add/<kind>", methods=["POST"])
    @has_access
    def add(self, item_id: int, kind: str):
        from app.views.admin.items_editor import KIND_LABELS, KINDS, _without_key

        if kind not in KINDS:
            abort(404)
        item = self.item(item_id, write=True)
        form = request.form
        key = form.get("key", "").strip()
        text = {"zh": form.get("label", "").strip(), "en": None}
        part = {"key": key, {"page": "title", "step": "name"}.get(kind, "label"): text}
        container = None
        if kind == "field":
            part["type"] = form.get("type", "text")
            part.update(field_defaults(part["type"]))
            container = form.get("page", "")
            if part["type"] in CHOICES:  # its real options, never a placeholder one
                part["options"] = [{"value": o, "label": {"zh": o, "en": None}}
                                   for o in options(form.get("options", ""))]
                if not part["options"]:
                    flash(str(_l("New %(kind)s “%(label)s”: %(message)s", kind=KIND_LABELS[
                        kind], label=text["zh"] or key, message=NO_OPTIONS)), "danger")
                    return redirect(url_for("ItemEditorView.overview", item_id=item.id))
        elif kind == "page":  # empty until its first field: lint holds it back from publishing
            part["fields"] = []
        try:
            EditDraftCommand(item, add_part(kind, part, container),
                             int(form.get("revision") or 0)).run()
        except StaleDraftError as error:
            return self.page("stale.html", 409, item=item, message=str(error))
        except PartInvalidError as error:  # name the new part by its label, each input by name
            for name, messages in error.errors.items():
                for message in messages:
                    said = _without_key(name, message)
                    if name:
                        said = _l("%(key)s: %(message)s", key=SETTING_LABELS.get(name, name),
                                  message=said)
                    flash(str(_l("New %(kind)s “%(label)s”: %(message)s", kind=KIND_LABELS[kind],
                                 label=text["zh"] or key, message=said)), "danger")
            return redirect(url_for("ItemEditorView.overview", item_id=item.id))
        except CommandError as error:
            flash(_problems(error), "danger")
            return redirect(url_for("ItemEditorView.overview", item_id=item.id))
        if kind == "page":  # its fields are added on the item page, under the new page
            flash(str(_l("Page “%(title)s” added: add its first field below.",
                         title=text["zh"] or key)), "success")
            return redirect(url_for("ItemEditorView.overview", item_id=item.id) + f"#page-{key}")
        group = container.partition("/")[2] if container else ""
        return redirect(url_for("ItemEditorView.part", item_id=item.id, kind=kind,
                                key=f"{group}.{key}" if group else key))
