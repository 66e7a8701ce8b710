"""Text from the data or a link shown literally in Markdown: the pages' one escape, below every module that writes
Markdown (the sidebar as well as the notices)."""

from __future__ import annotations

import re

_MARKDOWN_SPECIAL = re.compile(r"([\\`*_{}\[\]()#+\-.!|~<>$:])")
# Escaping does not stop Markdown's bare-URL links (`https://…`, `www.…`, `a@b.com`) nor Streamlit's `:icon:`
# shortcodes from forming; an invisible word joiner after the first letter of each of their openers does. An
# address's @ follows a character of its local part; a creator's handle (`@maya`) starts a word, links to nothing,
# and keeps no joiner, so that a handle copied from a page matches the creator when pasted.
_LINK_OPENERS = re.compile(r"(?i)(h)(ttps?)|(w)(ww)|(f)(tp)|(m)(ailto)|(?<=[\w.!#$%&'*+/=?^`{|}~-])(@)")
# A colon followed by a letter may open a `:shortcode:`; "file.csv: performance" keeps its plain colon.
_SHORTCODE_OPENER = re.compile(r":(?=[A-Za-z])")
WORD_JOINER = "\u2060"


def md(text: object) -> str:
    """Text from the data (a creator's name, an insight) shown literally in Markdown: `$` is not maths, `*` not bold,
    `[a](b)` not a link, a bare URL not a link, `:material/…:` not an icon."""
    escaped = _MARKDOWN_SPECIAL.sub(r"\\\1", str(text))
    escaped = _LINK_OPENERS.sub(lambda m: m.group(0)[0] + WORD_JOINER + m.group(0)[1:], escaped)
    return _SHORTCODE_OPENER.sub(":" + WORD_JOINER, escaped)
