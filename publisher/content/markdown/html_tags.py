"""Which `<…>` kramdown's HTML parser takes for a tag.

kramdown's HTML_TAG_RE allows an unquoted attribute value of word characters only:
`<summary style=display:list-item>` (a Jupyter export), `<img src=a.png>` or
`<p width=100%>` are not tags to it, so it writes them, and the end tag that would
close them, as text (`&lt;summary …&gt;`). The site shows that text; a browser given
the raw tag would take it for an element.
"""

from __future__ import annotations

import html
import re

# kramdown's HTML_TAG_RE with HTML_ATTRIBUTE_RE: a name, then attributes whose values
# are quoted or word characters.
_KRAMDOWN_TAG = re.compile(
    r"""<[A-Za-z][\w:.-]*(?:\s+[^\s"'<>/=]+(?:\s*=\s*(?:\w+|"[^"]*"|'[^']*'))?)*\s*/?>""")
# A tag; or an end tag never finished by a `>` (`</center` then a blank line), which
# kramdown writes as text where a browser would swallow what follows up to a `>`.
_TAG = re.compile(r"<(/?)([A-Za-z][\w:.-]*)([^<>]*)>|</[A-Za-z][\w:.-]*(?![^<>]*>)")
# Not parsed inside: comments, and elements whose content is raw text.
_SKIP = re.compile(r"<!--.*?(?:-->|\Z)|<(script|style|textarea)\b.*?(?:</\1\s*>|\Z)",
                   re.DOTALL | re.IGNORECASE)


def is_tag(markup: str) -> bool:
    """Whether kramdown reads this start tag (its whole text) as a tag."""
    return _KRAMDOWN_TAG.fullmatch(markup) is not None


def as_kramdown_reads(block: str) -> str:
    """An HTML block with each start tag kramdown does not read as one, the end tag
    that would close it, and any end tag without its `>`, written as text."""
    if "=" not in block and "</" not in block:
        return block  # no attribute and no end tag: every tag is one
    out, pos, untagged = [], 0, {}
    skipped = [(m.start(), m.end()) for m in _SKIP.finditer(block)]
    skip = 0
    for m in _TAG.finditer(block):
        while skip < len(skipped) and skipped[skip][1] <= m.start():
            skip += 1
        if skip < len(skipped) and skipped[skip][0] <= m.start():
            continue  # inside a comment or a script
        name = (m.group(2) or "").lower()
        if m.group(2) is None:
            pass  # an unfinished end tag: text
        elif m.group(1):
            if not untagged.get(name):
                continue
            untagged[name] -= 1
        elif is_tag(m.group(0)):
            continue
        else:
            untagged[name] = untagged.get(name, 0) + 1
        out += [block[pos:m.start()], html.escape(m.group(0), quote=False)]
        pos = m.end()
    out.append(block[pos:])
    return "".join(out)
