"""Reviewers' decisions on the current step of an application (docs/applications.md).

    ApproveCommand(application_id, actor, comment, expected_version).run()  -> Application
    ReturnCommand(application_id, actor, comment, expected_version, missing).run()
    RefuseCommand(application_id, actor, comment, expected_version).run()   # comment required

Errors (app.commands.applications.errors): ApplicationNotFoundError 404 (out of scope too),
NotAllowedError 403, StaleApplicationError 409, ApplicationInvalidError 422.
"""
from app.commands.reviews.approve import ApproveCommand
from app.commands.reviews.base import ReviewCommand
from app.commands.reviews.refuse import RefuseCommand
from app.commands.reviews.return_ import ReturnCommand, returnable_keys

COMMANDS = {"approve": ApproveCommand, "return": ReturnCommand, "refuse": RefuseCommand}

__all__ = ["COMMANDS", "ApproveCommand", "RefuseCommand", "ReturnCommand", "ReviewCommand",
           "returnable_keys"]
