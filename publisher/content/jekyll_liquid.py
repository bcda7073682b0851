"""Liquid in a Jekyll post, run as Jekyll runs it: python-liquid (a faithful Shopify
Liquid, built for untrusted templates) over the whole body before Markdown, code
included, with Jekyll's tags (jekyll_tags.py) and filters (jekyll_filters.py,
jekyll_arrays.py), `site.*` from `_config.yml` and `_data/`, `page.*` from the front
matter.

Front matter is data: its values reach Liquid as values and are never parsed as
templates. Limits on loop iterations, output, variables and nesting stop a post that
would hang a build; that post, like one whose Liquid does not parse, is published with
its tags removed and a warning naming the file and line.
"""

from __future__ import annotations

import re
import time
from collections.abc import Callable
from dataclasses import dataclass, field
from datetime import datetime
from pathlib import Path
from typing import Any

from liquid import BoundTemplate, Environment, Mode, RenderContext
from liquid.exceptions import (
    BlockNestingError,
    ContextDepthError,
    LiquidError,
    LiquidSyntaxError,
    LocalNamespaceLimitError,
    LoopIterationLimitError,
    OutputStreamLimitError,
    ResourceLimitError,
)
from liquid.token import TOKEN_TAG, Token
from liquid.undefined import UNDEFINED

from publisher.config import Config
from publisher.content import jekyll_arrays, jekyll_filters, jekyll_html
from publisher.content.jekyll_filters import FilterSite, ruby_time
from publisher.content.jekyll_tags import TAGS, UnknownTag, strip_tags
from publisher.site.jekyll_site import JekyllSite, load_jekyll_site
from publisher.site.post import Post

LOOP_LIMIT = 20_000  # iterations of every loop of a post together
OUTPUT_LIMIT = 4_000_000  # bytes a post's Liquid may write (render.py's LARGE_BODY is 1 MB)
NAMESPACE_LIMIT = 2_000_000  # bytes of assigned and captured variables
DEPTH_LIMIT = 30  # includes inside includes (and blocks inside blocks)
# The limits above bound how often and how big, not how long: 20,000 filters over 1 MB
# strings take minutes. A post's Liquid stops after this many seconds; only a post
# built to be slow gets near it (a long one takes milliseconds).
TIME_LIMIT = 3.0


class TimeLimitError(ResourceLimitError):
    """A post's Liquid ran longer than TIME_LIMIT."""
_LIMITS = {
    LoopIterationLimitError: f"its loops ran over {LOOP_LIMIT:,} times",
    OutputStreamLimitError: f"it wrote over {OUTPUT_LIMIT // 1_000_000} MB",
    LocalNamespaceLimitError: f"its variables grew over {NAMESPACE_LIMIT // 1_000_000} MB",
    ContextDepthError: f"its includes nest over {DEPTH_LIMIT} deep (one includes itself?)",
    BlockNestingError: f"its blocks nest over {DEPTH_LIMIT} deep",
}


@dataclass
class Run:
    """One post's rendering: where it is, and what it found to warn about."""

    body: str
    first_line: int
    folder: Path  # the post's folder, for include_relative
    resolve: Callable[[str], str | None]
    home: str  # where a link to an unknown post points
    # (Path) -> the parsed file, or None (missing); a LiquidError when it does not parse
    include: Callable[[Path], BoundTemplate | None]
    includes: Path | None  # the site's _includes/, if it has one
    sources: dict[int, str] = field(default_factory=dict)  # id(text) -> include name
    found: dict[str, list[int]] = field(default_factory=dict)  # warning -> lines
    unresolved: list[tuple[int, str]] = field(default_factory=list)
    stack: list[int] = field(default_factory=list)  # lines of the includes being rendered
    cache: dict[Path, BoundTemplate] = field(default_factory=dict)  # includes parsed

    def line(self, token: Token) -> int:
        if token.source is self.body:
            return self.first_line + self.body.count("\n", 0, max(token.start_index, 0))
        return self.stack[-1] if self.stack else self.first_line

    def warn(self, token: Token, message: str) -> None:
        where = self.sources.get(id(token.source)) if token.source is not self.body else None
        message = f"{message} (in {where})" if where else message
        self.found.setdefault(message, []).append(self.line(token))


