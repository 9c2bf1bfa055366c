"""Lint warns (it does not refuse) of a ``visible_when`` or ``required_when`` that reads the
subject's registry record beyond the identity an agent declares, in an item agents may file:
the agent sees the question or material shown, hidden or required, and so the fact. A
condition on what the ID number itself says (sex, birth date, age), or in an item only the
person themselves files, is not warned of; the shipped items have none."""
import glob

from tests.applications_support import FORMDEFS

SC2 = FORMDEFS / "510000-sichuan" / "resident_enrollment_suspend.yaml"
ADDED = """\
      - key: note_insured
        type: text
        label: {zh: 说明, en: Note}
        visible_when: 'person.enrollments.exists(e, e.status == "1")'
      - key: note_women
        type: text
        label: {zh: 说明二, en: Note 2}
        visible_when: 'person.sex == "2" && person.age > 20'
        required_when: 'length(enrollments) > 0'
"""
WARNING = ('visible_when of field "note_insured" reads the registry record of the person '
           "applied for (person.enrollments): an agent filing for them sees")


def variant(tmp_path, filers: str = "[self, agent]"):
    text = SC2.read_text(encoding="utf-8").replace("filers: [self, agent]", f"filers: {filers}")
    anchor = "      - key: nonlocal_student\n"
    path = tmp_path / "sc2.yaml"
    path.write_text(text.replace(anchor, ADDED + anchor), encoding="utf-8")
    lines = path.read_text(encoding="utf-8").splitlines()
    return path, {key: lines.index(f"{key}") + 1 for key in (
        "        visible_when: 'person.enrollments.exists(e, e.status == \"1\")'",
        "        required_when: 'length(enrollments) > 0'")}


def test_lint_warns_of_a_condition_an_agent_sees_that_reads_the_registry(runner, tmp_path):
    path, lines = variant(tmp_path)
    result = runner.invoke(args=["formdefs", "lint", str(path)])
    assert result.exit_code == 0, result.output  # a warning: it still publishes
    warnings = [line for line in result.output.splitlines() if ": warning: " in line]
    visible, required = lines.values()
    assert len(warnings) == 2, warnings
    assert warnings[0].startswith(f"{path}:{visible}: warning: {WARNING}")
    assert warnings[1].startswith(f'{path}:{required}: warning: required_when of field '
                                  '"note_women" reads the registry record of the person '
                                  "applied for (enrollments)")
    assert "person.sex" not in result.output and "person.age" not in result.output


def test_an_item_only_the_person_files_is_not_warned_of(runner, tmp_path):
    path, _lines = variant(tmp_path, "[self]")
    result = runner.invoke(args=["formdefs", "lint", str(path)])
    assert result.exit_code == 0 and ": warning: " not in result.output, result.output


def test_the_shipped_items_need_no_change(runner):
    files = sorted(glob.glob(str(FORMDEFS / "*" / "*.yaml")))
    result = runner.invoke(args=["formdefs", "lint", *files])
    assert result.exit_code == 0, result.output
    assert "registry record of the person applied for" not in result.output
