"""Read the feeds a build wrote and check that a peer did the same work as we did.

A feed here is every feed.xml (Atom), rss.xml (RSS 2.0) and feed.json (JSON Feed) under
the output folder: the site's and one per series. For each we keep the entry ids in
order and the number of words of the entries' full content (tags stripped), so that
"the same work" means: the same feed files, the same entries in each, each entry with its
whole post, not a summary.
"""

from __future__ import annotations

import json
import re
import xml.etree.ElementTree as ET
from dataclasses import dataclass
from pathlib import Path

ATOM = "{http://www.w3.org/2005/Atom}"
CONTENT = "{http://purl.org/rss/1.0/modules/content/}encoded"
FORMATS = {"feed.xml": "Atom", "rss.xml": "RSS", "feed.json": "JSON"}
TAG = re.compile(r"<[^>]*>")
# Goldmark and Python-Markdown render the same posts; their texts differ only by a few
# escapes, Chroma's spans and the benchmark's "one more line" edits (about 1 %). A feed
# whose older entries carry summaries only has half the words or less.
MIN_WORDS = 0.95


@dataclass
class Feed:
    format: str
    ids: list[str]
    words: int


def words(html: str | None) -> int:
    return len(TAG.sub(" ", html or "").split())


def _xml(path: Path, entry: str, ident, content) -> tuple[list[str], int]:
    ids, total = [], 0
    for _, element in ET.iterparse(path):  # one entry at a time: 10,000-entry feeds
        if element.tag == entry:
            ids.append(ident(element))
            total += words(content(element))
            element.clear()
    return ids, total


def read(path: Path) -> Feed:
    kind = FORMATS[path.name]
    if kind == "Atom":
        ids, total = _xml(path, f"{ATOM}entry", lambda e: e.findtext(f"{ATOM}id", ""),
                          lambda e: e.findtext(f"{ATOM}content"))
    elif kind == "RSS":
        ids, total = _xml(path, "item",
                          lambda e: e.findtext("guid") or e.findtext("link", ""),
                          lambda e: e.findtext(CONTENT) or e.findtext("description"))
    else:
        items = json.loads(path.read_text(encoding="utf-8"))["items"]
        ids = [item["id"] for item in items]
        total = sum(words(item.get("content_html")) for item in items)
    return Feed(kind, ids, total)


def feeds(folder: Path) -> dict[str, Feed]:
    """Every feed under `folder`, by its path relative to it."""
    return {path.relative_to(folder).as_posix(): read(path)
            for name in FORMATS for path in sorted(folder.rglob(name))}


def compare(ours: dict[str, Feed], theirs: dict[str, Feed], peer: str) -> str:
    """A line per feed; SystemExit if the peer wrote other feeds or entries, or if either
    side's entries lack content the other has (a summary instead of the post)."""
    problems, lines = [], []
    for name in sorted(ours.keys() | theirs.keys()):
        mine, other = ours.get(name), theirs.get(name)
        if mine is None or other is None:
            problems.append(f"{name}: only {'we' if other is None else peer} wrote it")
            continue
        ratio = other.words / mine.words if mine.words else 1.0
        lines.append(f"  {name:40} {other.format:4} {len(other.ids):6,} entries "
                     f"(ours {len(mine.ids):,}), words {ratio:.0%} of ours")
        if other.ids != mine.ids:
            missing = len(set(mine.ids) - set(other.ids))
            problems.append(f"{name}: {len(other.ids):,} entries, ours {len(mine.ids):,} "
                            f"({missing:,} of ours missing, or in another order)")
        elif not MIN_WORDS <= ratio <= 1 / MIN_WORDS:  # fewer: theirs or ours not in full
            problems.append(f"{name}: its entries have {ratio:.0%} of our content's words")
    entries = sum(len(f.ids) for f in theirs.values())
    head = (f"{peer}: {len(theirs)} feeds, {entries:,} entries; ours {len(ours)} feeds, "
            f"{sum(len(f.ids) for f in ours.values()):,} entries")
    if problems:
        raise SystemExit(f"{head}\n{peer} did not do the same work:\n  "
                         + "\n  ".join(problems) + "\n" + "\n".join(lines))
    return head + ": same feeds, same entries, full content\n" + "\n".join(lines)
