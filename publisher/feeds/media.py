"""What feedgen cannot write by itself: the header image (Media RSS), and the feed-level
links and marks of archives, hubs and the feed's web page."""

from __future__ import annotations

import mimetypes
from html import escape

from feedgen.ext.base import BaseEntryExtension, BaseExtension
from feedgen.util import xml_elem

from publisher.content.text import text_of

MEDIA_NS = "http://search.yahoo.com/mrss/"
FH_NS = "http://purl.org/syndication/history/1.0"  # RFC 5005
ATOM_NS = "http://www.w3.org/2005/Atom"


class FeedExtras(BaseExtension):
    """Links feedgen's own `link()` would spoil (the last link it is given becomes the
    RSS channel's `<link>`), written as `atom:link` in Atom and RSS alike, and the
    `fh:archive` mark of an archive page."""

    def __init__(self) -> None:
        self.links: list[dict[str, str]] = []
        self.archive = False

    def extend_ns(self) -> dict[str, str]:
        # fh only where it is used: the feeds readers subscribe to keep their bytes.
        return {"media": MEDIA_NS, **({"fh": FH_NS} if self.archive else {})}

    def _add(self, parent, link_tag: str):  # type: ignore[no-untyped-def]
        if self.archive:
            xml_elem(f"{{{FH_NS}}}archive", parent)
        for link in self.links:
            xml_elem(link_tag, parent, **link)

    def extend_atom(self, feed):  # type: ignore[no-untyped-def]
        self._add(feed, "link")  # feedgen's Atom tree is in the default namespace
        return feed

    def extend_rss(self, feed):  # type: ignore[no-untyped-def]
        self._add(feed.find("channel"), f"{{{ATOM_NS}}}link")
        return feed


class HeaderImage(BaseEntryExtension):
    """`<media:content medium="image">` with the caption as `<media:description>`, and
    `<media:thumbnail>` beside it: Mailchimp's RSS merge tags and many readers show only
    the thumbnail.

    feedgen's own media extension wraps content in `<media:group>` and has no
    description, so the rendered caption would have nowhere to go.
    """

    def __init__(self) -> None:
        self.url = self.caption = ""

    def set(self, url: str, caption: str) -> None:
        self.url, self.caption = url, caption

    def extend_atom(self, entry):  # type: ignore[no-untyped-def]
        if self.url:
            content = xml_elem(f"{{{MEDIA_NS}}}content", entry, url=self.url, medium="image",
                               type=image_type(self.url))
            if self.caption:
                description = xml_elem(f"{{{MEDIA_NS}}}description", content, type="html")
                description.text = self.caption
            xml_elem(f"{{{MEDIA_NS}}}thumbnail", entry, url=self.url)
        return entry

    extend_rss = extend_atom


def image_type(url: str) -> str:
    return mimetypes.guess_type(url.split("?", 1)[0])[0] or "image/jpeg"


def with_image(html: str, image: str | None, caption_html: str) -> str:
    """`html` with the header image on top, for readers that show only the content
    (newsboat, rss2email): `feed.image_in_content`."""
    if not image:
        return html
    caption = f"<figcaption>{caption_html}</figcaption>" if caption_html else ""
    return (f'<figure><img src="{escape(image)}" alt="{escape(text_of(caption_html))}">'
            f"{caption}</figure>{html}")
