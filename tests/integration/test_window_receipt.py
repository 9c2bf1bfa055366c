"""After a counter submission the clerk prints the acknowledgement of receipt (受理回执) for the
walk-in citizen: serial, item, applicant masked, materials received, statutory deadline, the
counter and clerk, the date and the service hotline — as a page (print stylesheet) and a PDF,
in Chinese and English; nobody but the clerk who entered it gets it."""
import io
import re

from pypdf import PdfReader
from sqlalchemy import select

from app.extensions import db
from app.models.application import Application
from tests.applications_support import ALICE_ID, REGION, clock  # noqa: F401
from tests.browser.helpers import say
from tests.integration.test_review_window import (counter, fill_and_submit,  # noqa: F401
                                                  signed_in, start)
from tests.support import make_user


def submitted_at_counter(app, counter):  # noqa: F811
    clerk = signed_in(app, counter)
    start(clerk)
    pk = db.session.scalar(select(Application.id))
    done = fill_and_submit(clerk, pk)
    assert done.status_code == 303 and done.headers["Location"].endswith(
        f"/review/window/{pk}/receipt")
    return clerk, db.session.get(Application, pk)


def test_the_clerk_prints_a_receipt_for_the_citizen(app, counter):  # noqa: F811
    clerk, application = submitted_at_counter(app, counter)
    page = clerk.get(f"/review/window/{application.id}/receipt").get_data(as_text=True)
    assert "<h1>受理回执</h1>" in page and "document.css" in page  # its print stylesheet
    facts = dict(re.findall(r"<dt>(.*?)</dt><dd>(.*?)</dd>", page))
    assert facts["申请编号"] == application.serial and facts["服务事项"] == "生育津贴申报"
    assert facts["申请人"] == "林**" and facts["证件号码"] == ALICE_ID[:4] + "*" * 10 + ALICE_ID[-4:]
    assert ALICE_ID not in page and "林小红" not in page
    assert facts["受理窗口"] == "天河区（440106）" and facts["经办人"] == "窗口张"
    assert facts["受理时间"] == "2026-11-20 10:00"
    assert application.deadline and str(application.deadline.year) in facts["法定办结时限"]
    assert facts["本人身份证"] == "1份" and facts["出生医学证明"] == "1份"
    assert "出院记录" not in facts  # nothing received for it
    assert "12393" in page and f'/review/window/{application.id}/receipt.pdf' in page
    pdf = clerk.get(f"/review/window/{application.id}/receipt.pdf")
    assert pdf.status_code == 200 and pdf.mimetype == "application/pdf"
    assert pdf.headers["Cache-Control"] == "no-store"
    text = re.sub(r"\s+", "", " ".join(
        p.extract_text() for p in PdfReader(io.BytesIO(pdf.get_data())).pages))
    for needle in ("受理回执", application.serial, "林**", "窗口张", "本人身份证", "12393"):
        assert needle in text, needle
    assert ALICE_ID not in text


def test_only_the_clerk_who_entered_it_gets_the_receipt(app, counter):  # noqa: F811
    clerk, application = submitted_at_counter(app, counter)
    colleague = signed_in(app, make_user("Reviewer", REGION))
    assert colleague.get(f"/review/window/{application.id}/receipt").status_code == 404
    assert colleague.get(f"/review/window/{application.id}/receipt.pdf").status_code == 404
    assert clerk.get("/review/window/999999/receipt").status_code == 404


def test_the_receipt_speaks_english(app, counter):  # noqa: F811
    clerk, application = submitted_at_counter(app, counter)
    clerk.get("/lang/en")
    page = clerk.get(f"/review/window/{application.id}/receipt").get_data(as_text=True)
    assert say(app, "Acknowledgement of receipt", "en") in page
    assert "Materials received" in page and "Statutory deadline" in page
