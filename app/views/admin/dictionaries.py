"""Code tables: national entries read-only; local codes added within one's subtree."""
from flask_appbuilder.models.sqla.interface import SQLAInterface
from flask_babel import lazy_gettext as _l

from app.commands.dictionaries import DictionaryError, check_local_entry
from app.models.dictionary import Dictionary, DictionaryEntry
from app.views.admin.scoped import ScopedModelView

_ENTRY_LABELS = {
    "dictionary": _l("Code table"),
    "code": _l("Code"),
    "name_zh": _l("Name (Chinese)"),
    "name_en": _l("Name (English)"),
    "parent_code": _l("Parent code"),
    "region": _l("Region"),
    "sort": _l("Order"),
    "active": _l("Active"),
}


class DictionaryEntryModelView(ScopedModelView):
    datamodel = SQLAInterface(DictionaryEntry)
    list_title = _l("Codes")
    list_columns = ["dictionary", "code", "name_zh", "name_en", "parent_code", "region"]
    show_columns = list_columns + ["sort", "active"]
    add_columns = ["dictionary", "code", "name_zh", "name_en", "parent_code", "region", "sort"]
    edit_columns = ["name_zh", "name_en", "sort", "active"]
    search_columns = ["dictionary", "code", "name_zh", "region"]
    label_columns = _ENTRY_LABELS
    base_order = ("code", "asc")
    page_size = 50

    def pre_add(self, item):
        if item.region is None:
            raise ValueError(str(_l("A local code needs the region it applies to.")))
        item.region_code = item.region.code
        super().pre_add(item)
        try:
            check_local_entry(item)
        except DictionaryError as error:
            raise ValueError(str(error)) from error

    def pre_update(self, item):
        if item.region_code is None:
            raise ValueError(str(_l("National codes cannot be changed.")))
        super().pre_update(item)

    def pre_delete(self, item):
        if item.region_code is None:
            raise ValueError(str(_l("National codes cannot be deleted.")))
        super().pre_delete(item)



class DictionaryModelView(ScopedModelView):
    datamodel = SQLAInterface(Dictionary)
    list_title = _l("Code tables")
    list_columns = ["code", "name_zh", "name_en"]
    show_columns = ["code", "name_zh", "name_en", "source"]
    search_columns = ["code", "name_zh"]
    label_columns = {"code": _l("Code"), "name_zh": _l("Name (Chinese)"),
                     "name_en": _l("Name (English)"), "source": _l("Source")}
    related_views = [DictionaryEntryModelView]
    base_permissions = ["can_list", "can_show"]
    region_column = None

    def item_region(self, item):
        return None
