"""Hugo's shortcodes in a post body -> Markdown that renders as Hugo renders them.

Hugo 0.168's rules, checked against real builds (tests/test_shortcodes.py):
- Shortcodes are found everywhere in a body, fenced code and code spans included.
- `{{< name args >}}` prints its template's HTML untouched by Markdown; `{{% name args %}}`
  prints it into the Markdown, which then renders it. `{{< x />}}` closes itself; an
  inner content ends at `{{< /x >}}`. `{{</* x */>}}` prints `{{< x >}}` literally.
- Arguments: positional or `name=value`; values bare, "quoted" (with \\") or `raw`.
- Built-ins (`figure`, `highlight`, `ref`, `relref`, `youtube`, `vimeo`, `gist`,
  `details`, `param`, `comment`) print Hugo's own HTML (shortcode_html.py). A shortcode of
  the site's own (layouts/shortcodes/NAME.html) or an unknown one loses its tags and keeps
  its inner content, with one warning per name.

We run before Markdown, so HTML Hugo keeps away from Markdown is written so that no
Markdown engine changes it (`inert`): no indented or blank lines outside <pre>, and
Markdown's punctuation in text as character references.
"""

from __future__ import annotations

import bisect
import functools
import hashlib
import json
import re
import textwrap
from collections.abc import Callable, Mapping
from dataclasses import dataclass, field
from typing import Any
from urllib.parse import urlsplit

from publisher.config import Config
from publisher.content import shortcode_html as builtin
from publisher.content.shortcode_html import go_escape, go_value, lookup
from publisher.content.shortcode_parse import Tag, code_spans, pairs, scan
from publisher.dialects import dialect_for
from publisher.dialects.hugo_config import hugo_root, hugo_shortcode_data

BUILTINS = frozenset({"figure", "highlight", "ref", "relref", "youtube", "vimeo", "gist",
                      "details", "param", "comment"})
_WITH_INNER = frozenset({"highlight", "details", "comment"})
_PRE = re.compile(r"(<pre\b.*?</pre>)", re.DOTALL | re.IGNORECASE)
_MARKUP = re.compile(r"(<[^>]*>)")
_MARKDOWN_PUNCTUATION = re.compile(r"[\\`*_\[\]~!$|\"']")


@dataclass(frozen=True)
class ShortcodeSite:
    """What a Hugo site gives its shortcodes: `params`, `privacy` (keys in lower case)
    and the names of the shortcodes it defines itself."""

    params: Mapping[str, Any] = field(default_factory=dict)
    privacy: Mapping[str, Any] = field(default_factory=dict)
    own: frozenset[str] = frozenset()
    # Those of `own` whose template renders the inner content as Markdown (markdownify,
    # RenderString); the others print it as written, as `{{ .Inner }}` does.
    markdown_inner: frozenset[str] = frozenset()

    @property
    def digest(self) -> str:
        """Changes when anything here does: part of the render cache's keys."""
        data = json.dumps([self.params, self.privacy, sorted(self.own),
                           sorted(self.markdown_inner)], sort_keys=True, default=str)
        return hashlib.sha256(data.encode()).hexdigest()


def site_for(config: Config) -> ShortcodeSite:
    """The shortcode data of the site `config` publishes (nothing for a site whose
    generator runs no shortcodes)."""
    if "shortcodes" not in dialect_for(config).body_templates:
        return ShortcodeSite()
    return ShortcodeSite(*hugo_shortcode_data(hugo_root(config)))


@functools.cache
def _python_markdown() -> Any:
    import markdown

    from publisher.dialects.plain import PLAIN

    flavour = PLAIN.markdown  # Python-Markdown: the caller passes Hugo's own when it has it
    return markdown.Markdown(extensions=list(flavour.extensions), output_format="html",
                             extension_configs={k: dict(v) for k, v in flavour.settings.items()})


def default_markdown(text: str) -> str:
    """Markdown -> HTML (publisher's own flavour): what `details` and `figure` captions
    render with when the caller gives no renderer of its own."""
    md = _python_markdown()
    md.reset()
    return str(md.convert(text))


