"""The person registry (app.registry) as a province's remote platform: when it fails mid-look-up
(connection refused, no answer in time, a reply that is not what was asked) pages and the API
say so — 503, the registry named, try again later — never a 500, and the failure is logged
without the ID number. And an agent's subject is matched against the registry's name as every
name check matches names (app.validators.same_name)."""
import datetime as dt
import json
import logging
import socket
import threading
import urllib.request
from contextlib import contextmanager
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer

import pytest
from sqlalchemy import func, select

from app.extensions import db
from app.models.application import Application
from app.registry import PersonRecord, PersonRegistry, RegistryUnavailableError
from tests.applications_support import (ALICE_ID, BOB_ID, FORMDEFS, REGION,  # noqa: F401
                                        api_create, clock, id_number, load_gd8, make_citizen,
                                        make_person, token)
from tests.integration.test_review_window import counter  # noqa: F401
from tests.wizard_support import post_step, signed_in, start, version_on

INFO_CHANGE = FORMDEFS / "440000-guangdong" / "resident_info_change.yaml"  # self or agent
ITEM = "resident_info_change"
AGENT = {"relationship": "04", "address": "广州市天河区天河路1号"}
MESSAGE_ZH = "参保人员信息库暂时无法访问"
MESSAGE_EN = "The person registry is unavailable at the moment"


class HttpRegistry(PersonRegistry):
    """A registry on another platform, asked over HTTP: ``GET {url}/persons/{id_number}``."""

    url = ""
    timeout = 2.0

    def find(self, id_number):
        with urllib.request.urlopen(f"{self.url}/persons/{id_number}",
                                    timeout=self.timeout) as reply:
            data = json.loads(reply.read().decode("utf-8"))
        return PersonRecord(id_number=data["id_number"], name=data["name"], sex=data["sex"],
                            birth_date=dt.date.fromisoformat(data["birth_date"]),
                            region_code=data["region"])


class NotJson(BaseHTTPRequestHandler):
    def do_GET(self):  # noqa: N802 - http.server's name
        body = b"<html>maintenance</html>"
        self.send_response(200)
        self.send_header("Content-Type", "text/html")
        self.send_header("Content-Length", str(len(body)))
        self.end_headers()
        self.wfile.write(body)

    def log_message(self, *args):
        pass


@contextmanager
def failing_server(kind: str):
    """Yield the base URL of a local registry that fails as ``kind`` says."""
    if kind == "refused":  # a port nothing listens on
        with socket.socket() as probe:
            probe.bind(("127.0.0.1", 0))
            port = probe.getsockname()[1]
        yield f"http://127.0.0.1:{port}", 2.0
    elif kind == "timeout":  # connects, never answers
        with socket.socket() as silent:
            silent.bind(("127.0.0.1", 0))
            silent.listen(8)
            yield f"http://127.0.0.1:{silent.getsockname()[1]}", 0.2
    else:  # answers, but not the JSON asked for
        server = ThreadingHTTPServer(("127.0.0.1", 0), NotJson)
        thread = threading.Thread(target=server.serve_forever, daemon=True)
        thread.start()
        try:
            yield f"http://127.0.0.1:{server.server_address[1]}", 2.0
        finally:
            server.shutdown()
            server.server_close()


@contextmanager
def registry_at(app, url: str, timeout: float):
    """Point the app's registry backend at ``url`` (HttpRegistry) until the block ends."""
    saved = app.config["PERSON_REGISTRY_BACKEND"]
    HttpRegistry.url, HttpRegistry.timeout = url, timeout
    app.extensions.pop("banshi_person_registry", None)
    app.config["PERSON_REGISTRY_BACKEND"] = f"{__name__}.HttpRegistry"
    try:
        yield
    finally:
        app.config["PERSON_REGISTRY_BACKEND"] = saved
        app.extensions.pop("banshi_person_registry", None)


@pytest.fixture
def alice(ctx, clock):
    """GD-2 (self or agent) published; Alice (林小红) and her father 王大明 in the registry."""
    load_gd8(INFO_CHANGE)
    make_person(BOB_ID, "王大明", sex="1")
    return make_citizen()


def applications() -> int:
    return db.session.scalar(select(func.count()).select_from(Application))


