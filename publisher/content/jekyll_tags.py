"""Jekyll's Liquid tags for python-liquid: `post_url`, `link`, `include`,
`include_relative`, and what stands in for any tag publisher does not know (the tags
that print HTML are in jekyll_html.py).

Each reads the post being rendered from `env.run` (jekyll_liquid.py's `Run`), which the
engine sets for each post; the warnings they raise are collected there.
"""

from __future__ import annotations

import re
from typing import TYPE_CHECKING, Any, TextIO

from liquid.ast import BlockNode, Node
from liquid.exceptions import LiquidError, LiquidSyntaxError
from liquid.parser import get_parser
from liquid.tag import Tag
from liquid.token import TOKEN_CONTENT, TOKEN_EOF, TOKEN_EXPRESSION, TOKEN_TAG, Token

if TYPE_CHECKING:
    from liquid import Environment
    from liquid.context import RenderContext
    from liquid.stream import TokenStream

    from publisher.content.jekyll_liquid import Run


def _run(env: Any) -> Run:
    return env.run  # type: ignore[no-any-return]


def markup_of(stream: TokenStream) -> tuple[Token, str]:
    """The tag token and its text after the name; the stream left on its last token."""
    token = stream.current
    if stream.peek.kind == TOKEN_EXPRESSION:
        next(stream)
        return token, stream.current.value.strip()
    return token, ""


def block_of(env: Any, stream: TokenStream, end: str) -> BlockNode:
    next(stream)
    block = get_parser(env).parse_block(stream, frozenset((end, TOKEN_EOF)))
    stream.expect(TOKEN_TAG, value=end)
    return block


def _render_string(context: RenderContext, text: str) -> str:
    """A tag argument with `{{ … }}` in it, rendered (Jekyll allows it in link, include)."""
    buffer = context.get_buffer()
    context.env.from_string(text).render_with_context(context, buffer, partial=True)
    return buffer.getvalue()


# -- post_url and link ------------------------------------------------------------------------

class LinkNode(Node):
    __slots__ = ("tag", "target")

    def __init__(self, token: Token, tag: str, target: str) -> None:
        super().__init__(token)
        self.tag, self.target = tag, target
        self.blank = False

    def render_to_output(self, context: RenderContext, buffer: TextIO) -> int:
        run = _run(context.env)
        target = _render_string(context, self.target).strip() if "{{" in self.target \
            else self.target
        url = run.resolve(target)
        if url is None:
            run.unresolved.append((run.line(self.token), f"{{% {self.tag} {target} %}}"))
            url = run.home
        buffer.write(url)
        return True


class LinkTag(Tag):
    block = False
    name = "link"

    def parse(self, stream: TokenStream) -> Node:
        token, markup = markup_of(stream)
        if not markup:
            raise LiquidSyntaxError(f"{self.name} needs the name of a post", token=token)
        return LinkNode(token, self.name, markup.strip("'\" "))


class PostUrlTag(LinkTag):
    name = "post_url"


# -- include and include_relative --------------------------------------------------------------

_PARAM = re.compile(r"""([\w-]+)\s*=\s*(?:"([^"\\]*(?:\\.[^"\\]*)*)"|'([^'\\]*(?:\\.[^'\\]*)*)'"""
                    r"""|([\w.-]+))""")
_VARIABLE = re.compile(r"(?P<variable>[^{]*(\{\{\s*[\w\-.]+\s*(\|.*)?\}\}[^\s{}]*)+)"
                       r"(?P<params>.*)", re.DOTALL)
_ALL_PARAMS = re.compile(rf"\A\s*(?:{_PARAM.pattern}(?=\s|\Z)\s*)*\Z")
_FILE_NAME = re.compile(r"^[\w/.\-()+~#@]+$")
_BAD_SEQUENCE = re.compile(r"[./]{2,}")
_LITERALS = {"true": True, "false": False, "nil": None, "null": None}


def _value(context: RenderContext, name: str) -> Any:
    if name in _LITERALS:
        return _LITERALS[name]
    if re.fullmatch(r"-?\d+", name):
        return int(name)
    path: list[object] = [int(p) if p.isdigit() else p for p in name.split(".")]
    return context.get(path, token=None)


