"""Attach and remove material files; find files and rows that lost each other (E4).

A file is written to storage first, then its Attachment row is committed; when the transaction
fails the file is deleted again. A worker killed in between leaves a file without a row, which
:func:`reconcile_storage` lists (``flask applications reconcile``), as it lists rows whose file
is gone. Pledges (告知承诺) are answers, not files: see app.commands.applications.save.
"""
from __future__ import annotations

from dataclasses import dataclass, field as dataclass_field
from typing import Any, Optional

from flask_babel import lazy_gettext as _l
from sqlalchemy import func, select

from app.audit import record
from app.commands.applications.access import ensure_owner, get_attachment
from app.commands.applications.context import engine_context, now, variables
from app.commands.applications.correctable import correctable
from app.commands.applications.errors import ApplicationInvalidError, material_error_key
from app.commands.applications.requirements import material_settings, refuse_inapplicable
from app.commands.applications.save import NOT_ASKED, ONLY_ASKED, ensure_editable
from app.extensions import db
from app.models.application import Application, Attachment
from app.storage import get_storage
from app.uploads import check_upload
from app.uploads.sniff import display_name

NO_MATERIAL = _l("This item asks for no such material.")
TOO_MANY_FILE = _l("%(name)s was not added: attach at most %(max)d files here.")


def single_upload(files, name: str = "file"):
    """Return the one upload sent as ``name`` (None when there is none); 422 at ``name`` when
    there are more: storing the first alone would drop the others unsaid."""
    uploads = files.getlist(name)
    if len(uploads) > 1:
        raise ApplicationInvalidError({name: [_l(
            "Send one file per upload: this one held %(count)d files named “%(name)s”.",
            count=len(uploads), name=name)]})
    return uploads[0] if uploads else None


def find_material(application: Application, key: str) -> dict:
    for material in application.version.definition.get("materials", ()):
        if material["key"] == key:
            return material
    raise ApplicationInvalidError({material_error_key(str(key)[:60]): [NO_MATERIAL]})


def material_label(application: Application, key: str) -> str:
    material = next((m for m in application.version.definition.get("materials", ())
                     if m["key"] == key), {})
    return engine_context(application).text(material.get("label")) or key


def ensure_applies(application: Application, key: str) -> None:
    """Refuse (422, named by its label) an upload or pledge for a material the answers make
    unnecessary (无需提供), as the wizard's and the counter's materials pages decide it."""
    refuse_inapplicable(application.version.definition, application.answers or {},
                        engine_context(application), variables(application), {key})


def _ensure_changeable(application: Application, key: str) -> None:
    """Refuse a change of a material the correction may not change (422, named by its label):
    neither flagged nor made required by a correctable answer, as SaveAnswersCommand refuses
    such a change of a question."""
    ensure_editable(application)
    if application.status == "returned" and key not in correctable(application)["materials"]:
        raise ApplicationInvalidError({material_error_key(key): [NOT_ASKED]}, ONLY_ASKED % {
            "labels": material_label(application, key)})


