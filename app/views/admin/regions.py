"""Region tree: browse the national divisions; add 医保-specific nodes within one's subtree."""
from flask_appbuilder.fieldwidgets import BS3TextFieldWidget
from flask_appbuilder.models.sqla.interface import SQLAInterface
from flask_babel import lazy_gettext as _l
from wtforms import StringField
from wtforms.validators import DataRequired, Length, Optional, Regexp

from app.audit import record
from app.audit_changes import changes, snapshot
from app.commands.regions import AddInsuranceRegionCommand, RegionError
from app.models.region import Region
from app.scoping import can_write_region
from app.views.admin.model_writes import WriteRefused
from app.views.admin.scoped import OUT_OF_SCOPE, ScopedModelView

LEVEL_LABELS = {"province": _l("Province"), "city": _l("City"), "county": _l("County or district"),
                "grassroots": _l("Grassroots division")}
KIND_LABELS = {"gb2260": _l("National division (GB/T 2260)"),
               "insurance": _l("Medical insurance region node")}
NATIONAL_LOCKED = _l("National divisions cannot be edited.")
ENGLISH_NAME_HELP = _l("Optional. Shown on English pages; the Chinese name is shown without it.")
CODE_FORMAT = _l("11 digits: the 6-digit code of a region in your subtree, then 5 digits.")
#: What a node's history events record: {detail key: attribute}.
NODE_SETTINGS = {"name": "name", "name_en": "name_en"}


def record_node(action: str, node, detail: dict) -> None:
    """Record a write to a 医保 node in the audit log, in its transaction, under its parent's
    region (nobody deletes a node: no role holds can_delete here)."""
    record(action, "region", node.code, node.parent_code, **detail)


class RegionModelView(ScopedModelView):
    datamodel = SQLAInterface(Region)
    region_column = "code"
    region_field = "code"
    list_title = _l("Regions")
    show_title = _l("Region")
    add_title = _l("Add a medical insurance region node")
    edit_title = _l("Edit region")
    list_columns = ["code", "name", "name_en", "level", "parent", "valid_to"]
    show_columns = ["code", "name", "name_en", "level", "parent", "kind", "valid_from", "valid_to",
                    "path"]
    search_columns = ["code", "name", "name_en", "level", "valid_to"]
    order_columns = ["code", "name", "level"]
    base_order = ("code", "asc")
    add_columns = ["code", "name", "name_en"]
    edit_columns = ["name", "name_en"]
    label_columns = {
        "code": _l("Code"),
        "name": _l("Name"),
        "name_en": _l("Name (English)"),
        "level": _l("Level"),
        "parent": _l("Parent"),
        "kind": _l("Kind"),
        "valid_from": _l("Valid from"),
        "valid_to": _l("Valid until"),
        "path": _l("Path"),
    }
    formatters_columns = {  # words, not stored codes; an empty year reads as nothing
        "level": lambda level: LEVEL_LABELS.get(level, level),
        "kind": lambda kind: KIND_LABELS.get(kind, kind),
        "valid_from": lambda year: year or "",
        "valid_to": lambda year: year or "",
    }
    description_columns = {"code": CODE_FORMAT, "name_en": ENGLISH_NAME_HELP}
    add_form_extra_fields = {
        "code": StringField(
            _l("Code"), description=CODE_FORMAT, widget=BS3TextFieldWidget(),
            validators=[DataRequired(), Regexp(r"^\d{11}$", message=CODE_FORMAT)]
        ),
        "name": StringField(_l("Name"), widget=BS3TextFieldWidget(),
                            validators=[DataRequired(), Length(max=100)]),
        "name_en": StringField(_l("Name (English)"), description=ENGLISH_NAME_HELP,
                               widget=BS3TextFieldWidget(),
                               validators=[Optional(), Length(max=200)],
                               filters=[lambda value: (value or "").strip() or None]),
    }
    edit_form_extra_fields = {"name_en": add_form_extra_fields["name_en"]}

    def locked_reason(self, item):
        if item.kind != "insurance":
            return NATIONAL_LOCKED
        if not can_write_region(self.item_region(item)):
            return OUT_OF_SCOPE
        return None

    def item_region(self, item):
        # A node belongs to its parent's region for writes (a new node has no path yet).
        return item.parent_code or item.code

    def pre_add(self, item):
        # The command checks scope, parent and uniqueness, and fills level and path.
        try:
            AddInsuranceRegionCommand(item.code, item.name, item.name_en).validate_into(item)
        except RegionError as error:
            raise WriteRefused(error, field="code") from error
        super().pre_add(item)
        record_node("region.add", item, snapshot(item, NODE_SETTINGS))

    def pre_update(self, item):
        if item.kind != "insurance":
            raise WriteRefused(NATIONAL_LOCKED)
        super().pre_update(item)
        record_node("region.update", item, changes(item, NODE_SETTINGS))
