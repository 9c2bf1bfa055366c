"""The generation of cached reference data: one row per kind, renumbered on every change."""
from flask_appbuilder import Model
from sqlalchemy import BigInteger, String
from sqlalchemy.orm import Mapped, mapped_column

#: The generation of code tables, the region tree, published item versions and the calendar.
REFERENCE = "reference"
#: The tables whose every write renumbers the ``reference`` generation (database triggers).
REFERENCE_TABLES = ("dictionary", "dictionary_entry", "region", "item_version", "calendar_day",
                    "calendar_year")


class CacheGeneration(Model):
    """A number that changes, never to a value it had before, when the data it covers changes.

    Triggers on :data:`REFERENCE_TABLES` (migration ``reference cache generation``) write it in
    the same transaction as the change, whatever makes it (a view, a command, psql), so every
    process sees a committed change by reading this one row (see app.reference_cache).
    """

    __tablename__ = "cache_generation"

    name: Mapped[str] = mapped_column(String(40), primary_key=True)
    value: Mapped[int] = mapped_column(BigInteger)

    def __repr__(self) -> str:
        return f"{self.name} {self.value}"
