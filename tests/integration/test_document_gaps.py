"""A certificate the person registry cannot support is never issued by rule, and the reviewer is
warned before approving it (app.workflow.document_facts.document_gaps): its ``registry.*`` and
``enrollment.*`` placeholders would print empty when the registry does not know the subject or
no enrollment meets the document's ``enrollment`` condition."""
import pytest

from app.commands.formdefs import LoadFormdefsCommand
from tests.integration.test_result_document import ANSWERS, JINJIANG, apply, publish_certificate
from tests.review_support import FORMDEFS, history, reviewer, workday_clock  # noqa: F401
from tests.support import login

WARNING = "凭证中的参保信息将为空："


def review_page(app, application) -> str:
    client = app.test_client()
    login(client, reviewer(JINJIANG).username)
    return client.get(f"/review/applications/{application.id}").get_data(as_text=True)


@pytest.mark.parametrize("registered", [False, True])
def test_the_reviewer_is_warned_when_the_registry_cannot_support_it(app, ctx, workday_clock,
                                                                   registered):
    publish_certificate(registered=registered)
    application, _person = apply({**ANSWERS, "purpose": "other", "purpose_detail": "贷款"})
    assert application.status == "submitted"  # 其他: a clerk decides
    html = review_page(app, application)
    if registered:
        assert WARNING not in html
    else:
        assert WARNING + "参保人员库中没有本申请的参保人" in html, html[-3000:]


def test_a_rule_does_not_issue_a_certificate_the_registry_cannot_support(
        app, ctx, workday_clock, tmp_path):
    source = (FORMDEFS / "510000-sichuan" / "insurance_certificate.yaml").read_text("utf-8")
    start = source.index("    auto: '")
    blind = source[:start] + "    auto: 'filer == \"self\"'\n" + source[
        source.index("\n", start) + 1:]
    (tmp_path / "insurance_certificate.yaml").write_text(blind, "utf-8")
    LoadFormdefsCommand([tmp_path / "insurance_certificate.yaml"], publish=True).run()
    application, _person = apply(dict(ANSWERS))  # nobody in the registry
    assert application.status == "submitted" and application.current_step == "auto_issue"
    referred = history(application, "application.rule_referred")
    assert referred and referred[-1].detail.get("outcome") == "registry"
    assert WARNING in review_page(app, application)
