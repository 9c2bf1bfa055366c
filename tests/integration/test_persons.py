"""The person registry: CSV import, the registry interface, the CEL ``person``, the staff view."""
import dataclasses
import datetime as dt

import pytest
import sqlalchemy as sa

from app import ConfigurationError
from app.cli import DEMO_PERSONS
from app.commands.persons import HEADER, ImportPersonsCommand, PersonImportError
from app.engine.cel import Scope, compile_expression
from app.extensions import db
from app.models.audit import AuditEvent
from app.models.person import Enrollment, Person
from app.registry import (GuardedRegistry, PersonRecord, PersonRegistry, get_person_registry,
                          person_variables)
from app.registry.local import LocalPersonRegistry
from tests.support import login, make_user

ONE_PERSON_ONE_INSURANCE = ('person.enrollments.exists(e, e.status == "1" && e.insutype == "390"'
                            ' && !in_region(e.region, region))')
TODAY = dt.date(2026, 11, 23)
ZHANG_SAN, LI_SI, ZHAO_LEI = "11010519491231002X", "130203195803150312", "440106200409020173"
WANG_FANG, LIU_TING = "511702200506180247", "440106200304110287"
DEMO_IDS = (ZHANG_SAN, LI_SI, ZHAO_LEI, WANG_FANG, LIU_TING, "440305198807200350",
            "440106197511110429", "320102198201050135", "320102198409230266",
            "510104199002280512", "130203195008080159", "130202199205160643")
LI_SI_ROW = (f"{LI_SI},李四,1,1958-03-15,01,01,13903150188,130203,310,{{status}},1201,130203,,,"
             "2001-01-01,,")


def write_csv(tmp_path, *rows, name="persons.csv"):
    path = tmp_path / name
    path.write_text(",".join(HEADER) + "\n" + "".join(row + "\n" for row in rows),
                    encoding="utf-8")
    return path


def snapshot():
    """Every person and enrollment column, to show that nothing changed."""
    db.session.expire_all()
    persons = db.session.execute(sa.select(Person.__table__).order_by(Person.id)).all()
    enrollments = db.session.execute(
        sa.select(Enrollment.__table__).order_by(Enrollment.id)).all()
    return persons, enrollments


@pytest.fixture
def demo(ctx):
    return ImportPersonsCommand(DEMO_PERSONS).run()


def evaluate(source, id_number, region="130203", today=TODAY):
    record = get_person_registry().find(id_number)
    scope = Scope({"person": person_variables(record, today), "region": region}, today=today)
    return compile_expression(source).evaluate(scope)


# --- import ----------------------------------------------------------------------------------

def test_demo_import_then_reimport_changes_nothing(demo):
    assert (demo.added, demo.updated, demo.enrollments) == (12, 0, 19)
    assert set(db.session.scalars(sa.select(Person.id_number))) == set(DEMO_IDS)
    before = snapshot()
    again = ImportPersonsCommand(DEMO_PERSONS).run()
    assert (again.added, again.updated, again.unchanged) == (0, 0, 12)
    assert snapshot() == before


def test_cli_import_prints_counts(runner, ctx):
    result = runner.invoke(args=["persons", "import", str(DEMO_PERSONS)])
    assert result.exit_code == 0, result.output
    assert "12 added, 0 updated, 0 unchanged; 19 enrollments" in result.output


def test_reimport_replaces_only_that_persons_enrollments(demo, tmp_path):
    zhao_before = snapshot()[1]
    result = ImportPersonsCommand(write_csv(tmp_path, LI_SI_ROW.format(status="2"))).run()
    assert (result.added, result.updated) == (0, 1)
    li_si = db.session.scalar(sa.select(Person).where(Person.id_number == LI_SI))
    assert [(e.insutype, e.status) for e in li_si.enrollments] == [("310", "2")]
    others = [row for row in snapshot()[1] if row.person_id != li_si.id]
    assert others == [row for row in zhao_before if row.person_id != li_si.id]


def test_three_bad_rows_report_three_problems_and_change_nothing(demo, runner, tmp_path):
    before = snapshot()
    path = write_csv(
        tmp_path,
        LI_SI_ROW.format(status="2"),  # good, but must not be applied
        LI_SI_ROW.format(status="2").replace(LI_SI, LI_SI[:-1] + "5", 1),  # check digit
        f"440106201001010013,钱七,1,,01,,,440106,999,1,,440106,,,2020-01-01,,",  # insutype
        f"440106201001010013,钱七,1,,01,,,440106,390,1,,999999,,,2020-01-01,,",  # region
        "130203201501010013,孙八,1,,01,,,130203,390,1,,130203,,,2020-01-01,,",  # good
    )
    with pytest.raises(PersonImportError) as caught:
        ImportPersonsCommand(path).run()
    assert [(p.line, p.message.split(":")[0]) for p in caught.value.problems] == [
        (3, "id_number"), (4, "insutype"), (5, "enrollment_region")]
    result = runner.invoke(args=["persons", "import", str(path)])
    assert result.exit_code == 1
    lines = result.output.strip().splitlines()
    assert len(lines) == 3
    assert [line.split(": ")[0] for line in lines] == [f"{path}:{n}" for n in (3, 4, 5)]
    assert snapshot() == before


