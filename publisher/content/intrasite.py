"""Pelican's links to the site's own content, as Pelican resolves them in a post's HTML
(`contents.Content._link_replacer`): `{filename}other.md` (or the old `|filename|`) is the
URL of the article written in that file, relative to this post's folder or, with a
leading `/`, to the content folder; `{static}` and `{attach}` the URL of that file; `{index}`
the home page; `{tag}`, `{category}` and `{author}` their pages (Pelican's default URLs)."""

from __future__ import annotations

import html
import posixpath
import re
from collections.abc import Callable

from publisher.urls import site_url, slugify

_LINK = re.compile(r"""(?P<head><[^>]+?\s(?:href|src|poster|srcset)\s*=\s*)"""
                   r"""(?P<quote>["'])(?:\{(?P<what>\w+)\}|\|(?P<old>\w+)\|)(?P<value>.*?)"""
                   r"""(?P=quote)""")
_PAGES = {"tag": "tag/{}.html", "category": "category/{}.html", "author": "author/{}.html"}


def resolve_intrasite(markup: str, post_name: str, base_url: str,
                      resolve: Callable[[str], str | None]) -> tuple[str, list[str]]:
    """The HTML with every intrasite link resolved, and the links that name nothing."""
    if "{" not in markup and "|" not in markup:
        return markup, []
    unresolved: list[str] = []
    folder = posixpath.dirname(post_name)

    def fix(m: re.Match[str]) -> str:
        what = m.group("what") or m.group("old")
        value = html.unescape(m.group("value"))
        path, _, fragment = value.partition("#")
        if what in ("filename", "static", "attach"):
            target = posixpath.normpath(path.lstrip("/") if path.startswith("/")
                                        else posixpath.join(folder, path))
            url = resolve(target) if what == "filename" else site_url(base_url, target)
            if url is None or target.startswith("../"):
                unresolved.append(f"{{{what}}}{value}")
                return m.group(0)
        elif what == "index":
            url = base_url.rstrip("/") + "/"
        elif what in _PAGES:
            url = site_url(base_url, _PAGES[what].format(slugify(path)))
        else:
            return m.group(0)
        url += f"#{fragment}" if fragment else ""
        quote = m.group("quote")
        return f"{m.group('head')}{quote}{html.escape(url, quote=True)}{quote}"

    return _LINK.sub(fix, markup), unresolved


_WRITTEN = re.compile(r"\{filename\}[^\s)\"'>]+|\|filename\|[^\s)\"'>]+")


def intrasite_links(body: str, first_line: int) -> list[tuple[int, str]]:
    """(line, link) of each `{filename}` link written in a Markdown body."""
    found, line, counted = [], first_line, 0
    for m in _WRITTEN.finditer(body):  # lines counted once, in order: linear in the body
        line += body.count("\n", counted, m.start())
        counted = m.start()
        found.append((line, m.group(0)))
    return found
