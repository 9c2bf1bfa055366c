"""Helpers for the retention tests: items with and without ``retention_years`` (a province item,
its 唐山 variant, an item on the platform default), closed applications full of personal data
decided through the real commands, drafts, and running ``flask applications purge``.
"""
from __future__ import annotations

import datetime as dt
from pathlib import Path

from sqlalchemy import select

from app.commands.applications.withdraw import WithdrawApplicationCommand
from app.commands.formdefs import LoadFormdefsCommand
from app.commands.reviews import ApproveCommand, RefuseCommand, ReturnCommand
from app.extensions import db
from app.models.application import Application, Attachment
from app.storage import get_storage
from app.workflow import resume
from tests.applications_support import id_number, png_bytes
from tests.review_support import citizen, fresh, reviewer, submitted

CST = dt.timezone(dt.timedelta(hours=8))
KEPT, DEFAULT = "kept_three", "kept_default"  # 3 years (唐山's variant: 5), platform default
SUBJECT_ID = id_number("13020319800101001")
AGENT_ADDRESS = "唐山市路北区某某街1号"
COMMENT = "核对无误。申请人张三，身份证 " + SUBJECT_ID

ITEM = """\
schema: 1
code: {code}
region: "130000"
name: {{zh: 保存期限测试, en: Retention test}}
filers: [self, agent]
time_limit_days: 5
{retention}pages:
  - key: main
    title: {{zh: 信息, en: Details}}
    fields:
      - {{key: note, type: text, label: {{zh: 说明, en: Note}}}}
materials:
  - {{key: scan, label: {{zh: 扫描件, en: Scan}}}}
approval:
  - {{key: accept, name: {{zh: 受理, en: Acceptance}}, role: Reviewer, level: county}}
"""
VARIANT = """\
schema: 1
code: kept_three
region: "130200"
derives: kept_three
retention_years: {years}
"""


def on(year: int, month: int, day: int, hour: int = 10) -> dt.datetime:
    return dt.datetime(year, month, day, hour, tzinfo=CST)


def publish_items(folder: Path, variant_years: int | None = 5) -> None:
    """Publish KEPT (3 years) with its 唐山 variant and DEFAULT (no retention_years)."""
    folder.mkdir(parents=True, exist_ok=True)
    paths = []
    for code, retention in ((KEPT, "retention_years: 3\n"), (DEFAULT, "")):
        paths.append(folder / f"{code}.yaml")
        paths[-1].write_text(ITEM.format(code=code, retention=retention), encoding="utf-8")
    if variant_years is not None:
        paths.append(folder / "kept_three_tangshan.yaml")
        paths[-1].write_text(VARIANT.format(years=variant_years), encoding="utf-8")
    LoadFormdefsCommand(paths, publish=True).run()


def attach(application, data: bytes | None = None) -> Attachment:
    """Store a file for ``application`` as the upload command does: file first, then its row."""
    key = get_storage().save(data or png_bytes())
    attachment = Attachment(application_id=application.id, material_key="scan",
                            region_code=application.region_code,
                            owner_id=application.applicant_id, original_name="张三身份证.png",
                            storage_key=key, content_type="image/png", size=10, sha256="0" * 64)
    db.session.add(attachment)
    db.session.commit()
    return attachment


def closed(clock, code: str, region: str, how: str, submitted_on: dt.datetime,
           closed_on: dt.datetime, files: int = 1):
    """Return an application of ``code`` filed by an agent, with answers, two files, a return
    and a resubmission, then closed ``how`` (approve / refuse / withdraw) on ``closed_on``."""
    clock.set(submitted_on)
    application = submitted(code, region, answers={"note": "张三的情况说明"}, at=submitted_on,
                            subject_id_number=SUBJECT_ID)
    application.filer, application.agent_relationship = "agent", "10"
    application.agent_address = AGENT_ADDRESS
    db.session.commit()
    for _ in range(files):
        attach(application)
    clerk = reviewer(region)
    ReturnCommand(application.id, clerk, "请补正：张三的说明不清",
                  missing={"fields": {"note": "请写明张三的情况"}}).run()
    resume(fresh(application), submitted_on + dt.timedelta(hours=2))
    db.session.commit()
    clock.set(closed_on)
    current = fresh(application)
    if how == "approve":
        ApproveCommand(current.id, clerk, COMMENT).run()
    elif how == "refuse":
        RefuseCommand(current.id, clerk, "不符合条件：张三 13800138000").run()
    else:
        WithdrawApplicationCommand(current, current.applicant, "张三不办了").run()
    return fresh(application)


def draft(code: str, region: str, touched: dt.datetime, files: int = 1):
    """Return a draft of ``code`` last changed at ``touched`` (its files uploaded then too)."""
    from app.engine.variants import effective_version

    version = effective_version(code, region, touched.date())
    application = Application(item_id=version.item_id, version_id=version.id,
                              region_code=region, applicant_id=citizen(region).id,
                              status="draft", answers={"note": "张三草稿"}, filer="agent",
                              agent_relationship="10", agent_address=AGENT_ADDRESS)
    db.session.add(application)
    db.session.commit()
    for _ in range(files):
        attach(application).uploaded_at = touched
    application.updated_at = touched
    db.session.commit()
    return fresh(application)


def purge(runner, *args: str):
    """Run ``flask applications purge`` with ``args``; return click's result."""
    result = runner.invoke(args=["applications", "purge", *args])
    db.session.expire_all()
    return result


def keys_of(application) -> list[str]:
    return list(db.session.scalars(select(Attachment.storage_key).where(
        Attachment.application_id == application.id)))
