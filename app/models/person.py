"""The embedded person registry: insured persons (参保人) and their enrollments (参保信息).

A province may point banshi at its own platform instead (``app.registry``); these tables are
what the embedded default reads and what ``flask persons import`` fills.
"""
from datetime import date, datetime
from typing import Optional

from flask_appbuilder import Model
from sqlalchemy import Date, ForeignKey, Index, Integer, String
from sqlalchemy.orm import Mapped, mapped_column, relationship

from app.models.base import Scope, UtcDateTime, app_now
from app.validators.masking import mask_id_number, mask_mobile, mask_name


class Person(Model):
    """An insured person, identified by the canonical 18-character ID number.

    ``region_code`` is the 参保地: staff see the persons of their region's subtree.
    """

    __tablename__ = "person"
    __table_args__ = (Index("ix_person_id_number", "id_number", unique=True),
                      Index("ix_person_region_code", "region_code"))
    __scope__ = Scope(region="region_code")

    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    id_number: Mapped[str] = mapped_column(String(18))
    cert_type: Mapped[str] = mapped_column(String(4), default="01")  # psn_cert_type
    name: Mapped[str] = mapped_column(String(64))
    sex: Mapped[str] = mapped_column(String(1))  # gend: '1' male, '2' female
    birth_date: Mapped[date] = mapped_column(Date)
    naty: Mapped[Optional[str]] = mapped_column(String(4))  # 民族
    mobile: Mapped[Optional[str]] = mapped_column(String(11))
    region_code: Mapped[str] = mapped_column(String(12), ForeignKey("region.code"))
    hukou_region_code: Mapped[Optional[str]] = mapped_column(String(12), ForeignKey("region.code"))
    address: Mapped[Optional[str]] = mapped_column(String(200))
    updated_at: Mapped[datetime] = mapped_column(UtcDateTime(), default=app_now, onupdate=app_now)

    region: Mapped["Region"] = relationship(foreign_keys=[region_code])  # noqa: F821
    hukou_region: Mapped[Optional["Region"]] = relationship(  # noqa: F821
        foreign_keys=[hukou_region_code])
    enrollments: Mapped[list["Enrollment"]] = relationship(
        back_populates="person", cascade="all, delete-orphan",
        order_by="(Enrollment.start_date, Enrollment.id)",
    )

    @property
    def masked_name(self) -> str:
        return mask_name(self.name)

    @property
    def masked_id_number(self) -> str:
        return mask_id_number(self.id_number)

    @property
    def masked_mobile(self) -> str:
        return mask_mobile(self.mobile)

    def __repr__(self) -> str:
        return f"{self.masked_name}（{self.masked_id_number}）"


class Enrollment(Model):
    """One enrollment of a person in one insurance type (险种) in one 参保区划."""

    __tablename__ = "enrollment"
    __table_args__ = (Index("ix_enrollment_person_status", "person_id", "status"),
                      Index("ix_enrollment_region_code", "region_code"))
    __scope__ = Scope(region="region_code")

    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    person_id: Mapped[int] = mapped_column(ForeignKey("person.id", ondelete="CASCADE"))
    insutype: Mapped[str] = mapped_column(String(10))  # 险种类型
    status: Mapped[str] = mapped_column(String(2))  # psn_insu_stas: 1 正常, 2 暂停, 4 终止
    psn_type: Mapped[Optional[str]] = mapped_column(String(10))  # 参保身份
    # 参保区划: a GB/T 2260 code or an 11-digit 医保 node below one (e.g. a school).
    region_code: Mapped[str] = mapped_column(String(12), ForeignKey("region.code"))
    employer_name: Mapped[Optional[str]] = mapped_column(String(200))
    employer_code: Mapped[Optional[str]] = mapped_column(String(40))
    start_date: Mapped[date] = mapped_column(Date)  # 个人参保日期
    first_insured_month: Mapped[Optional[str]] = mapped_column(String(7))  # 首次参保年月 YYYY-MM
    account_month: Mapped[Optional[str]] = mapped_column(String(7))  # 建立账户年月 YYYY-MM
    end_date: Mapped[Optional[date]] = mapped_column(Date)

    person: Mapped[Person] = relationship(back_populates="enrollments")
    region: Mapped["Region"] = relationship()  # noqa: F821

    @property
    def active(self) -> bool:
        return self.status == "1"

    def __repr__(self) -> str:
        return f"{self.insutype}/{self.status}@{self.region_code}"
