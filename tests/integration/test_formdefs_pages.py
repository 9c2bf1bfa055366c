"""Shipped definitions and the wizard's own steps: page keys never stand for notice, filer,
materials or confirm (HB-4 once had a page ``confirm`` and its confirmation page read "Step 5")."""
import copy

from app.extensions import db
from app.models.application import Application
from app.views.citizen.wizard_support import Wizard
from tests.applications_support import FORMDEFS, clock  # noqa: F401
from tests.wizard_support import TANGSHAN, acknowledge_notice, citizen, post_step, publish, \
    signed_in, start

HB4 = [FORMDEFS / "130000-hebei" / "maternity_allowance.yaml"]


def hb4_draft(app):
    publish(HB4)
    client = signed_in(app, citizen(sex="2"))
    pk = start(client, "maternity_allowance", TANGSHAN)
    acknowledge_notice(client, pk)
    assert post_step(client, f"/applications/{pk}/filer", {"filer": "self"}).status_code == 302
    return client, pk


def test_hb4_confirmation_is_the_last_step_and_goes_back_to_the_materials(ctx, app, clock):
    client, pk = hb4_draft(app)
    html = client.get(f"/applications/{pk}/confirm").get_data(as_text=True)
    with app.test_request_context():
        wizard = Wizard(db.session.get(Application, pk))
        steps = wizard.steps()
        assert [s.key for s in steps if s.kind == "page"][1] == "patient_confirm"
        assert wizard.index("confirm") == len(steps) - 1
        previous, following = wizard.neighbours("confirm")
        assert previous.kind == "materials" and following is None
        assert wizard.index("patient_confirm") == [s.key for s in steps].index("patient_confirm")
    total = len(steps)
    assert f'<p class="progress-count">第{total}步，共{total}步</p>' in html


def test_a_page_called_confirm_in_an_old_version_is_never_the_confirmation(ctx, app, clock):
    """A version published before lint refused the name keeps working as the wizard's steps."""
    client, pk = hb4_draft(app)
    application = db.session.get(Application, pk)
    definition = copy.deepcopy(application.version.definition)
    definition["pages"][2]["key"] = "confirm"
    application.version.definition = definition
    db.session.commit()
    with app.test_request_context():
        wizard = Wizard(db.session.get(Application, pk))
        steps = wizard.steps()
        assert wizard.index("confirm") == len(steps) - 1
        assert steps[wizard.index("confirm")].kind == "confirm"
        assert wizard.neighbours("confirm")[0].kind == "materials"


def test_no_shipped_item_asks_an_agent_again_what_the_filer_step_asks():
    """The wizard's filer step asks an agent's address and relationship (HB-4 asked both twice)."""
    import yaml

    for path in FORMDEFS.rglob("*.yaml"):
        definition = yaml.safe_load(path.read_text(encoding="utf-8"))
        for page in definition.get("pages", ()):
            for field in page.get("fields", ()):
                asked_of_agents = 'filer == "agent"' in str(field.get("visible_when", ""))
                assert not (asked_of_agents and (
                    "address" in field["key"] or field.get("dictionary") == "relationship")), \
                    (path.name, field["key"])
