"""The designer's preview draws read-only prefilled answers as the citizen's wizard does: inside
the wizard's card, whose style sheet greys them with a dashed border."""
import copy
import re

from app.extensions import db
from tests.integration.designer_support import PROVINCE, item, load, staff, text


def test_a_read_only_prefilled_field_looks_as_in_the_wizard(client, ctx):
    load(PROVINCE, publish=False)
    staff(client)
    it = item()
    draft = copy.deepcopy(it.draft)
    draft["pages"][0]["fields"].insert(0, {
        "key": "applicant_name", "type": "text", "label": {"zh": "姓名", "en": None},
        "prefill": "person.name", "readonly": True})
    it.draft = draft
    db.session.commit()
    html = text(client.get(f"/items/{it.id}/preview"))
    assert re.search(r'<input[^>]*name="applicant_name"[^>]*readonly', html), html
    # wizard.css greys ".wizard input[readonly]": the field must stand inside that card
    card = re.search(r'<section class="card wizard">(.*?)</section>', html, re.S)
    assert card is not None and 'name="applicant_name"' in card.group(1)
