"""Reading an expression's selections: an attribute of person, of an enrollment a macro names,
of a repeating group's row or a date range that does not exist is found; known ones, methods,
and names of unknown shape are left alone. The shapes come from where the values are made."""
import datetime as dt

from app.engine.cel_attributes import attribute_problems, expression_shapes, person_shape
from app.engine.fields.person import ENROLLMENT_KINDS
from app.registry.base import EnrollmentRecord, PersonRecord, person_variables

KINDS = {"members": ("list", {"m_name": "text", "m_rel": "text"}), "name": "text",
         "period": ("map", {"start": "date", "end": "date"}), "kinds": ("list", "text")}
SHAPES = expression_shapes(KINDS)


def written(source: str) -> list[str]:
    return [problem.written for problem in attribute_problems(source, SHAPES)]


def test_person_is_shaped_as_the_registry_makes_it():
    record = PersonRecord("11010519491231002X", "张三", "1", dt.date(1990, 1, 1), "511702",
                          enrollments=(EnrollmentRecord("390", "1", "511702",
                                                        dt.date(2020, 1, 1)),))
    made = person_variables(record, dt.date(2024, 3, 1))
    assert set(person_shape()) == set(made)
    assert set(person_shape()["enrollments"][1]) == set(made["enrollments"][0]) >= set(
        ENROLLMENT_KINDS)


def test_an_unknown_attribute_of_person_is_named_with_what_person_has():
    [problem] = attribute_problems('person.enrolments.exists(e, e.status == "1")', SHAPES)
    assert (problem.written, problem.owner, problem.name) == (
        "person.enrolments", "person", "enrolments")
    assert "enrollments" in problem.known and "age" in problem.known
    assert written("has(person.agee) && person.age >= 18") == ["person.agee"]


def test_a_macro_name_reads_the_items_of_its_list():
    [problem] = attribute_problems(
        'person.enrollments.exists(e, e.statu == "1" && e.region != region)', SHAPES)
    assert (problem.written, problem.item_of) == ("e.statu", "person.enrollments")
    assert "status" in problem.known
    assert written('members.exists(m, m.m_nam == "x")') == ["m.m_nam"]
    assert written('members.all(m, person.enrollments.exists(e, e.insutype == m.m_rel '
                   '&& e.x == ""))') == ["e.x"]
    assert written("person.enrollments[0].stat == \"1\"") == ["person.enrollments[…].stat"]


def test_what_exists_and_what_is_not_known_pass():
    assert written('person.enrollments.exists(e, e.status == "1" && '
                   'e.start_date.getFullYear() > 2000) && person.name.startsWith("张")') == []
    assert written("period.start < today && members.map(x, x.m_rel).exists(y, y.z)") == []
    assert written("[1, 2].exists(name, name.x == 1)") == []  # the macro's name hides the field
    assert written('kinds.exists(k, k == "a") && unknown.anything') == []


def test_a_list_or_a_plain_answer_has_no_attributes():
    [listed] = attribute_problems("person.enrollments.status", SHAPES)
    assert (listed.kind, listed.known) == ("list", ())
    [plain] = attribute_problems("name.first", SHAPES)
    assert (plain.kind, plain.owner) == ("text", "name")
    assert written("period.stop < today") == ["period.stop"]
