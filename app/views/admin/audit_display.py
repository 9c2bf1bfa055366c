"""How the audit log shows a history event: action labels, who, what, where, details masked.

The labels of application events are the reviewers' 办理记录 labels
(``app.views.review.timeline.ACTIONS``); the events nobody sees in a timeline (accounts,
definitions, the calendar, retention) are labelled here. Details are shown key by key with
every ID-card-like, mobile or account-like number masked (``app.commands.notifications.redact``):
reading the audit log is not a reveal of personal data.
"""
from __future__ import annotations

from typing import Any, Iterable

from flask import current_app, g, url_for
from flask_babel import lazy_gettext as _l
from markupsafe import Markup
from sqlalchemy import select

from app.commands.notifications import redact
from app.extensions import db
from app.models.application import Application
from app.models.audit import AuditEvent
from app.models.item import Item
from app.models.region import Region
from app.models.user import BanshiUser
from app.views.admin.audit_values import label, value_text
from app.views.review.timeline import ACTIONS as TIMELINE_ACTIONS
from app.views.review import STATUS_LABELS, local_time

#: Events that appear in no timeline; application events take the timeline's labels first.
OTHER_ACTIONS = {
    "application.file_viewed": _l("Material file viewed"),
    "application.files_shown": _l("Material files previewed on the review page"),
    "application.filer_set": _l("Applicant or agent set"),
    "application.deleted": _l("Draft deleted"),
    "application.anonymised": _l("Anonymised after the retention period"),
    "identity.verify": _l("Identity verified"),
    "identity.refused": _l("Identity verification refused"),
    "account.register": _l("Account registered"),
    "account.create": _l("Account created"),
    "account.update": _l("Account changed"),
    "account.password_reset": _l("Password reset by SMS code"),
    "account.password_set": _l("Password set by an administrator"),
    "account.password_changed": _l("Password changed by its owner"),
    "account.placeholder": _l("Account created at the window"),
    "window.lookup": _l("Identity looked up at the window"),
    "agent.refusals_limited": _l("Agent stopped: too many answers refused by the registry"),
    "agent.subjects_limited": _l("Agent stopped: applied for too many different people"),
    "account.claimed": _l("Window applications taken over by the account"),
    "account.closed": _l("Account closed by its owner (注销)"),
    "account.anonymised": _l("Account anonymised after years without sign-in"),
    "definition.create": _l("Definition created"),
    "definition.save": _l("Definition draft saved"),
    "definition.publish": _l("Definition published"),
    "definition.retire": _l("Definition retired"),
    "definition.retire_scheduled": _l("Definition to go out of service on a later day"),
    "definition.retire_cancelled": _l("Definition's scheduled end cancelled"),
    "definition.discard": _l("Definition draft discarded"),
    "definition.delete": _l("Definition deleted (never published)"),
    "calendar.day_add": _l("Calendar day added"),
    "calendar.day_update": _l("Calendar day changed"),
    "calendar.day_delete": _l("Calendar day deleted"),
    "calendar.set_year": _l("Calendar year loaded"),
    "calendar.mark_official": _l("Calendar year marked official"),
    "person.show": _l("Insured person viewed"),
    "queue.exported": _l("Review queue downloaded as CSV"),
    "dictionary.entry_add": _l("Local code added"),
    "dictionary.entry_update": _l("Local code changed"),
    "dictionary.entry_delete": _l("Local code deleted"),
    "region.add": _l("Medical insurance region node added"),
    "region.update": _l("Medical insurance region node changed"),
    "retention.purge": _l("Retention purge"),
    # Groups and roles grant permissions (app.views.admin.security_audit).
    "group.create": _l("Group created"), "group.update": _l("Group changed"),
    "group.delete": _l("Group deleted"), "role.create": _l("Role created"),
    "role.update": _l("Role changed"), "role.delete": _l("Role deleted"),
}
OBJECT_TYPES = {
    "application": _l("Application"), "user": _l("Account"), "item": _l("Service item"),
    "person": _l("Insured person"), "calendar_day": _l("Calendar day"),
    "calendar_year": _l("Calendar year"), "retention": _l("Retention"),
    "dictionary_entry": _l("Local code"), "region": _l("Region"), "group": _l("Group"),
    "role": _l("Role"), "queue": _l("Review queue"),
}


#: The log is no timeline: a refusal reads as the status in general (不予办理), not as the
#: acceptance's 不予受理 the timeline may say where it knows the step.
LOG_ACTIONS = {"application.refuse": STATUS_LABELS["refused"]}


def action_labels() -> dict[str, Any]:
    """Return {action: label}; the timeline's labels win where both name an action, the
    log's own (:data:`LOG_ACTIONS`) over both."""
    return {**OTHER_ACTIONS, **TIMELINE_ACTIONS, **LOG_ACTIONS}


def action_label(action: Any) -> str:
    return str(action_labels().get(action, action or ""))


