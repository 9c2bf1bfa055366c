"""``persons import`` refuses an ended enrollment (status 4 终止参保) without its end date: such an
enrollment could be certified for no period (SC-3 出具参保凭证 needs its last day). The problem
names the file, the line and the column, in the reader's language."""
import pytest
from flask_babel import force_locale

from app.commands.persons import HEADER, ImportPersonsCommand, PersonImportError
from tests.integration.test_persons import LI_SI_ROW, write_csv


def test_an_ended_enrollment_needs_its_end_date(ctx, tmp_path):
    path = write_csv(tmp_path, LI_SI_ROW.format(status="4"))
    said = {}
    for language in ("zh", "en"):
        with force_locale(language), pytest.raises(PersonImportError) as caught:
            ImportPersonsCommand(path).run()
        said[language] = str(caught.value)
    assert f"{path}:2: end_date: 参保状态为 4（终止参保）时必须填写" in said["zh"]
    assert (f"{path}:2: end_date: a value is required when the status is 4 (insurance "
            "terminated)") in said["en"]


def test_an_ended_enrollment_with_its_end_date_is_imported(ctx, tmp_path):
    path = tmp_path / "persons.csv"
    path.write_text(",".join(HEADER) + ",end_date\n" + LI_SI_ROW.format(status="4")
                    + ",2020-12-31\n", encoding="utf-8")
    assert ImportPersonsCommand(path).run().enrollments == 1
