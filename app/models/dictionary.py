"""Code tables (字典): national entries plus local extensions scoped to a region subtree."""
from collections import defaultdict
from collections.abc import Callable, Iterable, Sequence
from typing import Any, Optional

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
        # FAB shows related tables (the entry form's select, lists) through this: in the current
        # locale, as regions are.
        from app.models.region import region_label, with_code

        return with_code(region_label(self.name_zh, self.name_en), self.code)


class DictionaryEntry(Model):
    """One code; ``region_code`` None is national, otherwise valid in that region's subtree.

    A ``reserved`` national code is a slot the national table keeps for local use (psn_type's
    xx60 "地方扩展"): it is not in effect anywhere until a region gives it a name of its own (a
    local entry with the same code), and then only in that region's subtree, under that name.
    """

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
    reserved: Mapped[bool] = mapped_column(Boolean, default=False, server_default=false())

    dictionary: Mapped[Dictionary] = relationship(back_populates="entries")
    region: Mapped[Optional["Region"]] = relationship()  # noqa: F821

    def __repr__(self) -> str:
        return f"{self.code} {self.name_zh}"


def entries_in_effect(code: str, chain: Sequence[str] = ()) -> Optional[tuple]:
    """Return the active entries of dictionary ``code`` as DictEntry tuples, or None if unknown.

    National entries plus the local ones of the regions in ``chain`` (a region and its
    ancestors: a local code applies to its region's subtree), in table order
    (:func:`sibling_key`). A reserved national code is left out: offered (and accepted) only
    where a region of ``chain`` names it, as that region's local entry. Cached per process
    until a code table changes (app.reference_cache).
    """
    from app.reference_cache import cached

    chain = tuple(chain)
    return cached("dictionary", (code, chain), lambda: _load_entries(code, chain))


def sibling_key(row) -> tuple:
    """Order codes under one parent: national ones first, in the table's order, then the local
    ones of each region from the top down, by their ``sort`` then code.

    The bundled file numbers national codes through the whole table (``sort`` is the file's
    order), so a local code's ``sort`` orders it among the local codes only: left at 0, it
    follows its national siblings instead of coming first.
    """
    depth = 0 if row.region_code is None else len((row.path or "").strip("/").split("/"))
    return depth, row.sort or 0, row.code


def tree_order(rows: Iterable[Any], key: Callable[[Any], Any] = sibling_key) -> list:
    """Return rows with ``code`` and ``parent_code`` depth first, each below its parent and
    siblings by ``key``; a row whose parent is not among them is a top-level one."""
    rows = sorted(rows, key=key)
    codes = {row.code for row in rows}
    children = defaultdict(list)
    for row in rows:
        parent = row.parent_code
        children[parent if parent in codes and parent != row.code else None].append(row)
    ordered, placed = [], set()

    def place(row):
        if id(row) in placed:
            return
        placed.add(id(row))
        ordered.append(row)
        for child in children.get(row.code, ()):
            place(child)

    for row in children[None] + rows:  # the rest: rows whose parents form a loop
        place(row)
    return ordered


def _load_entries(code: str, chain: tuple) -> Optional[tuple]:
    from app.engine.fields.base import DictEntry
    from app.extensions import db
    from app.models.region import Region

    dictionary_id = db.session.scalar(select(Dictionary.id).where(Dictionary.code == code))
    if dictionary_id is None:
        return None
    local = DictionaryEntry.region_code.in_(chain) if chain else false()
    rows = db.session.execute(
        select(DictionaryEntry.code, DictionaryEntry.name_zh, DictionaryEntry.name_en,
               DictionaryEntry.parent_code, DictionaryEntry.region_code, DictionaryEntry.sort,
               Region.path)
        .outerjoin(Region, Region.code == DictionaryEntry.region_code)
        .where(DictionaryEntry.dictionary_id == dictionary_id, DictionaryEntry.active.is_not(False),
               DictionaryEntry.reserved.is_not(True),
               or_(DictionaryEntry.region_code.is_(None), local)))
    return tuple(DictEntry(str(row.code), {"zh": row.name_zh, "en": row.name_en},
                           row.parent_code, row.region_code) for row in tree_order(rows))
