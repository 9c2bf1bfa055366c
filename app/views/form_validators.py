"""WTForms adapters for app.validators: canonicalise the field's data or show the message."""
from wtforms.validators import ValidationError as FormValidationError

from app.validators import ValidationError, message_text


class Canonical:
    """Replace ``field.data`` by ``function(field.data)``; empty values pass through."""

    def __init__(self, function):
        self.function = function

    def __call__(self, form, field):
        if field.data in (None, ""):
            field.data = None
            return
        try:
            field.data = self.function(field.data)
        except ValidationError as error:
            raise FormValidationError(message_text(error)) from error


class Password:
    """Apply the password policy, naming the rule that failed."""

    def __init__(self, username_field: str = "username"):
        self.username_field = username_field

    def __call__(self, form, field):
        from app.validators import check_password

        username = getattr(form, self.username_field, None)
        try:
            check_password(field.data or "", username=username.data if username else None)
        except ValidationError as error:
            raise FormValidationError(message_text(error)) from error


def _canonical_or_none(function, value):
    try:
        return function(value) if value else None
    except ValidationError:
        return None


class SignInUsername:
    """Refuse a username sign-in could not find the account by (app.sign_in_names), or one
    another account has in any case; ``field.data`` is already canonical."""

    def __init__(self, taken_message):
        self.taken_message = taken_message

    def __call__(self, form, field):
        from app.extensions import db
        from app.sign_in_names import username_problem, username_taken
        from app.validators import canonical_id_number, canonical_mobile

        if not field.data:
            return
        mobile = getattr(form, "mobile", None)
        id_number = getattr(form, "id_number", None)
        problem = username_problem(
            field.data, _canonical_or_none(canonical_mobile, mobile.data if mobile else None),
            _canonical_or_none(canonical_id_number, id_number.data if id_number else None))
        if problem is not None:
            raise FormValidationError(str(problem))
        if username_taken(db.session, field.data, getattr(form, "_id", None)):
            raise FormValidationError(str(self.taken_message))
