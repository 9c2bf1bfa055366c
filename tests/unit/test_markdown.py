"""Administrator Markdown renders sanitised (app.engine.markdown)."""
from app.engine.markdown import render_markdown


def test_markdown_is_rendered():
    assert str(render_markdown("**职工**\n\n- a")) == "<p><strong>职工</strong></p>\n<ul>\n<li>a</li>\n</ul>\n"


def test_hostile_markdown_is_inert():
    html = str(render_markdown('<script>alert(1)</script> [x](javascript:alert(1)) '
                               '<a href="javascript:alert(1)">y</a> {{7*7}} '
                               '[ok](https://example.cn) <img src=x onerror=alert(1)>'))
    assert "<script" not in html and "<img" not in html and '<a href="javascript' not in html
    assert "{{7*7}}" in html
    assert '<a href="https://example.cn" rel="noopener noreferrer nofollow">ok</a>' in html


def test_bilingual_text():
    assert "Hello" in render_markdown({"zh": "你好", "en": "Hello"}, "en")
    assert "你好" in render_markdown({"zh": "你好", "en": None}, "en")
