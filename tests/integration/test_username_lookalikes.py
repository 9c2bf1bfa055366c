"""A new username holds ASCII letters, digits, . _ - @ and Chinese characters only: a name with
a look-alike letter from another alphabet (Cyrillic а in аdmin) or an invisible character (a
zero-width space) could pass for another account's in lists, logs and audit entries."""
import pytest
import sqlalchemy as sa

from app.extensions import db
from app.models.user import BanshiUser
from tests.support import login, make_user

REFUSED = "用户名只能包含字母a–z、数字、. _ - @ 和汉字"


@pytest.mark.parametrize("username", ["\u0430dmin", "ts_review\u0435r", "ts\u200breviewer",
                                      "ts\u202ereviewer", "ad min"])
def test_the_users_form_refuses_look_alike_names(client, ctx, username):
    make_user("Admin", username="lookalike_admin")
    login(client, "lookalike_admin")
    reply = client.post("/users/add", data={
        "username": username, "first_name": "测试", "region": "130203",
        "password": "Zx9!long-enough-pass", "conf_password": "Zx9!long-enough-pass",
        "roles": [], "active": "y"})
    assert reply.status_code == 200
    assert REFUSED in reply.get_data(as_text=True)
    assert db.session.scalar(sa.select(BanshiUser).where(BanshiUser.username == username)) is None


def test_the_command_line_refuses_them_and_takes_plain_names(app, ctx):
    runner = app.test_cli_runner()
    refused = runner.invoke(args=["users", "add", "--username", "\u0430dmin2", "--role",
                                  "Admin", "--password", "Zx9!long-enough-pass"])
    assert refused.exit_code != 0 and "a–z" in refused.output, refused.output
    assert db.session.scalar(sa.select(BanshiUser).where(
        BanshiUser.username == "\u0430dmin2")) is None
    from app.sign_in_names import username_problem

    for plain in ("ts_reviewer", "zhang.san-1@bureau", "张三", "13800138000x"):
        assert username_problem(plain) is None, plain
