"""Insured persons for staff: read-only, within the region subtree, personal data masked.

Every show page is recorded in the audit history. Revealing a full ID number is a separate,
permissioned action (not here).
"""
from flask_appbuilder.models.sqla.filters import FilterEqual
from flask_appbuilder.models.sqla.interface import SQLAInterface
from flask_babel import get_locale
from flask_babel import lazy_gettext as _l
from markupsafe import Markup
from sqlalchemy import select

from app.audit import record
from app.engine.cel_functions import CST
from app.extensions import db
from app.models.dictionary import Dictionary, DictionaryEntry
from app.models.person import Person
from app.views.admin.scoped import RegionScopeFilter, ScopedModelView

SEX = {"1": _l("Male"), "2": _l("Female")}
# Searching these by "starts with"/"contains" would let one probe a number digit by digit.
EXACT_SEARCH = ("id_number", "name")
_ENROLLMENT_CODES = ("insutype", "psn_insu_stas", "psn_type")


def code_names(tables=_ENROLLMENT_CODES) -> dict[tuple[str, str], str]:
    """Return {(table, code): name in the current language} for the national codes of tables."""
    english = str(get_locale() or "zh").startswith("en")
    name = DictionaryEntry.name_en if english else DictionaryEntry.name_zh
    rows = db.session.execute(
        select(Dictionary.code, DictionaryEntry.code, name).join(DictionaryEntry.dictionary)
        .where(Dictionary.code.in_(tables), DictionaryEntry.region_code.is_(None)))
    return {(table, code): text for table, code, text in rows}


def _coded(names, table, code):
    return f"{code} {names[(table, code)]}" if (table, code) in names else (code or "")


def enrollments_table(enrollments) -> Markup:
    """Render a person's enrollments as the SC-2 table (险种类型, 参保状态, 个人参保日期 …)."""
    if not enrollments:
        return Markup("{}").format(_l("No enrollments"))
    names = code_names()
    heads = (_l("Insurance type"), _l("Status"), _l("Insured person category"),
             _l("Insurance region"), _l("Start date"), _l("First insured (month)"),
             _l("Account opened (month)"), _l("End date"), _l("Employer"))
    head = Markup("").join(Markup("<th>{}</th>").format(h) for h in heads)
    rows = Markup("").join(
        Markup("<tr>" + "<td>{}</td>" * len(heads) + "</tr>").format(
            _coded(names, "insutype", e.insutype), _coded(names, "psn_insu_stas", e.status),
            _coded(names, "psn_type", e.psn_type),
            repr(e.region) if e.region else e.region_code,  # its name in the page's language
            e.start_date, e.first_insured_month or "", e.account_month or "",
            e.end_date or "", e.employer_name or "")
        for e in enrollments)
    # One line: the show page renders values with ``white-space: pre-line``.
    return Markup('<table class="table table-condensed enrollments"><thead><tr>{}</tr></thead>'
                  "<tbody>{}</tbody></table>").format(head, rows)


class PersonModelView(ScopedModelView):
    """The registry's persons within one's subtree; names and ID numbers always masked."""

    datamodel = SQLAInterface(Person)
    base_permissions = ["can_list", "can_show"]
    list_title = _l("Insured persons")
    show_title = _l("Insured person")
    list_columns = ["masked_name", "masked_id_number", "sex", "region"]
    show_columns = ["masked_name", "masked_id_number", "cert_type", "sex", "naty",
                    "masked_mobile", "region", "hukou_region", "updated_at", "enrollments"]
    search_columns = ["id_number", "name", "region"]
    search_form_query_rel_fields = {"region": [["code", RegionScopeFilter, None]]}
    order_columns = ["region_code"]
    base_order = ("id", "asc")
    label_columns = {
        "masked_name": _l("Full name"), "name": _l("Full name"),
        "masked_id_number": _l("ID number"), "id_number": _l("ID number"),
        "cert_type": _l("Certificate type"), "sex": _l("Sex"), "naty": _l("Ethnic group"),
        "masked_mobile": _l("Mobile"), "region": _l("Insured in"),
        "region_code": _l("Insured in"), "hukou_region": _l("Household registration"),
        "updated_at": _l("Updated"), "enrollments": _l("Enrollments"),
    }
    formatters_columns = {
        "sex": lambda value: SEX.get(value, value),
        "cert_type": lambda value: _coded(code_names(("psn_cert_type",)), "psn_cert_type", value),
        "naty": lambda value: _coded(code_names(("naty",)), "naty", value),
        "hukou_region": lambda value: value or "",
        "updated_at": lambda value: value.astimezone(CST).strftime("%Y-%m-%d %H:%M"),
        "enrollments": enrollments_table,
    }

    def _init_properties(self):
        super()._init_properties()
        # The search form offers "equal to" only; FAB resolves ``_flt_<i>_<column>`` against
        # _all_filters, so there every index of these columns means "equal to" as well.
        search, every = self._filters.get_search_filters(), self._filters._all_filters
        for column in EXACT_SEARCH:
            equal = [f for f in every[column] if type(f) is FilterEqual]
            search[column], every[column] = equal, equal * len(every[column])

    def _get_show_widget(self, pk, item, **kwargs):
        # Reached only for a row inside the scope (FAB's _show loads it with base_filters).
        record("person.show", "person", item.id, item.region_code)
        db.session.commit()
        return super()._get_show_widget(pk, item, **kwargs)
