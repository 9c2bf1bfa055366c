"""The review page marks the statutory deadline as it marks the step's: overdue (red) once it
has passed, due soon (yellow) within the due-soon days — while the application waits for a
decision; a decided one carries no mark."""
import datetime as dt

from app.commands.reviews import RefuseCommand
from app.extensions import db
from tests.integration.test_review_views import NANSHAN, gd8, says, signed_in  # noqa: F401
from tests.review_support import fresh, reviewer, workday_clock  # noqa: F401


def statutory_cell(page: str) -> str:
    return page.split('class="statutory-deadline">', 1)[1].split("</td>", 1)[0]


def test_a_passed_statutory_deadline_is_marked_overdue(app, gd8):
    county_user = reviewer(NANSHAN)
    client = signed_in(app, county_user)
    fresh(gd8).deadline = dt.date(2026, 2, 20)
    db.session.commit()
    cell = statutory_cell(client.get(f"/review/applications/{gd8.id}").get_data(as_text=True))
    assert "2026-02-20" in cell and says(app, "Overdue") in cell and "deadline-overdue" in cell
    fresh(gd8).deadline = dt.date(2026, 6, 1)
    db.session.commit()
    cell = statutory_cell(client.get(f"/review/applications/{gd8.id}").get_data(as_text=True))
    assert "2026-06-01" in cell and "label" not in cell
    fresh(gd8).deadline = dt.date(2026, 2, 20)
    db.session.commit()
    RefuseCommand(gd8.id, county_user, "材料不全", fresh(gd8).lock_version).run()
    cell = statutory_cell(client.get(f"/review/applications/{gd8.id}").get_data(as_text=True))
    assert "2026-02-20" in cell and "label" not in cell