def test_sex_and_birth_date_must_agree_with_the_id_number(ctx, tmp_path):
    path = write_csv(
        tmp_path,
        f"{ZHANG_SAN},张三,1,,01,01,,130203,310,1,,130203,,,2001-01-01,,",
        f"{ZHANG_SAN},张三,,1949-12-30,01,01,,130203,310,1,,130203,,,2001-01-01,,",
    )
    with pytest.raises(PersonImportError) as caught:
        ImportPersonsCommand(path).run()
    problems = [str(p) for p in caught.value.problems]
    assert problems == [f"{path}:2: sex: does not agree with the ID number",
                        f"{path}:3: birth_date: does not agree with the ID number"]
    assert db.session.scalar(sa.select(sa.func.count()).select_from(Person)) == 0


def test_person_columns_must_agree_and_codes_exist(ctx, tmp_path):
    path = write_csv(
        tmp_path,
        f"{ZHANG_SAN},张三,,,01,01,,130203,310,1,,130203,,,2001-01-01,,",
        f"{ZHANG_SAN},张叁,,,01,01,,130203,390,1,,130203,,,2001-01-01,,",
        f"{WANG_FANG},王芳,2,,01,99,12345,511702,390,7,9999,51170099997,,,2004-01-01,2023-13,",
    )
    with pytest.raises(PersonImportError) as caught:
        ImportPersonsCommand(path).run()
    columns = [(p.line, p.message.split(":")[0]) for p in caught.value.problems]
    assert columns == [(3, "id_number"), (4, "mobile"), (4, "naty"), (4, "enrollment_region"),
                       (4, "start_date"), (4, "status"), (4, "psn_type"),
                       (4, "first_insured_month")]


def test_header_must_name_the_columns(ctx, tmp_path):
    path = tmp_path / "bad.csv"
    path.write_text("id_number,name\n", encoding="utf-8")
    with pytest.raises(PersonImportError) as caught:
        ImportPersonsCommand(path).run()
    assert str(caught.value).startswith(f"{path}:1: missing column sex\n")


# --- the registry ----------------------------------------------------------------------------

def test_registry_find_returns_the_person_with_enrollments(demo):
    registry = get_person_registry()
    # The configured backend, behind the guard that turns its failures into a 503.
    assert isinstance(registry, GuardedRegistry)
    assert isinstance(registry.backend, LocalPersonRegistry)
    record = registry.find(ZHAO_LEI)
    assert (record.name, record.sex, record.birth_date) == ("赵磊", "1", dt.date(2004, 9, 2))
    assert [(e.insutype, e.status, e.region_code) for e in record.enrollments] == [
        ("390", "1", "440106"), ("390", "1", "511702")]
    assert len(record.active_enrollments) == 2
    chen = registry.find("440305198807200350").enrollments[0]
    assert (chen.status, chen.end_date, chen.account_month) == ("4", dt.date(2023, 3, 31),
                                                               "2012-07")
    assert registry.find(ZHANG_SAN.lower()).name == "张三"
    assert registry.find("110105194912310011") is None  # well-formed, not registered
    assert registry.find("not a number") is None
    with pytest.raises(dataclasses.FrozenInstanceError):
        record.name = "x"


class StubRegistry(PersonRegistry):
    def find(self, id_number):
        return PersonRecord(id_number=id_number, name="测试", sex="1",
                            birth_date=dt.date(2000, 1, 1), region_code="130203")


def test_backend_is_chosen_by_configuration(app, ctx):
    saved = app.config["PERSON_REGISTRY_BACKEND"]
    app.extensions.pop("banshi_person_registry", None)
    app.config["PERSON_REGISTRY_BACKEND"] = f"{__name__}.StubRegistry"
    try:
        assert get_person_registry().find(ZHANG_SAN).name == "测试"
        app.extensions.pop("banshi_person_registry")
        app.config["PERSON_REGISTRY_BACKEND"] = "app.models.person.Person"
        with pytest.raises(ConfigurationError, match="PERSON_REGISTRY_BACKEND"):
            get_person_registry()
    finally:
        app.config["PERSON_REGISTRY_BACKEND"] = saved
        app.extensions.pop("banshi_person_registry", None)


# --- the CEL person variable -----------------------------------------------------------------

@pytest.mark.parametrize(("id_number", "region", "conflict"), [
    (ZHAO_LEI, "511700", True),  # also active in 天河区
    (ZHAO_LEI, "440000", True),  # also active in 通川区
    (WANG_FANG, "511700", False),
    (WANG_FANG, "440000", True),  # applying in 广东 while insured in 达州
    (LIU_TING, "511700", False),  # the 天河区 enrollment is suspended
    (LIU_TING, "440106", True),
    (ZHANG_SAN, "440000", False),  # employee insurance, not 390
])
def test_one_person_one_insurance_rule(demo, id_number, region, conflict):
    assert evaluate(ONE_PERSON_ONE_INSURANCE, id_number, region) is conflict


