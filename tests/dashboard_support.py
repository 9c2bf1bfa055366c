"""A hand-computed dashboard fixture: two 河北 items, nine applications in 唐山市, decided
through the real review commands with the clock moved across National Day 2025.

National Day 2025: 1–8 October are holidays; Sunday 28 September and Saturday 11 October are
make-up working days. ``app.workdays`` counts the days after the start up to and including the
end. "Today" is Wednesday 22 October 2025.

| app | item  | region | submitted  | what happened                                  | taken | deadline | overdue |
|-----|-------|--------|------------|------------------------------------------------|-------|----------|---------|
| A1  | alpha | 路北   | Tue 30 Sep | approved Thu 9 Oct (the holiday week is free)  | 1     | 14 Oct   | no      |
| A2  | alpha | 路北   | Mon 22 Sep | refused Wed 24 Sep                             | 2     | 28 Sep   | no      |
| A3  | alpha | 路南   | Thu 25 Sep | returned Fri 26 Sep, resubmitted Thu 9 Oct     | 8 − 4 | 9 → 14   | no      |
|     |       |        |            | (4 working days paused), approved Mon 13 Oct   | = 4   | Oct      |         |
| A4  | alpha | 路北   | Mon 15 Sep | approved Mon 29 Sep                            | 11    | 22 Sep   | yes     |
| A5  | beta  | 路北   | Wed 15 Oct | under review                                   | —     | 20 Oct   | yes     |
| A6  | beta  | 路南   | Mon 20 Oct | returned Tue 21 Oct                            | —     | 23 Oct   | no      |
| A7  | beta  | 路北   | Thu 9 Oct  | returned 10 Oct, resubmitted 13 Oct, returned  | —     | 13 → 15  | no      |
|     |       |        |            | again 14 Oct (two returns)                     |       | Oct      |         |
| A8  | beta  | 路北   | Thu 16 Oct | withdrawn Fri 17 Oct                           | —     | 21 Oct   | (left out) |
| A9  | beta  | 路北   | Mon 13 Oct | refused Mon 20 Oct                             | 5     | 16 Oct   | yes     |

alpha has a 5-working-day limit, beta 3. Outside 唐山市: one alpha application in 石家庄
长安区 (approved after 20 working days) and one gamma application in 深圳 南山区; and a draft
in 路北区 that never counts.
"""
from __future__ import annotations

import datetime as dt
from pathlib import Path

from app import workflow
from app.audit import record
from app.commands.applications.withdraw import WithdrawApplicationCommand
from app.commands.formdefs import LoadFormdefsCommand
from app.commands.reviews import ApproveCommand, RefuseCommand, ReturnCommand
from app.extensions import db
from app.models.application import Application
from tests.review_support import (CHANG_AN, LUBEI, LUNAN, NANSHAN, citizen, fresh, reviewer,
                                  submitted)

CST = dt.timezone(dt.timedelta(hours=8))
TODAY = dt.datetime(2025, 10, 22, 10, 0, tzinfo=CST)
ALPHA, BETA, GAMMA = "dash_alpha", "dash_beta", "dash_gamma"
NAMES = {ALPHA: ("看板甲事项", "Dashboard item alpha"), BETA: ("看板乙事项", "Dashboard item beta"),
         GAMMA: ("看板丙事项", "Dashboard item gamma")}

DEFINITION = """\
schema: 1
code: {code}
region: "{region}"
name: {{zh: {zh}, en: {en}}}
category: 测试
filers: [self]
time_limit_days: {limit}
pages:
  - key: main
    title: {{zh: 信息, en: Details}}
    fields:
      - {{key: note, type: text, label: {{zh: 说明, en: Note}}}}
approval:
  - {{key: accept, name: {{zh: 受理, en: Acceptance}}, role: Reviewer, level: county, time_limit_days: {limit}}}
"""

# The figures a 唐山市 (130200) viewer must see for September and October 2025.
EXPECTED = {
    "applications": 9,
    "statuses": {"submitted": 1, "returned": 2, "approved": 3, "refused": 2, "withdrawn": 1},
    "median": 4.0,           # 1, 2, 4, 5, 11
    "overdue": (3, 8),       # A4, A5, A9 of the eight not withdrawn
    "returns": 4,            # A3 once, A6 once, A7 twice
    "items": {
        ALPHA: {"applications": 4, "median": 3.0, "overdue": (1, 4), "returns": 1,
                "per_100": 25.0},
        BETA: {"applications": 5, "median": 5.0, "overdue": (2, 4), "returns": 3,
               "per_100": 60.0},
    },
    "regions": {LUBEI: 7, LUNAN: 2},
}


def on(month: int, day: int, hour: int = 10) -> dt.datetime:
    return dt.datetime(2025, month, day, hour, tzinfo=CST)


