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
