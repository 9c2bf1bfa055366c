"""Time GET of a generated wizard page against a hand-written WTForms page in the same app.

Run: python bench/bench_wizard.py [--n 200] [--postgres]. Prints figures only; nothing here
asserts on time.

- Subject: GET /applications/<id>/pages/basic of an HB-1 (门诊慢特病申报) draft, answers of the
  earlier pages saved, as a signed-in verified citizen (test client, no network). The page has
  ten questions (text, dictionary selects, id card, region, mobile) built by app.engine.forms.
- Baseline: a plain Flask route registered on the same app, signed in the same way, that loads
  the same application row, fills a FlaskForm written by hand with the same labels and field
  types (selects with their choices from the same dictionary/region tables) and renders it in
  the same citizen layout (citizen/base.html + citizen/_form.html's render_field).
- Queries per wizard page GET (before_cursor_execute on db.engine) with HB-1 alone published
  and again after publishing every definition in app/formdefs: the count must not grow with
  the number of items (goal ≤ 6).
"""
from __future__ import annotations

import argparse

from _support import PG_URL, counted, make_app, row, sqlite_url, timings

TEMPLATE = """{% extends "citizen/base.html" %}
{% from "citizen/_form.html" import render_field %}
{% block content %}<section class="card wizard"><h1>基本信息</h1>
<form method="post" novalidate>
  <input type="hidden" name="csrf_token" value="{{ csrf_token() }}">
  <input type="hidden" name="_version" value="{{ application.lock_version }}">
  {% for field in form %}{{ render_field(field) }}{% endfor %}
  <div class="nav-buttons"><button type="submit" name="_action" value="back" class="secondary">上一步</button>
  <button type="submit" name="_action" value="next" class="primary">下一步</button></div>
</form></section>{% endblock %}"""


def add_baseline_route(app) -> None:
    """Register /bench/basic/<pk>: the hand-written page with the basic page's fields."""
    from flask import abort, render_template_string
    from flask_login import current_user, login_required
    from flask_wtf import FlaskForm
    from sqlalchemy import select
    from wtforms import SelectField, StringField
    from wtforms.validators import DataRequired, Optional

    from app.extensions import db
    from app.models.application import Application
    from app.models.dictionary import Dictionary, DictionaryEntry
    from app.models.region import Region

    class BasicForm(FlaskForm):
        name = StringField("姓名", validators=[DataRequired()], render_kw={"readonly": True})
        gender = SelectField("性别", validators=[DataRequired()], render_kw={"disabled": True})
        cert_type = SelectField("证件类型", validators=[DataRequired()],
                                render_kw={"disabled": True})
        id_number = StringField("证件号码", validators=[DataRequired()],
                                render_kw={"readonly": True})
        employer_name = StringField("单位名称", validators=[Optional()])
        employer_code = StringField("单位编号", validators=[Optional()])
        insutype = SelectField("险种类型", validators=[DataRequired()])
        insured_region = SelectField("参保地区", validators=[DataRequired()])
        mobile = StringField("联系电话", validators=[DataRequired()],
                             render_kw={"inputmode": "tel"})

    def basic(pk):
        application = db.session.get(Application, pk)
        if application is None or application.applicant_id != current_user.id:
            abort(404)
        answers = application.answers or {}
        choices: dict[str, list] = {}
        for code, value, label in db.session.execute(
                select(Dictionary.code, DictionaryEntry.code, DictionaryEntry.name_zh)
                .join(DictionaryEntry, DictionaryEntry.dictionary_id == Dictionary.id)
                .where(Dictionary.code.in_(("gend", "psn_cert_type", "insutype")),
                       DictionaryEntry.region_code.is_(None))):
            choices.setdefault(code, [("", "请选择")]).append((value, label))
        cities = [("", "请选择")] + [tuple(r) for r in db.session.execute(
            select(Region.code, Region.name).where(Region.parent_code == "130000")
            .order_by(Region.code))]
        form = BasicForm(formdata=None, data=answers)
        form.gender.choices, form.cert_type.choices = choices["gend"], choices["psn_cert_type"]
        form.insutype.choices, form.insured_region.choices = choices["insutype"], cities
        return render_template_string(TEMPLATE, form=form, application=application,
                                      title="基本信息")

    app.add_url_rule("/bench/basic/<int:pk>", "bench_basic", login_required(basic))


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
    one_item = queries_per_get(app, client, wizard_url)
    baseline_queries = queries_per_get(app, client, baseline_url)
    # Interleave the two so drift (GC, caches) hits both alike.
    wizard_t, baseline_t = [], []
    for _ in range(4):
        baseline_t += timings(lambda: client.get(baseline_url), n // 4, warmup=3)
        wizard_t += timings(lambda: client.get(wizard_url), n // 4, warmup=3)
    b_median, b_p90 = row("baseline: hand-written FlaskForm page, same app + layout", baseline_t)
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
