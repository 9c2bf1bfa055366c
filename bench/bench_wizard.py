"""Time GET of a generated wizard page against the same page written by hand, in the same app.

Run: python bench/bench_wizard.py [--n 200] [--postgres]. Prints figures only; nothing here
asserts on time. PostgreSQL uses BENCH_PG_URL (bench/_support.py).

- Subject: GET /applications/<id>/pages/basic of an HB-1 (门诊慢特病申报) draft, answers of the
  earlier pages saved, as a signed-in verified citizen (test client, no network). The page has
  ten questions (text, dictionary selects, id card, region, mobile) built by app.engine.forms,
  prefilled from the person registry, in the wizard layout (item name, steps, live update).
- Baseline: a plain Flask route registered on the same app, signed in the same way, that does
  by hand what the page needs: the checks every citizen page of the app makes (permission,
  verified identity, the row loaded through the app's scoped loader), the person from the
  registry (the prefill), the three code tables from the app's helper (cached like the
  wizard's), a FlaskForm written by hand with the same labels (through gettext), field types
  and attributes (the region question is the app's RegionField, drawn by the region picker
  where one is registered, as any page of this app draws it), HB-1's steps listed by hand,
  and a template (compiled once, like any page's) in the same layout with the same citizen
  macros. The two pages must be the same HTML but for whitespace: the script prints whether
  they are, and the lines that differ when they are not (then the ratio compares different
  pages).
- Queries per wizard page GET (before_cursor_execute on db.engine) with HB-1 alone published
  and again after publishing every definition in app/formdefs: the count must not grow with
  the number of items (goal ≤ 6).
"""
from __future__ import annotations

import argparse
import difflib
import re

from _support import PG_URL, counted, make_app, row, sqlite_url, timings

BATCH = 10  # GETs of one page in a row before the other page's turn

TEMPLATE = """{% extends "citizen/wizard_base.html" %}
{% set step_form = "step-form" %}
{% from "citizen/partials/_fields.html" import question %}
{% block step %}
<h1>{{ steps[current_index].label }}</h1>
<form method="post" id="step-form" action="{{ url_for('WizardView.page', pk=application.id, page_key='basic') }}" novalidate>
  <input type="hidden" name="csrf_token" value="{{ csrf_token() }}">
  <input type="hidden" name="_version" value="{{ application.lock_version }}">
  <button type="submit" name="_action" value="next" class="default-action" tabindex="-1" aria-hidden="true">{{ _("Next") }}</button>
  <p id="page-fields-status" class="visually-hidden" role="status" aria-live="polite"
     data-shown="{{ _('Now also asked: %(questions)s', questions='{questions}') }}"
     data-hidden="{{ _('No longer asked: %(questions)s', questions='{questions}') }}"></p>
  <div id="page-fields">
  {% for field in form if field.name != 'csrf_token' %}{{ question(field, fields_page) }}{% endfor %}
  </div>
  <div class="nav-buttons">
    <button type="submit" name="_action" value="back" class="secondary">{{ _("Previous") }}</button>
    <button type="submit" name="_action" value="next" class="primary">{{ _("Next") }}</button>
  </div>
</form>
{% endblock %}"""
# The steps of HB-1 for a citizen filing for themselves, as a hand-written wizard lists them.
STEPS = (("温馨提示", "WizardView.notice", {}), ("Who applies", "WizardView.filer", {}),
         ("申报选择", "WizardView.page", {"page_key": "kind"}),
         ("基本信息", "WizardView.page", {"page_key": "basic"}),
         ("特殊人员", "WizardView.page", {"page_key": "special_person"}),
         ("认定信息", "WizardView.page", {"page_key": "recognition"}),
         ("Materials", "WizardMaterialsView.materials", {}),
         ("Confirm", "WizardConfirmView.confirm", {}))


