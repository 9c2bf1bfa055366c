"""FAB's group, role and permission pages speak the page's language: titles and labels
translated, roles named as on the account form (区域管理员, 审核人员), a built-in role's
permissions one a line rather than a Python list, and the group member picker lists staff
accounts only, as "username 姓名 (区划)"."""
import pytest

from tests.integration.test_separation_groups import make_group
from tests.support import login, make_user


@pytest.fixture
def admin(client, ctx):
    make_user("Admin", username="spw_admin")
    login(client, "spw_admin")
    return client


def test_the_group_form_is_in_chinese_with_staff_only(admin):
    make_user("Reviewer", "130203", username="spw_clerk", name="王审核")
    make_user("Citizen", "130203", username="spw_citizen", name="张市民")
    html = admin.get("/groups/add").get_data(as_text=True)
    assert "添加用户组" in html and "成员" in html and "说明" in html
    for english in ("Add Group", ">Description<", ">Users<"):
        assert english not in html, english
    assert "区域管理员" in html and "审核人员" in html
    assert ">RegionAdmin<" not in html and ">Reviewer<" not in html
    assert "spw_clerk 王审核 (" in html
    assert "spw_citizen" not in html and "张市民" not in html


def test_roles_list_names_roles_and_permissions_readably(admin):
    html = admin.get("/roles/list/").get_data(as_text=True)
    assert "区域管理员" in html and "角色" in html
    assert "[['" not in html
    assert "ItemDesigner：可列表" in html  # common permissions in words
    english = admin.get("/roles/list/?_l_=en").get_data(as_text=True)
    assert "Regional administrator" in english and "can list on ItemDesigner" in english


@pytest.mark.parametrize("url, title", [("/permissions/list/", "基础权限"),
                                        ("/viewmenus/list/", "视图和菜单"),
                                        ("/permissionviews/list/", "视图和菜单上的权限")])
def test_permission_pages_have_chinese_titles(admin, url, title):
    html = admin.get(url).get_data(as_text=True)
    assert title in html
    assert "List Base Permissions" not in html and "List View Menus" not in html


def test_a_groups_page_names_its_members_and_roles(admin):
    clerk = make_user("Reviewer", "130203", username="spw_member", name="王五")
    group = make_group("spw_desk", "Reviewer", users=[clerk])
    shown = admin.get(f"/groups/show/{group.id}")
    assert shown.status_code == 200
    html = shown.get_data(as_text=True)
    assert "spw_member 王五 (" in html and "审核人员" in html
    listed = admin.get("/groups/list/").get_data(as_text=True)
    assert "审核人员" in listed and ">Reviewer<" not in listed