class _Tags(dict):  # type: ignore[type-arg]
    """The tag register, answering for tags it does not have: python-liquid's parser
    asks it with `.get(name, illegal)`. Closing halves of known blocks stay illegal."""

    def __init__(self, tags: dict[str, Any], unknown: UnknownTag) -> None:
        super().__init__(tags)
        self.unknown = unknown
        self.closers = {"else", "elsif", "when"} | {f"end{name}" for name in tags}

    def get(self, name: Any, default: Any = None) -> Any:
        found = super().get(name)
        if found is not None:
            return found
        if not isinstance(name, str) or name in self.closers or not name.isidentifier():
            return default
        return self.unknown


class _Context(RenderContext):
    """Checks the clock on each variable read and filter call: whatever a slow post does
    over and over does one of these."""

    def get(self, path: list[object], *, token: Token | None, default: object = UNDEFINED
            ) -> object:
        self.env.check_time()  # type: ignore[attr-defined]
        return super().get(path, token=token, default=default)

    def filter(self, name: str, token: Token | None) -> Callable[..., object]:
        self.env.check_time()  # type: ignore[attr-defined]
        return super().filter(name, token)


class _Template(BoundTemplate):
    context_class = _Context


class JekyllEnvironment(Environment):
    loop_iteration_limit = LOOP_LIMIT
    output_stream_limit = OUTPUT_LIMIT
    local_namespace_limit = NAMESPACE_LIMIT
    context_depth_limit = DEPTH_LIMIT
    block_nesting_limit = DEPTH_LIMIT
    template_class = _Template

    def __init__(self, site: FilterSite) -> None:
        # strict: an error stops the post (and we fall back); unknown filters pass their
        # input through, as in Jekyll without `strict_filters`.
        super().__init__(tolerance=Mode.STRICT, strict_filters=False)
        self.jekyll = site
        self.run: Run | None = None
        self.now: datetime = datetime.now(site.zone)  # replaced by each post's date
        del self.tags["render"]  # Liquid 5's; Jekyll's Liquid 4 has no `render` tag
        for tag in (*TAGS, *jekyll_html.TAGS):
            self.add_tag(tag)
        for name, function in {**jekyll_filters.FILTERS, **jekyll_arrays.FILTERS}.items():
            self.add_filter(name, function)
        self.tags = _Tags(self.tags, UnknownTag(self))
        self.deadline = float("inf")

    def check_time(self) -> None:
        if time.monotonic() > self.deadline:
            raise TimeLimitError("time limit reached", token=None)


def _page(post: Post, site_url: str) -> dict[str, Any]:
    """Jekyll's `page` of a post: its front matter as written, and what Jekyll adds."""
    page: dict[str, Any] = {k: ruby_time(v) if isinstance(v, datetime) else v
                            for k, v in post.fields.items()}
    url = post.url[len(site_url):] if post.url.startswith(site_url) else post.url
    stem = post.name.rsplit("/", 1)[-1].rsplit(".", 1)[0]
    page.update(title=post.title, date=ruby_time(post.date), slug=post.slug, url=url or "/",
                categories=list(post.categories), tags=list(post.tags), path=post.name,
                id=url.rsplit(".", 1)[0] if url.endswith(".html") else url.rstrip("/"),
                collection="posts", draft=post.draft, name=stem,
                ext="." + post.name.rsplit(".", 1)[-1] if "." in post.name else "")
    return page


def _failure(exc: LiquidError) -> str:
    limit = next((text for kind, text in _LIMITS.items() if isinstance(exc, kind)), None)
    if isinstance(exc, TimeLimitError):
        limit = f"it ran over {TIME_LIMIT:g} seconds"
    if limit:
        reason = f"Liquid stopped: {limit}"
    else:
        kind = "syntax error" if isinstance(exc, LiquidSyntaxError) else "error"
        reason = f"Liquid {kind}: {exc.message}"
    where = getattr(exc, "publisher_include", "")
    return (f"{reason}{f' (in {where})' if where else ''}; the post is published with its "
            "Liquid tags removed: fix it and build again")


