"""Code tables: national entries read-only; local codes added within one's subtree."""
import re

from flask_appbuilder.models.sqla.interface import SQLAInterface
from flask_babel import lazy_gettext as _l

from app.audit import record
from app.audit_changes import changes, snapshot
from app.commands.dictionaries import DictionaryError, check_local_entry
from app.models.dictionary import Dictionary, DictionaryEntry
from app.scoping import can_write_region
from app.views.admin.model_writes import WriteRefused
from app.views.admin.scoped import OUT_OF_SCOPE, CurrentRegionFilter, ScopedModelView

_ENTRY_LABELS = {
    "dictionary": _l("Code table"),
    "code": _l("Code"),
    "name_zh": _l("Name (Chinese)"),
    "name_en": _l("Name (English)"),
    "parent_code": _l("Parent code"),
    "region": _l("Region"),
    "sort": _l("Order"),
    "active": _l("Active"),
    "reserved": _l("Reserved slot"),
}
RESERVED = _l("Reserved for local use: offered nowhere until a region adds a local code with "
               "this number")
NATIONAL_LOCKED = _l("National codes cannot be changed.")
#: What a local code's history events record: {detail key: attribute}.
ENTRY_SETTINGS = {"name_zh": "name_zh", "name_en": "name_en", "parent_code": "parent_code",
                  "sort": "sort", "active": "active"}
# The bundled tables cite the maintainers' notes ("(see CODE_TABLES.md §2.2)"): not for users.
_DOC_REFERENCE = re.compile(r"\s*\(see [^)]*\)")


def _text(value):
    return "" if value is None else value


class EntryInterface(SQLAInterface):
    """Entries grouped by code table, then by code, unless the user sorts by a column.

    FAB builds the interfaces of related models (the search form's selects) from this class.
    """

    def apply_order_by(self, query, order_column, order_direction, *args, **kwargs):
        if not order_column and self.obj is DictionaryEntry:
            return query.order_by(DictionaryEntry.dictionary_id, DictionaryEntry.code,
                                  DictionaryEntry.id)
        return super().apply_order_by(query, order_column, order_direction, *args, **kwargs)


class DictionaryEntryModelView(ScopedModelView):
    datamodel = EntryInterface(DictionaryEntry)
    list_title = _l("Codes")
    show_title = _l("Code")
    add_title = _l("Add a local code")
    edit_title = _l("Edit a local code")
    list_columns = ["dictionary", "code", "name_zh", "name_en", "parent_code", "region",
                    "reserved"]
    show_columns = list_columns + ["sort", "active"]
    add_columns = ["dictionary", "code", "name_zh", "name_en", "parent_code", "region", "sort"]
    edit_columns = ["name_zh", "name_en", "sort", "active"]
    search_columns = ["dictionary", "code", "name_zh", "region"]
    label_columns = _ENTRY_LABELS
    description_columns = {"sort": _l("Local codes follow the national codes under the same "
                                      "parent (those of a region above first); the order sorts "
                                      "them among themselves.")}
    formatters_columns = {
        "name_en": _text,
        "parent_code": _text,
        "region": lambda region: _l("National") if region is None else region,
        "active": lambda active: _l("Yes") if active else _l("No"),
        # A national slot kept for local use (app.models.dictionary): not offered anywhere.
        "reserved": lambda reserved: RESERVED if reserved else "",
    }
    add_form_query_rel_fields = {"region": [["code", CurrentRegionFilter, None]]}
    page_size = 50

    def locked_reason(self, item):
        if item.region_code is None:
            return NATIONAL_LOCKED
        if not can_write_region(item.region_code):
            return OUT_OF_SCOPE
        return None

    def pre_add(self, item):
        if item.region is None:
            raise WriteRefused(_l("A local code needs the region it applies to."),
                               field="region")
        item.region_code = item.region.code
        super().pre_add(item)
        try:
            check_local_entry(item)
        except DictionaryError as error:
            raise WriteRefused(error, field=error.field) from error
        self._record("dictionary.entry_add", item, snapshot(item, ENTRY_SETTINGS))

    def pre_update(self, item):
        if item.region_code is None:
            raise WriteRefused(NATIONAL_LOCKED)
        super().pre_update(item)
        self._record("dictionary.entry_update", item, changes(item, ENTRY_SETTINGS))

    def pre_delete(self, item):
        if item.region_code is None:
            raise WriteRefused(_l("National codes cannot be deleted."))
        super().pre_delete(item)
        self._record("dictionary.entry_delete", item, snapshot(item, ENTRY_SETTINGS))

    @staticmethod
    def _record(action: str, item, detail: dict) -> None:
        """Record the write in the audit log, in its transaction; the object is named by its
        code table and code (``insutype/399``), which outlive a deletion."""
        table = item.dictionary.code
        record(action, "dictionary_entry", f"{table}/{item.code}", item.region_code,
               dictionary=table, code=item.code, **detail)


class DictionaryModelView(ScopedModelView):
    datamodel = SQLAInterface(Dictionary)
    list_title = _l("Code tables")
    show_title = _l("Code table")
    list_columns = ["code", "name_zh", "name_en"]
    show_columns = ["code", "name_zh", "name_en", "source"]
    search_columns = ["code", "name_zh"]
    label_columns = {"code": _l("Code"), "name_zh": _l("Name (Chinese)"),
                     "name_en": _l("Name (English)"), "source": _l("Source")}
    formatters_columns = {"source": lambda source: _DOC_REFERENCE.sub("", source or "")}
    related_views = [DictionaryEntryModelView]
    base_permissions = ["can_list", "can_show"]
    region_column = None

    def item_region(self, item):
        return None
