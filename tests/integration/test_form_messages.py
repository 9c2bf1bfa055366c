"""Form messages come out in the page's language, FAB's own included (不是有效的选项, not "Not a
valid choice": FAB's select fields say it without the period WTForms' catalog has); a crafted POST
naming a region outside the user's scope says so, in the page's language."""
import pytest
import sqlalchemy as sa

from app.extensions import db
from app.models.dictionary import Dictionary, DictionaryEntry
from app.models.user import BanshiUser
from tests.support import login, make_user

ZH, EN = "不是有效的选项", "Not a valid choice"


def role_id(name):
    return db.session.scalar(sa.text("SELECT id FROM ab_role WHERE name = :n"), {"n": name})


def account_form(username, region):
    return {"username": username, "first_name": "某人", "region": region,
            "roles": [str(role_id("Reviewer"))], "active": "y", "password": "Good2026pass",
            "conf_password": "Good2026pass"}


@pytest.fixture
def region_admin(client, ctx):
    make_user("RegionAdmin", "130200", username="fm_admin")
    login(client, "fm_admin")
    return client


def region_error(html):
    return html.split('name="region"', 1)[1].split("</div>\n", 3)[:3]


#: What a region the select does not offer says (app.views.admin.scoped), in each language.
OUTSIDE_ZH, OUTSIDE_EN = "不在您的管辖范围内", "is outside your area"


@pytest.mark.parametrize("locale, message, other", [
    ("zh", OUTSIDE_ZH, OUTSIDE_EN), ("en", OUTSIDE_EN, OUTSIDE_ZH)])
def test_a_region_outside_the_scope_is_refused_in_words(region_admin, locale, message, other):
    region_admin.get(f"/lang/{locale}")
    reviewer = make_user("Reviewer", "130203", username="fm_reviewer")
    insutype = db.session.scalar(sa.select(Dictionary).where(Dictionary.code == "insutype"))
    posts = {
        "/users/add": account_form("fm_new", "440000"),
        f"/users/edit/{reviewer.id}": {"first_name": "某人", "region": "440000", "mobile": "",
                                       "roles": [str(role_id("Reviewer"))], "active": "y"},
        "/dictionaryentrymodelview/add": {"dictionary": insutype.id, "code": "39903",
                                          "name_zh": "外地", "name_en": "Away",
                                          "region": "440000", "sort": 1},
    }
    for url, data in posts.items():
        response = region_admin.post(url, data=data)
        html = response.get_data(as_text=True)
        assert response.status_code == 200, url
        assert message in html and other not in html, url
    db.session.expire_all()
    assert db.session.get(BanshiUser, reviewer.id).region_code == "130203"
    assert db.session.scalar(sa.select(BanshiUser).where(BanshiUser.username == "fm_new")) is None
    assert db.session.scalar(sa.select(DictionaryEntry).where(
        DictionaryEntry.code == "39903")) is None


def test_wtforms_own_messages_still_translated(region_admin):
    html = region_admin.post("/users/add", data={**account_form("fm_x", "130203"),
                                                 "roles": []}).get_data(as_text=True)
    assert "This field is required" not in html and "Not a valid" not in html


def test_a_field_message_is_translated_where_it_is_raised(app, ctx):
    """What a field raises is already in the page's language, for templates that print
    ``{{ error }}`` as it is (FAB's own form template translates it again)."""
    from flask_appbuilder.fields import QuerySelectField
    from flask_appbuilder.forms import DynamicForm
    from flask_babel import force_locale
    from wtforms import StringField
    from wtforms.validators import DataRequired

    class RegionForm(DynamicForm):
        region = QuerySelectField(query_func=lambda: [], get_pk_func=lambda row: row)
        name = StringField(validators=[DataRequired()])

    with app.test_request_context("/", method="POST", data={"region": "440000"}):
        app.preprocess_request()
        for locale, choice, required in (("zh", ZH, "此项为必填项。"),
                                         ("en", EN, "This field is required.")):
            with force_locale(locale):
                form = RegionForm(meta={"csrf": False})
                assert not form.validate()
                assert (form.region.errors, form.name.errors) == ([choice], [required])
