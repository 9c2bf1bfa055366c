"""Items (事项), their published versions, and an index of each version's parts.

The design decision: **the authoritative store of a definition is one validated JSON document**
— ``Item.draft`` while it is being edited, ``ItemVersion.definition`` once published — not
rows per page, field, option, material and step. Reasons:

- a definition is a tree (pages → fields → repeat children → rules/options) carrying CEL text,
  and variants merge onto their parent *by key*; as one document it is loaded, linted, merged,
  diffed, exported (``export(load(f)) == canonical(f)``) and snapshotted without a lossy
  object-relational round trip;
- a published version must be frozen exactly as lint saw it (SECURITY_TESTS E6): one immutable
  JSON value per version is that, trivially; rows would have to be copied per version anyway;
- FAB CRUD forms write JSON columns as strings (FAB_NOTES), so every write goes through
  :class:`app.commands.formdefs.SaveDraftCommand`, which validates with the marshmallow schema
  and refuses a stale revision (E2: optimistic locking on ``Item.revision``).

The relational part is kept where the database must answer questions: ``item`` and
``item_version`` rows (code, owner region, derivation, status, numbers, dates), and the tables
``item_page``, ``item_field``, ``item_option``, ``item_material`` and ``item_step``: a *derived
index* of each published version, written once in the publishing transaction and never edited
("which items use code table X", "which steps does a city-level Reviewer handle"). They can
always be rebuilt from ``item_version.definition``.
"""
from __future__ import annotations

from datetime import date, datetime
from typing import Any, Optional

from flask_appbuilder import Model
from sqlalchemy import (JSON, Boolean, Date, Float, ForeignKey, Index, Integer, String, Text,
                        UniqueConstraint)
from sqlalchemy.orm import Mapped, mapped_column, relationship

from app.models.base import NEVER_REUSED, Scope, UtcDateTime, app_now

STATUSES = ("draft", "published", "retired")


class Item(Model):
    """An item owned by a region; ``draft`` is its current (normalised) definition."""

    __tablename__ = "item"
    __table_args__ = (
        UniqueConstraint("code", "region_code", name="uq_item_code_region"),
        Index("ix_item_region_status", "region_code", "status"),
        Index("ix_item_derives_item_id", "derives_item_id"),
        NEVER_REUSED,
    )
    __scope__ = Scope(region="region_code")

    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    code: Mapped[str] = mapped_column(String(60))
    region_code: Mapped[str] = mapped_column(String(12), ForeignKey("region.code"))
    derives_item_id: Mapped[Optional[int]] = mapped_column(ForeignKey("item.id"))
    status: Mapped[str] = mapped_column(String(12), default="draft")
    # The first day a published item is out of service (停止办理 scheduled; None: not
    # scheduled). ``status`` becomes "retired" only when an administrator retires it at once:
    # a scheduled end is read against the day (:meth:`in_service`), no job has to run.
    retires_on: Mapped[Optional[date]] = mapped_column(Date)
    name_zh: Mapped[str] = mapped_column(String(200))
    draft: Mapped[dict[str, Any]] = mapped_column(JSON)
    # The YAML the draft was saved from, so publishing reports the same lines as `formdefs lint`.
    draft_text: Mapped[Optional[str]] = mapped_column(Text)
    revision: Mapped[int] = mapped_column(Integer, default=1)
    created_at: Mapped[datetime] = mapped_column(UtcDateTime(), default=app_now)
    created_by_id: Mapped[Optional[int]] = mapped_column(ForeignKey("ab_user.id"))
    changed_at: Mapped[datetime] = mapped_column(UtcDateTime(), default=app_now)
    changed_by_id: Mapped[Optional[int]] = mapped_column(ForeignKey("ab_user.id"))

    derives: Mapped[Optional["Item"]] = relationship(remote_side=[id])
    region: Mapped["Region"] = relationship()  # noqa: F821
    versions: Mapped[list["ItemVersion"]] = relationship(
        back_populates="item", order_by="ItemVersion.number")

    @property
    def latest_version(self) -> Optional["ItemVersion"]:
        return self.versions[-1] if self.versions else None

    def in_service(self, on: date) -> bool:
        """Return whether the item may be in service on day ``on``: not retired, and not on or
        after a scheduled end (``retires_on``)."""
        return self.status != "retired" and (self.retires_on is None or on < self.retires_on)

    def __repr__(self) -> str:
        return f"{self.name_zh}（{self.code}@{self.region_code}）"


