"""The staff navbar's language menu shows the language the page is in — also when it comes
from ``?_l_=`` rather than the session — and offers the other one, named without FAB's
leading "- "."""
import re

from tests.review_support import LUBEI, reviewer
from tests.support import login


def menu(html: str) -> tuple[str, list[tuple[str, str]]]:
    """The flag the menu shows, and the (link, text) of each language it offers."""
    block = re.search(r'<li class="dropdown">\s*<a class="dropdown-toggle"[^>]*>\s*'
                      r'<div class="f16"><i class="flag ([a-z]+)"></i>(.*?)</ul>', html, re.S)
    offered = re.findall(r'<a tabindex="-1" href="([^"]+)">\s*<div class="f16">'
                         r'<i class="flag [a-z]+"></i>([^<]*)', block.group(2))
    return block.group(1), [(link, text.strip()) for link, text in offered]


def test_the_menu_follows_the_pages_language(app, ctx):
    client = app.test_client()
    assert login(client, reviewer(LUBEI).username).status_code == 302
    zh = client.get("/review/pending").get_data(as_text=True)  # the default: 中文
    assert '<html lang="zh-CN">' in zh
    assert menu(zh) == ("cn", [("/lang/en", "English")])
    en = client.get("/review/pending?_l_=en").get_data(as_text=True)
    assert '<html lang="en">' in en
    assert menu(en) == ("gb", [("/lang/zh", "中文")])  # a way back to Chinese
    assert client.get("/lang/en").status_code == 302  # chosen for the session
    chosen = client.get("/review/pending").get_data(as_text=True)
    assert menu(chosen) == ("gb", [("/lang/zh", "中文")])
    asked = client.get("/review/pending?_l_=zh").get_data(as_text=True)
    assert menu(asked) == ("cn", [("/lang/en", "English")])
