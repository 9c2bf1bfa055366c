"""Throughput of the submit API against a bare Flask + SQLAlchemy insert, same process, PostgreSQL.

Run: python bench/bench_submit_api.py [--n 200]. Prints figures only; nothing here asserts on
time. Needs ``createdb bench_banshi`` (its schema is dropped and rebuilt).

- Subject: POST /api/v1/applications/<id>/submit with a JWT from /api/v1/security/login and an
  Idempotency-Key, over N complete GD-8 (生育津贴) drafts created beforehand through the API
  (answers + the three required materials). Sequential, one test client, no network.
- Baseline: a separate minimal Flask app with its own SQLAlchemy engine on the same database,
  whose POST /submit/<id> reads a JSON body, inserts one row (serial, status, JSON answers,
  timestamp) into a scratch table and commits; driven by its own test client the same way.

- Floor: the same bare app sending as many statements as one submit does (counted on a draft
  submitted before the timed runs), as many of them inserts as the submit writes rows, the rest
  primary-key reads, in one transaction. It is what that database work alone costs here, so
  submit/floor is what banshi's own code (authentication, validation, the ORM) leaves of it;
  the ratio the goal names is the one against the one-insert baseline.
"""
from __future__ import annotations

import argparse
import time

from _support import PG_URL, counted, make_app


def baseline_app():
    import sqlalchemy as sa
    from flask import Flask, jsonify, request

    engine = sa.create_engine(PG_URL)
    meta = sa.MetaData()
    scratch = sa.Table(
        "bench_scratch_submit", meta, sa.Column("id", sa.Integer, primary_key=True),
        sa.Column("draft_id", sa.Integer), sa.Column("serial", sa.String(40)),
        sa.Column("status", sa.String(20)), sa.Column("answers", sa.JSON),
        sa.Column("submitted_at", sa.DateTime(timezone=True), server_default=sa.func.now()))
    meta.drop_all(engine)
    meta.create_all(engine)
    bare = Flask("bench_bare")
    read = sa.select(scratch.c.id).where(scratch.c.id == sa.bindparam("pk"))

    @bare.post("/submit/<int:pk>")
    def submit(pk):
        body = request.get_json(silent=True) or {}
        reads = request.args.get("reads", 0, type=int)
        writes = request.args.get("writes", 1, type=int)
        with engine.begin() as connection:
            for _ in range(reads):
                connection.execute(read, {"pk": pk}).first()
            for _ in range(writes):
                new_id = connection.execute(scratch.insert().values(
                    draft_id=pk, serial=f"B{pk:08d}", status="submitted",
                    answers=body.get("answers")).returning(scratch.c.id)).scalar_one()
        return jsonify(id=new_id, status="submitted", serial=f"B{pk:08d}")

    return bare, engine


def drafts(app, client, n: int):
    """Return (headers, ids): a citizen's JWT and ``n`` complete GD-8 drafts."""
    from tests.applications_support import api_create, api_fill, load_gd8, make_citizen, token

    with app.app_context():
        load_gd8()
        username = make_citizen().username
    headers = token(client, username)
    ids = []
    for _ in range(n):
        response = api_create(client, headers)
        assert response.status_code == 201, response.get_json()
        pk = response.get_json()["id"]
        api_fill(client, headers, pk)
        ids.append(pk)
    return headers, ids


def main() -> None:
    from tests.applications_support import GD8_ANSWERS, NOW

    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--n", type=int, default=200)
    args = parser.parse_args()
    app, _files = make_app(PG_URL, clock=NOW)
    client = app.test_client()
    start = time.perf_counter()
    headers, ids = drafts(app, client, args.n + 2)
    ids, warm_id, counted_id = ids[:-2], ids[-2], ids[-1]
    print(f"backend: postgresql   N={args.n} drafts prepared through the API in "
          f"{time.perf_counter() - start:.1f} s")

    response = client.post(f"/api/v1/applications/{warm_id}/submit", headers={
        **headers, "Idempotency-Key": f"bench-{warm_id}"})  # fills the per-process caches
    assert response.status_code == 200, response.get_json()
    with app.app_context(), counted() as statements:
        response = client.post(f"/api/v1/applications/{counted_id}/submit", headers={
            **headers, "Idempotency-Key": f"bench-{counted_id}"})
        assert response.status_code == 200, response.get_json()

    bare, engine = baseline_app()
    bare_client = bare.test_client()

    def bare_rate(reads: int = 0, writes: int = 1) -> float:
        query = f"reads={reads}&writes={writes}"
        for i in range(10):  # warm-up: connection pool, first-request set-up
            bare_client.post(f"/submit/{-i - 1}?{query}", json={"answers": GD8_ANSWERS})
        start = time.perf_counter()
        for pk in ids:
            response = bare_client.post(f"/submit/{pk}?{query}", json={"answers": GD8_ANSWERS})
            assert response.status_code == 200
        return len(ids) / (time.perf_counter() - start)

    writes = sum(s.lstrip().split(None, 1)[0].upper() in ("INSERT", "UPDATE", "DELETE")
                 for s in statements)
    baseline = bare_rate()
    floor = bare_rate(len(statements) - writes, writes)
    engine.dispose()

    start = time.perf_counter()
    for pk in ids:
        response = client.post(f"/api/v1/applications/{pk}/submit", headers={
            **headers, "Idempotency-Key": f"bench-{pk}"})
        assert response.status_code == 200, response.get_json()
    submits = len(ids) / (time.perf_counter() - start)

    print(f"  baseline: bare Flask + SQLAlchemy insert+commit    {baseline:8.1f} inserts/s   "
          f"({1000 / baseline:.2f} ms each)")
    print(f"  floor: {len(statements) - writes} reads + {writes} inserts, one commit          "
          f"{floor:8.1f} /s   "
          f"({1000 / floor:.2f} ms each)")
    print(f"  POST /api/v1/applications/<id>/submit (JWT)       {submits:8.1f} submits/s   "
          f"({1000 / submits:.2f} ms each)")
    print(f"  SQL statements per submit (JWT user and permission checks included): "
          f"{len(statements)}")
    print(f"  ratio submit/floor: {submits / floor:.2f}x")
    print(f"  RATIO submit/baseline throughput: {submits / baseline:.2f}x   (goal >= 0.8x)")


if __name__ == "__main__":
    main()
