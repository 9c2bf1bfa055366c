"""The staff user list shows words, not Python values: 启用/停用 for the active column and the
roles' names (as the item designer names them) instead of ``[RegionAdmin]``."""
import re

from app.extensions import db
from tests.browser.helpers import say
from tests.support import login, make_user

LIST = "/users/list/?psize_StaffUserModelView=100"


def row_of(html: str, username: str) -> list[str]:
    """Return the cells of the list row that shows ``username``."""
    for row in re.findall(r"<tr[^>]*>(.*?)</tr>", html, re.S):
        cells = [re.sub(r"<[^>]+>", "", cell).strip()
                 for cell in re.findall(r"<td[^>]*>(.*?)</td>", row, re.S)]
        if username in cells:
            return cells
    raise AssertionError(f"no row for {username}")


def test_active_and_roles_read_as_words(client, ctx):
    make_user("Admin", username="ulw_admin")
    make_user("RegionAdmin", "130000", username="ulw_region")
    stopped = make_user("Reviewer", "130000", username="ulw_stopped")
    stopped.active = False
    db.session.commit()
    login(client, "ulw_admin")
    app = client.application
    for locale in ("zh", "en"):
        html = client.get(f"{LIST}&_l_={locale}").get_data(as_text=True)
        region, reviewer = row_of(html, "ulw_region"), row_of(html, "ulw_stopped")
        assert say(app, "Regional administrator", locale) in region
        assert say(app, "Active", locale) in region
        assert say(app, "Reviewer", locale) in reviewer
        assert say(app, "Disabled", locale) in reviewer
        assert say(app, "Platform administrator", locale) in row_of(html, "ulw_admin")
        cells = region + reviewer
        assert not {"True", "False", "[RegionAdmin]", "[Reviewer]"} & set(cells), cells
    assert "区域管理员" in row_of(client.get(f"{LIST}&_l_=zh").get_data(as_text=True), "ulw_region")
