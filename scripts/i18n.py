"""Catalog upkeep: `python scripts/i18n.py check` lists untranslated messages; `fill-en` copies
English msgids into empty English entries (msgids are written in English, so the English
catalog starts as a copy that translators may then refine); `add FILE.json` adds or updates
entries from a JSON object ``{msgid: zh}`` or ``{msgid: {"zh": ..., "en": ...}}`` (English
defaults to the msgid), under a lock so that several people can add at once."""
import fcntl
import json
import subprocess
import sys
import tempfile
from pathlib import Path

from babel.messages.pofile import read_po, write_po

ROOT = Path(__file__).resolve().parent.parent
LOCALES = ("zh", "en")


def catalog_path(locale: str) -> Path:
    return ROOT / "translations" / locale / "LC_MESSAGES" / "messages.po"


def extract() -> set[str]:
    """Extract the current msgids from the source (ignores the committed .pot)."""
    with tempfile.TemporaryDirectory() as tmp:
        pot = Path(tmp) / "messages.pot"
        subprocess.run(
            [sys.executable, "-m", "babel.messages.frontend", "-q", "extract", "-F", "babel.cfg",
             "-k", "lazy_gettext", "-k", "_l", "-o", str(pot), "--no-location", ".",
             ],
            cwd=ROOT, check=True,
        )
        with open(pot, "rb") as handle:
            return {str(m.id) if isinstance(m.id, str) else m.id[0] for m in read_po(handle) if m.id}


def untranslated(locale: str, msgids: set[str]) -> list[str]:
    """Return the msgids with no (or a fuzzy) translation in ``locale``."""
    with open(catalog_path(locale), "rb") as handle:
        catalog = read_po(handle)
    missing = []
    for msgid in sorted(msgids):
        message = catalog.get(msgid)
        strings = message.string if message is not None else None
        values = strings if isinstance(strings, tuple) else (strings,)
        if message is None or message.fuzzy or not all(values):
            missing.append(msgid)
    return missing


def fill_en() -> int:
    path = catalog_path("en")
    with open(path, "rb") as handle:
        catalog = read_po(handle)
    filled = 0
    for message in catalog:
        if message.id and not message.string:
            message.string = message.id if isinstance(message.id, str) else tuple(message.id)
            filled += 1
    with open(path, "wb") as handle:
        write_po(handle, catalog, width=100, sort_output=True)
    return filled


def add(entries: dict) -> int:
    """Add or update ``entries`` in every catalog; return how many msgids were written."""
    lock_path = ROOT / "translations" / ".lock"
    with open(lock_path, "w") as lock:
        fcntl.flock(lock, fcntl.LOCK_EX)
        for locale in LOCALES:
            path = catalog_path(locale)
            with open(path, "rb") as handle:
                catalog = read_po(handle)
            for msgid, value in entries.items():
                text = value.get(locale) if isinstance(value, dict) else (value if locale == "zh" else None)
                text = text or msgid
                message = catalog.get(msgid)
                if message is None:
                    catalog.add(msgid, text)
                else:
                    message.string = text
                    message.flags.discard("fuzzy")
            with open(path, "wb") as handle:
                write_po(handle, catalog, width=76, sort_output=True)
    return len(entries)


def main(argv: list[str]) -> int:
    if argv[:1] == ["add"] and len(argv) == 2:
        with open(argv[1], encoding="utf-8") as handle:
            print(f"added {add(json.load(handle))} messages")
        return 0
    if argv[:1] == ["fill-en"]:
        print(f"filled {fill_en()} English entries")
        return 0
    msgids = extract()
    status = 0
    for locale in LOCALES:
        missing = untranslated(locale, msgids)
        for msgid in missing:
            print(f"{catalog_path(locale).relative_to(ROOT)}: untranslated: {msgid!r}")
        status |= bool(missing)
    return status


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))
