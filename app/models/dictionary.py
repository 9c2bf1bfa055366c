"""Code tables (字典): national entries plus local extensions scoped to a region subtree."""
from collections.abc import Sequence
from typing import Optional

from flask_appbuilder import Model
from sqlalchemy import (Boolean, ForeignKey, Index, Integer, String, UniqueConstraint, false, or_,
                        select)
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


def entries_in_effect(code: str, chain: Sequence[str] = ()) -> Optional[tuple]:
    """Return the active entries of dictionary ``code`` as DictEntry tuples, or None if unknown.

    National entries plus the local ones of the regions in ``chain`` (a region and its
    ancestors: a local code applies to its region's subtree), by ``sort`` then code. Cached per
    process until a code table changes (app.reference_cache).
    """
    from app.reference_cache import cached

    chain = tuple(chain)
    return cached("dictionary", (code, chain), lambda: _load_entries(code, chain))


def _load_entries(code: str, chain: tuple) -> Optional[tuple]:
    from app.engine.fields.base import DictEntry
    from app.extensions import db

    dictionary_id = db.session.scalar(select(Dictionary.id).where(Dictionary.code == code))
    if dictionary_id is None:
        return None
    local = DictionaryEntry.region_code.in_(chain) if chain else false()
    rows = db.session.execute(
        select(DictionaryEntry.code, DictionaryEntry.name_zh, DictionaryEntry.name_en,
               DictionaryEntry.parent_code, DictionaryEntry.region_code)
        .where(DictionaryEntry.dictionary_id == dictionary_id, DictionaryEntry.active.is_not(False),
               or_(DictionaryEntry.region_code.is_(None), local))
        .order_by(DictionaryEntry.sort, DictionaryEntry.code))
    return tuple(DictEntry(str(entry_code), {"zh": zh, "en": en}, parent, region)
                 for entry_code, zh, en, parent, region in rows)
