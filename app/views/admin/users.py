"""Staff accounts: a RegionAdmin manages Reviewer and RegionAdmin accounts within the subtree."""
from flask_appbuilder.fieldwidgets import BS3PasswordFieldWidget
from flask_appbuilder.models.sqla.filters import FilterInFunction
from flask_appbuilder.security.forms import SelectDataRequired
from flask_appbuilder.security.views import UserDBModelView
from flask_babel import lazy_gettext as _l
from wtforms import PasswordField, StringField
from wtforms.validators import DataRequired, Length, Optional

from app.audit import record
from app.scoping import can_write_region, is_platform_admin, current_user
from app.validators import canonical_id_number, canonical_mobile
from app.views.admin.item_inputs import ROLE_LABELS
from app.views.admin.scoped import RegionScopeFilter, ScopedModelView
from app.views.form_validators import Canonical, Password

GRANTABLE_BY_REGION_ADMIN = ("RegionAdmin", "Reviewer")
# The designer's role names, plus the two roles a step is never assigned to.
ROLE_NAMES = {**ROLE_LABELS, "Admin": _l("Platform administrator"), "Citizen": _l("Citizen")}


def role_names(roles) -> str:
    """Return the roles' names in the page's language, comma separated."""
    return ", ".join(str(ROLE_NAMES.get(role.name, role.name)) for role in roles or ())


def grantable_roles() -> list[str]:
    """Return the role names the current user may grant."""
    user = current_user()
    if is_platform_admin(user):
        return ["Admin", "RegionAdmin", "Reviewer", "Citizen"]
    return list(GRANTABLE_BY_REGION_ADMIN)


class StaffUserModelView(ScopedModelView, UserDBModelView):
    """FAB's user view, scoped by region, with identity columns and masked personal data."""

    list_columns = ["username", "first_name", "region", "roles", "masked_mobile", "active"]
    show_columns = ["username", "first_name", "region", "roles", "masked_mobile",
                    "masked_id_number", "active", "last_login", "login_count", "created_on"]
    add_columns = ["username", "first_name", "region", "mobile", "id_number", "roles", "active",
                   "password", "conf_password"]
    edit_columns = ["first_name", "region", "mobile", "roles", "active"]
    search_columns = ["username", "first_name", "region", "roles", "active"]
    label_columns = {
        "username": _l("Username"), "first_name": _l("Full name"), "region": _l("Region"),
        "roles": _l("Roles"), "masked_mobile": _l("Mobile"), "mobile": _l("Mobile"),
        "masked_id_number": _l("ID number"), "id_number": _l("ID number"),
        "active": _l("Active"), "last_login": _l("Last login"), "login_count": _l("Logins"),
        "created_on": _l("Created"), "password": _l("Password"),
        "conf_password": _l("Confirm password"),
    }
    formatters_columns = {
        "active": lambda active: _l("Active") if active else _l("Disabled"),
        "roles": role_names,
    }
    add_form_query_rel_fields = {
        "region": [["code", RegionScopeFilter, None]],
        "roles": [["name", FilterInFunction, grantable_roles]],
    }
    edit_form_query_rel_fields = add_form_query_rel_fields
    # FAB's roles_or_groups_required reads a "groups" field banshi's forms do not have (a
    # refused role then raised KeyError: a 500 instead of the form's message).
    validators_columns = {"roles": [SelectDataRequired()]}
    add_form_extra_fields = {
        **UserDBModelView.add_form_extra_fields,
        # The whole policy, the username rule included (FAB's hook sees the password only).
        "password": PasswordField(_l("Password"), validators=[DataRequired(), Password()],
                                  widget=BS3PasswordFieldWidget()),
        "mobile": StringField(_l("Mobile"), validators=[Optional(), Length(max=20),
                                                        Canonical(canonical_mobile)]),
        "id_number": StringField(_l("ID number"), validators=[Optional(), Length(max=20),
                                                              Canonical(canonical_id_number)]),
    }
    edit_form_extra_fields = {"mobile": add_form_extra_fields["mobile"]}

    def check_write(self, item):
        super().check_write(item)
        if not is_platform_admin(current_user()):
            if item.region_code is None or not can_write_region(item.region_code):
                raise ValueError(str(_l("Choose a region within your own.")))
            if {role.name for role in item.roles} - set(GRANTABLE_BY_REGION_ADMIN):
                raise ValueError(str(_l("You can only grant the RegionAdmin and Reviewer roles.")))
            if item.id == current_user().id:
                raise ValueError(str(_l("Ask another administrator to change your own account.")))

    def pre_add(self, item):
        item.last_name = ""
        item.email = item.email or f"{item.username}@accounts.invalid"
        if item.region is not None:
            item.region_code = item.region.code
        super().pre_add(item)

    def pre_update(self, item):
        if item.region is not None:
            item.region_code = item.region.code
        super().pre_update(item)
        if not item.active:
            item.session_epoch = (item.session_epoch or 0) + 1
        record("account.update", "user", item.id, item.region_code,
               roles=sorted(role.name for role in item.roles), active=bool(item.active))

    def post_add(self, item):
        record("account.create", "user", item.id, item.region_code,
               roles=sorted(role.name for role in item.roles))
        self.datamodel.session.commit()
