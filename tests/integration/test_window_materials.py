"""The counter's materials page: the materials that apply are the citizen wizard's (a material
whose ``required_when`` is false is 无需提供 and takes no file), and what stands in the way of
submitting is named by its label, never by a key such as ``_notice``."""
import io
import re

from sqlalchemy import select

from app.extensions import db
from app.models.application import Application, Attachment
from tests.applications_support import GD8_ANSWERS, clock, png_bytes  # noqa: F401
from tests.browser.helpers import say
from tests.integration.test_review_window import PAGES, counter, signed_in, start  # noqa: F401


def filled(app, counter):  # noqa: F811
    clerk = signed_in(app, counter)
    start(clerk)
    pk = db.session.scalar(select(Application.id))
    answers = {**GD8_ANSWERS, "account_holder": "林小红"}  # leave_type maternity
    for page, keys in PAGES.items():
        assert clerk.post(f"/review/window/{pk}/pages/{page}", data={
            key: str(answers[key]) for key in keys}).status_code == 303
    return clerk, pk


def upload(clerk, pk, key):
    return clerk.post(f"/review/window/{pk}/materials", data={
        "action": "upload", "material": key, "file": (io.BytesIO(png_bytes()), "扫描件.png")},
        content_type="multipart/form-data")


def row(page: str, key: str) -> str:
    return re.search(rf'<tr data-material="{key}".*?</tr>', page, re.S)[0]


def test_a_material_that_does_not_apply_is_not_offered_nor_taken(app, counter):
    clerk, pk = filled(app, counter)
    page = clerk.get(f"/review/window/{pk}/materials").get_data(as_text=True)
    needless = row(page, "diagnosis")  # 诊断证明: only for leave_type family_planning
    assert say(app, "Not required for these answers") in needless
    assert 'name="file"' not in needless
    assert 'name="file"' in row(page, "birth_certificate")  # required for maternity
    refused = upload(clerk, pk, "diagnosis")
    assert refused.status_code == 422
    text = refused.get_data(as_text=True)
    assert say(app, "This material does not apply under the answers given: nothing to "
                    "provide.") in text
    assert db.session.scalar(select(Attachment.id).where(
        Attachment.material_key == "diagnosis")) is None
    assert upload(clerk, pk, "birth_certificate").status_code == 303


def test_what_stops_a_submission_is_named_by_its_label(app, counter):
    clerk, pk = filled(app, counter)
    refused = clerk.post(f"/review/window/{pk}/submit", data={})
    assert refused.status_code == 422
    text = refused.get_data(as_text=True)
    problems = re.search(r'class="alert alert-danger submit-problems".*?</div>', text, re.S)[0]
    assert "_notice" not in problems and "materials." not in problems
    assert "<code>" not in problems
    assert "温馨提示" in problems or "Please note" in problems  # GD-8's notice title
    assert "本人身份证" in problems  # id_document's label
    assert 'href="#material-id_document"' in problems
    no_file = clerk.post(f"/review/window/{pk}/materials", data={
        "action": "upload", "material": "id_document"}, content_type="multipart/form-data")
    assert no_file.status_code == 422
    problems = re.search(r'class="alert alert-danger submit-problems".*?</div>',
                         no_file.get_data(as_text=True), re.S)[0]
    assert "本人身份证" in problems and "<code>" not in problems and "file:" not in problems


def test_the_counters_scans_past_the_upload_limit_say_when_to_try_again(limited, counter):
    limited.config["UPLOAD_RATE_LIMIT"] = "1 per hour"
    clerk, pk = filled(limited, counter)
    assert upload(clerk, pk, "birth_certificate").status_code == 303
    refused = upload(clerk, pk, "id_document")
    assert refused.status_code == 429 and 3500 < int(refused.headers["Retry-After"]) <= 3600
    assert "扫描件.png" in refused.get_data(as_text=True)
