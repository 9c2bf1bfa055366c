"""Export a draft as canonical YAML or as an Excel workbook, and import either as a draft."""
from __future__ import annotations

from typing import Optional
from urllib.parse import quote

import yaml
from flask import Response, flash, redirect, request, url_for
from flask_appbuilder import expose
from flask_appbuilder.security.decorators import has_access
from flask_babel import lazy_gettext as _l

from app.commands import CommandError
from app.commands.formdef_errors import (DefinitionInvalidError, RegionNotAllowedError,
                                         StaleDraftError)
from app.commands.formdef_text import LoadFormdefTextCommand
from app.commands.publish import db_lint_context
from app.engine.export import export
from app.engine.lint import check_text
from app.engine.schema import load_definition
from app.engine.xlsform import XlsformError, to_xlsx
from app.engine.xlsform_read import at, place_of_line, read_workbook
from app.views.admin.items import ItemViewBase, _problems

XLSX = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"
MAX_IMPORT = 2 * 1024 * 1024


def _download(data, mimetype: str, filename: str) -> Response:
    response = Response(data, mimetype=mimetype)
    response.headers["Content-Disposition"] = (
        f"attachment; filename=\"{filename.encode('ascii', 'replace').decode()}\"; "
        f"filename*=UTF-8''{quote(filename)}")
    return response


class ItemIOView(ItemViewBase):
    method_permission_name = {"export_yaml": "list", "export_xlsx": "list", "import_": "edit"}

    @expose("/<int:item_id>/export.yaml")
    @has_access
    def export_yaml(self, item_id: int):
        item = self.item(item_id)
        return _download(export(item.draft), "application/yaml; charset=utf-8",
                         f"{item.code}@{item.region_code}.yaml")

    @expose("/<int:item_id>/export.xlsx")
    @has_access
    def export_xlsx(self, item_id: int):
        item = self.item(item_id)
        return _download(to_xlsx(item.draft), XLSX, f"{item.code}@{item.region_code}.xlsx")

    @expose("/import", methods=["POST"])
    @has_access
    def import_(self):
        """Import a YAML file, a workbook or pasted YAML as the draft of its item.

        It runs what ``formdefs load`` and the API run (LoadFormdefTextCommand: the full lint,
        then the save under a row lock), but keeps a draft the designer would keep (an
        exported unfinished draft imports back): what only publishing refuses is shown as
        warnings. From an item's page the form carries that item and the
        revision of the draft shown: a draft saved since is not replaced (409). Anything refused
        shows the form again with every problem at its line and the text as sent.
        """
        shown = request.form.get("item_id", type=int)
        shown = self.item(shown, write=True) if shown is not None else None
        upload = request.files.get("file")
        name = upload.filename if upload is not None and upload.filename else str(
            _l("pasted text"))
        text, status, place = "", 422, None
        try:
            revision = _stated_revision(request.form.get("revision", ""))
            text, place = _uploaded_text(upload, request.form.get("text", ""), name)
            command = LoadFormdefTextCommand(
                text=text, name=name, expected_revision=revision, keep_unfinished=True,
                item=(shown.code, shown.region_code) if shown is not None else None)
            result = command.run()
        except ImportRefused as error:
            problems = error.problems
        except DefinitionInvalidError as error:  # each problem at its line, as formdefs lint
            problems = [_at_line(name, problem, place) for problem in error.problems]
        except RegionNotAllowedError as error:
            problems, status = [str(error)], 403
        except StaleDraftError as error:
            problems, status = [str(error)], 409
        except CommandError as error:
            problems = [_problems(error)]
        else:
            return self._imported(result, command, name, place)
        if status == 409 and shown is not None:
            shown = self.item(shown.id, write=True)  # its revision now: importing again replaces
        return self.page("import.html", status, problems=problems, text=text, shown=shown,
                         stale=status == 409, workbook=name.lower().endswith(".xlsx"),
                         title=_l("Import a definition"))

    @staticmethod
    def _imported(result, command, name: str, place=None):
        item = (result.created + result.updated + result.unchanged)[0]
        if result.unchanged:
            flash(str(_l("The draft of %(item)s is already this definition: nothing changed.",
                         item=f"{item.code}@{item.region_code}")), "info")
        else:
            flash(str(_l("Imported as the draft of %(item)s (revision %(revision)s).",
                         item=f"{item.code}@{item.region_code}",
                         revision=result.revisions[item.id])), "success")
        if command.unfinished:  # kept, as the designer keeps an unfinished draft
            flash(str(_l("Publishing refuses this draft until these %(count)s problems are "
                         "fixed:", count=len(command.unfinished))), "warning")
        for warning in command.unfinished + command.warnings:  # they stop no draft
            flash(_at_line(name, warning, place), "warning")
        return redirect(url_for("ItemEditorView.overview", item_id=item.id))


class ImportRefused(Exception):
    """The upload could not be read as a definition (no lines to tell)."""

    def __init__(self, *problems: str):
        super().__init__("; ".join(problems))
        self.problems = list(problems)


def _at_line(name: str, problem, place=None) -> str:
    """Name the problem's line, or for a workbook (``place``: line → sheet and row) its row."""
    if place is not None:
        return _in_workbook(name, at(place(problem.line), problem.message))
    return str(_l("%(file)s, line %(line)s: %(message)s", file=name, line=problem.line,
                  message=problem.message))


def _in_workbook(name: str, problem: str) -> str:
    return str(_l("%(file)s %(problem)s", file=name, problem=problem))


def _stated_revision(value: str) -> Optional[int]:
    value = value.strip()
    if not value:
        return None
    if not (value.isascii() and value.isdigit() and len(value) <= 9):
        raise ImportRefused(str(_l("The revision must be a whole number.")))
    return int(value)


def _uploaded_text(upload, pasted: str, name: str):
    """Return the definition as YAML text — the file's, a workbook's written as YAML, or pasted
    — and for a workbook where each line's part is (line → "fields row 3"), else None."""
    if upload is None or not upload.filename:
        if not pasted.strip():
            raise ImportRefused(str(_l("Choose a YAML or Excel file, or paste YAML.")))
        return pasted.replace("\r\n", "\n"), None  # a browser sends a textarea's lines so
    data = upload.read(MAX_IMPORT + 1)
    if len(data) > MAX_IMPORT:
        raise ImportRefused(str(_l("The file is larger than 2 MB.")))
    if not upload.filename.lower().endswith(".xlsx"):
        try:
            return data.decode("utf-8-sig"), None
        except UnicodeDecodeError:
            raise ImportRefused(str(_l("A YAML file must be UTF-8 text."))) from None
    try:
        definition, problems, places = read_workbook(data)
    except XlsformError as error:
        raise ImportRefused(*(_in_workbook(name, p) for p in error.problems)) from None
    source, errors = load_definition(definition)
    text = yaml.safe_dump(definition, allow_unicode=True, sort_keys=False) if errors \
        else export(source)
    place = place_of_line(text, places)
    if problems:  # with lint's, by sheet and row: all at once
        found = check_text(text, name, db_lint_context()).problems
        told = set(problems)
        problems += [p for p in (at(place(f.line), f.message) for f in found)
                     if p not in told]
        raise ImportRefused(*(_in_workbook(name, p) for p in problems))
    return text, place