@pytest.mark.parametrize("kind", ["refused", "timeout", "not_json"])
def test_the_api_answers_503_naming_the_registry_and_logs_it(app, client, alice, kind, caplog):
    headers = token(client, alice.username)
    caplog.set_level(logging.WARNING, logger="app.registry")
    with failing_server(kind) as (url, timeout), registry_at(app, url, timeout):
        for lang, message in (("zh", MESSAGE_ZH), ("en", MESSAGE_EN)):
            response = client.post(f"/api/v1/applications/?_l_={lang}", headers=headers, json={
                "item": ITEM, "region": REGION, "filer": "agent",
                "subject": {"name": "王大明", "id_number": BOB_ID}, "agent": AGENT})
            assert response.status_code == 503, response.get_json()
            assert message in response.get_json()["message"]
    assert applications() == 0
    logged = [r.getMessage() for r in caplog.records if r.name == "app.registry"]
    assert logged and all("unavailable" in line for line in logged)
    assert BOB_ID not in caplog.text and "Traceback" not in caplog.text


def test_the_wizard_page_answers_503_naming_the_registry(app, alice):
    client = signed_in(app, alice)
    pk = start(client, ITEM, REGION)
    url = f"/applications/{pk}/filer"
    version = version_on(client.get(url).get_data(as_text=True))
    with failing_server("refused") as (address, timeout), registry_at(app, address, timeout):
        response = post_step(client, url, {"filer": "agent", "subject_name": "王大明",
                                           "subject_id_number": BOB_ID, **AGENT},
                             version=version)
        assert response.status_code == 503
        page = response.get_data(as_text=True)
        assert MESSAGE_ZH in page and "请稍后再试" in page
        client.get("/lang/en")
        english = post_step(client, url, {"filer": "agent", "subject_name": "王大明",
                                          "subject_id_number": BOB_ID, **AGENT},
                            version=version)
        assert english.status_code == 503 and MESSAGE_EN in english.get_data(as_text=True)
    db.session.expire_all()
    assert db.session.get(Application, pk).filer == "self"  # nothing changed


def test_a_backends_own_refusal_is_kept_and_not_found_is_no_failure(app, alice):
    class Refusing(PersonRegistry):
        def find(self, id_number):
            raise RegistryUnavailableError("maintenance window")

    from app.registry import GuardedRegistry

    with pytest.raises(RegistryUnavailableError, match="maintenance window"):
        GuardedRegistry(Refusing()).find(BOB_ID)
    with pytest.raises(RegistryUnavailableError):
        GuardedRegistry(HttpRegistry()).find(BOB_ID)  # no URL at all: a ValueError inside


# --- the agent's subject: one name comparison ----------------------------------------------

@pytest.mark.parametrize("typed", ["王 大明", " 王大明 ", "王　大明"])
def test_an_agents_subject_matches_the_registry_spaces_and_width_aside(client, alice, typed):
    headers = token(client, alice.username)
    response = api_create(client, headers, item=ITEM, filer="agent", agent=AGENT,
                          subject={"name": typed, "id_number": BOB_ID})
    assert response.status_code == 201, response.get_json()
    application = db.session.get(Application, response.get_json()["id"])
    assert application.subject_name == "王大明"  # the registry's spelling
    assert application.subject_verified_at is not None


def test_an_agents_subject_with_a_full_width_latin_name_matches(client, alice):
    anna = id_number("44010619920202003")
    make_person(anna, "Anna·Li", sex="2")
    headers = token(client, alice.username)
    response = api_create(client, headers, item=ITEM, filer="agent", agent=AGENT,
                          subject={"name": "ａｎｎａ・ＬＩ", "id_number": anna})
    assert response.status_code == 201, response.get_json()
    wrong = api_create(client, headers, item=ITEM, filer="agent", agent=AGENT,
                       subject={"name": "王小明", "id_number": BOB_ID})
    assert wrong.status_code == 422
    assert wrong.get_json()["errors"] == {"subject.name": ["姓名与证件号码不一致。"]}


def test_the_counters_look_up_and_entry_compare_names_the_same_way(app, counter):
    from tests.integration.test_review_window import signed_in as clerk_signed_in

    clerk = clerk_signed_in(app, counter)
    looked = clerk.post("/review/window/", data={"action": "check", "name": "林 小红",
                                                 "id_number": ALICE_ID})
    assert looked.status_code == 200 and "registry-match" in looked.get_data(as_text=True)
    entered = clerk.post("/review/window/", data={
        "item": "maternity_allowance", "region": REGION, "name": "林　小红",
        "id_number": ALICE_ID, "identity_checked": "y", "action": "create"})
    assert entered.status_code in (302, 303), entered.get_data(as_text=True)[-2000:]
    application = db.session.scalar(select(Application).order_by(Application.id.desc()))
    assert application.subject_name == "林小红"  # the registry's spelling, not as typed