def add_baseline_route(app) -> None:
    """Register /bench/basic/<pk>: the basic page written by hand, drawing the same HTML."""
    from types import SimpleNamespace

    from flask import abort, render_template, url_for
    from flask_babel import get_locale, gettext, lazy_gettext as _l
    from flask_login import current_user, login_required
    from flask_wtf import FlaskForm
    from jinja2 import ChoiceLoader, DictLoader
    from wtforms import SelectField, StringField, TelField
    from wtforms.validators import DataRequired, Optional

    from app.commands.applications.access import get_application
    from app.commands.applications.context import dictionary_entries
    from app.commands.applications.errors import ApplicationNotFoundError
    from app.engine.fields.region import RegionField
    from app.engine.fields.widgets import CHOOSE
    from app.registry import get_person_registry
    from app.views.citizen import requires_verified_identity

    # A template file like any page's: compiled once, not per request.
    app.jinja_env.loader = ChoiceLoader([DictLoader({"bench/basic.html": TEMPLATE}),
                                         app.jinja_env.loader])
    readonly, disabled = {"readonly": True}, {"disabled": True}

    # Labels through gettext as on any page of this app (the bench adds no catalog entries, so
    # they are looked up and come back as written).
    class BasicForm(FlaskForm):
        name = StringField(_l("姓名"), validators=[DataRequired()],
                           render_kw={**readonly, "maxlength": 200})
        gender = SelectField(_l("性别"), validators=[DataRequired()], render_kw=disabled)
        cert_type = SelectField(_l("证件类型"), validators=[DataRequired()], render_kw=disabled)
        id_number = StringField(_l("证件号码"), validators=[DataRequired()],
                                render_kw={**readonly, "maxlength": 20, "autocomplete": "off"})
        cert_number = StringField(_l("证件号码"), validators=[DataRequired()],
                                  render_kw={**readonly, "maxlength": 200})
        employer_name = StringField(_l("单位名称"), validators=[Optional()],
                                    render_kw={"maxlength": 200})
        employer_code = StringField(_l("单位编号"), validators=[Optional()],
                                    render_kw={"maxlength": 200})
        insutype = SelectField(_l("险种类型"), validators=[DataRequired()])
        insured_region = RegionField(  # the app's region question (a picker where registered)
            _l("参保地区"), validators=[DataRequired()], within="130000", level="city",
            render_kw={"maxlength": 12, "inputmode": "numeric", "pattern": "[0-9]{6,12}",
                       "data-within": "130000", "data-level": "city"})
        mobile = TelField(_l("联系电话"), validators=[DataRequired()],
                          render_kw={"maxlength": 20, "inputmode": "tel", "autocomplete": "tel"})

    def basic(pk):
        # What every citizen page of this app must check: the permission (FAB), the row in the
        # user's scope (app.scoping, through the app's loader) and owned by the user.
        if not app.appbuilder.sm.has_access("can_apply", "CitizenApplications"):
            abort(403)
        try:
            application = get_application(pk)
        except ApplicationNotFoundError:
            abort(404)
        if application.applicant_id != current_user.id:
            abort(404)
        person = get_person_registry().find(application.subject_id_number
                                            or current_user.id_number)
        prefill = {"name": person.name, "gender": person.sex, "cert_type": person.cert_type,
                   "id_number": person.id_number, "cert_number": person.id_number,
                   "insured_region": person.region_code} if person else {}
        answers = {**(application.answers or {}), **prefill}
        form = BasicForm(formdata=None, data=answers)
        del form["cert_number" if answers.get("cert_type") == "01" else "id_number"]
        # The code tables in effect in the application's region, from the app's helper.
        lang = "en" if str(get_locale()).startswith("en") else "zh"
        # HB-1 offers 险种类型 310 and 390 only (its only:); the others, the whole table.
        for field, code, only in ((form.gender, "gend", None),
                                  (form.cert_type, "psn_cert_type", None),
                                  (form.insutype, "insutype", ("310", "390"))):
            field.choices = [("", CHOOSE[lang])] + [
                (e.code, e.label.get(lang) or e.label["zh"])
                for e in dictionary_entries(code, application.region_code)
                if only is None or e.code in only]
        steps = [SimpleNamespace(key=kw.get("page_key") or endpoint.split(".")[1],
                                 label=gettext(label), url=url_for(endpoint, pk=pk, **kw))
                 for label, endpoint, kw in STEPS]
        fields_page = SimpleNamespace(
            definitions={}, readonly=set(), shown={}, reasons={}, live=set(),
            can_edit=True, live_url=url_for("WizardView.fields", pk=pk, page_key="basic"))
        return render_template("bench/basic.html", form=form, application=application,
                               wizard=SimpleNamespace(name="门诊慢特病申报"), steps=steps,
                               current_index=3, fields_page=fields_page, title="门诊慢特病申报")

    app.add_url_rule("/bench/basic/<int:pk>", "bench_basic",
                     login_required(requires_verified_identity(basic)))


