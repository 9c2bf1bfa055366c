"""Window entry (窗口代录): a clerk files for a walk-in citizen; channel ``window``, entered_by the
clerk, owned by the citizen's account (or a placeholder the citizen claims at 实名认证); it then
follows the same chain and shows in the reviewers' queue."""
import io
import re

import pytest
from sqlalchemy import select

from app.commands.identity import VerifyIdentityCommand
from app.extensions import db
from app.models.application import Application, Attachment
from app.models.audit import AuditEvent
from app.models.user import BanshiUser
from tests.applications_support import (ALICE_ID, BOB_ID, CODE, GD8_ANSWERS,  # noqa: F401
                                        GD8_REQUIRED_MATERIALS, REGION, clock, load_gd8,
                                        make_citizen, make_person, png_bytes, token)
from tests.browser.helpers import say
from tests.support import login, make_user

PAGES = {
    "insured": ("mobile",),
    "employer": ("employer_name", "employer_uscc", "not_advanced_reason"),
    "leave": ("leave_type", "event_date", "parity", "fetus_count", "leave_start", "leave_end"),
    "bank": ("bank_name", "bank_account", "account_holder"),
}


def signed_in(app, user):
    client = app.test_client()
    assert login(client, user.username).status_code == 302
    return client


@pytest.fixture
def counter(ctx, clock):
    """GD-8 published, Alice in the person registry (no account), a clerk at 天河区."""
    load_gd8()
    make_person(ALICE_ID, "林小红")
    return make_user("Reviewer", REGION, name="窗口张")


def start(client, **form):
    data = {"item": CODE, "region": REGION, "name": "林小红", "id_number": ALICE_ID,
            "identity_checked": "y", "action": "create", **form}
    return client.post("/review/window/", data={k: v for k, v in data.items() if v is not None})


def fill_and_submit(client, pk):
    answers = {**GD8_ANSWERS, "account_holder": "林小红"}
    for page, keys in PAGES.items():
        response = client.post(f"/review/window/{pk}/pages/{page}",
                               data={key: str(answers[key]) for key in keys})
        assert response.status_code == 303, (page, response.get_data(as_text=True)[-3000:])
    for key in GD8_REQUIRED_MATERIALS:
        response = client.post(f"/review/window/{pk}/materials", data={
            "action": "upload", "material": key, "file": (io.BytesIO(png_bytes()), "扫描件.png")},
            content_type="multipart/form-data")
        assert response.status_code == 303, response.get_data(as_text=True)[-2000:]
    return client.post(f"/review/window/{pk}/submit", data={"notice_read": "y"})


def test_a_clerk_files_for_a_walk_in_citizen_and_it_reaches_the_queue(app, counter):
    clerk = signed_in(app, counter)
    page = clerk.get("/review/window/").get_data(as_text=True)
    assert f'value="{CODE}"' in page
    looked_up = clerk.post("/review/window/", data={"action": "check", "name": "林小红",
                                                    "id_number": ALICE_ID.lower()})
    assert looked_up.status_code == 200 and "registry-match" in looked_up.get_data(as_text=True)
    unchecked = start(clerk, identity_checked=None)
    assert unchecked.status_code == 422
    assert say(app, "Check the identity card at the counter first.") in unchecked.get_data(
        as_text=True)
    assert db.session.scalar(select(Application.id)) is None
    created = start(clerk)
    assert created.status_code == 303 and re.search(r"/review/window/\d+/pages/insured$",
                                                    created.headers["Location"])
    application = db.session.scalar(select(Application))
    assert (application.channel, application.entered_by_id) == ("window", counter.id)
    assert application.subject_id_number == ALICE_ID and application.subject_name == "林小红"
    holder = db.session.get(BanshiUser, application.applicant_id)
    assert holder.id_number == ALICE_ID and not holder.active and holder.password is None
    assert holder.identity_method == "window"
    entry = db.session.scalar(select(AuditEvent).where(
        AuditEvent.action == "application.window_entry"))
    assert entry.actor_id == counter.id and entry.detail["identity_checked"] is True
    assert entry.detail["account"] == "placeholder" and ALICE_ID not in str(entry.detail)
    form = clerk.get(created.headers["Location"]).get_data(as_text=True)
    assert 'name="mobile"' in form
    submitted = fill_and_submit(clerk, application.id)
    assert submitted.status_code == 303, submitted.get_data(as_text=True)[-3000:]
    db.session.expire_all()
    application = db.session.get(Application, application.id)
    assert application.status == "submitted" and application.serial
    assert application.current_step == "accept" and application.step_region_code == REGION
    files = list(db.session.scalars(select(Attachment).where(
        Attachment.application_id == application.id)))
    assert len(files) == 3 and {f.uploaded_by_id for f in files} == {counter.id}
    colleague = signed_in(app, make_user("Reviewer", REGION))
    queue = colleague.get("/review/pending").get_data(as_text=True)
    assert f'data-application="{application.id}"' in queue and ALICE_ID not in queue
    detail = colleague.get(f"/review/applications/{application.id}").get_data(as_text=True)
    assert "窗口张" in detail and 'class="decide-approve"' in detail
    # Submitted: the window pages are closed now.
    assert clerk.get(f"/review/window/{application.id}/pages/insured").status_code == 404


