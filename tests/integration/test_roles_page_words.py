"""The roles page names permissions in the page's language: a menu by the name the menu bar
shows, the common permissions in words; other views keep their technical names."""
from tests.support import login, make_user


def test_menus_and_common_permissions_read_in_the_pages_language(client, ctx):
    login(client, make_user("Admin").username)
    page = client.get("/roles/list/").get_data(as_text=True)
    assert "区划与代码表：访问菜单" in page and "Regions &amp; code tables：menu access" not in page
    assert "审计日志：访问菜单" in page
    client.get("/lang/en")
    english = client.get("/roles/list/").get_data(as_text=True)
    assert "menu access on Regions &amp; code tables" in english
