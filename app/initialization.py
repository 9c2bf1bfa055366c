"""Every view, API and menu entry of banshi, in menu order, in one place (STYLE.md 2)."""
from flask import current_app
from flask_appbuilder.api.manager import SwaggerView
from flask_babel import lazy_gettext as _l

from app.api.applications.api import ApplicationApi
from app.api.catalog.api import CatalogApi
from app.api.formdefs.api import FormdefApi
from app.api.me.api import MeApi
from app.api.openapi import OpenApi
from app.api.reviews.api import ReviewApi
from app.views.admin.audit_log import AuditEventModelView
from app.views.admin.calendar import CalendarDayModelView
from app.views.admin.dashboard import DashboardView
from app.views.admin.dictionaries import DictionaryEntryModelView, DictionaryModelView
from app.views.admin.items import ItemListView
from app.views.admin.items_actions import ItemActionView
from app.views.admin.items_editor import ItemEditorView
from app.views.admin.items_io import ItemIOView
from app.views.admin.items_publish import ItemPublishView
from app.views.admin.items_versions import ItemVersionView
from app.views.admin.persons import PersonModelView
from app.views.admin.region_tree import RegionTreeView
from app.views.admin.regions import RegionModelView
from app.views.captcha import CaptchaView
from app.views.citizen.catalog import CatalogView
from app.views.citizen.home import CitizenHomeView
from app.views.citizen.identity import IdentityView
from app.views.citizen.my_applications import MyApplicationsView
from app.views.citizen.region_picker import RegionPickerView
from app.views.citizen.registration import RegistrationView
from app.views.citizen.wizard import WizardView
from app.views.citizen.wizard_confirm import WizardConfirmView
from app.views.citizen.wizard_materials import WizardMaterialsView
from app.views.dev import DevView
from app.views.preferences import PreferenceView
from app.views.review.decide import ReviewDecisionView
from app.views.review.detail import ReviewDetailView
from app.views.review.notices import NoticeInboxView, unread_count
from app.views.review.queue import ReviewQueueView
from app.views.review.reveal import RevealView
from app.views.review.unstaffed import UnstaffedView
from app.views.review.window import WindowEntryView

REGIONS = "Regions & code tables"
REGISTRY = "Registry"
ITEMS = "Service items"
REVIEW = "Review"
STATISTICS = "Statistics"


def register(appbuilder) -> None:
    """Add banshi's views to ``appbuilder`` (names are permission keys: plain strings)."""
    appbuilder.add_view(
        ItemListView, "Items", icon="fa-wpforms", label=_l("Items"),
        category=ITEMS, category_label=_l("Service items"),
    )
    appbuilder.add_view_no_menu(ItemEditorView)
    appbuilder.add_view_no_menu(ItemPublishView)
    appbuilder.add_view_no_menu(ItemIOView)
    appbuilder.add_view_no_menu(ItemActionView)
    appbuilder.add_view_no_menu(ItemVersionView)
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
    appbuilder.add_view(
        ReviewQueueView, "To do", href="/review/pending", icon="fa-inbox", label=_l("To do"),
        category=REVIEW, category_label=_l("Review"),
    )
    appbuilder.add_link("Done", href="/review/done", icon="fa-check", label=_l("Done"),
                        category=REVIEW)
    appbuilder.add_link("Due soon and overdue", href="/review/late", icon="fa-clock-o",
                        label=_l("Due soon and overdue"), category=REVIEW)
    appbuilder.add_view(
        UnstaffedView, "Nobody can decide", icon="fa-user-times", label=_l("Nobody can decide"),
        category=REVIEW,
    )
    appbuilder.add_view(
        WindowEntryView, "Window entry", icon="fa-user-plus", label=_l("Window entry"),
        category=REVIEW,
    )
    # Beside the accounts and roles of FAB's "Security" menu (安全).
    appbuilder.add_view(
        AuditEventModelView, "Audit log", icon="fa-history", label=_l("Audit log"),
        category="Security",
    )
    appbuilder.add_view(
        DashboardView, "Dashboard", icon="fa-bar-chart", label=_l("Dashboard"),
        category=STATISTICS, category_label=_l("Statistics"),
    )
    appbuilder.add_view_no_menu(ReviewDetailView)
    appbuilder.add_view_no_menu(ReviewDecisionView)
    appbuilder.add_view_no_menu(NoticeInboxView)  # 通知: linked from the staff navigation
    current_app.jinja_env.globals["unread_notices"] = unread_count
    appbuilder.add_view_no_menu(RevealView)
    appbuilder.add_view_no_menu(PreferenceView)
    appbuilder.add_view_no_menu(CaptchaView)
    appbuilder.add_view_no_menu(RegistrationView)
    appbuilder.add_view_no_menu(IdentityView)
    appbuilder.add_view_no_menu(CitizenHomeView)
    appbuilder.add_view_no_menu(CatalogView)
    appbuilder.add_view_no_menu(RegionPickerView)
    appbuilder.add_view_no_menu(WizardView)
    appbuilder.add_view_no_menu(WizardMaterialsView)
    appbuilder.add_view_no_menu(WizardConfirmView)
    appbuilder.add_view_no_menu(MyApplicationsView)
    appbuilder.add_api(CatalogApi)
    appbuilder.add_api(ApplicationApi)
    appbuilder.add_api(ReviewApi)
    appbuilder.add_api(MeApi)
    appbuilder.add_api(FormdefApi)
    # The public OpenAPI document (FAB's own is turned off in config.py) and FAB's Swagger UI.
    appbuilder.add_api(OpenApi)
    if current_app.config.get("FAB_API_SWAGGER_UI"):
        appbuilder.add_view_no_menu(SwaggerView)
    if current_app.config.get("DEV_PAGES"):
        appbuilder.add_view_no_menu(DevView)
