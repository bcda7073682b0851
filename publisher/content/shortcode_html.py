"""The HTML of Hugo's built-in shortcodes, byte for byte as Hugo 0.168 writes it.

Each function takes the shortcode's arguments as written and returns what Hugo's embedded
template prints (checked against real Hugo builds by tests/test_shortcodes.py). Hugo runs
these templates with Go's html/template, whose escaping `go_escape` reproduces. Where
Hugo would ask the network (oEmbed) or stop the build (`gist`, removed in 0.156), we write
its documented markup instead.
"""

from __future__ import annotations

import html
import re
from collections.abc import Callable, Mapping
from dataclasses import dataclass, field
from datetime import date, datetime
from typing import Any
from urllib.parse import quote, urlencode

_GO_ESCAPES = {"\0": "\ufffd", '"': "&#34;", "&": "&amp;", "'": "&#39;", "+": "&#43;",
               "<": "&lt;", ">": "&gt;"}
_GO_ESCAPE = re.compile("[\0\"&'+<>]")
_TAGS = re.compile(r"<[^>]*>")
_PLAIN_TEXT = re.compile(r"[^\W_]+(?:[ ,.;:?()/]+[^\W_]+)*[.?]?")
_PARAGRAPH = re.compile(r"\A<p>(.*)</p>\Z", re.DOTALL)
# What a URL in a src attribute keeps as written (Go's url.String escapes the rest).
_URL_SAFE = "/:?#[]@!$&'()*+,;=%~"
_DIV_STYLE = "position: relative; padding-bottom: 56.25%; height: 0; overflow: hidden;"
_IFRAME_STYLE = "position: absolute; top: 0; left: 0; width: 100%; height: 100%; border:0;"
_YOUTUBE_ALLOW = ("accelerometer; autoplay; clipboard-write; encrypted-media; gyroscope; "
                  "picture-in-picture; web-share")


def go_escape(text: str) -> str:
    """Go html/template's escaping of a string in text or an attribute."""
    return _GO_ESCAPE.sub(lambda m: _GO_ESCAPES[m.group(0)], text)


def go_value(value: Any) -> str:
    """A value as Go's templates print it (`{{ . }}`)."""
    if isinstance(value, bool):
        return "true" if value else "false"
    if isinstance(value, float):
        text = repr(value)
        return text[:-2] if text.endswith(".0") else text
    if isinstance(value, datetime):
        return (f"{value:%Y-%m-%d %H:%M:%S} {value.strftime('%z') or '+0000'} "
                f"{value.tzname() or 'UTC'}")
    if isinstance(value, date):
        return f"{value:%Y-%m-%d} 00:00:00 +0000 UTC"
    if isinstance(value, list):
        return "[" + " ".join(map(go_value, value)) + "]"
    if isinstance(value, dict):
        return "map[" + " ".join(f"{k}:{go_value(v)}" for k, v in sorted(value.items())) + "]"
    return str(value)


def lookup(data: Any, dotted: str) -> Any:
    """Hugo's `.Param` walk: case-insensitive keys, `a.b` for nested tables."""
    for part in dotted.lower().split("."):
        if not isinstance(data, Mapping):
            return None
        data = next((v for k, v in data.items() if str(k).lower() == part), None)
    return data


@dataclass(frozen=True)
class Args:
    """A shortcode's arguments: positional and named, values as strings (`open=true`)."""

    positional: tuple[str, ...] = ()
    named: Mapping[str, str] = field(default_factory=dict)

    def get(self, key: str | int) -> str:
        """Hugo's `.Get`: a named argument, or a positional one by index; '' if absent."""
        if isinstance(key, int):
            return self.positional[key] if key < len(self.positional) else ""
        return self.named.get(key, "")

    def flag(self, key: str, default: bool) -> bool:
        """Hugo's `in (slice "true" true 1)` tests on a boolean argument."""
        value = self.get(key)
        return True if value in ("true", "1") else False if value in ("false", "0") \
            else default


def markdownify(markdown: Callable[[str], str], text: str) -> str:
    """Hugo's `markdownify`: Markdown -> HTML, without the <p> of a single paragraph."""
    if not text:
        return ""
    if _PLAIN_TEXT.fullmatch(text):  # no Markdown in it: every engine writes it as it is
        return text
    out = markdown(text).strip()
    single = _PARAGRAPH.match(out)
    return single.group(1) if single and "<p>" not in single.group(1) else out


def _url(src: str) -> str:
    return go_escape(quote(src, safe=_URL_SAFE))


