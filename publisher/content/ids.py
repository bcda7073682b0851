"""Ids unique per post: a digest email or a reader that shows many entries on one page
holds many posts' `fn:1` and `introduction`; each post's ids get its own prefix, and
its links to them (`#fn:1`) follow, staying in the document."""

from __future__ import annotations

import hashlib
import html
import re

from publisher.urls import slugify

_TAG = re.compile(r"<([A-Za-z][\w:-]*)[^<>]*>")
_ID = re.compile(r"""(\sid\s*=\s*)(?:"([^"]*)"|'([^']*)')""", re.IGNORECASE)
# `name` is an anchor only on <a> and <map> (on <input> or <meta> it is something else).
_NAME = re.compile(r"""(\sname\s*=\s*)(?:"([^"]*)"|'([^']*)')""", re.IGNORECASE)
_ANCHORS = frozenset({"a", "map"})
# What points at an id: links (and SVG's), image maps, labels, and SVG's url(#…).
_HREF = re.compile(r"""(\s(?:href|xlink:href|usemap)\s*=\s*)(?:"#([^"]*)"|'#([^']*)')""",
                   re.IGNORECASE)
_FOR = re.compile(r"""(\sfor\s*=\s*)(?:"([^"]*)"|'([^']*)')""", re.IGNORECASE)
_URL = re.compile(r"url\(#([^)\s]+)\)")


def id_prefix(post_id: str, slug: str) -> str:
    """`my-post-3f2a-`: readable, and distinct for two posts with one slug."""
    digest = hashlib.sha1(post_id.encode("utf-8", "surrogatepass")).hexdigest()[:4]
    return f"{(slugify(slug) or 'post')[:40]}-{digest}-"


def unique_ids(markup: str, prefix: str) -> str:
    """Prefix every id (and old-style `name` anchor) and every `#link` to one of them."""
    if " id=" not in markup and " name=" not in markup:
        return markup
    ids = {html.unescape(m.group(2) if m.group(2) is not None else m.group(3))
           for tag in _TAG.finditer(markup)
           for m in (*_ID.finditer(tag.group(0)),
                     *(_NAME.finditer(tag.group(0)) if tag.group(1).lower() in _ANCHORS
                       else ()))}
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

    def fix_for(m: re.Match[str]) -> str:
        value = html.unescape(m.group(2) if m.group(2) is not None else m.group(3))
        return f'{m.group(1)}"{html.escape(prefix + value, quote=True)}"' if value in ids \
            else m.group(0)

    def fix_url(m: re.Match[str]) -> str:
        return f"url(#{prefix}{m.group(1)})" if html.unescape(m.group(1)) in ids \
            else m.group(0)

    def fix_tag(tag: re.Match[str]) -> str:
        markup = _ID.sub(fix_id, tag.group(0))
        if tag.group(1).lower() in _ANCHORS:
            markup = _NAME.sub(fix_id, markup)
        markup = _FOR.sub(fix_for, _HREF.sub(fix_href, markup))
        return _URL.sub(fix_url, markup) if "url(#" in markup else markup

    return _TAG.sub(fix_tag, markup)
