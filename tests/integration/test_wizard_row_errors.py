"""A repeating group's errors over HTTP without JavaScript: every row's error in the summary,
named by its row and linked to its input, cross-row rules at the same time, and only the
inputs in error marked."""
import html
import re

from tests.applications_support import FORMDEFS, NOW, clock  # noqa: F401
from tests.wizard_support import (JIANGSU_ID, JS1, JS1_CODE, NANJING, SPOUSE_ID,
                                  acknowledge_notice, citizen, make_person, post_step, publish,
                                  signed_in, start)


def text(response) -> str:
    return html.unescape(response.get_data(as_text=True))


def summary(page: str) -> list[tuple[str, str]]:
    """Return (link target, text) of each entry of the error summary."""
    found = re.search(r'<section class="problems".*?</section>', page, re.S)
    assert found, "no error summary"
    return [(target, re.sub(r"<[^>]+>", "", item).strip()) for target, item in re.findall(
        r'<li>\s*<a href="#([^"]+)">(.*?)</li>', found.group(0), re.S)]


def test_every_row_error_is_in_the_summary_with_its_row(app, ctx, clock):  # noqa: F811
    publish(JS1)
    client = signed_in(app, citizen(JIANGSU_ID, "李明", NANJING))
    make_person(SPOUSE_ID, "王芳", NANJING)
    pk = start(client, JS1_CODE, NANJING)
    acknowledge_notice(client, pk)
    assert post_step(client, f"/applications/{pk}/pages/authoriser",
                     {"mobile": "13800138000"}).status_code == 302
    bad = SPOUSE_ID[:-1] + ("0" if SPOUSE_ID[-1] != "0" else "1")
    response = post_step(client, f"/applications/{pk}/pages/account_users", {
        "users-0-name": "王芳", "users-0-id_card": SPOUSE_ID, "users-0-relationship": "02",
        "users-1-name": "李明", "users-1-id_card": JIANGSU_ID, "users-1-relationship": "03",
        "users-2-name": "王五", "users-2-id_card": bad, "users-2-relationship": "04",
        "users-3-name": "赵六", "users-3-id_card": SPOUSE_ID, "users-3-relationship": "05"})
    assert response.status_code == 422
    page = text(response)
    listed = summary(page)
    # a rule across the rows names the rows it is about: those without which it holds
    assert ("q-users", "共济使用人：第2项：共济使用人不能是授权人本人") in listed
    # the duplicate is found beside row 3's own error (its ID number counts as not given)
    assert ("q-users", "共济使用人：第1项、第4项：同一使用人不能重复添加") in listed
    assert ("users-2-id_card", "第3项 证件号码：身份证号码校验位错误。") in listed
    # in the same pass, row 4's name is not the registry's for 王芳's ID number
    assert ("users-3-id_card", "第4项 证件号码：姓名与证件号码不一致。") in listed
    # only those two ID numbers are marked, not every input of the group
    assert 'class="field repeat has-error"' not in page
    assert re.findall(r'aria-invalid="true"[^>]*id="([^"]+)"', page) == ["users-2-id_card",
                                                                          "users-3-id_card"]


def test_a_wrong_name_in_a_row_is_in_the_summary(app, ctx, clock):  # noqa: F811
    publish(JS1)
    client = signed_in(app, citizen(JIANGSU_ID, "李明", NANJING))
    make_person(SPOUSE_ID, "王芳", NANJING)
    pk = start(client, JS1_CODE, NANJING)
    acknowledge_notice(client, pk)
    assert post_step(client, f"/applications/{pk}/pages/authoriser",
                     {"mobile": "13800138000"}).status_code == 302
    response = post_step(client, f"/applications/{pk}/pages/account_users", {
        "users-0-name": "王五", "users-0-id_card": SPOUSE_ID, "users-0-relationship": "02"})
    assert response.status_code == 422
    assert ("users-0-id_card", "第1项 证件号码：姓名与证件号码不一致。") in summary(text(response))