@dataclass
class Expansion:
    text: str  # Markdown
    removed: list[tuple[int, str]] = field(default_factory=list)  # (line, what), warned
    unresolved: list[tuple[int, str]] = field(default_factory=list)  # ref/relref
    # With `hold`: the HTML of each `{{< >}}` shortcode, kept out of the Markdown as a
    # placeholder `<prefix><n>X` that `restore` replaces in the rendered HTML.
    held: list[str] = field(default_factory=list)
    prefix: str = ""

    def restore(self, markup: str) -> str:
        """The rendered HTML with each placeholder replaced by its shortcode's HTML; a
        placeholder that is a paragraph of its own loses the <p> (as in Hugo)."""
        if not self.held:
            return markup
        token = re.compile(f"<p>{self.prefix}(\\d+)X</p>|{self.prefix}(\\d+)X")

        def one(m: re.Match[str]) -> str:
            index = int(m.group(1) or m.group(2))
            return token.sub(one, self.held[index]) if index < len(self.held) else ""

        return token.sub(one, markup)


def inert(markup: str, indent: str | None = "") -> str:
    """HTML that every Markdown engine passes through as it is: outside <pre> no line
    is indented (that would be code) or blank (that would end an HTML block); in <pre> a
    blank line's newline is `&#10;`; Markdown's punctuation in text is a character
    reference. Lines after the first take `indent` (the list item the shortcode is in);
    `indent=None`: the shortcode is inside a line of text, and its HTML becomes one line
    (a line of its own starting with <p> would end that paragraph)."""
    parts = _PRE.split(markup.strip())
    for i, part in enumerate(parts):
        if i % 2:
            parts[i] = re.sub(r"\n(?=[ \t]*\n)", "&#10;", part)
        else:
            parts[i] = re.sub(r"\n\s*", "\n" if indent is not None else " ", part)
    pieces = _MARKUP.split("".join(parts))
    for i in range(0, len(pieces), 2):  # the text between tags
        pieces[i] = _MARKDOWN_PUNCTUATION.sub(lambda m: f"&#{ord(m.group(0))};", pieces[i])
    return "".join(pieces).replace("\n", "\n" + (indent or ""))


