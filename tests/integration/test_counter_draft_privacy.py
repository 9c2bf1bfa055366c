"""A counter draft (窗口代录) is the entering clerk's alone: the citizen it is filed for gets 404
on every route, web and API, and does not find it in 我要查 until it is submitted; then they
read it as their application. Returned, it is corrected by the clerk: the citizen's changes are
403, and the web and the notice of the return tell them what was asked and that the counter
corrects it, with no forms that cannot save."""
from sqlalchemy import select

from app.extensions import db
from app.commands.notifications import render
from app.models.application import Application, Attachment, Notification
from tests.applications_support import (BOB_ID, CODE, GD8_ANSWERS, REGION, api_create,  # noqa
                                        api_fill, clock, load_gd8, make_citizen, token)
from tests.support import login, make_user

WALK_IN = {"name": "王大明", "id_number": BOB_ID}


def api_routes(pk: int, file_id: int) -> list[tuple[str, str, dict]]:
    base = f"/api/v1/applications/{pk}"
    return [("get", base, {}), ("get", f"{base}/form", {}),
            ("get", f"{base}/files/{file_id}", {}),
            ("put", f"{base}/answers", {"json": {"answers": {"bank_name": "x"}}}),
            ("put", f"{base}/answers", {"json": {"answers": {"_pledges": {"x": True}}}}),
            ("post", f"{base}/materials/id_document", {"data": {}}),
            ("delete", f"{base}/materials/id_document/{file_id}", {}),
            ("post", f"{base}/submit", {"headers": {"Idempotency-Key": "k1"}}),
            ("post", f"{base}/withdraw", {"json": {}}), ("delete", base, {})]


def web_routes(pk: int, file_id: int) -> list[tuple[str, str]]:
    return [("get", f"/applications/{pk}/"), ("get", f"/applications/{pk}/notice"),
            ("get", f"/applications/{pk}/filer"), ("get", f"/applications/{pk}/materials"),
            ("get", f"/applications/{pk}/confirm"), ("get", f"/my/applications/{pk}"),
            ("get", f"/my/applications/{pk}/withdraw"), ("get", f"/my/applications/{pk}/delete"),
            ("post", f"/my/applications/{pk}/delete"), ("get", f"/my/files/{file_id}")]


def test_the_citizen_cannot_reach_a_counter_draft_until_it_is_submitted(app, ctx, clock):
    load_gd8()
    bob = make_citizen(BOB_ID, "王大明")
    clerk_user = make_user("Reviewer", REGION, name="窗口张")
    api = app.test_client()
    clerk, citizen = token(api, clerk_user.username), token(api, bob.username)
    created = api_create(api, clerk, subject=WALK_IN, identity_checked=True)
    assert created.status_code == 201, created.get_json()
    pk = created.get_json()["id"]
    api_fill(api, clerk, pk, {**GD8_ANSWERS, "account_holder": "王大明"})
    file_id = db.session.scalar(select(Attachment.id).where(Attachment.application_id == pk))
    assert db.session.get(Application, pk).applicant_id == bob.id

    for method, url, kwargs in api_routes(pk, file_id):
        kwargs = {**kwargs, "headers": {**citizen, **kwargs.get("headers", {})}}
        assert getattr(api, method)(url, **kwargs).status_code == 404, (method, url)
    listed = api.get("/api/v1/applications/", headers=citizen).get_json()["result"]
    assert pk not in [row["id"] for row in listed]
    web = app.test_client()
    assert login(web, bob.username).status_code == 302
    for method, url in web_routes(pk, file_id):
        assert getattr(web, method)(url).status_code == 404, (method, url)
    assert f"/applications/{pk}/" not in web.get("/my/applications/?tab=all").get_data(True)
    assert f"/applications/{pk}/" not in web.get(f"/apply/{CODE}?region={REGION}").get_data(True)
    db.session.expire_all()
    application = db.session.get(Application, pk)
    assert application.status == "draft" and application.answers.get("bank_name") != "x"

    submitted = api.post(f"/api/v1/applications/{pk}/submit",
                         headers={**clerk, "Idempotency-Key": "clerk-1"})
    assert submitted.status_code == 200, submitted.get_json()
    # Submitted: the citizen reads it as their application.
    assert api.get(f"/api/v1/applications/{pk}", headers=citizen).status_code == 200
    listed = api.get("/api/v1/applications/", headers=citizen).get_json()["result"]
    assert [row["id"] for row in listed] == [pk]
    assert web.get(f"/my/applications/{pk}").status_code == 200