def prepare(app):
    """Publish HB-1, sign a citizen in and answer HB-1 up to the basic page; return (client, pk)."""
    from tests.wizard_support import (HB1, HB1_CODE, TANGSHAN, acknowledge_notice, citizen,
                                      post_step, publish, start)
    from tests.support import login

    with app.app_context():
        publish(HB1)
        username = citizen().username
    client = app.test_client()
    assert login(client, username).status_code == 302
    pk = start(client, HB1_CODE, TANGSHAN)
    acknowledge_notice(client, pk)
    assert post_step(client, f"/applications/{pk}/filer", {"filer": "self"}).status_code == 302
    assert post_step(client, f"/applications/{pk}/pages/kind",
                     {"disease_kind": "chronic"}).status_code == 302
    return client, pk


def compare_pages(wizard_html: str, baseline_html: str) -> None:
    """Print whether both pages are the same HTML but for whitespace, else where they differ."""
    def lines(html: str) -> list[str]:
        return re.sub(r">\s*<", ">\n<", re.sub(r"\s+", " ", html)).split("\n")

    diff = [line for line in difflib.unified_diff(lines(wizard_html), lines(baseline_html),
                                                  "wizard", "baseline", n=0, lineterm="")]
    if not diff:
        print("  same HTML (whitespace aside): yes")
        return
    print("  same HTML (whitespace aside): NO — the ratio compares different pages:")
    for line in diff[:20]:
        print(f"    {line[:160]}")


def queries_per_get(app, client, url) -> int:
    client.get(url)
    with app.app_context(), counted() as statements:
        response = client.get(url)
    assert response.status_code == 200, response.status_code
    return len(statements)


def publish_all(app) -> int:
    from sqlalchemy import func, select

    from app.commands.formdefs import LoadFormdefsCommand
    from app.extensions import db
    from app.models.item import Item
    from tests.applications_support import FORMDEFS

    with app.app_context():
        LoadFormdefsCommand(sorted(FORMDEFS.glob("*/*.yaml")), publish=True).run()
        return db.session.scalar(select(func.count(Item.id)))


def run(url: str, n: int) -> None:
    print(f"backend: {url.split(':')[0]}   N={n} GETs each (after 10 warm-up GETs)")
    app, _files = make_app(url)
    add_baseline_route(app)
    client, pk = prepare(app)
    wizard_url, baseline_url = f"/applications/{pk}/pages/basic", f"/bench/basic/{pk}"
    for target in (wizard_url, baseline_url):
        response = client.get(target)
        assert response.status_code == 200, (target, response.status_code)
    wizard_html = client.get(wizard_url).get_data(as_text=True)
    baseline_html = client.get(baseline_url).get_data(as_text=True)
    print(f"  page sizes: wizard {len(wizard_html)} chars, baseline {len(baseline_html)} chars; "
          f"<input|select>: wizard {wizard_html.count('<input') + wizard_html.count('<select')}"
          f", baseline {baseline_html.count('<input') + baseline_html.count('<select')}")
    compare_pages(wizard_html, baseline_html)
    one_item = queries_per_get(app, client, wizard_url)
    baseline_queries = queries_per_get(app, client, baseline_url)
    # Interleave the two in short runs so drift (GC, caches, other processes) hits both alike.
    wizard_t, baseline_t = [], []
    for _ in range(max(1, n // BATCH)):
        baseline_t += timings(lambda: client.get(baseline_url), BATCH, warmup=1)
        wizard_t += timings(lambda: client.get(wizard_url), BATCH, warmup=1)
    b_median, b_p90 = row("baseline: the same page by hand (FlaskForm), same app", baseline_t)
    w_median, w_p90 = row("wizard page GET /applications/<id>/pages/basic", wizard_t)
    print(f"  RATIO wizard/baseline: median {w_median / b_median:.2f}x   "
          f"p90 {w_p90 / b_p90:.2f}x   (goal <= 1.1x)")
    items = publish_all(app)
    many_items = queries_per_get(app, client, wizard_url)
    print(f"  SQL queries per GET: baseline page {baseline_queries}; wizard page with 1 item "
          f"published {one_item}, with {items} items published {many_items}   (goal <= 6, "
          f"not growing with items)")


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--n", type=int, default=200)
    parser.add_argument("--postgres", action="store_true", help="also run on PostgreSQL")
    args = parser.parse_args()
    run(sqlite_url(), args.n)
    if args.postgres:
        run(PG_URL, args.n)


if __name__ == "__main__":
    main()
