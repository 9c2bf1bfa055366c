"""Render administrator-written Markdown (an item's notice and audience text) as safe HTML.

Two libraries, each doing one job:

- **markdown-it-py** (CommonMark, the parser behind MyST and Jupyter Book) turns the text into
  HTML with raw HTML switched *off*: ``<script>`` in the source comes out as the text
  ``&lt;script&gt;``. It was already installed (``rich`` depends on it) and is pinned now that
  banshi uses it directly. Python-Markdown was the alternative; it passes raw HTML through by
  default and is not CommonMark.
- **nh3** (the Python binding of the Rust sanitiser *ammonia*, maintained; bleach, the former
  choice, is deprecated) then keeps only the tags and attributes below and only ``http``,
  ``https`` and ``mailto`` links, so a ``javascript:`` link loses its ``href``, whatever the
  parser let through. Links get ``rel="noopener noreferrer nofollow"``.

Template syntax in the text (``{{ 7*7 }}``) is inert: the result is data handed to Jinja as
:class:`~markupsafe.Markup`, never a template. :func:`render_markdown` is also the ``markdown``
template filter (registered by the item designer's blueprint) for citizen and reviewer pages.
"""
from __future__ import annotations

from typing import Any, Mapping, Optional

import nh3
from markdown_it import MarkdownIt
from markupsafe import Markup

ALLOWED_TAGS = frozenset({"p", "br", "strong", "em", "ul", "ol", "li", "a", "blockquote", "code",
                          "pre", "h3", "h4", "h5", "h6", "hr"})
ALLOWED_ATTRIBUTES = {"a": {"href", "title"}, "ol": {"start"}}
URL_SCHEMES = frozenset({"http", "https", "mailto"})

_PARSER = MarkdownIt("commonmark", {"html": False, "linkify": False, "typographer": False})


def render_markdown(text: Any, lang: Optional[str] = None) -> Markup:
    """Return sanitised HTML for Markdown ``text`` (or a ``{zh, en}`` text in ``lang``)."""
    if isinstance(text, Mapping):
        text = (lang == "en" and text.get("en")) or text.get("zh") or text.get("en") or ""
    if not text:
        return Markup("")
    html = _PARSER.render(str(text))
    return Markup(nh3.clean(html, tags=set(ALLOWED_TAGS), attributes=ALLOWED_ATTRIBUTES,
                            url_schemes=set(URL_SCHEMES), link_rel="noopener noreferrer nofollow"))
