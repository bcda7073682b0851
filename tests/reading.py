"""A feed entry's HTML as a reader sees it, and how two such readings differ.

For the content parity tests (tests/test_parity_content.py, benchmarks/parity_content.py):
the generator's HTML for a post and publisher's are compared by what a person reading the
entry gets, not by bytes. Tolerant only where issue 12 says:

- visible text (no script, style, template, comments, image alt) with whitespace
  collapsed and typographic quotes, dashes and ellipses folded to their ASCII forms;
- the set of link targets and the set of image sources, each resolved against the
  post's URL and cleaned as a browser requests it (`a b.png` is `a%20b.png`, `%7E` is
  `~`, a line break inside an address is dropped). jekyll-feed leaves links as the post
  wrote them, with the post's URL as `xml:base`; publisher writes them absolute. A link
  into the same document (`#fn:1`, or the post's own URL with a fragment) is counted,
  not compared by id:
  publisher prefixes footnote and heading ids per post, the generators do not;
- the text of each code block (trailing spaces and blank edge lines dropped: a reader
  cannot see them) and of each inline code span (whitespace collapsed);
- the heading texts, in order;
- the counts of `li`, `table`, `blockquote`, `hr`, `strong`, `em` and `del`.

Pure functions of strings; nothing here reads a file.
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from urllib.parse import quote, urldefrag, urljoin

import lxml.html
from lxml import etree

COUNTED = ("li", "table", "blockquote", "hr", "strong", "em", "del")
HEADINGS = frozenset({"h1", "h2", "h3", "h4", "h5", "h6"})
# Not shown to a reader of a feed entry.
HIDDEN = frozenset({"script", "style", "template", "head", "title", "meta", "link"})
# Elements that end a run of text: their edges are word breaks whatever the whitespace
# between the tags (one engine writes `</li>\n<li>`, another `</li><li>`).
BLOCKS = frozenset({
    "address", "article", "aside", "blockquote", "br", "caption", "dd", "details", "div",
    "dl", "dt", "figcaption", "figure", "footer", "h1", "h2", "h3", "h4", "h5", "h6",
    "header", "hr", "iframe", "img", "li", "main", "nav", "ol", "p", "pre", "section",
    "summary", "table", "tbody", "td", "tfoot", "th", "thead", "tr", "ul", "video",
})
# Typographic characters and what they fold to (kramdown, Goldmark's typographer and
# SmartyPants write the left side for the right).
_FOLD = str.maketrans({
    "\u2018": "'", "\u2019": "'", "\u201a": "'", "\u201b": "'", "\u2032": "'",
    "\u201c": '"', "\u201d": '"', "\u201e": '"', "\u201f": '"', "\u2033": '"',
    "\u2010": "-", "\u2011": "-", "\u2012": "-", "\u2013": "-", "\u2014": "-", "\u2015": "-",
    "\u2026": "...", "\u00ab": "<<", "\u00bb": ">>",
})
_DASHES = re.compile(r"-{2,}")  # `--` and `---` as typed read as the dash they make
_SPACE = re.compile(r"\s+")


@dataclass(frozen=True)
class Reading:
    """What a reader gets from one entry's HTML."""

    text: str
    links: frozenset[str]
    fragment_links: int  # links into the entry itself (footnotes, a table of contents)
    images: frozenset[str]
    code: tuple[str, ...]  # code blocks, then inline code, each in document order
    headings: tuple[str, ...]
    counts: tuple[tuple[str, int], ...]  # (tag, how many) for each tag of COUNTED

    def count(self, tag: str) -> int:
        return dict(self.counts)[tag]


def fold(text: str) -> str:
    """Visible text as both sides can agree on it: whitespace collapsed, typographic
    quotes, dashes and ellipses as typed."""
    return _SPACE.sub(" ", _DASHES.sub("-", text.translate(_FOLD))).strip()


def _root(markup: str) -> etree._Element:
    wrapped = f"<div>{markup}</div>"  # one root, whatever the fragment starts with
    try:
        return lxml.html.fragment_fromstring(wrapped)
    except (etree.ParserError, ValueError):
        # Only whitespace or nothing: lxml has no element to give.
        return lxml.html.fragment_fromstring("<div></div>")


def _tag(element: etree._Element) -> str:
    return element.tag.lower() if isinstance(element.tag, str) else ""


def _visible(element: etree._Element, out: list[str]) -> None:
    """Append the text a reader sees under element (its tail is the caller's)."""
    for child in element:
        tag = _tag(child)
        if tag and tag not in HIDDEN:
            block = tag in BLOCKS
            if block:
                out.append(" ")
            out.append(child.text or "")
            _visible(child, out)
            if block:
                out.append(" ")
        out.append(child.tail or "")


def visible_text(element: etree._Element) -> str:
    out = [element.text or ""]
    _visible(element, out)
    return "".join(out)


def _code_block(text: str) -> str:
    lines = [line.rstrip() for line in text.replace("\r\n", "\n").split("\n")]
    while lines and not lines[0]:
        lines.pop(0)
    while lines and not lines[-1]:
        lines.pop()
    return "\n".join(lines)


# What a browser percent-encodes in a URL it is given (WHATWG URL: spaces, these
# characters, controls and non-ASCII), so `a b.png` and `a%20b.png` fetch the same file.
# Nothing else is forgiven: `[` and `%5B` stay apart.
_BROWSER_ENCODES = frozenset(' "<>`{}')
_UNRESERVED_ESCAPE = re.compile(r"%([0-9A-Fa-f]{2})")


