"""Slugs, permalinks and absolute URLs."""

from __future__ import annotations

import functools
import re
import unicodedata
from urllib.parse import quote, unquote, urljoin, urlsplit

_SCHEME = re.compile(r"^[A-Za-z][A-Za-z0-9+.-]*:")
_NOT_WORD = re.compile(r"[^\w]+", re.UNICODE)
_WORD = re.compile(r"[^\W_]", re.UNICODE)
# Characters left as they are in a path; everything else is percent-encoded.
_PATH_SAFE = "/:@!$&'()*+,;=-._~%"
_BEFORE_QUERY = re.compile(r"^[^?#]*")  # a browser reads `\` as `/` there, not after


def slugify(text: str) -> str:
    """Lowercase words joined by '-': keeps letters of every script, drops the rest.

    A slug is one path segment: it can never contain '/' or be '..'.
    """
    text = unicodedata.normalize("NFKC", text).lower()
    return _NOT_WORD.sub("-", text).strip("-_") or "untitled"


# Symbols that tell names apart (`C++`, `C#`, `.NET`): spelt out before slugifying, so
# that `C++` and `C` never share a feed.
_SYMBOL_WORDS = (("++", " plus plus "), ("+", " plus "), ("#", " sharp "), ("&", " and "),
                 ("@", " at "))
_LEADING_DOT = re.compile(r"(^|\s)\.(?=\w)")


def fold(name: str) -> str:
    """What two spellings of one label share: `Go` and `go`, `Ｇｏ` and `Go`."""
    return unicodedata.normalize("NFKC", name).casefold()


@functools.lru_cache(maxsize=4096)  # asked for each post's every tag and series, run after run
def term_slug(name: str) -> str:
    """The folder of a tag, category or series: `C++` -> `c-plus-plus`, `.NET` ->
    `dot-net`, `Node.js` -> `node-js`, `日本語` stays, an emoji is named (`rocket`)."""
    text = unicodedata.normalize("NFKC", name)
    text = _LEADING_DOT.sub(r"\1dot ", text)
    for symbol, words in _SYMBOL_WORDS:
        text = text.replace(symbol, words)
    if not _WORD.search(text):  # only symbols and emoji: name them
        text = " ".join(unicodedata.name(c, "") for c in text if not c.isspace())
    return slugify(text)


def has_scheme(url: str) -> bool:
    return bool(_SCHEME.match(url))


def quote_path(path: str, keep: str = "") -> str:
    """Percent-encode what a URL path may not hold raw (spaces, non-ASCII)."""
    return quote(path, safe=_PATH_SAFE + keep)


def absolute(url: str, base: str) -> str:
    """`url` as written in a post -> an absolute URL, resolved against `base`.

    URLs with a scheme (https:, mailto:, data:...) are left alone; '//host/x' takes
    the base's scheme; a fragment alone stays on the post. A `\\` is a `/`, as a
    browser reads it in a relative address (`\\img\\a.png`, which kramdown writes as
    typed, is the site's `/img/a.png`).
    """
    url = url.strip()
    if has_scheme(url):
        return url
    url = _BEFORE_QUERY.sub(lambda m: m.group(0).replace("\\", "/"), url, count=1)
    if url.startswith("//"):
        return f"{urlsplit(base).scheme}:{url}"
    return urljoin(base, quote_path(url, keep="?#"))


def _dots(segment: str) -> bool:
    """A `.` or `..` segment, also spelt `%2e%2e`: browsers resolve both."""
    return unquote(segment) in (".", "..")


def site_url(base_url: str, path: str) -> str:
    """The public URL of a path on the site; `base_url` may itself have a path.

    Dot segments are dropped, however they are spelt, so no link climbs out of the
    base path."""
    segments = quote_path(path.lstrip("/")).split("/")
    return base_url.rstrip("/") + "/" + "/".join(s for s in segments if not _dots(s))


def inside_site(url: str, base_url: str) -> bool:
    """Whether `url`, with its dot segments resolved as a browser does (`%2e%2e` too),
    is on the site and below its base path."""
    parts, base = urlsplit(url), urlsplit(base_url.rstrip("/") + "/")
    if (parts.scheme, parts.netloc) != (base.scheme, base.netloc):
        return False
    resolved: list[str] = []
    for segment in parts.path.split("/")[1:]:
        if unquote(segment) == "..":
            if resolved:
                resolved.pop()
        elif unquote(segment) != ".":
            resolved.append(segment)
    return ("/" + "/".join(resolved)).startswith(base.path)