class _Expander:
    """One body's expansion: its shortcodes found once, rendered inside out."""

    def __init__(self, text: str, first_line: int, page: Mapping[str, Any], base_url: str,
                 resolve: Callable[[str], str | None], site: ShortcodeSite,
                 markdown: Callable[[str], str], hold: bool) -> None:
        self.text, self.page, self.base_url, self.resolve = text, page, base_url, resolve
        self.site, self.hold = site, hold
        self.markdown = functools.lru_cache(maxsize=256)(markdown)  # a caption is read twice
        self.tags = scan(text)
        self.pairs = pairs(self.tags, lambda name: name in BUILTINS and
                           name not in _WITH_INNER and name not in site.own)
        self.code = code_spans(text) if self.tags else []
        self.lines = [m.start() for m in re.finditer("\n", text)] if self.tags else []
        self.first_line = first_line
        self.result = Expansion("")
        if hold:
            self.result.prefix = "HAHAPUBLISHERSHORTCODE"
            while self.result.prefix in text:  # never a word the body has
                self.result.prefix += "Q"

    def line(self, offset: int) -> int:
        return self.first_line + bisect.bisect_left(self.lines, offset)

    def in_code(self, offset: int) -> bool:
        i = bisect.bisect_right(self.code, (offset, len(self.text))) - 1
        return i >= 0 and self.code[i][0] <= offset < self.code[i][1]

    def indent(self, offset: int) -> str | None:
        """The whitespace before a tag that starts its line; None after other text."""
        before = self.text[self.text.rfind("\n", 0, offset) + 1:offset]
        return before if not before.strip() else None

    def emit(self, first: int, stop: int, lo: int, hi: int) -> str:
        """The text from offset `lo` to `hi`, holding tags[first:stop], expanded."""
        out: list[str] = []
        pos, k = lo, first
        while k < stop:
            tag = self.tags[k]
            out.append(self.text[pos:tag.start])
            close = self.pairs.get(k)
            if tag.literal is not None:
                out.append(tag.literal)
            elif close is not None:
                end = self.tags[close]
                inner = self.emit(k + 1, close, tag.end, end.start)
                out.append(self.call(tag, inner, self.text[end.end:end.end + 1]))
                pos, k = end.end, close + 1
                continue
            elif not tag.closing:  # a closing tag whose opening is not open is dropped
                out.append(self.call(tag, "", self.text[tag.end:tag.end + 1]))
            pos, k = tag.end, k + 1
        out.append(self.text[pos:hi])
        return "".join(out)

    def call(self, tag: Tag, inner: str, after: str) -> str:
        """What one shortcode prints, as Markdown."""
        name, args, line = tag.name, tag.args, self.line(tag.start)
        if name in self.site.own or name not in BUILTINS:
            self.result.removed.append(
                (line, f"{{{{< {name} >}}}} (the site's own shortcode: its inner text is kept)"))
            if tag.percent or name in self.site.markdown_inner:
                return inner
            return self.place(tag, inner)  # as Hugo's `{{ .Inner }}` prints it
        if name == "comment":
            return ""
        if name == "highlight":
            return self.fence(tag, inner, after)
        if name in ("ref", "relref"):
            return self.ref(tag, line)
        if name == "param":
            return self.param(tag, line)
        privacy = self.site.privacy.get(name)
        markup = {"figure": lambda: builtin.figure(args, self.markdown),
                  "youtube": lambda: builtin.youtube(args, privacy or {}),
                  "vimeo": lambda: builtin.vimeo(args, privacy or {}),
                  "gist": lambda: builtin.gist(args),
                  "details": lambda: builtin.details(
                      args, self.markdown, self.markdown(inner) if inner.strip() else "")}[name]()
        if markup is None:
            self.result.removed.append((line, f"{{{{< {name} >}}}} without its id"))
            return ""
        return self.place(tag, markup)

    def place(self, tag: Tag, markup: str) -> str:
        """HTML a shortcode prints: into the Markdown for `{{% %}}` (and in code, where
        Markdown shows it as text); else out of Markdown's reach."""
        if tag.percent or self.in_code(tag.start):
            return markup
        if self.hold:
            self.result.held.append(markup)
            return f"{self.result.prefix}{len(self.result.held) - 1}X"
        return inert(markup, self.indent(tag.start))

    def fence(self, tag: Tag, inner: str, after: str) -> str:
        """`highlight` is a fenced code block: Hugo highlights both alike."""
        code = textwrap.dedent(inner).strip("\n")
        longest = max((len(m) for m in re.findall(r"`+", code)), default=0)
        ticks = "`" * max(3, longest + 1)
        indent = self.indent(tag.start)
        margin = indent or ""
        body = "\n".join(margin + line if line else line for line in code.split("\n"))
        return (("" if indent is not None else "\n\n") + f"{ticks}{tag.args.get(0)}\n{body}\n"
                f"{margin}{ticks}" + ("" if after in ("", "\n") else "\n"))

    def ref(self, tag: Tag, line: int) -> str:
        """The URL of the post named (Hugo: a path under content/, or a file name)."""
        target = tag.args.get("path") or tag.args.get(0)
        path, _, anchor = target.partition("#")
        if not path:
            return f"#{anchor}" if anchor else ""
        url = self.resolve(path)
        if url is None:
            self.result.unresolved.append((line, f'{{{{< {tag.name} "{target}" >}}}}'))
            url, anchor = self.base_url + "/", ""
        url += f"#{anchor}" if anchor else ""
        if tag.name == "relref":
            parts = urlsplit(url)
            url = parts.path + (f"#{parts.fragment}" if parts.fragment else "")
        return self.place(tag, url) if self.hold else url

    def param(self, tag: Tag, line: int) -> str:
        """Hugo's `.Page.Param`: the front matter (and its `params`), then the site's."""
        key = tag.args.get(0)
        value = None
        for source in (self.page, self.page.get("params"), self.site.params):
            if key and value in (None, "", False):
                value = lookup(source, key)
        if value in (None, "", False):
            self.result.removed.append(
                (line, f"{{{{< param {key} >}}}} (in neither the front matter nor the "
                       "site's params)"))
            return ""
        printed = go_escape(go_value(value))
        if tag.percent:
            return printed
        if self.in_code(tag.start):
            return go_value(value)
        return self.place(tag, printed) if self.hold else inert(printed)


def expand(text: str, first_line: int, page: Mapping[str, Any], base_url: str,
           resolve: Callable[[str], str | None], site: ShortcodeSite | None = None,
           markdown: Callable[[str], str] = default_markdown, hold: bool = False
           ) -> Expansion:
    """Every Hugo shortcode in `text` (a body whose first line is `first_line`) rendered
    as Hugo renders it, into Markdown. `page`: the front matter (and `url`); `resolve`:
    a post's name -> its absolute URL, or None; `markdown`: Markdown -> HTML, for the
    shortcodes that render their content (`details`, `figure` captions). `hold`: the HTML
    of `{{< >}}` shortcodes waits as placeholders for `Expansion.restore`, after
    Markdown (as Hugo does it: Markdown that drops raw HTML keeps it); without, it is
    written into the Markdown as `inert` HTML."""
    if "{{<" not in text and "{{%" not in text:
        return Expansion(text)
    expander = _Expander(text, first_line, page, base_url, resolve, site or ShortcodeSite(),
                         markdown, hold)
    expander.result.text = expander.emit(0, len(expander.tags), 0, len(text))
    return expander.result