def test_the_citizen_claims_the_application_when_verifying_their_identity(app, counter):
    clerk = signed_in(app, counter)
    start(clerk)
    application = db.session.scalar(select(Application))
    fill_and_submit(clerk, application.id)
    placeholder_id = application.applicant_id
    citizen = make_user("Citizen", None, mobile="13912345678")
    VerifyIdentityCommand(citizen, "林小红", ALICE_ID, "ec_password", "123456").run()
    db.session.expire_all()
    assert db.session.get(Application, application.id).applicant_id == citizen.id
    assert {a.owner_id for a in db.session.scalars(select(Attachment))} == {citizen.id}
    placeholder = db.session.get(BanshiUser, placeholder_id)
    assert placeholder.id_number is None and not placeholder.active
    listed = app.test_client().get("/api/v1/applications/",
                                   headers=token(app.test_client(), citizen.username))
    assert [row["id"] for row in listed.get_json()["result"]] == [application.id]


def test_an_existing_account_is_used_and_must_match_the_name(app, counter):
    bob = make_citizen(BOB_ID, "王大明")
    clerk = signed_in(app, counter)
    wrong = start(clerk, name="王小明", id_number=BOB_ID)
    assert wrong.status_code == 422
    assert say(app, "The name and ID number do not match our records.") in wrong.get_data(
        as_text=True)
    assert start(clerk, name="王大明", id_number=BOB_ID).status_code == 303
    application = db.session.scalar(select(Application))
    assert application.applicant_id == bob.id and application.channel == "window"


def test_bad_input_and_foreign_applications_are_refused(app, counter):
    clerk = signed_in(app, counter)
    bad = start(clerk, id_number="44010619900101002X")
    assert bad.status_code == 422 and db.session.scalar(select(Application.id)) is None
    assert start(clerk, item="no_such_item").status_code == 422
    assert start(clerk, region="440305").status_code == 403  # not the clerk's region
    start(clerk)
    window = db.session.scalar(select(Application))
    other_county = signed_in(app, make_user("Reviewer", "440105"))
    for url in (f"/review/window/{window.id}/pages/insured",
                f"/review/window/{window.id}/materials"):
        assert other_county.get(url).status_code == 404
    assert other_county.post(f"/review/window/{window.id}/submit").status_code == 404
    alice = make_citizen(BOB_ID, "王大明")
    from app.commands.applications.create import CreateApplicationCommand

    web = CreateApplicationCommand(alice, CODE, REGION).run()
    assert clerk.get(f"/review/window/{web.id}/pages/insured").status_code == 404
    assert clerk.get(f"/review/window/{window.id}/pages/nowhere").status_code == 404


def test_a_city_clerk_chooses_the_county_it_is_filed_in(app, counter):
    city_clerk = signed_in(app, make_user("Reviewer", "440100"))
    page = city_clerk.get("/review/window/").get_data(as_text=True)
    assert 'name="region"' in page and 'value="440106"' in page and 'value="440305"' not in page
    assert start(city_clerk, region="440100").status_code == 422  # a city is not a county
    assert start(city_clerk).status_code == 303
    assert db.session.scalar(select(Application.region_code)) == REGION
