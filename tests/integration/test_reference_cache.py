"""Reference data cached per process (app.reference_cache): every change shows on the next request.

Code tables, regions, published definitions and the working calendar are kept by each process under the generation
the database triggers renumber; these tests change them the ways they change in production (an
administrator's edit, a publish, a raw statement, another process) and look again.
"""
import pytest
import sqlalchemy as sa

from app import create_app
from app.commands.applications.context import engine_context
from app.commands.formdefs import LoadFormdefsCommand
from app.extensions import db
from app.models.cache import REFERENCE, REFERENCE_TABLES, CacheGeneration
from app.models.dictionary import Dictionary, DictionaryEntry
from app.models.region import Region
from app.reference_cache import ReferenceCache
from tests.applications_support import FORMDEFS
from tests.support import counted_queries
from tests.wizard_support import (HB1, HB1_CODE, TANGSHAN, acknowledge_notice, citizen,
                                  post_step, publish, signed_in, start)

# One statement per table, as psql or another program would write it (no ORM events).
WRITES = {
    "dictionary": "UPDATE dictionary SET name_zh = name_zh WHERE code = 'insutype'",
    "dictionary_entry": "UPDATE dictionary_entry SET sort = sort WHERE code = '310'",
    "region": "UPDATE region SET name = name WHERE code = '130203'",
    "item_version": "UPDATE item_version SET lint_hash = lint_hash",
    "calendar_day": "UPDATE calendar_day SET name = name WHERE day >= '2026-01-01'",
    "calendar_year": "UPDATE calendar_year SET status = status WHERE year = 2026",
}
INSUTYPE_310 = "职工基本医疗保险"


def generation():
    return db.session.scalar(
        sa.select(CacheGeneration.value).where(CacheGeneration.name == REFERENCE))


def basic_page_of(client, app) -> tuple[int, str]:
    """Start HB-1 for the signed-in citizen, answer up to the basic page; return (id, url)."""
    pk = start(client, HB1_CODE, TANGSHAN)
    acknowledge_notice(client, pk)
    assert post_step(client, f"/applications/{pk}/filer", {"filer": "self"}).status_code == 302
    assert post_step(client, f"/applications/{pk}/pages/kind",
                     {"disease_kind": "chronic"}).status_code == 302
    return pk, f"/applications/{pk}/pages/basic"


def insutype_entry(code: str = "310") -> DictionaryEntry:
    """Return a national entry of 险种类型 (seeded once per test session: restore what you change)."""
    return db.session.scalar(sa.select(DictionaryEntry).join(Dictionary).where(
        Dictionary.code == "insutype", DictionaryEntry.code == code,
        DictionaryEntry.region_code.is_(None)))


@pytest.fixture
def hb1_citizen(app, ctx):
    """HB-1 published and a verified citizen; return (signed-in client, account)."""
    publish(HB1)
    user = citizen()
    return signed_in(app, user), user


@pytest.fixture
def hb1_client(hb1_citizen):
    return hb1_citizen[0]


def test_every_reference_table_has_a_write_here():
    assert set(WRITES) == set(REFERENCE_TABLES)


@pytest.mark.parametrize("table", sorted(WRITES))
def test_any_write_to_a_reference_table_renumbers_the_generation(ctx, table):
    publish(HB1)  # an item_version row to write
    before = generation()
    db.session.execute(sa.text(WRITES[table]))
    db.session.commit()
    assert generation() != before


def test_migrating_down_and_up_again_keeps_every_table_renumbering(ctx):
    """A later migration's downgrade must not copy a reference table (SQLite's batch mode drops
    its triggers, and the upgrade after it does not bring them back)."""
    from flask_migrate import downgrade, upgrade

    publish(HB1)
    db.session.remove()
    downgrade(revision="e7a4c2d9b1f0")  # the migration that made the triggers
    upgrade()
    for table in sorted(WRITES):
        before = generation()
        db.session.execute(sa.text(WRITES[table]))
        db.session.commit()
        assert generation() != before, table


def test_a_rolled_back_write_leaves_a_number_never_used_again(ctx):
    before = generation()
    db.session.execute(sa.text(WRITES["region"]))
    during = generation()
    db.session.rollback()
    assert during != before and generation() == before
    db.session.execute(sa.text(WRITES["region"]))
    db.session.commit()
    assert generation() not in (before, during)


def test_a_code_table_edit_shows_on_the_next_wizard_page(app, hb1_client):
    _pk, url = basic_page_of(hb1_client, app)
    assert INSUTYPE_310 in hb1_client.get(url).get_data(as_text=True)
    dictionary = db.session.scalar(sa.select(Dictionary).where(Dictionary.code == "insutype"))
    entry, residents = insutype_entry(), insutype_entry("390")
    try:
        entry.name_zh = "职工医保（新名称）"
        # A local code: 唐山's own, but this item offers 310 and 390 only (only:).
        local = DictionaryEntry(dictionary_id=dictionary.id, code="3T1", name_zh="唐山本地险种",
                                name_en="Tangshan local", region_code="130200", sort=999)
        db.session.add(local)
        db.session.commit()
        html = hb1_client.get(url).get_data(as_text=True)
        assert "职工医保（新名称）" in html and INSUTYPE_310 not in html
        assert 'value="390"' in html and "唐山本地险种" not in html
        residents.active = False
        db.session.commit()
        assert 'value="390"' not in hb1_client.get(url).get_data(as_text=True)
    finally:
        entry.name_zh = INSUTYPE_310  # national entries are seeded once per test session
        residents.active = True
        db.session.delete(local)
        db.session.commit()
    assert INSUTYPE_310 in hb1_client.get(url).get_data(as_text=True)


