"""The designer's page for an item's ``result_document`` (凭证/回执, docs/engine.md): its title,
body and ``enrollment`` condition in both languages, the placeholders it may use, lint's
messages at the input they are about and a preview with sample values."""
from __future__ import annotations

import re
from datetime import date

from flask import flash, redirect, request, url_for
from flask_appbuilder import expose
from flask_appbuilder.security.decorators import has_access
from flask_babel import lazy_gettext as _l
import yaml

from app import local_text
from app.commands.formdef_errors import StaleDraftError
from app.commands.item_edit import EditDraftCommand, PartInvalidError
from app.commands.publish import db_lint_context
from app.engine import documents
from app.engine.export import export
from app.engine.fields import REGISTRY
from app.engine.lint import check_text
from app.views.admin.item_forms import attach_errors, form_class, form_data, read_part
from app.views.admin.item_inputs import Input
from app.yamlio import load_with_lines

DOCUMENT_INPUTS = [
    Input("title", "text", _l("Document title")),
    Input("body", "textarea", _l("Document text (Markdown with placeholders)")),
    Input("enrollment", "str", _l("Enrollment printed (condition on e)"), help=_l(
        "Needed for the enrollment.* placeholders: a condition one of person.enrollments (e) "
        "must meet, e.g. e.status == \"1\" && e.insutype == insutype; the newest such "
        "enrollment is printed.")),
]
#: Sample values of the placeholders that do not come from answers (the preview's defaults).
SAMPLES = {"serial": "20260101000123", "agency": "四川省成都市锦江区医疗保障局",
           "person.name": "张三", "person.id_number": "5101**********1234",
           "registry.name": "张三", "registry.id_number": "5101**********1234",
           "registry.id_number_full": "510104199001011234",
           "enrollment.insutype": "城乡居民基本医疗保险", "enrollment.status": "正常参保",
           "enrollment.psn_type": "城乡居民", "enrollment.region": "四川省 成都市 锦江区",
           "enrollment.employer_name": "", "enrollment.start_date": "2016-05-01",
           "enrollment.end_date": "", "enrollment.period": "2016年5月1日至今"}


def available(definition: dict) -> list[tuple[str, bool]]:
    """Return every placeholder the document may use, each with whether it needs
    ``enrollment`` (the answers' ones: questions with a short answer outside groups)."""
    names = [(n, False) for n in documents.FIXED + documents.REGISTRY_FACTS]
    names += [(n, True) for n in documents.ENROLLMENT_FACTS]
    fields = documents._answer_keys(definition)
    for key in fields:
        name = f"answers.{key}"
        if documents._unknown(name, fields, REGISTRY, {"enrollment": "x"}) is None:
            names.append((name, False))
    return names


def problems_by_input(item, draft: dict) -> dict[str, list[str]]:
    """Return lint's problems and warnings about the draft's document, by input name."""
    text = export(draft)
    checked = check_text(text, item.code, db_lint_context())
    try:
        tree = load_with_lines(text)
    except yaml.YAMLError:
        return {}
    document = tree.get("result_document") if isinstance(tree, dict) else None
    if not isinstance(document, dict):
        return {}
    later = sorted(line for line in tree.key_lines.values()
                   if line > tree.key_lines["result_document"])
    end = later[0] if later else 10 ** 9
    starts = sorted((line, key) for key, line in document.key_lines.items())
    found: dict[str, list[str]] = {}
    for problem in [*checked.problems, *checked.warnings]:
        if not tree.key_lines["result_document"] <= problem.line < end:
            continue
        name = ""
        for index, (line, key) in enumerate(starts):
            upto = starts[index + 1][0] if index + 1 < len(starts) else end
            if line <= problem.line < upto:
                name = _language(key, document.get(key), problem.message)
        message = problem.message.removeprefix("result_document: ")
        if message not in found.get(name, []):
            found.setdefault(name, []).append(message)
    return found


def _language(key: str, value, message: str) -> str:
    """Return the input of ``key`` a message is about: a text's language is the one holding
    the placeholder the message quotes (both may stand on one line), else Chinese."""
    if key not in ("title", "body"):
        return key
    said = message.replace(" ", "")
    for lang in ("zh", "en"):
        text = value.get(lang) if isinstance(value, dict) else value if lang == "zh" else None
        if isinstance(text, str) and any(token.replace(" ", "") in said
                                         for token in re.findall(r"\{\{[^{}]*\}\}", text)):
            return f"{key}_{lang}"
    return f"{key}_zh"


def _samples(document: dict, definition: dict, item) -> dict:
    names = []
    for part in ("title", "body"):
        value = document.get(part)
        for text in (value.values() if isinstance(value, dict) else [value]):
            if isinstance(text, str):
                names += documents.placeholders(text)[0]
    given = {k[len("sample__"):]: v for k, v in request.form.items() if k.startswith("sample__")}
    defaults = {**SAMPLES, "item": local_text(definition.get("name")) or item.code,
                "approved_on": date.today().isoformat()}
    return {name: given.get(name, defaults.get(name, "")) for name in dict.fromkeys(names)}


def preview(document: dict, values: dict) -> list[tuple[str, str, object]]:
    """Return (language, title, body HTML) of the document with ``values`` in its place."""
    shown = []
    for lang in ("zh", "en"):
        title, body = (document.get(part) for part in ("title", "body"))
        title = title.get(lang) if isinstance(title, dict) else title
        body = body.get(lang) if isinstance(body, dict) else body
        if title or body:
            shown.append((lang, documents.render_text(title or "", values),
                          documents.render_document(body or "", values)))
    return shown


class ItemDocumentMixin:
    """The result document page of ItemEditorView (``/items/<id>/document``)."""

    @expose("/<int:item_id>/document", methods=["GET", "POST"])
    @has_access
    def document(self, item_id: int):
        item = self.item(item_id, write=True)
        editing = self._editing(item)
        stored = editing.definition.get("result_document") or {}
        Form = form_class(DOCUMENT_INPUTS)
        if request.method == "GET":
            form = Form(data=form_data(DOCUMENT_INPUTS, stored, item.revision))
            return self._document_page(item, editing, form, stored,
                                       problems_by_input(item, item.draft))
        form = Form()
        edited, errors = read_part(DOCUMENT_INPUTS, form, stored)
        edited = {k: v for k, v in edited.items() if v is not None}
        action = request.form.get("_action", "save")
        if form.validate() and not errors and action != "preview":
            try:
                EditDraftCommand(item, _set_document(edited), int(form.revision.data or 0)).run()
            except StaleDraftError as error:
                return self.page("stale.html", 409, item=item, message=str(error))
            except PartInvalidError as error:
                errors = error.errors
            else:
                flash(str(_l("Saved.")), "success")
                return redirect(url_for("ItemEditorView.document", item_id=item.id))
        general = attach_errors(form, errors)
        return self._document_page(item, editing, form, edited, {"": general},
                                   422 if errors else 200, previewed=action == "preview")

    def _document_page(self, item, editing, form, document, problems, status=200,
                       previewed=False):
        general = problems.pop("", [])
        attach_errors(form, problems)
        values = _samples(document, editing.definition, item)
        return self.page("document.html", status, item=item, editing=editing, form=form,
                         general=general, names=available(editing.definition),
                         samples=values, document=document,
                         shown=preview(document, values) if previewed else None,
                         title=_l("Result document"))


def _set_document(document: dict):
    def edit(definition: dict) -> tuple:
        if document:
            definition["result_document"] = document
        else:
            definition.pop("result_document", None)
        return "item", None
    return edit
