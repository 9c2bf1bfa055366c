"""What staff and citizens read on pages seen in a walk through the demo: page titles, the
return checklist's labels, an item without materials, region levels in words, one word for
"in progress", queue tables that scroll inside their own box on a phone, and the queue's item
filter named in the page's language."""
import re

from app.commands.formdefs import LoadFormdefsCommand
from tests.browser.helpers import say
from tests.review_support import (FORMDEFS, HB1, LUBEI, publish, reviewer, submitted,
                                  workday_clock)  # noqa: F401  (a fixture)
from tests.support import login, make_user

WITHIN_PROVINCE = FORMDEFS / "130000-hebei" / "transfer_within_province.yaml"
HB1_ANSWERS = {"name": "王秀英", "cert_type": "01", "id_number": "11010519491231002X",
               "mobile": "13800138000", "_notice": True}


def signed_in(app, user):
    client = app.test_client()
    assert login(client, user.username).status_code == 302
    return client


def title_of(html: str) -> str:
    return re.search(r"<title>(.*?)</title>", html, re.S).group(1).strip()


def checklist_labels(html: str) -> list[str]:
    table = html.split('class="table table-condensed return-checklist"', 1)[1].split("</table>")[0]
    return re.findall(r'<label for="return-fields-[^"]+">([^<]*)</label>', table)


def test_return_checklist_tells_same_labels_apart_without_keys(app, ctx, workday_clock):
    publish(HB1)
    application = submitted(HB1, LUBEI, dict(HB1_ANSWERS),
                            subject_id_number=HB1_ANSWERS["id_number"])  # verified subject
    html = signed_in(app, reviewer(LUBEI)).get(
        f"/review/applications/{application.id}").get_data(as_text=True)
    labels = checklist_labels(html)
    # 姓名 and 证件号码 come from the registration: shown greyed, by their plain labels, with no
    # box to tick (the applicant cannot change them).
    table = html.split('class="table table-condensed return-checklist"', 1)[1].split("</table>")[0]
    fixed = re.findall(r'class="text-muted return-fixed"[^>]*>.*?<td>([^<]*)</td>', table, re.S)
    assert "姓名" in fixed and "证件号码" in fixed, fixed
    assert "姓名" not in labels and "证件号码" not in labels
    assert fixed.count("证件号码") == 1  # the twin its condition hid is not listed
    assert f"证件号码 · {say(app, 'not answered')}" not in fixed + labels
    assert "联系电话" in labels  # what the applicant can change is offered
    assert not [label for label in labels + fixed if re.search(r"[a-z_]{4,}", label)], labels


def test_staff_pages_carry_their_own_title(app, ctx, workday_clock):
    publish(HB1)
    application = submitted(HB1, LUBEI, dict(HB1_ANSWERS),
                            subject_id_number=HB1_ANSWERS["id_number"])  # verified subject
    client = signed_in(app, reviewer(LUBEI))
    name = say(app, "banshi")  # the brand in the page's language
    assert title_of(client.get("/review/pending").get_data(as_text=True)) == \
        f"{say(app, 'To do')} · {name}"
    detail = title_of(client.get(f"/review/applications/{application.id}").get_data(as_text=True))
    assert detail.startswith(say(app, "Application %(serial)s", serial=application.serial))
    assert detail.endswith(name)


def test_queue_table_scrolls_in_its_own_box(app, ctx, workday_clock):
    publish(HB1)
    submitted(HB1, LUBEI, dict(HB1_ANSWERS))
    html = signed_in(app, reviewer(LUBEI)).get("/review/pending").get_data(as_text=True)
    assert re.search(r'<div class="table-responsive">\s*<table class="[^"]*review-rows', html)


def test_dashboard_tables_scroll_in_their_own_box(app, ctx, workday_clock):
    publish(HB1)
    submitted(HB1, LUBEI, dict(HB1_ANSWERS))
    html = signed_in(app, make_user("RegionAdmin", LUBEI)).get("/dashboard/").get_data(as_text=True)
    boxes = re.findall(r'(<div class="table-responsive">\s*)?<table class="[^"]*dashboard-table',
                       html)
    assert len(boxes) == 6 and all(boxes), boxes


def item_options(html: str) -> dict[str, str]:
    select = html.split('<select id="f-item"', 1)[1].split("</select>", 1)[0]
    return dict(re.findall(r'<option value="([^"]+)"[^>]*>([^<]*)</option>', select))


def test_queue_item_filter_names_items_in_the_page_language(app, ctx, workday_clock):
    publish(HB1)
    LoadFormdefsCommand([WITHIN_PROVINCE]).run()  # a draft only: no published name in English
    submitted(HB1, LUBEI, dict(HB1_ANSWERS))
    client = signed_in(app, reviewer(LUBEI))
    english = client.get("/review/pending?_l_=en").get_data(as_text=True)
    assert item_options(english) == {
        HB1: "Outpatient chronic and special disease application",
        "transfer_within_province": "省内关系转移接续申请"}
    assert "<td>Outpatient chronic and special disease application</td>" in english  # as the row
    chinese = client.get("/review/pending?_l_=zh").get_data(as_text=True)
    assert item_options(chinese)[HB1] == "门诊慢特病申报"


def test_detail_of_an_item_without_materials_says_so(app, ctx, workday_clock):
    LoadFormdefsCommand([WITHIN_PROVINCE], publish=True).run()
    application = submitted("transfer_within_province", LUBEI, dict(HB1_ANSWERS))
    html = signed_in(app, reviewer(LUBEI)).get(
        f"/review/applications/{application.id}").get_data(as_text=True)
    assert say(app, "This item asks for no materials.") in html
    checklist = html.split("return-checklist", 1)[1].split("</table>")[0]
    assert f"<th colspan=\"3\">{say(app, 'Materials')}</th>" not in checklist
    assert f"<th colspan=\"3\">{say(app, 'Fields')}</th>" in checklist


def test_region_levels_read_as_words(client, ctx):
    make_user("RegionAdmin", "130200", username="ts_words")
    login(client, "ts_words")
    listing = client.get("/regionmodelview/list/").get_data(as_text=True)
    cells = re.findall(r"<td>\s*([^<]*?)\s*</td>", listing)
    assert say(client.application, "County or district") in cells
    assert not {"county", "city", "None"} & set(cells), sorted(set(cells))[:20]
    tree = client.get("/regions/tree/130200").get_data(as_text=True)
    assert "· city" not in tree and f"· {say(client.application, 'City')}" in tree
    assert "<td>county</td>" not in tree


def test_my_applications_tab_uses_the_status_word(app, client):
    """我要查's tabs are 全部 / 受理中 / 已完成 (SERVICE_ITEMS.md); a submitted row says 受理中 too,
    in English "In progress"."""
    from app.views.citizen.my_applications import STATUS_WORDS, TABS
    with app.test_request_context("/?_l_=zh"):
        assert [str(label) for label, _ in TABS.values()] == ["全部", "受理中", "已完成"]
        assert str(STATUS_WORDS["submitted"]) == "受理中"
    with app.test_request_context("/?_l_=en"):
        assert [str(label) for label, _ in TABS.values()] == ["All", "In progress", "Completed"]