@dataclass
class AttachMaterialCommand:
    """Check one uploaded file against its material's rules and store it."""

    application: Application
    material_key: str
    file_storage: Any  # werkzeug FileStorage: .stream, .filename
    user: Any = None
    uploaded_by: Any = None  # who scanned it, when not the applicant (a clerk at the counter)

    def validate(self) -> dict:
        self.user = ensure_owner(self.application, self.user)
        material = find_material(self.application, self.material_key)
        _ensure_changeable(self.application, self.material_key)
        if material.get("required_when") and not material.get("required"):
            ensure_applies(self.application, self.material_key)
        if self.file_storage is None or not getattr(self.file_storage, "filename", None):
            raise ApplicationInvalidError({"file": [_l("Choose a file to upload.")]})
        limit = material_settings(material)["max_files"]
        # Lock the application row: two uploads at once cannot both pass the count.
        db.session.scalar(select(Application.id).where(Application.id == self.application.id)
                          .with_for_update())
        if self._count() >= limit:
            raise ApplicationInvalidError({material_error_key(self.material_key): [
                TOO_MANY_FILE % {"name": self._name(), "max": limit}]})
        return material

    def _name(self) -> str:
        return display_name(self.file_storage.filename or "") or "?"

    def _count(self) -> int:
        return db.session.scalar(select(func.count()).select_from(Attachment).where(
            Attachment.application_id == self.application.id,
            Attachment.material_key == self.material_key, Attachment.removed_at.is_(None)))

    def run(self) -> Attachment:
        material = self.validate()
        settings = material_settings(material)
        checked = check_upload(self.file_storage.stream, self.file_storage.filename,
                               settings["accept"], int(settings["max_size_mb"] * 1024 * 1024))
        storage = get_storage()
        key = storage.save(checked.data)
        application = self.application
        try:
            attachment = Attachment(
                application_id=application.id, material_key=self.material_key,
                region_code=application.region_code, owner_id=application.applicant_id,
                original_name=checked.original_name[:300], storage_key=key,
                content_type=checked.content_type, size=checked.size, sha256=checked.sha256,
                uploaded_by_id=(self.uploaded_by or self.user).id, uploaded_at=now())
            db.session.add(attachment)
            db.session.flush()
            # Counted again inside the write: on SQLite the first count ran before any
            # transaction (FOR UPDATE is a no-op there), so uploads at once all passed it.
            if self._count() > settings["max_files"]:
                raise ApplicationInvalidError({material_error_key(self.material_key): [
                    TOO_MANY_FILE % {"name": self._name(), "max": settings["max_files"]}]})
            record("application.material_added", "application", application.id,
                   application.region_code, material=self.material_key, file_id=attachment.id,
                   sha256=checked.sha256, size=checked.size)
            db.session.commit()
        except BaseException:
            db.session.rollback()
            storage.delete(key)
            raise
        return attachment


@dataclass
class RemoveAttachmentCommand:
    """Remove a file: deleted from a draft; kept (marked removed) once a reviewer saw it."""

    application: Application
    attachment_id: Any
    user: Any = None
    material_key: Optional[str] = None

    def validate(self) -> Attachment:
        self.user = ensure_owner(self.application, self.user)
        attachment = get_attachment(self.application, self.attachment_id, self.user,
                                    self.material_key)
        _ensure_changeable(self.application, attachment.material_key)
        return attachment

    def run(self) -> None:
        attachment = self.validate()
        application, key = self.application, attachment.storage_key
        record("application.material_removed", "application", application.id,
               application.region_code, material=attachment.material_key,
               file_id=attachment.id)
        draft = application.status == "draft" and application.submitted_at is None
        if draft:
            db.session.delete(attachment)
        else:
            attachment.removed_at = now()
        try:
            db.session.commit()
        except BaseException:
            db.session.rollback()
            raise
        if draft:
            get_storage().delete(key)  # after the commit: at worst a file reconcile lists


@dataclass
class ReconcileReport:
    files_without_rows: list[str] = dataclass_field(default_factory=list)
    rows_without_files: list[int] = dataclass_field(default_factory=list)

    @property
    def clean(self) -> bool:
        return not (self.files_without_rows or self.rows_without_files)


def reconcile_storage(delete_orphan_files: bool = False) -> ReconcileReport:
    """List stored files no Attachment row names and rows whose file is missing.

    ``delete_orphan_files`` removes the files without rows (rows are never deleted here: a
    missing file of a submitted application is for a person to look into).
    """
    storage = get_storage()
    known = dict(db.session.execute(select(Attachment.storage_key, Attachment.id)).all())
    report = ReconcileReport()
    for key in storage.keys():
        if known.pop(key, None) is None:
            report.files_without_rows.append(key)
    report.rows_without_files = sorted(known[key] for key in known if not storage.exists(key))
    if delete_orphan_files:
        for key in report.files_without_rows:
            storage.delete(key)
    return report
