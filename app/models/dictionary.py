"""Code tables (字典): national entries plus local extensions scoped to a region subtree."""
from typing import Optional

from flask_appbuilder import Model
from sqlalchemy import Boolean, ForeignKey, Index, Integer, String, UniqueConstraint
from sqlalchemy.orm import Mapped, mapped_column, relationship
from app.models.base import Scope


class Dictionary(Model):
    """A code table such as 人员证件类型 (psn_cert_type)."""

    __tablename__ = "dictionary"
    __scope__ = Scope(staff_readable=True)

    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    code: Mapped[str] = mapped_column(String(40), unique=True)
    name_zh: Mapped[str] = mapped_column(String(100))
    name_en: Mapped[str] = mapped_column(String(200))
    source: Mapped[Optional[str]] = mapped_column(String(300))

    entries: Mapped[list["DictionaryEntry"]] = relationship(
        back_populates="dictionary", order_by="DictionaryEntry.sort"
    )

    def __repr__(self) -> str:
        return f"{self.name_zh}（{self.code}）"


class DictionaryEntry(Model):
    """One code; ``region_code`` None is national, otherwise valid in that region's subtree."""

    __tablename__ = "dictionary_entry"
    __table_args__ = (
        UniqueConstraint("dictionary_id", "code", "region_code", name="uq_dictionary_entry_code"),
        Index("ix_dictionary_entry_dictionary_region", "dictionary_id", "region_code"),
    )
    __scope__ = Scope(region="region_code", shared_when_null=True)

    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    dictionary_id: Mapped[int] = mapped_column(ForeignKey("dictionary.id", ondelete="CASCADE"))
    code: Mapped[str] = mapped_column(String(40))
    name_zh: Mapped[str] = mapped_column(String(200))
    name_en: Mapped[str] = mapped_column(String(300))
    parent_code: Mapped[Optional[str]] = mapped_column(String(40))
    region_code: Mapped[Optional[str]] = mapped_column(ForeignKey("region.code"))
    sort: Mapped[int] = mapped_column(Integer, default=0)
    active: Mapped[bool] = mapped_column(Boolean, default=True)

    dictionary: Mapped[Dictionary] = relationship(back_populates="entries")
    region: Mapped[Optional["Region"]] = relationship()  # noqa: F821

    def __repr__(self) -> str:
        return f"{self.code} {self.name_zh}"