class JekyllLiquid:
    """Renders the Liquid of one Jekyll site's posts."""

    def __init__(self, site: JekyllSite, filters: FilterSite, home: str, title: str = "",
                 description: str = "") -> None:
        self.site = site
        self.home = home
        self.env = JekyllEnvironment(filters)
        # _config.yml as written, with the address publisher.toml gives (the feeds' own)
        # and the lists Jekyll builds from every page, which a post's renderer lacks.
        self.globals = {"title": title, "description": description, **site.config,
                        "url": filters.url, "baseurl": filters.baseurl,
                        "data": site.data, "posts": [], "pages": [], "categories": {},
                        "tags": {}, "static_files": [], "html_pages": [], "documents": []}

    def _include(self, run: Run, path: Path) -> BoundTemplate | None:
        """A file of _includes/ (or beside the post), parsed; None when there is none."""
        top = self.site.source if run.includes is None or not path.is_relative_to(
            run.includes) else run.includes
        try:
            resolved = path.resolve()
            if not resolved.is_relative_to(top.resolve()) or not resolved.is_file():
                return None
            text = resolved.read_text(encoding="utf-8-sig")
        except (OSError, UnicodeDecodeError):
            return None
        name = str(path.relative_to(self.site.source)) if path.is_relative_to(
            self.site.source) else path.name
        run.sources[id(text)] = name
        if resolved not in run.cache:
            run.cache[resolved] = self.env.from_string(text, name=name, path=resolved)
        return run.cache[resolved]

    def render(self, body: str, first_line: int, post: Post,
               resolve: Callable[[str], str | None]) -> tuple[
            str, list[tuple[int, str]], list[tuple[int, str]]]:
        """`body` (the post's, or part of it from `first_line` on) rendered: (text,
        warnings, unresolved links); each warning (line, message) said once per kind,
        with how many times."""
        if ("{%" not in body and "{{" not in body) or post.fields.get(
                "render_with_liquid") is False:
            return body, [], []
        folder = (self.site.source / post.name).parent
        run = Run(body, first_line, folder, resolve, self.home,
                  lambda path: self._include(run, path), self.site.includes)
        self.env.run = run
        self.env.now = post.date
        self.env.deadline = time.monotonic() + TIME_LIMIT
        site_url = self.env.jekyll.url + self.env.jekyll.baseurl
        try:
            template = self.env.from_string(body, name=post.source)
            text = template.render(site={**self.globals, "time": ruby_time(post.date)},
                                   page=_page(post, site_url), paginator=None)
        except (LiquidError, RecursionError, ValueError, TypeError, ArithmeticError,
                LookupError, AttributeError) as exc:
            # Python's errors: a value no filter expected (Jekyll stops the build there).
            error = exc if isinstance(exc, LiquidError) else ContextDepthError(
                "", token=None) if isinstance(exc, RecursionError) else LiquidError(
                str(exc)[:200], token=None)
            text = strip_tags(self.env, body)
            token = error.token if isinstance(error.token, Token) else None
            # A block left open is found at the end of the body: name its last opening.
            unclosed = re.match(r"expected tag end(\w+)", str(error.message))
            if unclosed and (token is None or token.start_index < 0):
                opened = list(re.finditer(rf"\{{%-?\s*{unclosed.group(1)}\b", body))
                token = Token(TOKEN_TAG, "", opened[-1].start(), body) if opened else None
            line = getattr(error, "publisher_line", None) or (
                run.line(token) if token is not None else first_line)
            run.found.setdefault(_failure(error), []).append(line)
        finally:
            self.env.run = None
            self.env.deadline = float("inf")
        if "site.data" in body:
            for note in self.site.notes:
                run.found.setdefault(note, []).append(first_line)
        warnings = [(lines[0], message + (f" ({len(lines)} times)" if len(lines) > 1 else ""))
                    for message, lines in run.found.items()]
        return text, warnings, run.unresolved


def _markdown(text: str) -> str:
    import markdown

    return markdown.markdown(text, extensions=["fenced_code", "tables"])


def jekyll_engine(config: Config, markdownify: Callable[[str], str] | None = None
                  ) -> JekyllLiquid:
    """The engine for the Jekyll site of `config`; `markdownify` renders the filter of
    that name (the site's own Markdown; Python-Markdown when not given)."""
    base = config.base_url
    path = config.base_path
    site_url = base[:len(base) - len(path)] if path and base.endswith(path) else base
    filters = FilterSite(url=site_url, baseurl=path, zone=config.zone,
                         markdownify=markdownify or _markdown)
    return JekyllLiquid(load_jekyll_site(config), filters, base + "/", config.site.title,
                        config.site.description)
