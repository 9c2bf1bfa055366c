"""Helpers for the item designer's HTTP tests."""
import re
from pathlib import Path

from sqlalchemy import select

from app.commands.formdefs import LoadFormdefsCommand
from app.extensions import db
from app.models.item import Item
from tests.support import login, make_user

FIXTURES = Path(__file__).resolve().parents[1] / "fixtures" / "formdefs"
PROVINCE = FIXTURES / "valid" / "demo_allowance.yaml"
CITY = FIXTURES / "valid" / "demo_allowance_tangshan.yaml"


def load(*paths, publish=True):
    LoadFormdefsCommand(list(paths), publish=publish).run()


def item(code="demo_allowance", region="130000") -> Item:
    db.session.expire_all()
    return db.session.scalar(select(Item).where(Item.code == code, Item.region_code == region))


def staff(client, role="RegionAdmin", region="130000", username=None, locale="en"):
    """Log in a new user; pages then come in ``locale`` (the msgids, for assertions)."""
    user = make_user(role, region, username=username)
    login(client, user.username)
    if locale:
        client.get(f"/lang/{locale}")
    return user


def fields(definition) -> list:
    return [f["key"] for page in definition["pages"] for f in page["fields"]]


def text(response) -> str:
    return response.get_data(as_text=True)


def field_errors(html: str) -> list:
    return [re.sub(r"\s+", " ", m).strip() for m in re.findall(
        r'class="help-block text-danger">(.*?)</p>', html, re.S)]
