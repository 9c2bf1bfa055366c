"""The 申报人 step (who applies) refused: the same error summary on top as a page of
questions, each line linked to its input."""
import html
import re

from tests.applications_support import clock  # noqa: F401
from tests.browser.helpers import say
from tests.wizard_support import (HB1, HB1_CODE, TANGSHAN, acknowledge_notice, citizen,
                                  post_step, publish, signed_in, start)


def test_an_agent_without_details_gets_the_error_summary(app, ctx, clock):  # noqa: F811
    publish(HB1)
    client = signed_in(app, citizen())
    pk = start(client, HB1_CODE, TANGSHAN)
    acknowledge_notice(client, pk)
    response = post_step(client, f"/applications/{pk}/filer", {"filer": "agent"})
    assert response.status_code == 422
    page = html.unescape(response.get_data(as_text=True))
    found = re.search(r'<section class="problems" role="alert".*?</section>', page, re.S)
    assert found, "no error summary"
    summary = found.group(0)
    assert say(app, "Please fix these before going on") in summary
    targets = re.findall(r'<a href="#([^"]+)">', summary)
    assert targets == ["subject_name", "subject_id_number", "relationship", "address"]
    assert f'<a href="#subject_name">{say(app, "Full name of the person you apply for")}</a>' \
        in summary
    for target in targets:  # each link leads to its input
        assert f'id="{target}"' in page
