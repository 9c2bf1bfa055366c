"""Validation error carrying a translatable message and a stable code."""
from __future__ import annotations

__all__ = ["ValidationError", "message_text"]


def message_text(message: object) -> str:
    """Render a (lazy) message, falling back to its English source text."""
    try:
        return str(message)
    except Exception:  # lazy_gettext raises KeyError in an app without Babel
        args = getattr(message, "_args", None)
        kwargs = getattr(message, "_kwargs", None) or {}
        if not args or not isinstance(args[0], str):
            return "Invalid value."
        try:
            return args[0] % kwargs if kwargs else args[0]
        except Exception:
            return args[0]


class ValidationError(ValueError):
    """Refuse a value with a translatable message and a machine-readable code."""

    def __init__(self, message: object, code: str = "invalid") -> None:
        """Keep the lazy message so it is translated when rendered."""
        super().__init__(message)
        self.message = message
        self.code = code

    def __str__(self) -> str:
        """Return the message in the current locale, or in English."""
        return message_text(self.message)

    def __repr__(self) -> str:
        """Show the code and message without needing an app context."""
        return f"ValidationError({str(self)!r}, code={self.code!r})"