def test_a_new_version_shows_to_new_applications_only(app, hb1_client, tmp_path):
    first, first_url = basic_page_of(hb1_client, app)
    assert "单位名称" in hb1_client.get(first_url).get_data(as_text=True)
    changed = tmp_path / HB1[0].name
    changed.write_text(HB1[0].read_text(encoding="utf-8").replace(
        "label: {zh: 单位名称,", "label: {zh: 工作单位全称,"), encoding="utf-8")
    LoadFormdefsCommand([changed], publish=True).run()
    _second, second_url = basic_page_of(hb1_client, app)
    assert "工作单位全称" in hb1_client.get(second_url).get_data(as_text=True)
    kept = hb1_client.get(first_url).get_data(as_text=True)  # pinned to its version
    assert "单位名称" in kept and "工作单位全称" not in kept


def test_a_region_added_is_known_on_the_next_request(app, ctx):
    code = "13020300977"

    def known() -> bool:
        with app.test_request_context("/"):
            return engine_context(None).region_exists(code)

    assert not known()  # and remembered as unknown
    db.session.add(Region(code=code, name="路北区某学校", level="grassroots", kind="insurance",
                          parent_code="130203", path="130000/130200/130203/13020300977/"))
    db.session.commit()
    assert known()


def test_a_request_sees_its_own_write_and_a_rollback_is_forgotten(app, ctx):
    code = "13020300978"

    def known() -> bool:
        return engine_context(None).region_exists(code)

    with app.test_request_context("/"):
        assert not known()
        db.session.add(Region(code=code, name="未提交的节点", level="grassroots",
                              kind="insurance", parent_code="130203",
                              path="130000/130200/130203/13020300978/"))
        db.session.flush()
        assert known()
        db.session.rollback()
    with app.test_request_context("/"):
        assert not known()


def test_another_process_sees_a_committed_change_on_its_next_request(app, ctx):
    other = create_app("config", SQLALCHEMY_DATABASE_URI=app.config["SQLALCHEMY_DATABASE_URI"],
                       TESTING=True, UPLOAD_FOLDER=app.config["UPLOAD_FOLDER"])

    def seen_by_other() -> str:
        with other.test_request_context("/"):
            try:
                return engine_context(TANGSHAN, "zh").entries("insutype")["310"].label["zh"]
            finally:
                db.session.remove()

    assert seen_by_other() == INSUTYPE_310  # now cached in the other process
    entry = insutype_entry()
    try:
        entry.name_zh = "另一进程改的名称"
        db.session.commit()
        assert seen_by_other() == "另一进程改的名称"
    finally:
        entry.name_zh = INSUTYPE_310
        db.session.commit()
    with other.app_context():
        db.engine.dispose()


def test_a_role_taken_away_shows_on_the_next_request(app, hb1_citizen):
    client, user = hb1_citizen
    _pk, url = basic_page_of(client, app)
    assert client.get(url).status_code == 200
    user.roles = [app.appbuilder.sm.find_role("Reviewer")]
    db.session.commit()
    assert client.get(url).status_code == 403


def test_a_wizard_page_costs_at_most_six_queries_however_many_items(app, hb1_client):
    _pk, url = basic_page_of(hb1_client, app)
    hb1_client.get(url)
    with counted_queries() as one_item:
        assert hb1_client.get(url).status_code == 200
    publish(sorted(FORMDEFS.glob("*/*.yaml")))
    hb1_client.get(url)
    with counted_queries() as all_items:
        assert hb1_client.get(url).status_code == 200
    assert len(one_item) <= 6 and len(all_items) == len(one_item), (one_item, all_items)


def test_each_namespace_keeps_at_most_its_limit_least_recently_used_out():
    cache, loads = ReferenceCache({"n": 2}), []

    def get(key, generation=1):
        return cache.get(generation, "n", key, lambda: loads.append(key) or key * 10)

    assert [get(1), get(2), get(1), get(3)] == [10, 20, 10, 30]
    assert len(cache) == 2 and loads == [1, 2, 3]
    get(1)  # kept: it was used after 2
    get(2)  # dropped for 3, loaded again
    assert loads == [1, 2, 3, 2]
    get(2, generation=2)  # another generation starts empty
    assert loads == [1, 2, 3, 2, 2] and len(cache) == 1


def test_many_keys_load_the_missing_ones_in_one_call():
    cache, calls = ReferenceCache({"n": 3}), []

    def get_many(keys, generation=1):
        def load(missing):
            calls.append(sorted(missing))
            return {key: key * 10 for key in missing if key != 9}  # 9: not found
        return cache.get_many(generation, "n", keys, load)

    assert get_many([1, 2]) == {1: 10, 2: 20} and calls == [[1, 2]]
    assert get_many([2, 3, 9]) == {2: 20, 3: 30} and calls == [[1, 2], [3, 9]]
    assert get_many([1, 2, 3]) == {1: 10, 2: 20, 3: 30} and len(calls) == 2  # all kept
    assert get_many([4]) == {4: 40} and len(cache) == 3  # the least recently used went
    assert get_many([1], generation=2) == {1: 10} and calls[-1] == [1] and len(cache) == 1
