"""The preview's pages: the answer to each path, from one build."""

from __future__ import annotations

import functools
from datetime import datetime
from pathlib import PurePosixPath
from typing import TYPE_CHECKING, Any

from publisher import shipped
from publisher.preview.snapshot import XSL_PATH, Snapshot

if TYPE_CHECKING:
    import jinja2

DRAFT_FILES = {"issue.html": "text/html; charset=utf-8",
               "issue.txt": "text/plain; charset=utf-8",
               "issue.eml": "text/plain; charset=utf-8",
               "issue.json": "application/json"}


FILE_TYPES = {".xml": "application/xml; charset=utf-8", ".xsl": "application/xml; charset=utf-8",
              ".json": "application/json; charset=utf-8", ".html": "text/html; charset=utf-8"}


STATIC = {"preview.css": "text/css; charset=utf-8",
          "reload.js": "text/javascript; charset=utf-8"}


def readable(xml: bytes, version: str) -> bytes:
    """An XML feed as the page feed.xsl makes of it, laid out here rather than by the
    browser (browsers are dropping XSLT), with the reload script added."""
    from lxml import etree

    from publisher.feeds.build import stylesheet

    parser = etree.XMLParser(resolve_entities=False, no_network=True)
    transform = etree.XSLT(etree.fromstring(stylesheet(), parser))
    page = transform(etree.fromstring(xml, parser))
    root = page.getroot()
    root.set("data-version", version)
    etree.SubElement(root.find("head"), "script", src="/static/reload.js", defer="defer")
    return bytes(page)


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
    if path == XSL_PATH:
        from publisher.feeds.build import stylesheet

        return 200, "text/xsl; charset=utf-8", stylesheet(), {}
    if path.startswith("/static/") and path[8:] in STATIC:
        return 200, STATIC[path[8:]], shipped.read(f"preview/{path[8:]}"), {}
    if path.startswith("/read/") and path.endswith(".xml") and path[6:] in snapshot.files:
        return 200, HTML, readable(snapshot.files[path[6:]], snapshot.version), {}
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
