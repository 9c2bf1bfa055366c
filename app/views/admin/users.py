"""Staff accounts: a RegionAdmin manages Reviewer and RegionAdmin accounts within the subtree
(and those holding roles made on the roles page no more than a Reviewer's); which roles the form
offers and keeps is app.views.admin.account_roles."""
from flask_appbuilder.fields import QuerySelectMultipleField
from flask_appbuilder.fieldwidgets import (BS3PasswordFieldWidget, BS3TextFieldWidget,
                                           Select2ManyWidget)
from flask_appbuilder.security.forms import SelectDataRequired
from flask_appbuilder.security.views import UserDBModelView
from flask_babel import lazy_gettext as _l
from sqlalchemy import select
from wtforms import PasswordField, StringField
from wtforms.validators import DataRequired, Length
from wtforms.validators import ValidationError as FormValidationError

from app.audit import record
from app.audit_changes import changes
from app.extensions import db
from app.models.user import BanshiUser
from app.roles import ALL_ROLES, held_role_names, roles_held
from app.scoping import can_write_region, is_platform_admin, current_user
from app.staff_roles import holds_staff_role, role_conflict
from app.validators import (canonical_id_number, canonical_mobile, canonical_username,
                            clean_text)
from app.validators.masking import mask_mobile, mask_name
from app.views.admin.account_roles import (beyond_editor, grantable_role_rows, keep_roles,
                                           kept_roles, refuse_grants, role_label, roles_note)
from app.views.admin.model_writes import WriteRefused
from app.views.admin.password_change import require_own_password
from app.views.admin.password_reset import PasswordActions
from app.views.admin.region_select import region_field
from app.views.admin.scoped import CurrentRegionFilter, ScopedModelView
from app.views.admin.separation import separation_refusal
from app.views.admin.staff_watch import after_change, before_change
from app.views.form_validators import Canonical, Password, SignInUsername


def role_names(roles) -> str:
    """Return the roles' names in the page's language, comma separated; a pair separation of
    duties keeps apart (given before the rule) is marked, for an administrator to split it
    (``flask users conflicts`` lists these accounts, roles through groups included)."""
    text = ", ".join(role_label(role) for role in roles or ())
    if role_conflict(roles) is not None:
        return str(_l("%(roles)s (⚠ not allowed together: take one role away)", roles=text))
    return text


class UniqueAccountValue:
    """Refuse a value another account already has (the column's unique index would)."""

    def __init__(self, column: str, message):
        self.column = column
        self.message = message

    def __call__(self, form, field):
        if field.data is None:
            return
        query = select(BanshiUser.id).where(getattr(BanshiUser, self.column) == field.data)
        if getattr(form, "_id", None) is not None:  # FAB sets the edited row's id
            query = query.where(BanshiUser.id != form._id)
        if db.session.scalar(query.limit(1)) is not None:
            raise FormValidationError(str(self.message))


USERNAME_TAKEN = _l("This username is already used by another account.")
ID_NUMBER_TAKEN = _l("This ID number is already used by another account.")
MOBILE_TAKEN = _l("This mobile number is already used by another account.")
#: The settings an account's history event names when they change: {detail key: attribute}.
ACCOUNT_SETTINGS = {"region": "region_code", "active": "active", "full_name": "first_name",
                    "mobile": "mobile"}


def roles_field(description=None, required=True):
    """The roles the editor may grant (app.views.admin.account_roles), labelled in the page's
    language; not required when the account keeps a role the editor may not grant."""
    return QuerySelectMultipleField(
        _l("Roles"), query_func=grantable_role_rows, get_pk_func=lambda role: role.id,
        get_label=role_label, description=description,
        validators=[SelectDataRequired()] if required else [], widget=Select2ManyWidget())


def identity_field(label, canonical, column, taken):
    # No Optional(): it would stop the chain on an empty input before Canonical turns it into
    # None, and '' would be stored (a second empty ID number then clashed in the unique index).
    return StringField(label, validators=[Length(max=20), Canonical(canonical),
                                          UniqueAccountValue(column, taken)],
                       widget=BS3TextFieldWidget())


def username_field():
    # Read as sign-in reads it (app.security.find_login_account): "qa  " is stored as "qa",
    # a name of spaces only is refused, and a clash is looked for after normalising.
    return StringField(
        _l("Username"), description=_l("Used to sign in; it cannot be changed later."),
        validators=[Canonical(canonical_username),
                    DataRequired(message=_l("Enter a username.")),
                    SignInUsername(USERNAME_TAKEN)],
        widget=BS3TextFieldWidget())


def full_name_field():
    return StringField(
        _l("Full name"),
        validators=[Canonical(lambda value: clean_text(value, max_length=64)),
                    DataRequired(message=_l("Enter the full name."))],
        widget=BS3TextFieldWidget())


def account_lock(item):
    """A region's administrator manages the staff below them: not their own account, not a
    citizen's or a platform administrator's, nor one holding a made role beyond a Reviewer's
    (changing its mobile would let them reset its password by SMS and sign in as that person),
    not another administrator of their own region."""
    user = current_user()
    if is_platform_admin(user):
        return None
    if item.id == user.id:
        return _l("Ask another administrator to change your own account.")
    held = roles_held(item.roles, item.groups)  # a group's roles are the account's
    roles = {role.name for role in held}
    beyond = [role for role in held if beyond_editor(role, user)]
    if any(role.name in ALL_ROLES for role in beyond):
        return _l("Only a platform administrator changes citizens' and administrators' "
                  "accounts.")
    if beyond:  # a role made on the roles page that grants more than a Reviewer
        return _l("Only a platform administrator changes this account: its role %(roles)s "
                  "gives more than a Reviewer's.",
                  roles=", ".join(sorted(role.name for role in beyond)))
    if "RegionAdmin" in roles and item.region_code == user.region_code:
        return _l("An administrator of your own region is managed from the region above.")
    return None


