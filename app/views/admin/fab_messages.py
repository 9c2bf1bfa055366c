"""FAB's own messages that its catalogs leave untranslated, translated in banshi's catalog.

FAB and banshi share the ``messages`` domain and banshi's catalog is merged after FAB's, so an
entry there translates FAB's text. Listing the msgids here keeps them in the extracted catalog
(``pybabel update --ignore-obsolete`` would drop them otherwise). Nothing imports this module.
"""
from flask_babel import lazy_gettext as _l

FAB_MESSAGES = (
    _l("Are you sure you want to delete this item?"),  # FAB's delete confirmation (lib.html)
    _l("List Groups"),  # FAB's security menu
    # FAB's QuerySelectField (fields.py), through field.gettext: WTForms' catalog has only
    # "Not a valid choice." with a period (app.form_translations asks banshi's first).
    _l("Not a valid choice"),
    # FAB's actions on the account pages (security/views.py): its Chinese reads 重设密码 for both.
    _l("Reset my password"),
    _l("Reset Password"),
)
