"""Every shipped item can be filed by a demo citizen and decided to its end by demo accounts.

After `flask demo`, for each published item: a demo citizen whose catalogue offers it starts a
draft; each region a step is routed by (``region_field``) is answered with a county where demo
accounts work, as the item's own checks accept it; then every step is entered (``when`` taken as
true, ``auto`` as handed to people: the most any application can need) and as many demo accounts
as the step's ``approvers`` must pass the workflow's own can_decide one after another, each
approval recorded, so ``distinct`` and 会签 count as in a real review. An item a later change
ships without reviewers in the demo fails here.
"""
import itertools
from typing import Optional

import sqlalchemy as sa

from app.cli import DEMO_ACCOUNTS
from app.commands.applications.create import CreateApplicationCommand
from app.commands.applications.save import SaveAnswersCommand
from app.engine.variants import versions_in_effect
from app.extensions import db
from app.models.application import Application, StepDecision
from app.models.item import Item
from app.models.region import Region
from app.models.user import BanshiUser
from app.workflow import can_decide, handling_region, steps
from app.workflow.deadlines import now


def demo_users(role: str) -> list[BanshiUser]:
    names = [name for name, account_role, *_ in DEMO_ACCOUNTS if account_role == role]
    return list(db.session.scalars(sa.select(BanshiUser).where(BanshiUser.username.in_(names))
                                   .order_by(BanshiUser.username)))


def counties() -> list[str]:
    """Return the county regions of demo accounts: the answers tried for a routing field."""
    codes = {region for _, _, region, *_ in DEMO_ACCOUNTS if region}
    return sorted(db.session.scalars(sa.select(Region.code).where(
        Region.code.in_(codes), Region.level == "county")))


def decide(application: Application, chain: list[dict], staff: list, index: int = 0,
           left: Optional[int] = None, names: tuple = ()) -> Optional[list]:
    """Return who decides each step from ``index`` on, as [(step, [username …])], or None."""
    if index == len(chain):
        return []
    step = chain[index]
    left = step.get("approvers") or 1 if left is None else left
    if left == 0:
        rest = decide(application, chain, staff, index + 1)
        return None if rest is None else [(step["key"], list(names)), *rest]
    for user in staff:
        application.current_step = step["key"]
        application.step_region_code = handling_region(application, step)
        if not can_decide(user, application, step).allowed:
            continue
        decision = StepDecision(application_id=application.id, step_key=step["key"],
                                round=application.round, actor_id=user.id,
                                decision="approve", at=now())
        db.session.add(decision)
        db.session.flush()
        found = decide(application, chain, staff, index, left - 1, (*names, user.username))
        if found is not None:
            return found
        db.session.delete(decision)
        db.session.flush()
    return None


def routed(application: Application, chain: list[dict], citizen) -> list[dict]:
    """Return the answers to try for the fields steps are routed by (the item's checks pass)."""
    fields = sorted({step["region_field"] for step in chain if step.get("region_field")})
    accepted = []
    for codes in itertools.product(counties(), repeat=len(fields)):
        answers = dict(zip(fields, codes))
        result = SaveAnswersCommand(application, answers, None, None, user=citizen).run()
        if not set(result.errors) & set(fields):
            accepted.append(answers)
    return accepted


def run_through(item: Item, citizens: list, staff: list) -> Optional[tuple]:
    for citizen in citizens:
        offered = {version.item_id: version for version in
                   versions_in_effect(citizen.region_code)}
        if item.id not in offered:
            continue
        application = CreateApplicationCommand(citizen, item.code, citizen.region_code,
                                               "self", None, channel="web").run()
        chain = steps(application.version)
        for answers in routed(application, chain, citizen) or [{}]:
            application.answers = {**(application.answers or {}), **answers}
            application.status, application.round = "submitted", 1
            found = decide(application, chain, staff)
            if found is not None:
                return citizen.username, answers, found
            db.session.execute(sa.delete(StepDecision).where(
                StepDecision.application_id == application.id))
    return None


def test_demo_accounts_take_every_shipped_item_to_its_end(runner, ctx):
    result = runner.invoke(args=["demo"])
    assert result.exit_code == 0, result.output
    citizens = demo_users("Citizen")
    for citizen in citizens:  # as after 实名认证 with the development secret
        citizen.identity_verified_at = now()
    staff = [user for user in db.session.scalars(sa.select(BanshiUser).order_by(
        BanshiUser.username)) if user.username in {row[0] for row in DEMO_ACCOUNTS}
        and not set(user.role_names) & {"Citizen"}]
    items = list(db.session.scalars(sa.select(Item).where(Item.status != "draft")
                                     .order_by(Item.region_code, Item.code)))
    assert len(items) >= 24
    missing = []
    for item in items:
        found = run_through(item, citizens, staff)
        if found is None:
            missing.append(f"{item.code}@{item.region_code}")
    assert not missing, f"no demo citizen and reviewers run these items end to end: {missing}"