class ItemVersion(Model):
    """A published, immutable snapshot: ``definition`` is the effective (merged) definition."""

    __tablename__ = "item_version"
    __table_args__ = (UniqueConstraint("item_id", "number", name="uq_item_version_number"),)
    __scope__ = Scope(region="region_code")

    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    item_id: Mapped[int] = mapped_column(ForeignKey("item.id"))
    number: Mapped[int] = mapped_column(Integer)
    region_code: Mapped[str] = mapped_column(String(12))  # the item's, for scoping
    definition: Mapped[dict[str, Any]] = mapped_column(JSON)
    # What the administrator wrote (for a variant: only its overrides), as published.
    source: Mapped[dict[str, Any]] = mapped_column(JSON)
    derives_version_id: Mapped[Optional[int]] = mapped_column(ForeignKey("item_version.id"))
    effective_from: Mapped[Optional[date]] = mapped_column(Date)
    lint_hash: Mapped[str] = mapped_column(String(64))
    published_at: Mapped[datetime] = mapped_column(UtcDateTime(), default=app_now)
    published_by_id: Mapped[Optional[int]] = mapped_column(ForeignKey("ab_user.id"))

    item: Mapped[Item] = relationship(back_populates="versions")
    derives_version: Mapped[Optional["ItemVersion"]] = relationship(remote_side=[id])

    def __repr__(self) -> str:
        return f"{self.item_id} v{self.number}"


# --- the derived index of a published version ------------------------------------------------

class ItemPage(Model):
    __tablename__ = "item_page"
    __table_args__ = (UniqueConstraint("version_id", "key", name="uq_item_page_key"),)

    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    version_id: Mapped[int] = mapped_column(ForeignKey("item_version.id", ondelete="CASCADE"))
    key: Mapped[str] = mapped_column(String(60))
    position: Mapped[int] = mapped_column(Integer)
    title_zh: Mapped[str] = mapped_column(String(200))


class ItemField(Model):
    __tablename__ = "item_field"
    __table_args__ = (
        Index("ix_item_field_version", "version_id"),
        Index("ix_item_field_dictionary", "dictionary_code"),
    )

    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    version_id: Mapped[int] = mapped_column(ForeignKey("item_version.id", ondelete="CASCADE"))
    page_id: Mapped[int] = mapped_column(ForeignKey("item_page.id", ondelete="CASCADE"))
    parent_field_id: Mapped[Optional[int]] = mapped_column(
        ForeignKey("item_field.id", ondelete="CASCADE"))  # a repeating group's child
    key: Mapped[str] = mapped_column(String(60))
    type: Mapped[str] = mapped_column(String(30))
    position: Mapped[int] = mapped_column(Integer)
    label_zh: Mapped[str] = mapped_column(String(500))
    required: Mapped[bool] = mapped_column(Boolean, default=False)
    conditional: Mapped[bool] = mapped_column(Boolean, default=False)  # has visible_when
    dictionary_code: Mapped[Optional[str]] = mapped_column(String(40))
    locked: Mapped[bool] = mapped_column(Boolean, default=False)

    page: Mapped[ItemPage] = relationship()
    parent: Mapped[Optional["ItemField"]] = relationship(remote_side=[id])


class ItemOption(Model):
    __tablename__ = "item_option"

    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    field_id: Mapped[int] = mapped_column(ForeignKey("item_field.id", ondelete="CASCADE"),
                                          index=True)
    value: Mapped[str] = mapped_column(String(100))
    position: Mapped[int] = mapped_column(Integer)
    label_zh: Mapped[str] = mapped_column(String(200))

    field: Mapped[ItemField] = relationship()


class ItemMaterial(Model):
    __tablename__ = "item_material"
    __table_args__ = (UniqueConstraint("version_id", "key", name="uq_item_material_key"),)

    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    version_id: Mapped[int] = mapped_column(ForeignKey("item_version.id", ondelete="CASCADE"))
    key: Mapped[str] = mapped_column(String(60))
    position: Mapped[int] = mapped_column(Integer)
    label_zh: Mapped[str] = mapped_column(String(300))
    required: Mapped[bool] = mapped_column(Boolean, default=False)
    accept: Mapped[Optional[str]] = mapped_column(String(100))  # "jpg,pdf"
    max_size_mb: Mapped[Optional[float]] = mapped_column(Float)
    max_files: Mapped[Optional[int]] = mapped_column(Integer)
    pledge: Mapped[bool] = mapped_column(Boolean, default=False)


class ItemStep(Model):
    __tablename__ = "item_step"
    __table_args__ = (
        UniqueConstraint("version_id", "key", name="uq_item_step_key"),
        Index("ix_item_step_role_level", "role", "level"),
    )

    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    version_id: Mapped[int] = mapped_column(ForeignKey("item_version.id", ondelete="CASCADE"))
    key: Mapped[str] = mapped_column(String(60))
    position: Mapped[int] = mapped_column(Integer)
    name_zh: Mapped[str] = mapped_column(String(200))
    role: Mapped[Optional[str]] = mapped_column(String(20))
    level: Mapped[Optional[str]] = mapped_column(String(12))
    time_limit_days: Mapped[Optional[int]] = mapped_column(Integer)
    approvers: Mapped[int] = mapped_column(Integer, default=1)
    automatic: Mapped[bool] = mapped_column(Boolean, default=False)
    conditional: Mapped[bool] = mapped_column(Boolean, default=False)  # has when
