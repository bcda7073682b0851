"""Jekyll's Liquid tags that print HTML: `highlight` (Jekyll's own block, as rouge
lays it out, without the colours) and the `youtube`/`vimeo` tags of plugins (a link).
"""

from __future__ import annotations

import html
import re
from typing import TYPE_CHECKING, TextIO

from liquid.ast import BlockNode, Node
from liquid.exceptions import LiquidSyntaxError
from liquid.tag import Tag
from liquid.token import Token

from publisher.content.jekyll_tags import block_of, markup_of

if TYPE_CHECKING:
    from liquid.context import RenderContext
    from liquid.stream import TokenStream


# -- highlight --------------------------------------------------------------------------------

_HIGHLIGHT = re.compile(r"^([a-zA-Z0-9.+#_-]+)((\s+\w+(=(\w+|\"([0-9]+\s)*[0-9]+\"))?)*)$")


class HighlightNode(Node):
    __slots__ = ("lang", "linenos", "block")

    def __init__(self, token: Token, lang: str, linenos: bool, block: BlockNode) -> None:
        super().__init__(token)
        self.lang, self.linenos, self.block = lang, linenos, block
        self.blank = False

    def render_to_output(self, context: RenderContext, buffer: TextIO) -> int:
        inner = context.get_buffer(buffer)
        self.block.render(context, inner)
        code = re.sub(r"\A[\n\r]+|[\n\r]+\Z", "", inner.getvalue())
        escaped = html.escape(code, quote=False)
        if self.linenos:  # rouge's table, without its colours
            count = len(code.splitlines()) or 1
            gutter = "".join(f"{n}\n" for n in range(1, count + 1))
            escaped = (f'<table class="rouge-table"><tbody><tr><td class="gutter gl">'
                       f'<pre class="lineno">{gutter}</pre></td><td class="code"><pre>'
                       f"{escaped}\n</pre></td></tr></tbody></table>")
        attrs = f'class="language-{self.lang.replace("+", "-")}" data-lang="{self.lang}"'
        # Jekyll's HTML, in one block: the site's Markdown (kramdown's rules) leaves an
        # HTML block whole, blank lines and all, as kramdown does.
        buffer.write(f'<figure class="highlight"><pre><code {attrs}>{escaped}</code></pre>'
                     "</figure>")
        return True


class HighlightTag(Tag):
    name = "highlight"
    end = "endhighlight"

    def parse(self, stream: TokenStream) -> Node:
        token, markup = markup_of(stream)
        match = _HIGHLIGHT.match(markup)
        if not match:
            raise LiquidSyntaxError(f"highlight needs a language: {{% highlight ruby %}}, "
                                    f"not {{% highlight {markup[:40]} %}}", token=token)
        linenos = bool(re.search(r"(?:^|\s)linenos\b", match.group(2) or ""))
        return HighlightNode(token, match.group(1).lower(), linenos,
                             block_of(self.env, stream, self.end))


# -- youtube and vimeo (plugins' tags that say which video) -----------------------------------

_VIDEOS = {"youtube": ("https://www.youtube.com/watch?v={}", "YouTube"),
           "vimeo": ("https://vimeo.com/{}", "Vimeo")}


class VideoTag(Tag):
    """`{% youtube ID %}`: a link to the video (feeds and emails drop a player's iframe),
    as publisher's own sites get it."""

    block = False
    name = "youtube"

    def parse(self, stream: TokenStream) -> Node:
        token, markup = markup_of(stream)
        video = markup.split()[0].strip("'\"") if markup else ""
        if not re.fullmatch(r"[\w-]+", video):
            raise LiquidSyntaxError(f"{{% {self.name} %}} needs the video's id", token=token)
        url, site = _VIDEOS[self.name]
        return _Text(token, f'<p><a href="{url.format(video)}">Watch the video on {site}</a></p>')


class VimeoTag(VideoTag):
    name = "vimeo"


class _Text(Node):
    __slots__ = ("text",)

    def __init__(self, token: Token, text: str) -> None:
        super().__init__(token)
        self.text = text
        self.blank = False

    def render_to_output(self, context: RenderContext, buffer: TextIO) -> int:
        return buffer.write(self.text)


TAGS = (HighlightTag, VideoTag, VimeoTag)