class StaffUserModelView(PasswordActions, ScopedModelView, UserDBModelView):
    """FAB's user view, scoped by region, with identity columns and masked personal data."""

    list_columns = ["username", "first_name", "region", "roles", "masked_mobile", "active"]
    # Not masked_mobile, which FAB offered: a property is no SQL column (sorting by it was a
    # 500), and sorting by the mobile itself would give the masked digits away.
    order_columns = ["username", "first_name", "active"]
    show_columns = ["username", "first_name", "region", "roles", "masked_mobile",
                    "masked_id_number", "active", "last_login", "login_count", "created_on"]
    # No e-mail: banshi's accounts have none (a placeholder address is stored for FAB).
    user_show_fieldsets = [
        (_l("Account"), {"fields": ["username", "first_name", "region", "roles", "active"]}),
        (_l("Contact and identity"), {"fields": ["masked_mobile", "masked_id_number"]}),
    ]
    show_fieldsets = [
        *user_show_fieldsets,
        (_l("Sign-in"), {"fields": ["last_login", "login_count", "created_on"]}),
    ]
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
    empty_texts = {"region": _l("Whole country")}  # a platform account belongs to no region
    description_columns = {
        **UserDBModelView.description_columns,
        "username": _l("Used to sign in; it cannot be changed later."),
        "active": _l("Clear it to disable the account: it can no longer sign in, and its "
                     "records are kept."),
    }
    add_form_query_rel_fields = {"region": [["code", CurrentRegionFilter, None]]}
    edit_form_query_rel_fields = add_form_query_rel_fields
    unique_messages = {"username": USERNAME_TAKEN, "id_number": ID_NUMBER_TAKEN,
                       "mobile": MOBILE_TAKEN}
    add_form_extra_fields = {
        **UserDBModelView.add_form_extra_fields,
        # The whole policy, the username rule included (FAB's hook sees the password only).
        "username": username_field(),
        "first_name": full_name_field(),
        "password": PasswordField(_l("Password"), validators=[DataRequired(), Password()],
                                  widget=BS3PasswordFieldWidget()),
        "mobile": identity_field(_l("Mobile"), canonical_mobile, "mobile", MOBILE_TAKEN),
        "id_number": identity_field(_l("ID number"), canonical_id_number, "id_number",
                                    ID_NUMBER_TAKEN),
        # Labelled in the page's language; FAB's own field would show the stored role names
        # and its roles_or_groups_required reads a "groups" field these forms do not have.
        "roles": roles_field(),
        "region": region_field(),  # grouped under each parent, marked required
    }
    edit_form_extra_fields = {"first_name": add_form_extra_fields["first_name"],
                              "mobile": add_form_extra_fields["mobile"], "roles": roles_field(),
                              "region": region_field()}

    def locked_reason(self, item):
        return account_lock(item)

    def edit_form_for(self, item):
        """The form with a note on the roles it does not show; a role kept needs no choice."""
        note = roles_note(item)
        if note is None:
            return self.edit_form
        return type("StaffUserEditForm", (self.edit_form,),
                    {"roles": roles_field(note, required=not kept_roles(item))})

    def check_write(self, item):
        # Roles through the account's groups count too (FAB grants them alike).
        refusal = separation_refusal(item.roles, item.groups)
        if refusal is not None:
            raise WriteRefused(refusal, field="roles")
        staff = holds_staff_role(item)  # a role an administrator made counts by its grants
        if item.region is None and (staff or not is_platform_admin(current_user())):
            raise WriteRefused(_l("Choose the region the account belongs to."), field="region")
        if item.region is not None and item.region.valid_to is not None:
            raise WriteRefused(_l("This region has been abolished; choose a current one."),
                               field="region")
        super().check_write(item)
        refusal = refuse_grants(item)  # the form offers no other; a crafted post is refused
        if refusal is not None:
            raise WriteRefused(refusal, field="roles")
        if not is_platform_admin(current_user()):
            if not can_write_region(item.region_code):
                raise WriteRefused(_l("Choose a region within your own."), field="region")
            if item.id == current_user().id:
                raise WriteRefused(_l("Ask another administrator to change your own account."))
            if "RegionAdmin" in held_role_names(item.roles, item.groups) and \
                    item.region_code == current_user().region_code:
                raise WriteRefused(_l("An administrator for your own region is appointed from "
                                      "the region above; choose a region below yours."),
                                   field="region")

    def pre_add(self, item):
        item.last_name = ""
        item.email = item.email or f"{item.username}@accounts.invalid"
        item.region_code = item.region.code if item.region is not None else None
        super().pre_add(item)
        require_own_password(item)  # the administrator knows it: changed at the next sign-in

    def pre_update(self, item):
        keep_roles(item)  # a role the form did not offer is not taken away
        before_change(item)  # 无人可办 before the change is written
        item.region_code = item.region.code if item.region is not None else None
        super().pre_update(item)
        if not item.active:
            item.session_epoch = (item.session_epoch or 0) + 1
        # What changed, old → new (the name and mobile masked): "roles, status" said nothing
        # of a move to another region.
        record("account.update", "user", item.id, item.region_code, **changes(
            item, ACCOUNT_SETTINGS, masks={"full_name": mask_name, "mobile": mask_mobile},
            collections={"roles": lambda role: role.name}))

    def post_update(self, item):
        super().post_update(item)
        after_change()

    def post_add(self, item):
        record("account.create", "user", item.id, item.region_code,
               roles=sorted(role.name for role in item.roles),
               must_change_password=bool(item.must_change_password))
        self.datamodel.session.commit()