def publish_items(folder: Path) -> None:
    """Write and publish the three fixture items (alpha, beta in 河北; gamma in 广东)."""
    folder.mkdir(parents=True, exist_ok=True)
    paths = []
    for code, region, limit in ((ALPHA, "130000", 5), (BETA, "130000", 3),
                                (GAMMA, "440000", 5)):
        zh, en = NAMES[code]
        path = folder / f"{code}.yaml"
        path.write_text(DEFINITION.format(code=code, region=region, zh=zh, en=en, limit=limit),
                        encoding="utf-8")
        paths.append(path)
    LoadFormdefsCommand(paths, publish=True).run()


def load_item(folder: Path, code: str, region: str, zh: str, en: str,
              publish: bool = True) -> None:
    """Write and load one more item ``code`` owned by ``region`` under these names."""
    folder.mkdir(parents=True, exist_ok=True)
    path = folder / f"{code}-{region}.yaml"
    path.write_text(DEFINITION.format(code=code, region=region, zh=zh, en=en, limit=5),
                    encoding="utf-8")
    LoadFormdefsCommand([path], publish=publish).run()


class Desk:
    """Decide, resubmit and withdraw with the commands' clock (``workday_clock``) moved."""

    def __init__(self, clock) -> None:
        self.clock = clock
        self.reviewers = {}

    def reviewer(self, region: str):
        if region not in self.reviewers:
            self.reviewers[region] = reviewer(region)
        return self.reviewers[region]

    def approve(self, application, when):
        self.clock.set(when)
        current = fresh(application)
        ApproveCommand(current.id, self.reviewer(current.step_region_code), None,
                       current.lock_version).run()

    def refuse(self, application, when):
        self.clock.set(when)
        current = fresh(application)
        RefuseCommand(current.id, self.reviewer(current.step_region_code), "不符合条件",
                      current.lock_version).run()

    def return_(self, application, when):
        self.clock.set(when)
        current = fresh(application)
        ReturnCommand(current.id, self.reviewer(current.step_region_code), "请补正",
                      current.lock_version, {"fields": {"note": "请写明情况"}}).run()

    def resubmit(self, application, when):
        self.clock.set(when)
        current = fresh(application)
        workflow.resume(current)
        # What the submit command records with a resubmission (its history event).
        event = record("application.resubmitted", "application", current.id,
                       current.region_code, step=current.current_step)
        event.at = when  # history is stamped with the real time; here the clock's is real
        db.session.commit()

    def withdraw(self, application, when):
        self.clock.set(when)
        current = fresh(application)
        WithdrawApplicationCommand(current, current.applicant, "不办了").run()


def seed(clock, folder: Path) -> dict[str, Application]:
    """Publish the items and make the applications of the table above; clock ends at TODAY."""
    clock.set(on(9, 1))  # published before the first application: none is in effect earlier
    publish_items(folder)
    desk, made = Desk(clock), {}

    def make(name, code, region, when):
        clock.set(when)
        made[name] = submitted(code, region, answers={"note": "情况说明"}, at=when)
        return made[name]

    desk.approve(make("A1", ALPHA, LUBEI, on(9, 30)), on(10, 9))
    desk.refuse(make("A2", ALPHA, LUBEI, on(9, 22)), on(9, 24))
    a3 = make("A3", ALPHA, LUNAN, on(9, 25))
    desk.return_(a3, on(9, 26))
    desk.resubmit(a3, on(10, 9))
    desk.approve(a3, on(10, 13))
    desk.approve(make("A4", ALPHA, LUBEI, on(9, 15)), on(9, 29))
    make("A5", BETA, LUBEI, on(10, 15))
    desk.return_(make("A6", BETA, LUNAN, on(10, 20)), on(10, 21))
    a7 = make("A7", BETA, LUBEI, on(10, 9))
    desk.return_(a7, on(10, 10))
    desk.resubmit(a7, on(10, 13))
    desk.return_(a7, on(10, 14))
    desk.withdraw(make("A8", BETA, LUBEI, on(10, 16)), on(10, 17))
    desk.refuse(make("A9", BETA, LUBEI, on(10, 13)), on(10, 20))
    # Outside 唐山市: these must never show in its figures.
    desk.approve(make("X1", ALPHA, CHANG_AN, on(9, 1)), on(9, 29))
    make("X2", GAMMA, NANSHAN, on(10, 10))
    draft = fresh(made["A1"])
    db.session.add(Application(item_id=draft.item_id, version_id=draft.version_id,
                               region_code=LUBEI, applicant_id=citizen(LUBEI).id,
                               status="draft", answers={}))
    db.session.commit()
    clock.set(TODAY)
    return made
