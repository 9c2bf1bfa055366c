"""Who reaches the citizen pages (B1) and how administrator text is shown (B7)."""
import html
import io
import textwrap

import pytest

from app.extensions import db
from app.models.application import Application, Attachment
from tests.applications_support import clock  # noqa: F401
from tests.support import login, make_user
from tests.wizard_support import (HB1, HB1_CODE, OTHER_ID, TANGSHAN, acknowledge_notice,
                                  citizen, jpeg_bytes, post_step, publish, signed_in, start,
                                  upload)

SCRIPT, LINK, TEMPLATE = "<script>alert(1)</script>", "javascript:alert(1)", "{{7*7}}"
HOSTILE = f"{SCRIPT} {LINK} {TEMPLATE}"


@pytest.fixture
def alices(app, ctx, clock):  # noqa: F811
    """Alice's HB-1 draft with one file; returns (application id, file id)."""
    publish(HB1)
    client = signed_in(app, citizen())
    pk = start(client, HB1_CODE, TANGSHAN)
    acknowledge_notice(client, pk)
    upload(client, pk, "diagnosis")
    file_id = db.session.query(Attachment.id).filter_by(application_id=pk).scalar()
    return pk, file_id


def urls(pk, file_id):
    base = f"/applications/{pk}"
    return [("GET", f"{base}/"), ("GET", f"{base}/notice"), ("POST", f"{base}/notice"),
            ("GET", f"{base}/filer"), ("POST", f"{base}/filer"),
            ("GET", f"{base}/pages/kind"), ("POST", f"{base}/pages/kind"),
            ("POST", f"{base}/pages/special_person/fields"), ("GET", f"{base}/materials"),
            ("POST", f"{base}/materials"), ("POST", f"{base}/materials/diagnosis"),
            ("POST", f"{base}/materials/diagnosis/{file_id}/remove"),
            ("GET", f"{base}/confirm"), ("POST", f"{base}/confirm"),
            ("GET", f"{base}/submitted"), ("GET", f"/my/applications/{pk}"),
            ("GET", f"/my/applications/{pk}/withdraw"), ("POST", f"/my/applications/{pk}/withdraw"),
            ("GET", f"/my/applications/{pk}/delete"), ("POST", f"/my/applications/{pk}/delete"),
            ("GET", f"/my/files/{file_id}")]


def test_another_citizen_gets_404_on_every_url_of_this_application(app, alices):  # B1
    pk, file_id = alices
    bob = signed_in(app, citizen(OTHER_ID, "赵六"))
    for method, url in urls(pk, file_id):
        response = bob.open(url, method=method, data={
            "_version": "1", "_action": "next", "submit_token": "t", "confirmed": "1",
            "disease_kind": "chronic",
            "file": (io.BytesIO(jpeg_bytes()), "x.jpg")})
        assert response.status_code == 404, (method, url, response.status_code)
    application = db.session.get(Application, pk)
    assert application.status == "draft" and application.answers == {"_notice": True}
    assert "门诊慢特病申报" not in bob.get("/my/applications/").get_data(as_text=True)
    assert len(db.session.get(Application, pk).attachments) == 1


def test_staff_and_anonymous_visitors_do_not_reach_citizen_pages(app, alices):
    pk, file_id = alices
    reviewer = make_user("Reviewer", TANGSHAN)  # in the application's own region
    staff = app.test_client()
    assert login(staff, reviewer.username).status_code == 302
    anonymous = app.test_client()
    for method, url in urls(pk, file_id):
        assert staff.open(url, method=method).status_code == 403, url
        response = anonymous.open(url, method=method)
        assert response.status_code == 302 and "/login/" in response.headers["Location"], url


def test_an_unverified_citizen_is_sent_to_verify_first(app, ctx, clock):  # noqa: F811
    publish(HB1)
    client = signed_in(app, citizen(verified=False))
    response = client.post(f"/apply/{HB1_CODE}/start", data={"region": TANGSHAN})
    assert response.status_code == 302 and "/identity/verify" in response.headers["Location"]
    assert db.session.query(Application).count() == 0


def hostile_definition(tmp_path):
    path = tmp_path / "hostile.yaml"
    path.write_text(textwrap.dedent(f"""\
        schema: 1
        code: hostile_item
        region: "130000"
        name: '{HOSTILE} 事项'
        category: '{HOSTILE}'
        audience: '[点我]({LINK}) {SCRIPT} {TEMPLATE}'
        notice: {{title: '{HOSTILE}', body: '[点我]({LINK}) {SCRIPT} {TEMPLATE}', acknowledge: '{HOSTILE}'}}
        filers: [self]
        pages:
          - key: first
            title: '{HOSTILE}'
            fields:
              - {{key: choice, type: radio, label: '{HOSTILE}', help: '{HOSTILE}', placeholder: '{HOSTILE}', required: true, options: [{{value: a, label: '{HOSTILE}'}}]}}
              - {{key: note, type: text, label: '{HOSTILE}', placeholder: '{HOSTILE}', visible_when: 'choice == "a"'}}
              - {{key: about, type: display, label: '{HOSTILE}', text: '{HOSTILE}'}}
        materials:
          - {{key: proof, label: '{HOSTILE}', required: true}}
        approval:
          - {{key: accept, name: '{HOSTILE}', role: Reviewer, level: county}}
        """), encoding="utf-8")
    return path


def test_hostile_definition_text_renders_inert_everywhere(  # B7
        app, ctx, clock, tmp_path):  # noqa: F811
    publish([hostile_definition(tmp_path)])
    client = signed_in(app, citizen())
    pk = start(client, "hostile_item", TANGSHAN)
    acknowledge_notice(client, pk)
    post_step(client, f"/applications/{pk}/pages/first", {"choice": "a", "note": HOSTILE})
    upload(client, pk, "proof", name=f"{SCRIPT}.jpg")
    pages = [f"/apply/?region={TANGSHAN}", f"/apply/hostile_item?region={TANGSHAN}",
             f"/applications/{pk}/notice", f"/applications/{pk}/pages/first",
             f"/applications/{pk}/materials", f"/applications/{pk}/confirm",
             f"/my/applications/{pk}", "/my/applications/"]
    for url in pages:
        response = client.get(url)
        raw = response.get_data(as_text=True)
        assert response.status_code == 200, url
        assert SCRIPT not in raw and 'href="javascript' not in raw.lower(), url
        assert "&lt;script&gt;alert(1)&lt;/script&gt;" in raw, url
        assert TEMPLATE in html.unescape(raw), url  # shown as typed, never evaluated
    live = client.post(f"/applications/{pk}/pages/first/fields", data={"choice": "a"})
    assert SCRIPT not in live.get_data(as_text=True)
