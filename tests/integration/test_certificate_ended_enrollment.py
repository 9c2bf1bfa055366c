"""SC-3 出具参保凭证 for an ended enrollment, and a certificate that prints the registry's facts.

A 参保缴费凭证 for a past period is a common request: 吴刚 (DEMO_PERSONS) held 城乡居民 (390)
in 锦江区 from 2012-03-01 until it ended on 2016-04-30 (status 4), and 职工 (310) since. The
registry gives the rules each enrollment's ``end_date``; SC-3 accepts a period within an ended
enrollment, and its certificate prints the enrollment its ``result_document.enrollment`` picked,
kept at approval (app.workflow.document_facts), not the applicant's answers.
"""
import io
import re

import pytest
from pypdf import PdfReader
from sqlalchemy import select

from app.cli import DEMO_PERSONS
from app.commands.formdefs import LoadFormdefsCommand
from app.commands.persons import ImportPersonsCommand
from app.engine.lint import lint_text
from app.extensions import db
from app.models.application import Application
from app.models.base import utcnow
from app.models.person import Enrollment, Person
from tests.applications_support import FORMDEFS, api_create, clock, token  # noqa: F401
from tests.support import make_user

SC3 = FORMDEFS / "510000-sichuan" / "insurance_certificate.yaml"
WU_GANG, JINJIANG = "510104199002280512", "510104"
MASKED = WU_GANG[:4] + "*" * 10 + WU_GANG[-4:]
ANSWERS = {"name": "吴刚", "cert_type": "01", "id_number": WU_GANG, "mobile": "13980012345",
           "purpose": "personal", "language": "zh", "insutype": "390",
           "insured_region": JINJIANG}
OUTSIDE = ("凭证所含参保期间应在该险种一段参保的个人参保日期至参保终止日期之间"
           "（正常参保的，至今天）。")


@pytest.fixture
def wu_gang(ctx, clock):
    """SC-3 published, the demo registry imported; yields 吴刚, verified, filing for himself."""
    LoadFormdefsCommand([SC3], publish=True).run()
    ImportPersonsCommand(DEMO_PERSONS).run()
    user = make_user("Citizen", JINJIANG, name="吴刚", id_number=WU_GANG)
    user.identity_verified_at = utcnow()
    db.session.commit()
    return user


def file(client, user, answers):
    headers = {**token(client, user.username), "Accept-Language": "zh"}
    created = api_create(client, headers, item="insurance_certificate", region=JINJIANG)
    assert created.status_code == 201, created.get_json()
    pk = created.get_json()["id"]
    saved = client.put(f"/api/v1/applications/{pk}/answers", headers=headers,
                       json={"answers": {**ANSWERS, **answers}})
    assert saved.status_code == 200, saved.get_json()
    return pk, headers, client.post(f"/api/v1/applications/{pk}/submit",
                                    headers={**headers, "Idempotency-Key": f"k-{pk}"})


def squeezed(text: str) -> str:
    return re.sub(r"\s+", "", re.sub(r"<[^>]+>", "", text))


def test_a_period_within_an_ended_enrollment_is_certified_by_rule_with_its_dates(client,
                                                                                   wu_gang):
    pk, headers, response = file(client, wu_gang, {
        "period": {"start": "2013-01-01", "end": "2015-12-31"}})
    assert response.status_code == 200, response.get_json()
    assert response.get_json()["status"] == "approved"  # auto_issue, no clerk
    kept = db.session.get(Application, pk).answers["_registry"]
    assert kept == {"name": "吴刚", "id_number": WU_GANG, "enrollment": {
        "insutype": "390", "status": "4", "region": JINJIANG, "psn_type": "1501",
        "employer_name": None, "start_date": "2012-03-01", "end_date": "2016-04-30"}}
    html = client.get(f"/api/v1/applications/{pk}/document", headers=headers).get_json()["html"]
    shown = ("兹证明吴刚（证件号码" + MASKED + "）在四川省成都市锦江区参加城乡居民基本医疗保险，"
             "个人参保期间为2012年3月1日至2016年4月30日，参保状态：终止参保。")
    assert shown in squeezed(html), html
    assert "凭证所含参保期间：2013年1月1日–2015年12月31日" in squeezed(html)  # the answer
    assert WU_GANG not in html
    pdf = client.get(f"/api/v1/applications/{pk}/document.pdf", headers=headers)
    assert pdf.status_code == 200 and pdf.mimetype == "application/pdf"
    text = " ".join(page.extract_text() for page in PdfReader(io.BytesIO(pdf.get_data())).pages)
    assert shown in squeezed(text), text


