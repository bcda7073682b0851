"""Templates in a post body -> Markdown: the dispatcher, and publisher's own translator.

A Jekyll site's Liquid runs in a real Liquid engine, as Jekyll runs it
(jekyll_liquid.py: python-liquid, loaded only for Jekyll sites). Hugo's shortcodes are
rendered by shortcodes.py, first. Publisher's own sites, whose bodies may hold either,
get the translator below: it does not run templates, it translates the handful of tags
whose meaning is clear (`highlight`, `raw`, `post_url`, `link`, `site.url`, `page.*`) and
removes everything else with a warning, so a reader never sees a raw `{% ... %}`. Code
blocks and code spans are left as written: that is where writers show template code on
purpose.
"""

from __future__ import annotations

import html
import re
from collections.abc import Callable, Mapping
from dataclasses import dataclass, field
from datetime import date, datetime
from importlib.metadata import version
from typing import TYPE_CHECKING, Any

from publisher.config import Config
from publisher.content.liquid_scan import Scanner
from publisher.content.shortcode_parse import code_spans
from publisher.content.shortcodes import expand
from publisher.site.jekyll_site import jekyll_site_digest
from publisher.site.post import Post

if TYPE_CHECKING:  # python-liquid takes half a second to import: only Jekyll sites do
    from publisher.content.jekyll_liquid import JekyllLiquid

_STRING = re.compile(r"""^\s*(?:"([^"]*)"|'([^']*)')\s*$""")


@dataclass(frozen=True)
class LiquidContext:
    """What Liquid expressions may read, and how `post_url`/`link` find posts."""

    site: Mapping[str, str]
    page: Mapping[str, Any]
    resolve: Callable[[str], str | None]  # post_url or link argument -> absolute URL
    # A Jekyll site's Liquid engine (`liquid_engine`) and the post it renders; without
    # them, the translator below reads the body.
    engine: JekyllLiquid | None = None
    post: Post | None = None


@dataclass
class LiquidResult:
    text: str
    # (line, tag) of each removed construct, for one warning per kind.
    removed: list[tuple[int, str]] = field(default_factory=list)
    unresolved: list[tuple[int, str]] = field(default_factory=list)
    # (line, message): warnings said as they are, each kind once (the Liquid engine's).
    messages: list[tuple[int, str]] = field(default_factory=list)


def liquid_engine(config: Config, kinds: frozenset[str],
                  markdownify: Callable[[str], str] | None = None) -> JekyllLiquid | None:
    """The Liquid engine of a Jekyll site (its dialect runs Liquid and only Liquid), with
    `markdownify` as the site's Markdown; None for any other site."""
    if config.site.generator != "jekyll" or kinds != frozenset({"liquid"}):
        return None
    from publisher.content.jekyll_liquid import jekyll_engine

    return jekyll_engine(config, markdownify)


def liquid_settings(config: Config) -> str:
    """What the render cache must key on for body templates: for a Jekyll site,
    python-liquid's release and a digest of _config.yml, _data/ and _includes/."""
    if config.site.generator != "jekyll":
        return ""
    # Without importing python-liquid: a run whose posts all come from the cache
    # never pays for it.
    return f"python-liquid {version('python-liquid')} {jekyll_site_digest(config)}"


def _fenced(code: str, lang: str) -> str:
    longest = max((len(m) for m in re.findall(r"`+", code)), default=0)
    ticks = "`" * max(3, longest + 1)
    return f"\n{ticks}{lang}\n{code.strip(chr(10))}\n{ticks}\n"


def _scalar(value: Any) -> str | None:
    if isinstance(value, datetime):
        return value.isoformat()
    if isinstance(value, (str, int, float, date)) and not isinstance(value, bool):
        return str(value)
    if isinstance(value, list) and all(isinstance(v, (str, int, float)) for v in value):
        return ", ".join(map(str, value))
    return None


def _expression(expr: str, ctx: LiquidContext) -> str | None:
    """The value of `{{ expr }}` or None when we cannot know it."""
    parts = [p.strip() for p in expr.split("|")]
    head, filters = parts[0], [f.split(":")[0].strip() for f in parts[1:]]
    literal = _STRING.match(head)
    if literal:
        value: str | None = literal.group(1) if literal.group(1) is not None else literal.group(2)
    elif head.startswith("site."):
        value = ctx.site.get(head[5:])
    elif head.startswith("page."):
        raw = ctx.page.get(head[5:])
        value = _scalar(raw)
        if value is not None and head[5:] not in ("url",):
            value = html.escape(value, quote=True)  # a field is text, never markup
    else:
        return None
    if value is None:
        return None
    for name in filters:
        if name in ("relative_url", "absolute_url"):
            value = ctx.site["url"] + value if value.startswith("/") else value
        elif name in ("xml_escape", "escape", "cgi_escape", "uri_escape", "strip", "markdownify"):
            continue
        else:
            return None
    return value


