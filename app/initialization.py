"""Every view, API and menu entry of banshi, in menu order, in one place (STYLE.md 2)."""
from flask import current_app
from flask_babel import lazy_gettext as _l

from app.views.admin.calendar import CalendarDayModelView
from app.views.admin.dictionaries import DictionaryEntryModelView, DictionaryModelView
from app.views.admin.persons import PersonModelView
from app.views.admin.region_tree import RegionTreeView
from app.views.admin.regions import RegionModelView
from app.views.citizen.home import CitizenHomeView
from app.views.citizen.identity import IdentityView
from app.views.citizen.registration import RegistrationView
from app.views.dev import DevView
from app.views.preferences import PreferenceView

REGIONS = "Regions & code tables"
REGISTRY = "Registry"


def register(appbuilder) -> None:
    """Add banshi's views to ``appbuilder`` (names are permission keys: plain strings)."""
    appbuilder.add_view(
        RegionModelView, "Regions", icon="fa-sitemap", label=_l("Regions"),
        category=REGIONS, category_label=_l("Regions & code tables"),
    )
    appbuilder.add_view(
        RegionTreeView, "Region tree", icon="fa-tree", label=_l("Region tree"), category=REGIONS,
    )
    appbuilder.add_view(
        DictionaryModelView, "Code tables", icon="fa-book", label=_l("Code tables"),
        category=REGIONS,
    )
    appbuilder.add_view(
        DictionaryEntryModelView, "Codes", icon="fa-list", label=_l("Codes"), category=REGIONS,
    )
    appbuilder.add_view(
        CalendarDayModelView, "Working calendar", icon="fa-calendar",
        label=_l("Working calendar"), category=REGIONS,
    )
    appbuilder.add_view(
        PersonModelView, "Insured persons", icon="fa-id-card", label=_l("Insured persons"),
        category=REGISTRY, category_label=_l("Registry"),
    )
    appbuilder.add_view_no_menu(PreferenceView)
    appbuilder.add_view_no_menu(RegistrationView)
    appbuilder.add_view_no_menu(IdentityView)
    appbuilder.add_view_no_menu(CitizenHomeView)
    if current_app.config.get("DEV_PAGES"):
        appbuilder.add_view_no_menu(DevView)
