"""Administrative divisions (GB/T 2260) and 医保-specific nodes below them."""
from typing import Optional

from flask_appbuilder import Model
from sqlalchemy import ForeignKey, Index, Integer, String
from sqlalchemy.orm import Mapped, mapped_column, relationship
from app.models.base import Scope

LEVELS = ("province", "city", "county", "grassroots")


def english(locale=None) -> bool:
    """Tell whether ``locale`` (the current one when None) is English."""
    if locale is None:
        from flask_babel import get_locale

        locale = get_locale()
    return str(locale or "zh").lower().startswith("en")


def region_label(name: Optional[str], name_en: Optional[str], locale=None) -> str:
    """Return a region's name in ``locale`` (the current one when None): the English name in
    English when there is one, else the Chinese name."""
    return name_en if name_en and english(locale) else (name or "")


def with_code(name: str, code: str, locale=None) -> str:
    """Return a name with its code: 路北区（130203）, in English Lubei District (130203)."""
    return f"{name} ({code})" if english(locale) else f"{name}（{code}）"


class Region(Model):
    """One node of the region tree; ``path`` is the materialised path of codes.

    A subtree is ``path LIKE '<ancestor path>%'`` on an indexed column, never a walk in Python.
    """

    __tablename__ = "region"
    __table_args__ = (
        Index("ix_region_path", "path", postgresql_ops={"path": "varchar_pattern_ops"}),
        Index("ix_region_parent_code", "parent_code"),
    )
    __scope__ = Scope(region="code")

    code: Mapped[str] = mapped_column(String(12), primary_key=True)
    name: Mapped[str] = mapped_column(String(100))
    # English name (app/data/regions.csv, scripts/build_regions.py); None shows ``name``.
    name_en: Mapped[Optional[str]] = mapped_column(String(200))
    level: Mapped[str] = mapped_column(String(12))
    parent_code: Mapped[Optional[str]] = mapped_column(
        String(12), ForeignKey("region.code", ondelete="RESTRICT")
    )
    path: Mapped[str] = mapped_column(String(80))
    # "gb2260" for the bundled national data, "insurance" for nodes an administrator added.
    kind: Mapped[str] = mapped_column(String(12), default="gb2260")
    valid_from: Mapped[Optional[int]] = mapped_column(Integer)
    valid_to: Mapped[Optional[int]] = mapped_column(Integer)

    parent: Mapped[Optional["Region"]] = relationship(remote_side=[code])

    def name_for(self, locale=None) -> str:
        """Return the name in ``locale`` (the current one when None), Chinese as fallback."""
        return region_label(self.name, self.name_en, locale)

    @property
    def current(self) -> bool:
        return self.valid_to is None

    def __repr__(self) -> str:
        # FAB shows related regions (select fields, lists) through this: in the current locale.
        return with_code(self.name_for(), self.code)
