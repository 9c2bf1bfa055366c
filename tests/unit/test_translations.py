"""Every message in the source has a Chinese and an English translation."""
import importlib.util
from pathlib import Path

spec = importlib.util.spec_from_file_location(
    "i18n", Path(__file__).resolve().parents[2] / "scripts" / "i18n.py")
i18n = importlib.util.module_from_spec(spec)
spec.loader.exec_module(i18n)


def test_source_has_messages():
    assert len(i18n.extract()) > 50


def test_every_message_translated():
    msgids = i18n.extract()
    missing = {locale: i18n.untranslated(locale, msgids) for locale in i18n.LOCALES}
    assert missing == {"zh": [], "en": []}, (
        "run `make update-messages`, translate, then `python scripts/i18n.py check`")
