"""Every view, API and menu entry of banshi, in menu order, in one place (STYLE.md 2)."""
from flask import current_app
from flask_babel import lazy_gettext as _l

from app.views.admin.dictionaries import DictionaryEntryModelView, DictionaryModelView
from app.views.admin.region_tree import RegionTreeView
from app.views.admin.regions import RegionModelView
from app.views.dev import DevView
from app.views.preferences import PreferenceView

REGIONS = "Regions & code tables"


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
    appbuilder.add_view_no_menu(PreferenceView)
    if current_app.config.get("DEV_PAGES"):
        appbuilder.add_view_no_menu(DevView)
