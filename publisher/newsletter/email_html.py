"""A post's HTML made fit for an inbox, and HTML turned into readable plain text.

Mail clients run no scripts, show no forms, and drop most of what a browser knows;
what they do not drop can be dangerous. So a post's HTML keeps only what reads well
in email: no `<script>`, forms, iframes, SVG, `<picture>`/`srcset`, `data:` images or
`javascript:` links. Videos and iframes become links to what they showed.
"""

from __future__ import annotations

import re
from collections.abc import Callable
from dataclasses import dataclass, field

from lxml import etree, html

from publisher.urls import has_scheme

_DROP = {"script", "style", "noscript", "form", "input", "button", "select", "textarea",
         "object", "embed", "applet", "svg", "math", "canvas", "template", "link", "meta",
         "base", "source", "track", "frameset", "frame", "noembed", "noframes", "title"}
# `<plaintext>` has no end: a browser (and lxml) reads all that follows as text, so one
# in a post would swallow the rest of the issue, footer and unsubscribe link included.
# It and its obsolete kin `<xmp>` and `<listing>` become `<pre>` before anything parses.
_SWALLOWING = re.compile(r"<(/?)(?:plaintext|xmp|listing)\b[^>]*>", re.IGNORECASE)
_LINKED = {"iframe", "video", "audio"}  # replaced by a link to what they show
_SAFE_SCHEMES = ("http:", "https:", "mailto:", "tel:")
_BLOCKS = {"p", "div", "section", "article", "header", "footer", "blockquote", "pre", "table",
           "tr", "ul", "ol", "dl", "h1", "h2", "h3", "h4", "h5", "h6", "figure", "figcaption",
           "hr", "li", "dt", "dd"}


@dataclass
class Cleaned:
    html: str
    images_without_alt: list[str] = field(default_factory=list)


def _safe_url(url: str) -> bool:
    url = url.strip().lower()
    return bool(url) and has_scheme(url) and url.startswith(_SAFE_SCHEMES)


def _replace(element: etree._Element, new: etree._Element | None) -> None:
    parent = element.getparent()
    if parent is None:
        return
    if new is not None:
        new.tail = element.tail
        parent.replace(element, new)
    else:
        element.drop_tree()


def clean_for_email(markup: str, track: Callable[[str], str] = lambda u: u) -> Cleaned:
    """Sanitize a post's HTML for email; `track` rewrites link URLs (UTM parameters)."""
    result = Cleaned("")
    if not markup.strip():
        return result
    root = html.fragment_fromstring(_SWALLOWING.sub(r"<\1pre>", markup), create_parent="div")
    for comment in root.xpath("//comment() | //processing-instruction()"):
        comment.drop_tree()
    for element in list(root.iter(tag=etree.Element)):
        if element is root:
            continue
        tag = element.tag.lower()
        if tag in _DROP:
            _replace(element, None)
            continue
        if tag == "picture":  # keep the fallback <img>
            img = element.find(".//img")
            _replace(element, img)
            continue
        if tag in _LINKED:
            src = element.get("src") or next(
                (s.get("src") for s in element.iter("source") if s.get("src")), "")
            link = None
            if _safe_url(src):
                link = html.Element("p")
                anchor = etree.SubElement(link, "a", href=track(src))
                anchor.text = {"video": "Watch the video", "audio": "Listen"}.get(
                    tag, "Open the embedded content")
            _replace(element, link)
            continue
        for name in list(element.attrib):
            lowered = name.lower()
            if lowered.startswith("on") or lowered in ("srcset", "sizes", "style", "class",
                                                       "id", "loading", "decoding"):
                del element.attrib[name]
        if tag == "a":
            href = element.get("href", "")
            if href.startswith("#") or not href:
                element.attrib.pop("href", None)
            elif not _safe_url(href):
                element.attrib.pop("href")  # javascript:, data:, vbscript:
            else:
                element.set("href", track(href))
        if tag == "img":
            src = element.get("src", "")
            if not _safe_url(src) or not src.lower().startswith(("http:", "https:")):
                alt = element.get("alt", "")
                if alt:
                    span = html.Element("span")
                    span.text = alt
                    _replace(element, span)
                else:
                    _replace(element, None)
                continue
            if not (element.get("alt") or "").strip():  # Markdown's ![](x) gives alt=""
                element.set("alt", "")
                result.images_without_alt.append(src)
    for sup in root.iter("sup"):  # footnote markers link into the page: plain numbers
        for anchor in sup.iter("a"):
            anchor.attrib.pop("href", None)
    result.html = html.tostring(root, encoding="unicode")[len("<div>"):-len("</div>")]
    return result


def _inline(text: str | None) -> str:
    return re.sub(r"\s+", " ", text) if text else ""


def to_text(markup: str) -> str:
    """HTML -> plain text a person can read: paragraphs, lists, links as 'text (URL)'."""
    if not markup.strip():
        return ""
    root = html.fragment_fromstring(markup, create_parent="div")
    out: list[str] = []

    def walk(element: etree._Element, depth: int) -> None:
        tag = element.tag.lower() if isinstance(element.tag, str) else ""
        if tag in ("script", "style", ""):  # "" is a comment
            out.append(_inline(element.tail))
            return
        if tag in ("li", "tr", "dt", "dd", "br") or tag in ("ul", "ol") and depth:
            out.append("\n")
        elif tag in _BLOCKS:
            out.append("\n\n")
        if tag == "li":
            parent = element.getparent()
            ordered = parent is not None and parent.tag == "ol"
            marker = f"{list(parent).index(element) + 1}. " if ordered else "- "
            out.append("  " * max(depth - 1, 0) + marker)
        elif tag == "dd":
            out.append("  ")
        elif re.fullmatch(r"h[1-6]", tag):
            out.append("#" * int(tag[1]) + " ")
        elif tag == "hr":
            out.append("----")
        if tag == "pre":  # code keeps its lines and indentation
            code = element.text_content().rstrip("\n")
            out.append("\n".join("    " + line for line in code.split("\n")) + "\n\n")
        elif tag == "img":
            if element.get("alt"):
                out.append(f"[{element.get('alt')}]")
        else:
            out.append(_inline(element.text))
            for child in element:
                walk(child, depth + (tag in ("ul", "ol")))
            if tag == "a":
                href = element.get("href", "")
                if href and href != element.text_content().strip():
                    out.append(f" ({href})")
            elif tag in ("td", "th"):
                out.append("  ")
        out.append(_inline(element.tail))

    walk(root, 0)
    lines = [line.rstrip() for line in "".join(out).split("\n")]
    text = "\n".join(line if line.startswith("    ") else line.lstrip(" ") if not
                     re.match(r"\s*(- |\d+\. )", line) else line for line in lines)
    return re.sub(r"\n{3,}", "\n\n", text).strip("\n") + "\n"