def test_person_variable_has_the_contract_keys(demo):
    variables = person_variables(get_person_registry().find(ZHANG_SAN), TODAY)
    assert set(variables) == {"name", "sex", "birth_date", "age", "region", "cert_type",
                              "id_number", "mobile", "employer_name", "employer_code",
                              "enrollments", "active_enrollments"}
    assert (variables["mobile"], variables["employer_name"], variables["employer_code"]) == (
        "13800138000", "唐山市路北区机械厂", "130203000118")
    assert evaluate("person.employer_name == null", WANG_FANG)  # no employer on record
    assert set(variables["enrollments"][0]) == {
        "insutype", "status", "region", "start_date", "psn_type", "first_insured_month",
        "account_month", "employer_name", "employer_code", "end_date"}
    assert evaluate('person.enrollments.exists(e, e.employer_name == "唐山市路北区机械厂"'
                    ' && e.account_month == "2001-01")', ZHANG_SAN)
    assert evaluate("person.age", ZHANG_SAN) == 76
    assert evaluate("person.age", ZHANG_SAN, today=dt.date(2026, 12, 31)) == 77
    assert evaluate('person.age >= 60 && person.sex == "2" && person.cert_type == "01"'
                    ' && person.region == "130203" && person.name == "张三"', ZHANG_SAN)
    assert evaluate('person.birth_date == date("1949-12-31") && age(person.id_number) == 76',
                    ZHANG_SAN)
    assert evaluate("person.active_enrollments", LIU_TING) == 1


def test_enrollment_dates_are_timestamps(demo):
    assert evaluate('person.enrollments.exists(e, e.insutype == "310"'
                    ' && e.start_date == date("2001-01-01") && e.start_date < today)', LI_SI)
    assert evaluate("days_between(person.enrollments[0].start_date, today)", WANG_FANG) == (
        TODAY - dt.date(2023, 9, 1)).days
    assert evaluate('length(person.enrollments.filter(e, e.status == "1"))'
                    " == person.active_enrollments", ZHAO_LEI)
    assert evaluate('person.enrollments.all(e, e.psn_type != null)', ZHAO_LEI)


# --- the staff view --------------------------------------------------------------------------

def test_region_admin_lists_only_the_subtree_masked(demo, client):
    make_user("RegionAdmin", "130200", username="ts_person_admin")
    login(client, "ts_person_admin")
    response = client.get("/personmodelview/list/")
    assert response.status_code == 200
    html = response.get_data(as_text=True)
    assert "李*" in html and "1302**********0312" in html and "路北区" in html
    assert "赵*" not in html and "王*" in html  # 赵磊 is insured in 达州, 王五 in 路北区
    in_tangshan = {ZHANG_SAN, LI_SI, "130203195008080159", "130202199205160643"}
    for number in DEMO_IDS:
        masked = f"{number[:4]}**********{number[-4:]}"
        assert (masked in html) is (number in in_tangshan), number
    assert "4401" not in html and "5117" not in html  # nor in the (scoped) region filter
    for number in DEMO_IDS:
        assert number not in html and number[6:14] not in html
    assert "李四" not in html and "张三" not in html


def test_region_admin_show_page_is_scoped_masked_and_logged(demo, client):
    make_user("RegionAdmin", "130200", username="ts_person_admin2")
    login(client, "ts_person_admin2")
    ids = dict(db.session.execute(sa.select(Person.id_number, Person.id)).all())
    assert client.get(f"/personmodelview/show/{ids[ZHAO_LEI]}").status_code == 404
    response = client.get(f"/personmodelview/show/{ids[LI_SI]}")
    assert response.status_code == 200
    html = response.get_data(as_text=True)
    assert "1302**********0312" in html and LI_SI not in html and "19580315" not in html
    assert "职工基本医疗保险" in html and "大额医疗费用补助" in html and "开滦" in html
    events = db.session.scalars(sa.select(AuditEvent).where(AuditEvent.action == "person.show"))
    assert [(e.object_id, e.region_code) for e in events] == [(str(ids[LI_SI]), "130203")]


def test_search_by_id_number_is_exact_only(demo, client):
    make_user("Reviewer", "130200", username="ts_person_reviewer")
    login(client, "ts_person_reviewer")
    found = client.get(f"/personmodelview/list/?_flt_0_id_number={LI_SI}").get_data(as_text=True)
    assert "李*" in found and "王*" not in found
    for index in range(4):  # no "starts with" / "contains" probing
        probe = client.get(f"/personmodelview/list/?_flt_{index}_id_number=1302")
        assert probe.status_code == 200 and "李*" not in probe.get_data(as_text=True)


def test_citizen_cannot_list_persons(demo, client):
    make_user("Citizen", "130203", username="person_citizen")
    login(client, "person_citizen")
    assert client.get("/personmodelview/list/").status_code == 403
