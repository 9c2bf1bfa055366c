"""A failed form token (CSRF, 400) is drawn in the layout of whoever is signed in."""
import pytest

from tests.support import login, make_user


@pytest.fixture
def csrf_after_sign_in(app):
    """Sign in with the form token off (the helper sends none), then turn it on."""
    def turn_on():
        app.config["WTF_CSRF_ENABLED"] = True
    yield turn_on
    app.config["WTF_CSRF_ENABLED"] = False


def test_a_failed_form_token_keeps_the_staff_layout(app, client, ctx, csrf_after_sign_in):
    make_user("RegionAdmin", "130200", username="el_admin")
    login(client, "el_admin")
    csrf_after_sign_in()
    response = client.post("/users/add", data={"username": "x"})
    html = response.get_data(as_text=True)
    assert response.status_code == 400
    assert 'href="/logout/"' in html and 'href="/login/"' not in html
    assert "navbar" in html  # the staff pages' menu, not the citizens' header


def test_a_signed_in_citizen_keeps_their_name(app, client, ctx, csrf_after_sign_in):
    make_user("Citizen", "130203", username="el_citizen", name="王小红")
    login(client, "el_citizen")
    csrf_after_sign_in()
    response = client.post("/me/close", data={})
    html = response.get_data(as_text=True)
    assert response.status_code == 400
    assert "王小红" in html and 'href="/login/"' not in html