def figure(args: Args, markdown: Callable[[str], str]) -> str:
    get = args.get
    css = f' class="{go_escape(get("class"))}"' if get("class") else ""
    out = [f"<figure{css}>"]
    if get("link"):
        out.append(f'<a href="{_url(get("link"))}"'
                   + (f' target="{go_escape(get("target"))}"' if get("target") else "")
                   + (f' rel="{go_escape(get("rel"))}"' if get("rel") else "") + ">")
    out.append(f'<img src="{_url(get("src"))}"')
    if get("alt") or get("caption"):
        alt = go_escape(get("alt")) if get("alt") else go_escape(
            _plain(markdownify(markdown, get("caption"))))
        out.append(f'\n\t\t\talt="{alt}"')
    for name in ("width", "height", "loading"):
        if get(name):
            out.append(f' {name}="{go_escape(get(name))}"')
    out.append(">")
    if get("link"):
        out.append("</a>")
    if get("title") or get("caption") or get("attr"):
        out.append("<figcaption>\n\t\t\t")
        if get("title"):
            out.append(f"<h4>{go_escape(get('title'))}</h4>")
        if get("caption") or get("attr"):
            out.append("<p>" + markdownify(markdown, get("caption")))
            if get("attrlink"):
                out.append(f'\n\t\t\t\t\t\t<a href="{_url(get("attrlink"))}">')
            out.append(markdownify(markdown, get("attr")))
            out.append("</a></p>" if get("attrlink") else "</p>")
        out.append("\n\t\t</figcaption>")
    out.append("\n</figure>")
    return "".join(out)


def _plain(markup: str) -> str:
    """Hugo's `plainify` (tags out), its entities read once so that none is escaped twice."""
    return html.unescape(_TAGS.sub("", markup))


def youtube(args: Args, privacy: Mapping[str, Any]) -> str | None:
    """The embedded player; None without a video id (Hugo stops the build)."""
    if privacy.get("disable") is True:
        return ""
    video = args.get("id") or args.get(0)
    if not video:
        return None
    autoplay = args.flag("autoplay", False)
    loop = args.flag("loop", False)
    query: dict[str, str] = {
        "autoplay": "1" if autoplay else "0",
        "controls": "1" if args.flag("controls", True) else "0",
        "end": args.get("end") or "0", "loop": "1" if loop else "0",
        "mute": "1" if autoplay or args.flag("mute", False) else "0",
        "start": args.get("start") or "0"}
    if loop:
        query["playlist"] = video
    host = "www.youtube-nocookie.com" if privacy.get("privacyenhanced") is True \
        else "www.youtube.com"
    src = f"https://{host}/embed/{quote(video, safe='')}?{urlencode(sorted(query.items()))}"
    css = args.get("class")
    allow = _YOUTUBE_ALLOW + ("; fullscreen" if args.flag("allowFullScreen", True) else "")
    div = f' class="{go_escape(css)}"' if css else f' style="{_DIV_STYLE}"'
    return (f"<div{div}>\n\t\t\t<iframe allow=\"{allow}\" "
            f"loading=\"{go_escape(args.get('loading') or 'eager')}\" "
            f"referrerpolicy=\"strict-origin-when-cross-origin\" src=\"{go_escape(src)}\""
            + ("" if css else f' style="{_IFRAME_STYLE}"')
            + f" title=\"{go_escape(args.get('title') or 'YouTube video')}\"></iframe>\n\t\t</div>")


def vimeo(args: Args, privacy: Mapping[str, Any]) -> str | None:
    """The embedded player; None without a video id. Hugo's `simple` privacy mode asks
    Vimeo's oEmbed for a thumbnail: we write the player in every mode."""
    if privacy.get("disable") is True:
        return ""
    video = args.get("id") or args.get(0)
    if not video:
        return None
    css = args.get("class")
    src = f"https://player.vimeo.com/video/{quote(video, safe='')}?dnt=" + (
        "1" if privacy.get("enablednt") is True else "0")
    div = f'class="{go_escape(css)}"' if css else f'style="{_DIV_STYLE}"'
    iframe = f'src="{go_escape(src)}"' + ("" if css else f'\n\t\t\t\t\t\tstyle="{_IFRAME_STYLE}"')
    if args.flag("allowFullScreen", True):
        iframe += ' allow="fullscreen"'
    for name in ("loading", "title"):
        if args.get(name):
            iframe += f' {name}="{go_escape(args.get(name))}"'
    return (f"\n\t\t\t<div\n\t\t\t\t\t{div}>\n\t\t\t\t<iframe\n\t\t\t\t\t{iframe}>\n"
            "\t\t\t\t</iframe>\n\t\t\t</div>")


def gist(args: Args) -> str | None:
    """Hugo's last `gist` markup (0.155: the shortcode is gone since 0.156)."""
    user, gist_id, file = args.get(0), args.get(1), args.get(2)
    if not user or not gist_id:
        return None
    src = f"https://gist.github.com/{quote(user, safe='')}/{quote(gist_id, safe='')}.js"
    if file:
        src += f"?file={quote(file, safe='')}"
    return f'<script src="{go_escape(src)}"></script>'


def details(args: Args, markdown: Callable[[str], str], inner_html: str) -> str:
    """A disclosure box; `inner_html` is the inner content already rendered."""
    attrs = "".join(f' {name}="{go_escape(args.get(name))}"' if name != "open" else " open"
                    for name in ("class", "name", "open", "title")
                    if (args.flag("open", False) if name == "open" else args.get(name)))
    summary = markdownify(markdown, args.get("summary") or "Details")
    body = inner_html.strip()
    return (f"\n<details{attrs}>\n\t<summary>{summary}</summary>\n\t"
            + (body + "\n" if body else "") + "</details>")
