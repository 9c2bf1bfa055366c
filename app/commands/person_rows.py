"""Check one row of a persons CSV (see :mod:`app.commands.persons` for the columns)."""
import re
from collections import defaultdict

from flask_babel import lazy_gettext as _l
from sqlalchemy import select

from app.commands import DataFileError
from app.commands.regions import known_region_code
from app.engine.cel_functions import parse_date
from app.extensions import db
from app.models.dictionary import Dictionary, DictionaryEntry
from app.models.region import Region
from app.validators import (ValidationError, canonical_id_number, canonical_mobile,
                            id_number_facts, normalize_text)

CODE_TABLES = ("gend", "psn_cert_type", "naty", "insutype", "psn_insu_stas", "psn_type")
_SEX = {"male": "1", "female": "2"}
#: psn_insu_stas codes of an ended enrollment (4 终止参保): its end_date is required.
ENDED = frozenset({"4"})
_MONTH = re.compile(r"(19|20)\d\d-(0[1-9]|1[0-2])")


class Reference:
    """Region paths and the codes of the code tables, read once per import."""

    def __init__(self):
        self.paths = dict(db.session.execute(select(Region.code, Region.path)).all())
        self.codes = defaultdict(set)  # (table, code) → region codes where valid (None: national)
        for table, code, region in db.session.execute(
                select(Dictionary.code, DictionaryEntry.code, DictionaryEntry.region_code)
                .join(DictionaryEntry.dictionary)
                .where(Dictionary.code.in_(CODE_TABLES), DictionaryEntry.active.is_(True))):
            self.codes[(table, code)].add(region)

    def code_ok(self, table: str, code: str, region: str) -> bool:
        regions = self.codes.get((table, code), ())
        path = self.paths.get(region, "")
        return None in regions or any(
            r in self.paths and path.startswith(self.paths[r]) for r in regions)


class PersonRow:
    """One CSV row being checked; problems go to the shared list with the row's line."""

    def __init__(self, path, line, values, ref, problems):
        self.path, self.line, self.values = path, line, values
        self.ref, self.problems = ref, problems

    def bad(self, column, message):
        self.problems.append(DataFileError(self.path, self.line, f"{column}: {message}"))

    def text(self, column, max_length, required=False):
        try:
            value = normalize_text(self.values.get(column, ""), max_length=max_length)
        except ValidationError as error:
            return self.bad(column, error)
        if required and not value:
            return self.bad(column, _l("a value is required"))
        return value or None

    def date(self, column, required=False):
        value = self.values.get(column, "")
        if not value:
            return self.bad(column, _l("a value is required")) if required else None
        try:
            return parse_date(value)
        except ValueError:
            return self.bad(column, _l("%(value)r is not a date (YYYY-MM-DD)", value=value))

    def month(self, column):
        value = self.values.get(column, "")
        if value and not _MONTH.fullmatch(value):
            return self.bad(column, _l("%(value)r is not a month (YYYY-MM)", value=value))
        return value or None

    def code(self, column, table, region, default=None):
        value = self.values.get(column, "") or default
        if value and not self.ref.code_ok(table, value, region):
            return self.bad(column, _l("%(value)r is not a code of %(table)s",
                                       value=value, table=table))
        return value

    def region(self, column):
        value = self.values.get(column, "")
        if value not in self.ref.paths:
            return self.bad(column, _l("%(value)r is not a known region", value=value))
        return value

    def person(self):
        """Check the person columns; return them as Person fields (None if the ID is wrong)."""
        try:
            number = canonical_id_number(self.values["id_number"], region_known=known_region_code)
            birth, sex = id_number_facts(number)[:2]
            sex = _SEX[sex]
        except ValidationError as error:
            self.bad("id_number", error)
            number = birth = sex = None
        region = self.region("region")
        given_sex = self.code("sex", "gend", region, default=sex)
        if number and given_sex and given_sex != sex:
            self.bad("sex", _l("does not agree with the ID number"))
        given_birth = self.date("birth_date")
        if number and given_birth and given_birth != birth:
            self.bad("birth_date", _l("does not agree with the ID number"))
        mobile = self.values.get("mobile", "")
        if mobile:
            try:
                mobile = canonical_mobile(mobile)
            except ValidationError as error:
                self.bad("mobile", error)
        fields = {"id_number": number, "name": self.text("name", 64, required=True),
                  "sex": sex, "birth_date": birth,
                  "cert_type": self.code("cert_type", "psn_cert_type", region, default="01"),
                  "naty": self.code("naty", "naty", region), "mobile": mobile or None,
                  "region_code": region}
        return fields if number else None

    def enrollment(self, birth):
        region = self.region("enrollment_region")
        start, end = self.date("start_date", required=True), self.date("end_date")
        if start and birth and start < birth:
            self.bad("start_date", _l("is before the birth date"))
        if start and end and end < start:
            self.bad("end_date", _l("is before the start date"))
        status = self.values.get("status", "")
        if status in ENDED and not self.values.get("end_date", "").strip():
            # An ended enrollment without its last day cannot be certified for any period.
            self.bad("end_date", _l("a value is required when the status is %(status)s "
                                    "(insurance terminated)", status=status))
        insutype = self.values.get("insutype", "")
        for column, value in (("insutype", insutype), ("status", status)):
            if not value:
                self.bad(column, _l("a value is required"))
        return {"insutype": self.code("insutype", "insutype", region),
                "status": self.code("status", "psn_insu_stas", region),
                "psn_type": self.code("psn_type", "psn_type", region) or None,
                "region_code": region, "employer_name": self.text("employer_name", 200),
                "employer_code": self.text("employer_code", 40), "start_date": start,
                "first_insured_month": self.month("first_insured_month"),
                "account_month": self.month("account_month"), "end_date": end}
