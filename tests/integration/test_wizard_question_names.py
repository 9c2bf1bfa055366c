"""Questions are named once and by their names: a pledge in the error summary by its name
(承诺书), not its whole text; a page whose one question is named as the page, once on 我要查's
detail page (HB-1's "Application type / Application type")."""
import html

from tests.applications_support import clock  # noqa: F401
from tests.wizard_support import (HB1, HB1_CODE, TANGSHAN, acknowledge_notice, citizen,
                                  post_step, publish, signed_in, start)

PLEDGE_TEXT = "本人承诺对不能前往现场认定的具体原因真实"


def text(response) -> str:
    return html.unescape(response.get_data(as_text=True))


def test_a_pledge_left_unticked_is_named_by_its_name_in_the_summary(app, ctx, clock):
    publish(HB1)
    client = signed_in(app, citizen())
    pk = start(client, HB1_CODE, TANGSHAN)
    acknowledge_notice(client, pk)
    assert post_step(client, f"/applications/{pk}/filer", {"filer": "self"}).status_code == 302
    response = post_step(client, f"/applications/{pk}/pages/special_person",
                         {"special": "1", "special_type": "居住偏远", "absence_reason": "路远"})
    assert response.status_code == 422
    page = text(response)
    summary = page[page.index('id="problems-title"'):page.index("</section>")]
    assert '<a href="#special_pledge">承诺书</a>：请勾选确认。' in summary, summary
    assert PLEDGE_TEXT not in summary
    assert PLEDGE_TEXT in page  # still the text beside the box


def test_a_page_named_as_its_one_question_shows_the_name_once(app, ctx, clock):
    publish(HB1)
    client = signed_in(app, citizen())
    pk = start(client, HB1_CODE, TANGSHAN)
    acknowledge_notice(client, pk)
    post_step(client, f"/applications/{pk}/filer", {"filer": "self"})
    post_step(client, f"/applications/{pk}/pages/kind", {"disease_kind": "chronic"})
    english = text(client.get(f"/my/applications/{pk}?_l_=en"))
    assert english.count("Application type") == 2  # the heading, and the hidden question
    assert "<h3>Application type</h3>" in english
    assert '<dt class="visually-hidden">Application type</dt>' in english
    chinese = text(client.get(f"/my/applications/{pk}?_l_=zh"))
    assert "<h3>申报选择</h3>" in chinese and "<dt>申报类型</dt>" in chinese  # names differ
