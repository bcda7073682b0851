"""The preview's pages: the answer to each path, from one build."""

from __future__ import annotations

import functools
import html
from datetime import datetime
from pathlib import PurePosixPath
from typing import TYPE_CHECKING, Any

from publisher import shipped
from publisher.preview.snapshot import Snapshot

if TYPE_CHECKING:
    import jinja2

DRAFT_FILES = {"issue.html": "text/html; charset=utf-8",
               "issue.txt": "text/plain; charset=utf-8",
               "issue.eml": "text/plain; charset=utf-8",
               "issue.json": "application/json"}


FILE_TYPES = {".xml": "application/xml; charset=utf-8", ".css": "text/css; charset=utf-8",
              ".json": "application/json; charset=utf-8", ".html": "text/html; charset=utf-8"}


STATIC = {"preview.css": "text/css; charset=utf-8",
          "reload.js": "text/javascript; charset=utf-8"}


def readable(page: bytes, path: str, version: str) -> bytes:
    """A feed's web page (`feed.html`, as `publish feed` writes it) served in place of the
    feed: relative links resolve as under /feed/, and the page reloads on a rebuild."""
    head = (f'<head>\n<base href="/feed/{html.escape(path)}">\n'
            '<script src="/static/reload.js" defer></script>').encode()
    page = page.replace(b"<html ", f'<html data-version="{html.escape(version)}" '.encode(), 1)
    return page.replace(b"<head>", head, 1)


@functools.cache
def _templates() -> jinja2.Environment:
    import jinja2

    return jinja2.Environment(
        loader=jinja2.FileSystemLoader(str(shipped.folder() / "preview")),
        autoescape=True, undefined=jinja2.StrictUndefined, trim_blocks=True,
        lstrip_blocks=True)


def _when(moment: datetime | None) -> str:
    return f"{moment.astimezone():%Y-%m-%d %H:%M:%S %Z}" if moment else ""


def _page(name: str, snapshot: Snapshot, **values: Any) -> bytes:
    html = _templates().get_template(name).render(
        version=snapshot.version, built=_when(snapshot.built),
        fixed_now=_when(snapshot.fixed_now), **values)
    return html.encode("utf-8")


Response = tuple[int, str, bytes, dict[str, str]]  # status, content type, body, headers


HTML = "text/html; charset=utf-8"


def respond(snapshot: Snapshot, path: str) -> Response:
    """The answer to GET `path` (URL-decoded, no query) from one build."""
    if path == "/":
        return 200, HTML, _page("index.html", snapshot, title=snapshot.title,
                                problems=snapshot.problems, drafts=snapshot.drafts,
                                feeds=snapshot.feeds, others=snapshot.others), {}
    if path == "/version":
        return 200, "text/plain; charset=utf-8", snapshot.version.encode(), {}
    if path.startswith("/static/") and path[8:] in STATIC:
        return 200, STATIC[path[8:]], shipped.read(f"preview/{path[8:]}"), {}
    pages = {name: view.page for view in snapshot.feeds for name in (view.atom, view.rss)}
    if path.startswith("/read/") and path[6:] in pages and pages[path[6:]] in snapshot.files:
        page = pages[path[6:]]
        return 200, HTML, readable(snapshot.files[page], page, snapshot.version), {}
    if path.startswith("/feed/") and path[6:] in snapshot.files:
        name = path[6:]
        kind = FILE_TYPES.get(PurePosixPath(name).suffix, "application/octet-stream")
        return 200, kind, snapshot.files[name], {}
    if path.startswith("/draft/"):
        folder, _, name = path[7:].rstrip("/").rpartition("/")
        drafts = {draft.path: draft for draft in snapshot.drafts}
        if name in DRAFT_FILES and folder in drafts:
            return 200, DRAFT_FILES[name], drafts[folder].files[name], {}
        wanted = path[7:].strip("/")
        if wanted in drafts and path.endswith("/"):
            return 200, HTML, _page("draft.html", snapshot, draft=drafts[wanted]), {}
        if wanted in drafts:
            return 301, HTML, b"", {"Location": path + "/"}
    return 404, HTML, _page("missing.html", snapshot, path=path), {}