def test_a_returned_counter_application_is_corrected_by_the_clerk_not_the_citizen(app, ctx,
                                                                                   clock):
    from app.commands.reviews.return_ import ReturnCommand

    load_gd8()
    bob = make_citizen(BOB_ID, "王大明")
    clerk_user = make_user("Reviewer", REGION, name="窗口张")
    api = app.test_client()
    clerk, citizen = token(api, clerk_user.username), token(api, bob.username)
    pk = api_create(api, clerk, subject=WALK_IN, identity_checked=True).get_json()["id"]
    api_fill(api, clerk, pk, {**GD8_ANSWERS, "account_holder": "王大明"})
    assert api.post(f"/api/v1/applications/{pk}/submit",
                    headers={**clerk, "Idempotency-Key": "c1"}).status_code == 200
    ReturnCommand(pk, make_user("Reviewer", REGION, name="受理员"), "请补正",
                  missing={"fields": {"bank_name": "请核对开户银行"}}).run()
    db.session.commit()
    file_id = db.session.scalar(select(Attachment.id).where(Attachment.application_id == pk))

    change = {"json": {"answers": {"bank_name": "中国银行"}}}
    assert api.get(f"/api/v1/applications/{pk}", headers=citizen).status_code == 200
    refused = api.put(f"/api/v1/applications/{pk}/answers", headers=citizen, **change)
    assert refused.status_code == 403 and "counter" in api.put(
        f"/api/v1/applications/{pk}/answers?_l_=en", headers=citizen,
        **change).get_json()["message"]
    assert api.delete(f"/api/v1/applications/{pk}/materials/id_document/{file_id}",
                      headers=citizen).status_code == 403
    assert api.post(f"/api/v1/applications/{pk}/submit",
                    headers={**citizen, "Idempotency-Key": "b1"}).status_code == 403
    web = app.test_client()
    assert login(web, bob.username).status_code == 302
    assert web.get(f"/my/applications/{pk}").status_code == 200
    assert api.put(f"/api/v1/applications/{pk}/answers", headers=clerk,
                   **change).status_code == 200
    assert db.session.get(Application, pk).status == "returned"


def test_a_returned_counter_application_is_read_only_for_the_citizen_on_the_web(app, ctx, clock):
    from app.commands.reviews.return_ import ReturnCommand

    load_gd8()
    bob = make_citizen(BOB_ID, "王大明")
    clerk_user = make_user("Reviewer", REGION, name="窗口张")
    api = app.test_client()
    clerk = token(api, clerk_user.username)
    pk = api_create(api, clerk, subject=WALK_IN, identity_checked=True).get_json()["id"]
    api_fill(api, clerk, pk, {**GD8_ANSWERS, "account_holder": "王大明"})
    assert api.post(f"/api/v1/applications/{pk}/submit",
                    headers={**clerk, "Idempotency-Key": "c1"}).status_code == 200
    ReturnCommand(pk, make_user("Reviewer", REGION, name="受理员"), "请补正",
                  missing={"fields": {"bank_name": "请核对开户银行"},
                           "materials": {"id_document": "身份证照片不清晰"}}).run()
    db.session.commit()
    notice = db.session.scalars(select(Notification).where(
        Notification.application_id == pk).order_by(Notification.id.desc())).first()
    assert notice.recipient_id == bob.id
    assert "由窗口负责补正" in render(notice) and "请登录" not in render(notice)
    assert "counter that entered it makes the corrections" in render(notice, "en")
    web = app.test_client()
    assert login(web, bob.username).status_code == 302
    detail = f"/my/applications/{pk}"
    wizard = f"/applications/{pk}"
    for url in (f"{wizard}/", f"{wizard}/pages/bank", f"{wizard}/materials",
                f"{wizard}/confirm", f"{wizard}/notice"):
        answer = web.get(url)
        assert answer.status_code == 302 and answer.location.endswith(detail), url

    page = web.get(detail).get_data(as_text=True)
    assert "请核对开户银行" in page and "身份证照片不清晰" in page  # what was asked
    assert "由代录的窗口负责补正" in page
    assert f'href="{wizard}/"' not in page and "<form" not in page.split('id="returned-title"')[1]
    english = web.get(detail + "?_l_=en").get_data(as_text=True)
    assert "the counter that entered it makes any corrections" in english
    assert f'href="{wizard}/"' not in english

    listed = web.get("/my/applications/?tab=open&_l_=en").get_data(as_text=True)
    assert f'href="{detail}"' in listed and f'href="{wizard}/"' not in listed
    assert "See what the counter is to correct" in listed
    assert "Correct and resubmit" not in listed
