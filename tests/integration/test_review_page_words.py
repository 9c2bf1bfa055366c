"""How the reviewers' detail page reads: code-table answers by name, the materials that do not
apply on one line, a replacement identical to the file returned marked as such, approving at the
acceptance as 予以受理 (as refusing there is 不予受理), and a closed application at no step."""
import datetime as dt
import hashlib
from html import unescape

from app import workflow
from app.audit import record
from app.commands.reviews import ApproveCommand, RefuseCommand, ReturnCommand
from app.extensions import db
from app.models.application import Attachment
from app.storage import get_storage
from tests.applications_support import pdf_bytes
from tests.integration.test_review_views import gd8, post, signed_in  # noqa: F401
from tests.review_support import (MONDAY, NANSHAN, SHENZHEN, fresh, reviewer,  # noqa: F401
                                  workday_clock)


def page(client, application) -> str:
    return unescape(client.get(f"/review/applications/{application.id}").get_data(as_text=True))


def attach(application, key, data, name, at):
    attachment = Attachment(
        application_id=application.id, material_key=key, region_code=application.region_code,
        owner_id=application.applicant_id, original_name=name,
        storage_key=get_storage().save(data), content_type="application/pdf", size=len(data),
        sha256=hashlib.sha256(data).hexdigest(), uploaded_at=at)
    db.session.add(attachment)
    db.session.commit()
    return attachment


def test_code_values_read_by_name_and_materials_not_needed_share_one_line(app, gd8):
    html = page(signed_in(app, reviewer(NANSHAN)), gd8)
    assert "<td>居民身份证（户口簿）</td>" in html and "01 居民身份证" not in html
    assert "不适用的材料：诊断证明（终止妊娠或计划生育手术）" in html
    assert 'data-material="diagnosis"' not in html and "无需提供" not in html
    assert 'data-material="discharge_record"' in html  # optional, not given: still its own row


def test_a_replacement_identical_to_the_file_returned_is_marked(app, gd8):
    proof = pdf_bytes()
    old = attach(gd8, "id_document", proof, "proof.pdf", MONDAY - dt.timedelta(days=1))
    county_user = reviewer(NANSHAN)
    ReturnCommand(gd8.id, county_user, "请补正", fresh(gd8).lock_version,
                  {"materials": {"id_document": "不清晰", "birth_certificate": "缺页"}}).run()
    later = MONDAY + dt.timedelta(hours=2)
    old.removed_at = later
    copy = attach(gd8, "id_document", proof, "proof2.pdf", later)
    birth = attach(gd8, "birth_certificate", proof + b"%new", "birth.pdf", later)
    for action, file in (("application.material_removed", old),
                         ("application.material_added", copy),
                         ("application.material_added", birth)):
        record(action, "application", gd8.id, gd8.region_code, material=file.material_key,
               file_id=file.id)
    application = fresh(gd8)
    workflow.resume(application)
    db.session.commit()
    html = page(signed_in(app, county_user), gd8)
    same = html[html.index('data-material="id_document"'):]
    assert "proof2.pdf" in same and "与退回前的文件相同" in same[:same.index("</div>")]
    # Warned of as the citizen was on resubmitting: the returned material was not replaced.
    warned = html[html.index("resubmitted-unchanged"):]
    warned = warned[:warned.index("</ul>")]
    assert 'data-key="id_document"' in warned and 'data-key="birth_certificate"' not in warned
    other = html[html.index('data-material="birth_certificate"'):]
    assert "退回后新增" in other and "与退回前的文件相同" not in other[:other.index("</div>")]


def test_approving_at_the_acceptance_reads_accept_and_later_steps_approve(app, gd8):
    county = signed_in(app, reviewer(NANSHAN))
    assert ">予以受理</button>" in page(county, gd8)
    asked = unescape(post(county, gd8, "approve", confirmed="").get_data(as_text=True))
    assert "确认予以受理此申请？" in asked and ">确认受理</button>" in asked
    done = post(county, gd8, "approve")
    shown = unescape(county.get(done.headers["Location"]).get_data(as_text=True))
    assert "已予以受理，申请继续流转。" in shown
    row = shown[shown.index('data-action="application.approve"'):]
    assert "<td>予以受理</td>" in row[:row.index("</tr>")]
    done = unescape(county.get("/review/done").get_data(as_text=True))
    row = done[done.index(fresh(gd8).serial):]
    assert "予以受理" in row[:row.index("</tr>")] and "审核通过" not in row[:row.index("</tr>")]
    city = signed_in(app, reviewer(SHENZHEN))
    later = page(city, gd8)
    assert ">审核通过</button>" in later and ">予以受理</button>" not in later


def test_a_closed_application_is_at_no_step_and_its_row_reads_as_its_page(app, gd8):
    city_user = reviewer(SHENZHEN)
    ApproveCommand(gd8.id, reviewer(NANSHAN), None, fresh(gd8).lock_version).run()
    RefuseCommand(gd8.id, city_user, "不符合条件", fresh(gd8).lock_version).run()
    city = signed_in(app, city_user)
    html = page(city, gd8)
    assert '<td class="current-step">—</td>' in html
    assert '<td class="application-status">不予批准</td>' in html
    done = unescape(city.get("/review/done").get_data(as_text=True))
    row = done[done.index(fresh(gd8).serial):]
    assert "不予批准" in row[:row.index("</tr>")]