class IncludeNode(Node):
    __slots__ = ("tag", "file", "params")

    def __init__(self, token: Token, tag: str, file: str, params: str | None) -> None:
        super().__init__(token)
        self.tag, self.file, self.params = tag, file, params
        self.blank = False

    def _arguments(self, context: RenderContext) -> dict[str, Any]:
        found: dict[str, Any] = {}
        for m in _PARAM.finditer(self.params or ""):
            if m.group(2) is not None:
                found[m.group(1)] = m.group(2).replace('\\"', '"')
            elif m.group(3) is not None:
                found[m.group(1)] = m.group(3).replace("\\'", "'")
            else:
                found[m.group(1)] = _value(context, m.group(4))
        return found

    def render_to_output(self, context: RenderContext, buffer: TextIO) -> int:
        run = _run(context.env)
        name = _render_string(context, self.file).strip() if "{{" in self.file else self.file
        shown = f"{{% {self.tag} {name} %}}"
        if _BAD_SEQUENCE.search(name) or not _FILE_NAME.match(name):
            run.warn(self.token, f"{shown}: not a file name Jekyll accepts; removed")
            return False
        top = run.folder if self.tag == "include_relative" else run.includes
        if top is None:
            run.warn(self.token, f"{{% {self.tag} %}}: the site has no _includes/ folder "
                                 "(a theme's includes are not read); removed")
            return False
        try:
            template = run.include(top / name)
        except LiquidError as exc:
            run.warn(self.token, f"{shown}: its Liquid does not parse ({exc.message}); removed")
            return False
        if template is None:
            where = "beside the post" if self.tag == "include_relative" else "in _includes/"
            run.warn(self.token, f"{shown}: no such file {where}; removed")
            return False
        run.stack.append(run.line(self.token))
        try:
            namespace = {"include": self._arguments(context)} if self.params else {}
            with context.extend(namespace, template=template):
                template.render_with_context(context, buffer, partial=True)
        except LiquidError as exc:  # said at the include's line in the post, naming it
            if not hasattr(exc, "publisher_line"):
                exc.publisher_line = run.stack[0]  # type: ignore[attr-defined]
                exc.publisher_include = template.name  # type: ignore[attr-defined]
            raise
        finally:
            run.stack.pop()
        return True


class IncludeTag(Tag):
    block = False
    name = "include"

    def parse(self, stream: TokenStream) -> Node:
        token, markup = markup_of(stream)
        matched = _VARIABLE.match(markup)
        if matched:
            file, params = matched.group("variable").strip(), matched.group("params").strip()
        else:
            file, _, params = markup.partition(" ")
            params = params.strip()
        if not file:
            raise LiquidSyntaxError(f"{self.name} needs a file name", token=token)
        if params and not _ALL_PARAMS.match(params):
            raise LiquidSyntaxError(f"{{% {self.name} {file} %}}: parameters are name=\"text\""
                                    " or name=variable", token=token)
        return IncludeNode(token, self.name, file, params or None)


class IncludeRelativeTag(IncludeTag):
    name = "include_relative"


# -- tags of themes and plugins ----------------------------------------------------------------

class UnknownNode(Node):
    __slots__ = ("block",)

    def __init__(self, token: Token, block: BlockNode | None) -> None:
        super().__init__(token)
        self.block = block
        self.blank = block is None

    def render_to_output(self, context: RenderContext, buffer: TextIO) -> int:
        return self.block.render(context, buffer) if self.block is not None else False


def _ends(stream: TokenStream) -> dict[str, int]:
    """Each tag name in the stream -> the last place it appears (computed once)."""
    found: dict[str, int] | None = getattr(stream, "_publisher_ends", None)
    if found is None:
        found = {t.value: i for i, t in enumerate(stream.tokens) if t.kind == TOKEN_TAG}
        stream._publisher_ends = found  # type: ignore[attr-defined]
    return found


class UnknownTag(Tag):
    """Any tag python-liquid and Jekyll do not define: a block (`{% x %}…{% endx %}`)
    keeps its content, rendered; a lone tag is removed. Either way one warning."""

    name = "unknown"

    def parse(self, stream: TokenStream) -> Node:
        token, _ = markup_of(stream)
        name = token.value
        end = f"end{name}"
        if _ends(stream).get(end, -1) > stream.pos:
            _run(self.env).warn(token, f"{{% {name} %}}…{{% {end} %}}: a theme's or plugin's "
                                "tag, which publisher cannot run; its content is kept")
            return UnknownNode(token, block_of(self.env, stream, end))
        _run(self.env).warn(token, f"{{% {name} %}}: a theme's or plugin's tag, which "
                            "publisher cannot run; removed")
        return UnknownNode(token, None)


_RAW = re.compile(r"\{%-?\s*raw\s*-?%\}(.*?)\{%-?\s*endraw\s*-?%\}", re.DOTALL)
_ANY_TAG = re.compile(r"\{%.*?%\}|\{\{.*?\}\}", re.DOTALL)
_COMMENT = ("comment", "endcomment")


def strip_tags(env: Environment, text: str) -> str:
    """The body with every Liquid tag and output removed: a block's content and a raw
    block's text are kept, a comment's are not."""
    try:
        tokens = list(env.tokenizer()(text))
    except LiquidError:
        kept = _RAW.sub(lambda m: m.group(1).replace("{", "\0"), text)
        return _ANY_TAG.sub("", kept).replace("\0", "{")
    out: list[str] = []
    comments = 0
    for token in tokens:
        if token.kind == TOKEN_TAG and token.value in _COMMENT:
            comments = max(0, comments + (1 if token.value == "comment" else -1))
        elif token.kind == TOKEN_CONTENT and not comments:
            out.append(token.value)
    return "".join(out)


TAGS = (LinkTag, PostUrlTag, IncludeTag, IncludeRelativeTag)