_VIDEO_URLS = {"youtube": "https://www.youtube.com/watch?v={}", "vimeo": "https://vimeo.com/{}"}


def _video_link(name: str, positional: list[str], named: dict[str, str]) -> str | None:
    """An embedded video becomes a link to it: feeds and emails drop iframes anyway."""
    video_id = named.get("id") or (positional[0].strip("'\"") if positional else "")
    if name not in _VIDEO_URLS or not re.fullmatch(r"[\w-]+", video_id):
        return None
    url = _VIDEO_URLS[name].format(video_id)
    return f'<p><a href="{url}">Watch the video on {name.capitalize()}</a></p>'


def convert(text: str, first_line: int, ctx: LiquidContext,
            kinds: frozenset[str] = frozenset({"liquid", "shortcodes"})) -> LiquidResult:
    """Translate or remove every Liquid tag and Hugo shortcode outside code.

    `kinds` names what the site's generator runs in bodies: "liquid", "shortcodes";
    the other kind is text, left as written.
    """
    if "shortcodes" in kinds:  # Hugo's shortcodes, by Hugo's rules (shortcodes.py)
        expanded = expand(text, first_line, ctx.page, ctx.site["url"], ctx.resolve)
        result = convert(expanded.text, first_line, ctx, kinds - {"shortcodes"})
        result.removed[:0] = expanded.removed
        result.unresolved[:0] = expanded.unresolved
        return result
    if "liquid" in kinds and ctx.engine is not None and ctx.post is not None:
        rendered, messages, unresolved = ctx.engine.render(text, first_line, ctx.post,
                                                           ctx.resolve)
        return LiquidResult(rendered, unresolved=unresolved, messages=messages)
    if "{%" not in text and "{{" not in text:
        return LiquidResult(text)
    result = LiquidResult("")
    spans = code_spans(text)  # fenced code and code spans: left as written
    out: list[str] = []
    pos = 0
    span_index = 0

    scanner = Scanner(text)

    def block_end(start: int, closer: re.Pattern[str]) -> tuple[int, int] | None:
        m = closer.search(text, start)
        return (m.start(), m.end()) if m else None

    while True:
        token = scanner.next(pos)
        if token is None:
            break
        while span_index < len(spans) and spans[span_index][1] <= token.start:
            span_index += 1
        if span_index < len(spans) and spans[span_index][0] <= token.start:
            out.append(text[pos:spans[span_index][1]])
            pos = spans[span_index][1]
            continue
        if ("shortcodes" if token.shortcode else "liquid") not in kinds:
            out.append(text[pos:token.end])
            pos = token.end
            continue
        out.append(text[pos:token.start])
        pos = token.end
        line = first_line + scanner.line(token.start)
        tag = token.tag
        if tag is not None:
            args = token.args.strip()
            if tag == "raw":
                end = block_end(pos, re.compile(r"\{%-?\s*endraw\s*-?%\}"))
                stop = end or (len(text), len(text))
                out.append(text[pos:stop[0]])
                pos = stop[1]
            elif tag == "comment":
                end = block_end(pos, re.compile(r"\{%-?\s*endcomment\s*-?%\}"))
                pos = end[1] if end else len(text)
            elif tag == "highlight":
                end = block_end(pos, re.compile(r"\{%-?\s*endhighlight\s*-?%\}"))
                stop = end or (len(text), len(text))
                out.append(_fenced(text[pos:stop[0]], args.split()[0] if args else ""))
                pos = stop[1]
            elif tag in ("post_url", "link"):
                target = args.strip("'\" ")
                url = ctx.resolve(target)
                if url is None:
                    result.unresolved.append((line, f"{{% {tag} {target} %}}"))
                    url = ctx.site["url"] + "/"
                out.append(url)
            elif video := _video_link(tag, args.split(), {}):
                out.append(video)
            elif tag.startswith("end"):
                continue  # the closing half of a block whose opening we removed
            else:
                result.removed.append((line, f"{{% {tag} %}}"))
            continue
        value = _expression(token.expr, ctx)
        if value is None:
            result.removed.append((line, "{{ " + token.expr.strip()[:40] + " }}"))
        else:
            out.append(value)
    out.append(text[pos:])
    result.text = "".join(out)
    return result
