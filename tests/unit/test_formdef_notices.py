"""Shipped definitions' Markdown texts (notice, audience) render as written: lists stay lists, and
Chinese lines are not joined with stray spaces (YAML's folded ``>`` joins lines with a space)."""
import re
from pathlib import Path

import pytest
import yaml

from app.commands.formdefs import FORMDEFS_DIR
from app.engine.markdown import render_markdown

FILES = sorted(FORMDEFS_DIR.rglob("*.yaml"))
CJK = "\u3000-\u303f\u3400-\u9fff\uff00-\uffef"
SPACED_CJK = re.compile(f"([{CJK}])(\\s+)([{CJK}])")
TAG = re.compile(r"<[^>]+>")
BLOCK = re.compile(r"<(p|li)>(.*?)</\1>", re.S)
RUN_TOGETHER = re.compile(r"[。.;；]\s*[2-9]\.\s")


def markdown_texts(definition: dict):
    """Yield ``(where, text)`` for each Markdown text of a definition, in both languages."""
    sources = {"audience": definition.get("audience"),
               "notice": (definition.get("notice") or {}).get("body")}
    for where, value in sources.items():
        for lang, text in (value.items() if isinstance(value, dict) else [("zh", value)]):
            if text:
                yield f"{where}.{lang}", text


def stray_spaces(path: Path) -> list[str]:
    """Return each space between two CJK characters in the rendered texts that the file lacks."""
    source = path.read_text(encoding="utf-8")
    found = []
    for where, text in markdown_texts(yaml.safe_load(source)):
        pieces = TAG.split(str(render_markdown(text)))  # the text runs a browser lays out
        for a, space, b in (hit for piece in pieces for hit in SPACED_CJK.findall(piece)):
            if f"{a}{space}{b}" not in source or "\n" in space:
                found.append(f"{path.name} {where}: {a}{space!r}{b}")
    return found


def collapsed_lists(path: Path) -> list[str]:
    """Return each text whose rendered paragraph or item runs numbered points together."""
    found = []
    for where, text in markdown_texts(yaml.safe_load(path.read_text(encoding="utf-8"))):
        blocks = [body for _, body in BLOCK.findall(str(render_markdown(text)))]
        if any(RUN_TOGETHER.search(TAG.sub("", body)) for body in blocks):
            found.append(f"{path.name} {where}")
    return found


@pytest.mark.parametrize("path", FILES, ids=lambda p: f"{p.parent.name}/{p.name}")
def test_no_stray_space_between_chinese_characters(path):
    assert stray_spaces(path) == []


@pytest.mark.parametrize("path", FILES, ids=lambda p: f"{p.parent.name}/{p.name}")
def test_numbered_lists_stay_lists(path):
    assert collapsed_lists(path) == []


def test_checks_catch_folded_text(tmp_path):
    folded = tmp_path / "folded.yaml"
    folded.write_text("notice:\n  body:\n    zh: >-\n      1. 有效期内可在就医地\n      多次就诊。\n"
                      "      2. 无需备案。\n    en: >-\n      1. One. 2. Two.\n", encoding="utf-8")
    assert stray_spaces(folded) == ["folded.yaml notice.zh: 地' '多"]
    assert collapsed_lists(folded) == ["folded.yaml notice.zh", "folded.yaml notice.en"]


def test_hebei_filing_notice_is_a_three_item_list():
    path = FORMDEFS_DIR / "130000-hebei" / "cross_province_medical_filing.yaml"
    body = yaml.safe_load(path.read_text(encoding="utf-8"))["notice"]["body"]
    for lang in ("zh", "en"):
        html = str(render_markdown(body, lang))
        assert html.startswith("<ol>") and html.count("<li>") == 3
    assert "就医地多次就诊" in str(render_markdown(body, "zh"))