def _escape(match: re.Match[str]) -> str:
    char = chr(int(match.group(1), 16))
    # RFC 3986 6.2.2: an escaped unreserved character is that character; hex case is moot.
    return char if char.isascii() and (char.isalnum() or char in "-._~") else \
        "%" + match.group(1).upper()


def _resolve(value: str, base: str) -> str:
    """A link target as the browser requests it: resolved against the post, then
    cleaned and percent-encoded as a browser does."""
    # A browser drops tabs and newlines anywhere in a URL (kramdown keeps the line break
    # of a link written across two lines), and spaces at its ends.
    url = re.sub(r"[\t\n\r]", "", value).strip()
    if not re.match(r"[A-Za-z][A-Za-z0-9+.-]*:", url):
        # In a relative address's path a browser reads `\` as `/`.
        url = re.sub(r"^[^?#]*", lambda m: m.group(0).replace("\\", "/"), url, count=1)
    url = urljoin(base, url)
    url = "".join(quote(ch, safe="") if ch in _BROWSER_ENCODES or not ch.isprintable() or
                  not ch.isascii() else ch for ch in url)
    return _UNRESERVED_ESCAPE.sub(_escape, url)


def read(markup: str, base: str) -> Reading:
    """The reading of one entry's HTML; relative URLs resolve against `base` (the post's
    URL: jekyll-feed's `xml:base`)."""
    root = _root(markup)
    page = urldefrag(base).url
    links: set[str] = set()
    fragments = 0
    images: set[str] = set()
    blocks: list[str] = []
    spans: list[str] = []
    headings: list[str] = []
    counts = dict.fromkeys(COUNTED, 0)
    for element in root.iter():
        tag = _tag(element)
        if not tag or any(_tag(a) in HIDDEN for a in element.iterancestors()):
            continue
        if tag in counts:
            counts[tag] += 1
        if tag == "a" and element.get("href") is not None:
            target = _resolve(element.get("href", ""), base)
            address, fragment = urldefrag(target)
            if fragment and address == page:
                fragments += 1
            else:
                links.add(target)
        elif tag == "img" and element.get("src") is not None:
            images.add(_resolve(element.get("src", ""), base))
        elif tag in HEADINGS:
            headings.append(fold(visible_text(element)))
        elif tag == "pre":
            blocks.append(_code_block("".join(element.itertext())))
        elif tag == "code" and not any(_tag(a) == "pre" for a in element.iterancestors()):
            spans.append(_SPACE.sub(" ", "".join(element.itertext())).strip())
    return Reading(fold(visible_text(root)), frozenset(links), fragments, frozenset(images),
                   tuple(blocks + spans), tuple(headings),
                   tuple((tag, counts[tag]) for tag in COUNTED))


# -- differences --------------------------------------------------------------------------

# What differs, by aspect: the names the parity table counts entries by.
ASPECTS = ("text", "links", "fragment links", "images", "code", "headings", *COUNTED)


def differences(theirs: Reading, ours: Reading) -> tuple[str, ...]:
    """The aspects (ASPECTS) in which two readings differ; () when they read the same."""
    found = []
    pairs = {"text": (theirs.text, ours.text), "links": (theirs.links, ours.links),
             "fragment links": (theirs.fragment_links, ours.fragment_links),
             "images": (theirs.images, ours.images), "code": (theirs.code, ours.code),
             "headings": (theirs.headings, ours.headings)}
    pairs.update((tag, (theirs.count(tag), ours.count(tag))) for tag in COUNTED)
    for aspect in ASPECTS:
        left, right = pairs[aspect]
        if left != right:
            found.append(aspect)
    return tuple(found)


def first_difference(theirs: str, ours: str, context: int = 40) -> str:
    """Where two texts part, with a little of each: for a failure message."""
    at = next((i for i, (a, b) in enumerate(zip(theirs, ours, strict=False)) if a != b),
              min(len(theirs), len(ours)))
    start = max(0, at - context)
    return (f"at {at}: theirs …{theirs[start:at + context]!r}… "
            f"ours …{ours[start:at + context]!r}…")


def describe(theirs: Reading, ours: Reading, limit: int = 3) -> list[str]:
    """One line per differing aspect, saying how: for failure messages and the table."""
    lines = []
    for aspect in differences(theirs, ours):
        if aspect == "text":
            lines.append("text " + first_difference(theirs.text, ours.text))
        elif aspect in ("links", "images"):
            left, right = getattr(theirs, aspect), getattr(ours, aspect)
            lines.append(f"{aspect}: only theirs {sorted(left - right)[:limit]}, "
                         f"only ours {sorted(right - left)[:limit]}")
        elif aspect in ("code", "headings"):
            left, right = getattr(theirs, aspect), getattr(ours, aspect)
            only_left = [c for c in left if c not in right][:limit]
            only_right = [c for c in right if c not in left][:limit]
            lines.append(f"{aspect} ({len(left)} vs {len(right)}): only theirs "
                         f"{[c[:60] for c in only_left]}, only ours "
                         f"{[c[:60] for c in only_right]}")
        elif aspect == "fragment links":
            lines.append(f"fragment links {theirs.fragment_links} vs {ours.fragment_links}")
        else:
            lines.append(f"<{aspect}> {theirs.count(aspect)} vs {ours.count(aspect)}")
    return lines
