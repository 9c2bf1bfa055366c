"""The detail page's inline previews are recorded once per page view (application.files_shown),
not once per thumbnail; a file opened or downloaded is recorded each time (file_viewed), and a
"preview" that no recorded page view covers is recorded as a view."""
from app.extensions import db
from app.models.audit import AuditEvent
from tests.applications_support import png_bytes
from tests.integration.test_review_views import (attach, gd8, pdf_bytes,  # noqa: F401
                                                 signed_in)
from tests.review_support import NANSHAN, history, reviewer, workday_clock  # noqa: F401


def test_previews_are_one_event_per_page_view_and_opening_a_file_is_recorded(app, gd8):
    images = [attach(gd8, "id_document", png_bytes((i * 40, 30, 30)), "image/png", f"{i}.png")
              for i in range(2)]
    scan = attach(gd8, "birth_certificate", pdf_bytes(), "application/pdf", "出生证明.pdf")
    county = signed_in(app, reviewer(NANSHAN))
    url = f"/review/applications/{gd8.id}"
    assert county.get(url).status_code == 200
    for f in (*images, scan):  # what the browser fetches for the page's <img> and <object>
        assert county.get(f"{url}/files/{f.id}?preview=1").status_code == 200
    [shown] = history(gd8, "application.files_shown")
    assert shown.detail["file_ids"] == sorted(f.id for f in (*images, scan))
    assert history(gd8, "application.file_viewed") == []
    # Opening one (the link) is recorded.
    assert county.get(f"{url}/files/{images[0].id}").status_code == 200
    [opened] = history(gd8, "application.file_viewed")
    assert opened.detail["file_id"] == images[0].id
    # Another page view: one more event, still none per thumbnail.
    county.get(url)
    county.get(f"{url}/files/{scan.id}?preview=1")
    assert len(history(gd8, "application.files_shown")) == 2
    assert len(history(gd8, "application.file_viewed")) == 1
    # ?preview=1 without a recorded page view (another session) is an ordinary, recorded view.
    other = signed_in(app, reviewer(NANSHAN))
    assert other.get(f"{url}/files/{scan.id}?preview=1").status_code == 200
    assert len(history(gd8, "application.file_viewed")) == 2
    db.session.expire_all()
    assert db.session.query(AuditEvent).filter(
        AuditEvent.action == "application.files_shown").count() == 2
