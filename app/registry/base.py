"""What banshi needs from a person registry, and how a person becomes the CEL ``person`` variable.

A province that keeps insured persons in its own platform implements :class:`PersonRegistry`
(``find`` only) and names the class in ``PERSON_REGISTRY_BACKEND``; everything else in banshi
works on the frozen records below, never on a backend's own objects.
"""
from __future__ import annotations

import datetime as dt
from abc import ABC, abstractmethod
from dataclasses import dataclass
from typing import Any, Optional

from app.clock import today as clock_today
from app.engine.cel import to_cel
from app.engine.cel_functions import whole_years
from app.engine.fields.person import ENROLLMENT_KINDS

ACTIVE = "1"  # psn_insu_stas 正常参保

#: Kinds of the ``person`` keys (CONTRACT.md §3) for :func:`app.engine.cel.to_cel`; ``age`` and
#: ``active_enrollments`` stay ints, ``enrollments`` is converted with :data:`ENROLLMENT_KINDS`.
PERSON_KINDS = {"name": "text", "sex": "text", "birth_date": "date", "region": "text",
                "cert_type": "text", "id_number": "text", "mobile": "text",
                "employer_name": "text", "employer_code": "text"}


@dataclass(frozen=True)
class EnrollmentRecord:
    """One enrollment (参保信息) as the registry reports it; codes are 医保 dictionary codes."""

    insutype: str  # 险种类型 (insutype)
    status: str  # 参保状态 (psn_insu_stas): 1 正常参保, 2 暂停参保, 4 终止参保
    region_code: str  # 参保区划: 6-digit admdvs or an 11-digit 医保 node
    start_date: dt.date  # 个人参保日期
    psn_type: Optional[str] = None  # 参保身份 (psn_type)
    first_insured_month: Optional[str] = None  # 首次参保年月, YYYY-MM
    account_month: Optional[str] = None  # 建立账户年月, YYYY-MM
    end_date: Optional[dt.date] = None  # the last day covered, for an ended enrollment
    employer_name: Optional[str] = None
    employer_code: Optional[str] = None

    @property
    def active(self) -> bool:
        return self.status == ACTIVE


@dataclass(frozen=True)
class PersonRecord:
    """An insured person with every enrollment the registry knows, oldest first."""

    id_number: str  # canonical 18 characters
    name: str
    sex: str  # gend: '1' male, '2' female
    birth_date: dt.date
    region_code: str  # 参保地
    cert_type: str = "01"  # psn_cert_type
    naty: Optional[str] = None
    mobile: Optional[str] = None
    hukou_region_code: Optional[str] = None
    address: Optional[str] = None
    enrollments: tuple[EnrollmentRecord, ...] = ()

    @property
    def active_enrollments(self) -> tuple[EnrollmentRecord, ...]:
        return tuple(e for e in self.enrollments if e.active)


class RegistryUnavailableError(Exception):
    """The person registry could not answer (timeout, connection refused, a reply it cannot
    read): the request is answered 503 "try again later" (app.errors), never taken as "not
    found". A backend may raise it itself; any other failure of its ``find`` is turned into
    it (app.registry.get_person_registry)."""


class PersonRegistry(ABC):
    """Where banshi looks up insured persons; one instance serves the whole app (thread-safe)."""

    @abstractmethod
    def find(self, id_number: str) -> PersonRecord | None:
        """Return the person with this ID number (any accepted spelling), or None.

        Not scoped: the caller decides whom the acting user may look up. A registry that
        cannot answer raises (:class:`RegistryUnavailableError` or its client's own error);
        None means only "not in the registry".
        """


def person_variables(record: PersonRecord, today: dt.date | None = None) -> dict[str, Any]:
    """Return the CEL value of ``person``: CONTRACT.md §3 keys, the registry's ``mobile``, the
    employer of the first active enrollment that has one (``employer_name``, ``employer_code``:
    null without), plus the enrollments.

    ``birth_date`` and each enrollment's ``start_date`` and ``end_date`` are timestamps at
    midnight Asia/Shanghai (compare with ``today``, use ``days_between``…); ``age`` is whole
    years at ``today``; ``enrollments`` is a list of maps (insutype, status, region, start_date,
    and psn_type, first_insured_month, account_month, employer_name, employer_code, end_date:
    null when unknown — ``end_date`` is the last day an ended enrollment covered, null while it
    runs; :data:`~app.engine.fields.person.ENROLLMENT_KINDS`); ``active_enrollments`` counts
    those with status "1"::

        person.enrollments.exists(e, e.status == "1" && e.insutype == "390"
                                     && !in_region(e.region, region))     // 一人一保
    """
    today = today or clock_today()
    employed = next((e for e in record.active_enrollments if e.employer_name), None)
    enrollments = [
        {"insutype": e.insutype, "status": e.status, "region": e.region_code,
         "start_date": e.start_date, "psn_type": e.psn_type,
         "first_insured_month": e.first_insured_month, "account_month": e.account_month,
         "employer_name": e.employer_name, "employer_code": e.employer_code,
         "end_date": e.end_date}
        for e in record.enrollments
    ]
    values = {
        "name": record.name, "sex": record.sex, "birth_date": record.birth_date,
        "age": whole_years(record.birth_date, today), "region": record.region_code,
        "cert_type": record.cert_type, "id_number": record.id_number, "mobile": record.mobile,
        "employer_name": employed.employer_name if employed else None,
        "employer_code": employed.employer_code if employed else None,
        "enrollments": to_cel(enrollments, "list", ENROLLMENT_KINDS) or [],
        "active_enrollments": len(record.active_enrollments),
    }
    return to_cel(values, "map", PERSON_KINDS)
