"""The embedded registry: persons and enrollments in banshi's own tables."""
from __future__ import annotations

from sqlalchemy import select
from sqlalchemy.orm import joinedload

from app.extensions import db
from app.models.person import Enrollment, Person
from app.registry.base import EnrollmentRecord, PersonRecord, PersonRegistry
from app.validators import ValidationError, canonical_id_number


def enrollment_record(row: Enrollment) -> EnrollmentRecord:
    """Return the registry record of an enrollment row."""
    return EnrollmentRecord(
        insutype=row.insutype, status=row.status, region_code=row.region_code,
        start_date=row.start_date, psn_type=row.psn_type,
        first_insured_month=row.first_insured_month, account_month=row.account_month,
        end_date=row.end_date, employer_name=row.employer_name, employer_code=row.employer_code,
    )


def person_record(row: Person) -> PersonRecord:
    """Return the registry record of a person row with its enrollments."""
    return PersonRecord(
        id_number=row.id_number, name=row.name, sex=row.sex, birth_date=row.birth_date,
        region_code=row.region_code, cert_type=row.cert_type, naty=row.naty, mobile=row.mobile,
        hukou_region_code=row.hukou_region_code, address=row.address,
        enrollments=tuple(enrollment_record(e) for e in row.enrollments),
    )


class LocalPersonRegistry(PersonRegistry):
    """Read persons from the ``person`` and ``enrollment`` tables (the embedded default)."""

    def find(self, id_number: str) -> PersonRecord | None:
        try:
            canonical = canonical_id_number(id_number)
        except ValidationError:
            return None
        row = db.session.scalars(  # one query: a submission reads this on every request
            select(Person).options(joinedload(Person.enrollments))
            .where(Person.id_number == canonical)).unique().first()
        return person_record(row) if row is not None else None