def action_choices() -> list[tuple[str, str]]:
    """Return the actions a filter offers, by label in the page's language."""
    return sorted(((code, str(label)) for code, label in action_labels().items()),
                  key=lambda choice: choice[1])


def _visible_applications(ids: set[int]) -> set[int]:
    """Return which of ``ids`` the user may open on the reviewers' page."""
    from app.workflow import visible_condition

    if not ids or not current_app.appbuilder.sm.has_access("can_read", "ReviewDesk"):
        return set()
    return set(db.session.scalars(select(Application.id).where(
        Application.id.in_(sorted(ids)), visible_condition(g.user))))


def _application_id(event: AuditEvent) -> int | None:
    if event.object_type != "application" or not (event.object_id or "").isdigit():
        return None
    return int(event.object_id)


def describe(events: Iterable[AuditEvent]) -> dict[int, dict[str, Any]]:
    """Return, per event id, what the list and show pages print for who, what and where."""
    events = list(events)
    actors = {e.actor_id for e in events if e.actor_id is not None}
    names = dict(db.session.execute(select(BanshiUser.id, BanshiUser.username).where(
        BanshiUser.id.in_(sorted(actors)))).all()) if actors else {}
    codes = {e.region_code for e in events if e.region_code}
    regions = {r.code: r for r in db.session.scalars(
        select(Region).where(Region.code.in_(sorted(codes))))} if codes else {}
    linked = _visible_applications({i for e in events if (i := _application_id(e)) is not None})
    items = _item_names(events)
    serials = _serials(events)
    shown = {}
    for event in events:
        # Citizens sign in with their mobile number: an account name is masked like one.
        actor = redact(names.get(event.actor_id, "")) if event.actor_id is not None \
            else str(_l("System"))
        region = regions.get(event.region_code)
        shown[event.id] = {
            "actor_id": actor,
            "region_code": repr(region) if region is not None else (event.region_code or ""),
            "object_id": object_text(event, _application_id(event) in linked,
                                     items.get(event.id), serials.get(_application_id(event))),
        }
    return shown


def _item_names(events: list[AuditEvent]) -> dict[int, str]:
    """Return, per event about a service item, "code name" (one query for the page); an item
    deleted since is named by the code its event recorded."""
    ids = {int(e.object_id) for e in events
           if e.object_type == "item" and (e.object_id or "").isdigit()}
    rows = {row.id: f"{row.code} {row.name_zh}" for row in db.session.execute(
        select(Item.id, Item.code, Item.name_zh).where(Item.id.in_(sorted(ids))))} if ids else {}
    names = {}
    for event in events:
        if event.object_type == "item" and (event.object_id or "").isdigit():
            recorded = (event.detail or {}).get("code") if isinstance(event.detail, dict) else None
            name = rows.get(int(event.object_id)) or recorded
            if name:
                names[event.id] = str(name)
    return names


def _serials(events: list[AuditEvent]) -> dict[int, str]:
    """Return the serial numbers of the applications the events are about (one query)."""
    ids = {i for e in events if (i := _application_id(e)) is not None}
    return dict(db.session.execute(select(Application.id, Application.serial).where(
        Application.id.in_(sorted(ids)), Application.serial.is_not(None))).all()) if ids else {}


def object_text(event: AuditEvent, link: bool, name: str | None = None,
                serial: str | None = None) -> Markup:
    """Name an event's object ("申请 130203-20261125-00058", a draft without a serial "申请 #12",
    "服务事项 #27 HB-1 生育津贴"), linked to the reviewers' page when ``link``."""
    kind = OBJECT_TYPES.get(event.object_type, event.object_type)
    text = Markup("{} {}").format(kind, serial) if serial else \
        Markup("{} #{}").format(kind, event.object_id) if event.object_id else \
        Markup("{}").format(kind)
    if name:
        text = Markup("{} {}").format(text, name)
    if link:
        href = url_for("ReviewDetailView.show", pk=int(event.object_id))
        return Markup('<a href="{}">{}</a>').format(href, text)
    return text


def detail_table(detail: Any) -> Markup:
    """Render an event's detail as a table of labels and values in words (audit_values), every
    identifier-like number masked."""
    if not detail:
        return Markup("{}").format(_l("No details"))
    if not isinstance(detail, dict):
        detail = {"": detail}
    shown = sorted(((label(key), value_text(key, value)) for key, value in detail.items()),
                   key=lambda pair: pair[0])
    rows = Markup("").join(
        Markup("<tr><th>{}</th><td>{}</td></tr>").format(redact(name), redact(text))
        for name, text in shown)
    # One line: the show page renders values with ``white-space: pre-line``.
    return Markup('<table class="table table-condensed audit-detail"><tbody>{}</tbody></table>'
                  ).format(rows)


def when(moment: Any) -> str:
    """Return the event's time in Beijing time, to the second."""
    return local_time(moment, "%Y-%m-%d %H:%M:%S")