def test_the_certificate_keeps_what_the_registry_held_when_it_was_issued(client, wu_gang):
    pk, headers, response = file(client, wu_gang, {"insutype": "310", "period": None})
    assert response.get_json()["status"] == "approved", response.get_json()
    person = db.session.scalar(select(Person).where(Person.id_number == WU_GANG))
    for enrollment in db.session.scalars(select(Enrollment).where(
            Enrollment.person_id == person.id, Enrollment.insutype == "310")):
        enrollment.status, enrollment.end_date = "4", enrollment.start_date.replace(year=2027)
    person.name = "吴钢"
    db.session.commit()
    html = client.get(f"/api/v1/applications/{pk}/document", headers=headers).get_json()["html"]
    assert ("兹证明吴刚（证件号码" + MASKED + "）在四川省成都市锦江区参加职工基本医疗保险，"
            "个人参保期间为2016年5月1日至今，参保状态：正常参保。") in squeezed(html), html


def test_a_clerk_issuing_it_keeps_the_registry_facts_on_the_last_approval(client, wu_gang):
    """An "other" purpose goes to 受理 (锦江区) and 审核 (成都市); the facts are read when the
    last person approves, and a key a client sends in their place is ignored."""
    from app.commands.reviews.approve import ApproveCommand

    pk, headers, response = file(client, wu_gang, {
        "purpose": "other", "purpose_detail": "出国探亲", "_registry": {"name": "李鬼"},
        "period": {"start": "2012-03-01", "end": "2016-04-30"}})
    assert response.get_json()["status"] == "submitted", response.get_json()
    assert "_registry" not in db.session.get(Application, pk).answers
    for region in (JINJIANG, "510100"):
        ApproveCommand(pk, make_user("Reviewer", region)).run()
    application = db.session.get(Application, pk)
    assert application.status == "approved"
    assert application.answers["_registry"]["name"] == "吴刚"
    assert application.answers["_registry"]["enrollment"]["end_date"] == "2016-04-30"
    html = client.get(f"/api/v1/applications/{pk}/document", headers=headers).get_json()["html"]
    assert "城乡居民基本医疗保险，个人参保期间为2012年3月1日至2016年4月30日" in squeezed(html)
    assert "李鬼" not in html


@pytest.mark.parametrize("period", [
    {"start": "2011-06-01", "end": "2013-01-01"},  # begins before the enrollment
    {"start": "2015-06-01", "end": "2016-12-31"},  # reaches past its end (2016-04-30)
    {"start": "2016-04-01", "end": "2016-06-30"},  # spans the ended one and the next (310)
])
def test_a_period_outside_any_enrollment_is_refused_naming_the_field(client, wu_gang, period):
    pk, _headers, response = file(client, wu_gang, {"period": period})
    assert response.status_code == 422, response.get_json()
    assert response.get_json()["errors"] == {"period": [OUTSIDE]}
    assert db.session.get(Application, pk).status == "draft"


def line_of(text: str, part: str) -> int:
    return next(n for n, line in enumerate(text.splitlines(), 1) if part in line)


def test_lint_names_the_line_of_an_unknown_or_unusable_placeholder(ctx):
    text = SC3.read_text(encoding="utf-8")
    assert [str(p) for p in lint_text(text, "sc3.yaml")] == []
    broken = text.replace("参保状态：{{enrollment.status}}", "参保状态：{{enrollment.state}}")
    found = [str(p) for p in lint_text(broken, "sc3.yaml")]
    assert len(found) == 1 and found[0].startswith(
        f"sc3.yaml:{line_of(broken, '{{enrollment.state}}')}: "), found
    assert 'unknown placeholder "{{enrollment.state}}"' in found[0], found
    assert "enrollment.period" in found[0]  # the names it may use
    without = re.sub(r"\n  enrollment: '[^\n]*'", "", text)
    found = [str(p) for p in lint_text(without, "sc3.yaml")]
    lines = {line_of(without, "兹证明"), line_of(without, "This is to certify")}
    assert found and {int(p.split(":")[1]) for p in found} == lines, found
    assert all('the document has no "enrollment"' in p for p in found), found
    typo = "\n".join(line.replace("== insutype", "== insutyp")
                     if line.startswith("  enrollment: ") else line
                     for line in text.splitlines())
    found = [str(p) for p in lint_text(typo, "sc3.yaml")]
    assert found == [f"sc3.yaml:{line_of(typo, '  enrollment: ')}: enrollment of "
                     'result_document uses "insutyp", which is not a field of this item'], found
    mistyped = "\n".join("  enrollment: 'e.end_date > \"2016-04-30\"'"
                         if line.startswith("  enrollment: ") else line
                         for line in text.splitlines())
    found = [str(p) for p in lint_text(mistyped, "sc3.yaml")]
    assert len(found) == 1 and found[0].startswith(
        f"sc3.yaml:{line_of(mistyped, '  enrollment: ')}: enrollment of result_document: the "
        "expression's types do not match"), found  # a date compared with a text
