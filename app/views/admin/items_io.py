"""Export a draft as canonical YAML or as an Excel workbook, and import either as a draft."""
from __future__ import annotations

from urllib.parse import quote

from flask import Response, flash, redirect, request, url_for
from flask_appbuilder import expose
from flask_appbuilder.security.decorators import has_access
from flask_babel import lazy_gettext as _l

from app.commands import CommandError
from app.commands.formdef_errors import DefinitionInvalidError
from app.commands.item_create import ImportDefinitionCommand
from app.engine.export import export
from app.engine.xlsform import XlsformError, from_xlsx, to_xlsx
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
        upload = request.files.get("file")
        text = request.form.get("text", "")
        try:
            if upload is not None and upload.filename:
                data = upload.read(MAX_IMPORT + 1)
                if len(data) > MAX_IMPORT:
                    raise XlsformError([str(_l("The file is larger than 2 MB."))])
                if upload.filename.lower().endswith(".xlsx"):
                    definition, problems = from_xlsx(data)
                    if problems:
                        raise XlsformError(problems)
                else:
                    definition = data.decode("utf-8")
            elif text.strip():
                definition = text
            else:
                raise XlsformError([str(_l("Choose a YAML or Excel file, or paste YAML."))])
            item = ImportDefinitionCommand(definition).run()
        except UnicodeDecodeError:
            flash(str(_l("A YAML file must be UTF-8 text.")), "danger")
        except XlsformError as error:
            flash("; ".join(error.problems), "danger")
        except DefinitionInvalidError as error:  # each problem at its line, as formdefs lint
            name = upload.filename if upload is not None and upload.filename else str(
                _l("pasted text"))
            for problem in error.problems:
                flash(str(_l("%(file)s, line %(line)s: %(message)s", file=name,
                             line=problem.line, message=problem.message)), "danger")
        except CommandError as error:
            flash(_problems(error), "danger")
        else:
            flash(str(_l("Imported as the draft of %(item)s.", item=f"{item.code}@"
                                                                    f"{item.region_code}")),
                  "success")
            return redirect(url_for("ItemEditorView.overview", item_id=item.id))
        return redirect(url_for("ItemListView.list"))
