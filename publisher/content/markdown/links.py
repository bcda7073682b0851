"""kramdown's link and image addresses: written as typed.

CommonMark takes the backslash out of `\\(` in an address and percent-encodes what a
URL may not hold (`[`, `\\`, `{`, `|`, letters outside ASCII); markdown-it shows an
autolink's `%E4%BA%91` decoded. kramdown does none of that: the address and the text
of an autolink are the source's, HTML-escaped. The browser then reads the address as
it reads any: `\\` as `/`, so `a\\(1\\)` is the broken link the site shows too, and
`\\img\\a.png` the working one.
"""

from __future__ import annotations

import re
from types import SimpleNamespace

from markdown_it import MarkdownIt
from markdown_it.common.utils import replaceEntityPattern
from markdown_it.helpers import parseLinkDestination, parseLinkLabel, parseLinkTitle

_ENTITY = re.compile(r"&([a-z#][a-z0-9]{1,31});", re.IGNORECASE)


def _destination(string: str, pos: int, maximum: int):  # noqa: ANN202 (markdown-it's type)
    """markdown-it's destination, with its text as typed: backslash escapes kept,
    entities read (kramdown writes `&amp;` as `&amp;`, the `&` it stands for)."""
    result = parseLinkDestination(string, pos, maximum)
    if result.ok:
        raw = string[pos:result.pos]
        raw = raw[1:-1] if raw.startswith("<") and raw.endswith(">") else raw
        result.str = _ENTITY.sub(lambda m: replaceEntityPattern(m.group(0), m.group(1)), raw)
    return result


def _as_typed(url: str) -> str:
    return url


def kramdown_links(md: MarkdownIt) -> None:
    # `md.helpers` is markdown-it's module, shared by every parser: give this one its own.
    md.helpers = SimpleNamespace(parseLinkLabel=parseLinkLabel,  # type: ignore[assignment]
                                 parseLinkDestination=_destination,
                                 parseLinkTitle=parseLinkTitle)
    md.normalizeLink = _as_typed  # type: ignore[method-assign]
    md.normalizeLinkText = _as_typed  # type: ignore[method-assign]
