"""The index on lower(username) that case-insensitive sign-in reads: made by its migration,
removed by the downgrade, and used by the lookup on SQLite and PostgreSQL."""
import itertools

import sqlalchemy as sa

from app.extensions import db
from app.models.user import BanshiUser

INDEX = "ix_ab_user_username_lower"
BEFORE = "a9b1c3d5e7f9"  # the revision before the index
PLANS = itertools.count()


def username_indexes():
    """Return {name: (expressions or columns, unique)} of the account table's indexes."""
    with db.engine.connect() as connection:
        if connection.dialect.name == "sqlite":
            # SQLAlchemy does not reflect SQLite's expression indexes; its catalogue holds them.
            rows = connection.exec_driver_sql(
                "SELECT name, sql FROM sqlite_master WHERE type = 'index' "
                "AND tbl_name = 'ab_user' AND sql IS NOT NULL").all()
            return {name: ([sql[sql.index("(", sql.index(" ON ")) + 1:-1].strip().lower()],
                           sql.upper().startswith("CREATE UNIQUE"))
                    for name, sql in rows}
    indexes = sa.inspect(db.engine).get_indexes("ab_user")
    return {index["name"]: ([e.lower() for e in index.get("expressions") or []]
                            or index["column_names"], bool(index["unique"]))
            for index in indexes}


def lookup_plan():
    """Return the query plan of sign-in's case-insensitive lookup, as one text."""
    # A new text each time: SQLite's driver caches a statement by its text, and a cached
    # EXPLAIN is not prepared again after the schema changed.
    name = f"nobody{next(PLANS)}"
    query = sa.select(BanshiUser.id).where(sa.func.lower(BanshiUser.username) == name)
    sql = str(query.compile(db.engine, compile_kwargs={"literal_binds": True}))
    with db.engine.connect() as connection:
        if connection.dialect.name == "sqlite":
            return " ".join(str(row) for row in connection.exec_driver_sql(
                f"EXPLAIN QUERY PLAN {sql}"))
        # A test database holds few accounts; the planner is asked whether it can use the index.
        connection.exec_driver_sql("SET enable_seqscan = off")
        return " ".join(row[0] for row in connection.exec_driver_sql(f"EXPLAIN {sql}"))


def test_the_lower_username_index_exists_and_is_not_unique(ctx):
    expressions, unique = username_indexes()[INDEX]
    assert [e.replace(" ", "").replace("(", "").replace(")", "").replace("::text", "")
            for e in expressions] == ["lowerusername"]
    assert unique is False


def test_the_case_insensitive_lookup_uses_the_index(ctx):
    assert INDEX in lookup_plan()


def test_migration_down_drops_the_index_and_up_makes_it_again(ctx):
    from flask_migrate import downgrade, upgrade

    db.session.remove()  # no open transaction holds a lock the DDL waits for (PostgreSQL)
    downgrade(revision=BEFORE)
    # Pooled SQLite connections may plan with the schema they read before the DDL: new ones.
    db.engine.dispose()
    try:
        assert INDEX not in username_indexes()
        assert INDEX not in lookup_plan()
    finally:
        upgrade()
        db.engine.dispose()
    assert INDEX in username_indexes()
    assert INDEX in lookup_plan()


def test_names_differing_only_in_case_may_stay_stored(ctx):
    """Databases made before names were unique in any case may hold such pairs."""
    from tests.support import make_user

    make_user("Citizen", "130203", username="CaseTwin")
    twin = make_user("Citizen", "130203", username="case_twin").id
    # The account commands refuse such a name now; older databases hold what they allowed.
    db.session.execute(sa.update(BanshiUser).where(BanshiUser.id == twin)
                       .values(username="casetwin"))
    db.session.commit()
    assert db.session.scalar(sa.select(sa.func.count()).select_from(BanshiUser).where(
        sa.func.lower(BanshiUser.username) == "casetwin")) == 2
