"""Ids unique per post: a digest email or a reader that shows many entries on one page
holds many posts' `fn:1` and `introduction`; each post's ids get its own prefix, and
its links to them (`#fn:1`) follow, staying in the document."""

from __future__ import annotations

import hashlib
import html
import re

from publisher.urls import slugify

_TAG = re.compile(r"<[A-Za-z][^<>]*>")
_ID = re.compile(r"""(\s(?:id|name)\s*=\s*)(?:"([^"]*)"|'([^']*)')""", re.IGNORECASE)
_HREF = re.compile(r"""(\shref\s*=\s*)(?:"#([^"]*)"|'#([^']*)')""", re.IGNORECASE)


def id_prefix(post_id: str, slug: str) -> str:
    """`my-post-3f2a-`: readable, and distinct for two posts with one slug."""
    digest = hashlib.sha1(post_id.encode("utf-8", "surrogatepass")).hexdigest()[:4]
    return f"{(slugify(slug) or 'post')[:40]}-{digest}-"


def unique_ids(markup: str, prefix: str) -> str:
    """Prefix every id (and old-style `name` anchor) and every `#link` to one of them."""
    if " id=" not in markup and " name=" not in markup:
        return markup
    ids = {html.unescape(m.group(2) if m.group(2) is not None else m.group(3))
           for tag in _TAG.finditer(markup) for m in _ID.finditer(tag.group(0))}
    if not ids:
        return markup

    def fix_id(m: re.Match[str]) -> str:
        value = html.unescape(m.group(2) if m.group(2) is not None else m.group(3))
        return f'{m.group(1)}"{html.escape(prefix + value, quote=True)}"'

    def fix_href(m: re.Match[str]) -> str:
        value = html.unescape(m.group(2) if m.group(2) is not None else m.group(3))
        if value not in ids:
            return m.group(0)
        return f'{m.group(1)}"#{html.escape(prefix + value, quote=True)}"'

    def fix_tag(tag: re.Match[str]) -> str:
        return _HREF.sub(fix_href, _ID.sub(fix_id, tag.group(0)))

    return _TAG.sub(fix_tag, markup)
