"""Slugs, permalinks and absolute URLs."""

from __future__ import annotations

import re
import unicodedata
from urllib.parse import quote, urljoin, urlsplit

_SCHEME = re.compile(r"^[A-Za-z][A-Za-z0-9+.-]*:")
_NOT_WORD = re.compile(r"[^\w]+", re.UNICODE)
# Characters left as they are in a path; everything else is percent-encoded.
_PATH_SAFE = "/:@!$&'()*+,;=-._~%"


def slugify(text: str) -> str:
    """Lowercase words joined by '-': keeps letters of every script, drops the rest.

    A slug is one path segment: it can never contain '/' or be '..'.
    """
    text = unicodedata.normalize("NFKC", text).lower()
    return _NOT_WORD.sub("-", text).strip("-_") or "untitled"


def has_scheme(url: str) -> bool:
    return bool(_SCHEME.match(url))


def quote_path(path: str, keep: str = "") -> str:
    """Percent-encode what a URL path may not hold raw (spaces, non-ASCII)."""
    return quote(path, safe=_PATH_SAFE + keep)


def absolute(url: str, base: str) -> str:
    """`url` as written in a post -> an absolute URL, resolved against `base`.

    URLs with a scheme (https:, mailto:, data:...) are left alone; '//host/x' takes
    the base's scheme; a fragment alone stays on the post.
    """
    url = url.strip()
    if has_scheme(url):
        return url
    if url.startswith("//"):
        return f"{urlsplit(base).scheme}:{url}"
    return urljoin(base, quote_path(url, keep="?#"))


def site_url(base_url: str, path: str) -> str:
    """The public URL of a path on the site; `base_url` may itself have a path."""
    return base_url.rstrip("/") + "/" + quote_path(path.lstrip("/"))
