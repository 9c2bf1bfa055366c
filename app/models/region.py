"""Administrative divisions (GB/T 2260) and 医保-specific nodes below them."""
from typing import Optional

from flask_appbuilder import Model
from sqlalchemy import ForeignKey, Index, Integer, String
from sqlalchemy.orm import Mapped, mapped_column, relationship
from app.models.base import Scope

LEVELS = ("province", "city", "county", "grassroots")


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

    @property
    def current(self) -> bool:
        return self.valid_to is None

    def __repr__(self) -> str:
        return f"{self.name}（{self.code}）"
