"""What README.md tells an operator or a client developer matches the code it describes: the
shipped items by code and owner region, the demo citizens' ID numbers, and `make run`'s
HOST and PORT."""
import csv
import os
import re
import shutil
import subprocess
from pathlib import Path

import pytest
import yaml

ROOT = Path(__file__).resolve().parents[2]
README = (ROOT / "README.md").read_text(encoding="utf-8")


def shipped_items() -> set[tuple[str, str]]:
    """(code, owner region) of every file in app/formdefs/."""
    items = set()
    for path in (ROOT / "app" / "formdefs").glob("*/*.yaml"):
        definition = yaml.safe_load(path.read_text(encoding="utf-8"))
        items.add((definition["code"], str(definition["region"])))
    return items


def readme_items() -> set[tuple[str, str]]:
    """(code, owner region) of the rows of README's *Shipped items* table."""
    section = README.split("## Shipped items", 1)[1].split("\n## ", 1)[0]
    return set(re.findall(r"^\|[^|\n]*\|[^|\n]*\| `(\w+)` \| (\d{6}) ", section, re.M))


def test_the_readme_lists_every_shipped_item_with_its_code_and_owner():
    assert len(shipped_items()) == 24
    assert readme_items() == shipped_items()


def test_the_readme_gives_every_demo_citizen_what_identity_verification_asks():
    with open(ROOT / "app" / "data" / "demo_accounts.csv", encoding="utf-8") as handle:
        citizens = [row for row in csv.DictReader(handle) if row["role"] == "Citizen"]
    assert len(citizens) == 5
    for citizen in citizens:
        row = f"| `{citizen['username']}` | {citizen['name']} | {citizen['region']} "
        assert row in README, citizen["username"]
        assert f"`{citizen['id_number']}` | `{citizen['mobile']}` |" in README
    from config import DEV_IDENTITY_SECRET

    assert f'"secret": "{DEV_IDENTITY_SECRET}"' in README


@pytest.mark.skipif(shutil.which("make") is None, reason="make is not installed")
def test_make_run_serves_on_the_host_and_port_given_on_the_command_line():
    def run_line(*args, environment=None) -> str:
        output = subprocess.run(["make", "-n", "run", *args], cwd=ROOT, capture_output=True,
                                text=True, check=True, env=environment).stdout
        return [line for line in output.splitlines() if " run --host " in line][-1]

    assert run_line().endswith("flask run --host 127.0.0.1 --port 5000")
    assert run_line("PORT=8123", "HOST=0.0.0.0").endswith("flask run --host 0.0.0.0 --port 8123")
    # zsh sets HOST to the machine's name: the environment does not move the server.
    shell = {**os.environ, "HOST": "workstation", "PORT": "1"}
    assert run_line(environment=shell).endswith("flask run --host 127.0.0.1 --port 5000")
