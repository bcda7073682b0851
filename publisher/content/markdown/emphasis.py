"""kramdown's emphasis: its own recursive parser (parser/kramdown/emphasis.rb), not
CommonMark's delimiter runs.

At a `*` or `_` kramdown takes one or two of them as an opener (`**` is strong) unless
a space follows it, a letter (or a letter and `-`) comes before a `_`, or the same
element is already open; then it reads on for the same delimiter as the closer: no
space before it, something between, for `*` em not a `**`, for `_` no letter or digit
after it. If a strong finds no closer it tries an em from its second character; a
failed opener is text; an inline HTML element's content is parsed on its own. So
`**Oolong (乌龙)**茶` is bold (CommonMark's flanking rules
keep it literal), and a blank written `____` is a strong holding `__`, as the site
shows it.

The tokenizer pushes every `*` and `_` as a delimiter; `pair` (a rule run before
markdown-it's `balance_pairs`) decides the pairs kramdown's way and hides every
delimiter from CommonMark's pairing. Each search for a closer is remembered by where
it is and what is open, so a paragraph costs time linear in its delimiters (kramdown
itself rescans: a line of unclosed `*a` is quadratic there).
"""

from __future__ import annotations

import re
from bisect import bisect_left

from markdown_it import MarkdownIt
from markdown_it.rules_inline import StateInline
from markdown_it.rules_inline.state_inline import Delimiter

from publisher.content.markdown.html_blocks import EMPTY_ELEMENTS

_START_TAG = re.compile(r"<([A-Za-z][\w:.-]*)(?:\s[^>]*)?>", re.DOTALL)
_END_TAG = re.compile(r"</[A-Za-z][\w:.-]*\s*>")

_SPACE = frozenset(" \t\n\r\f\v")  # Ruby's /\s/
_MARKERS = (ord("*"), ord("_"))
Level = tuple[frozenset[str], str]  # the elements open, and the delimiter looked for


def _tokenize(state: StateInline, silent: bool) -> bool:
    start = state.pos
    marker = state.src[start]
    if silent or marker not in ("_", "*"):
        return False
    end = start
    while end < state.posMax and state.src[end] == marker:
        end += 1
    for pos in range(start, end):
        token = state.push("text", "", 0)
        token.content = marker
        token.meta = {"pos": pos}
        state.delimiters.append(Delimiter(marker=ord(marker), length=end - start,
                                          token=len(state.tokens) - 1, end=-1,
                                          open=False, close=False))
    state.pos = end
    return True


class _Parser:
    """kramdown's emphasis over one run of delimiters: `find` answers where the
    element opened at a place closes, `walk` replays the answers into pairs."""

    def __init__(self, src: str, positions: list[int]) -> None:
        self.src, self.positions = src, positions
        self.memo: dict[tuple[Level, int], int] = {}
        self.pairs: list[tuple[int, int, int]] = []  # opener, closer, length

    def _closes(self, q: int, delim: str, content_start: int) -> bool:
        src = self.src
        if not src.startswith(delim, q) or q <= content_start or src[q - 1] in _SPACE:
            return False
        after = q + len(delim)
        if len(delim) == 1 and src.startswith(delim * 2, q) and \
                not src.startswith(delim, q + 2):
            return False  # an em does not close at a strong's `**`
        return not (delim[0] == "_" and after < len(src) and src[after].isalnum())

    def _opener(self, q: int, level: Level) -> tuple[str, bool]:
        """The delimiter kramdown scans at `q`, and whether it is only text."""
        src, opened = self.src, level[0]
        char = src[q]
        delim = char * 2 if src.startswith(char * 2, q) else char
        element = "strong" if len(delim) == 2 else "em"
        before = src[q - 1] if q else ""
        after = q + len(delim)
        text = (element in opened or (after < len(src) and src[after] in _SPACE)
                or char == "_" and (before.isalpha() or before == "-" and q > 1
                                    and src[q - 2].isalpha()))
        return delim, text

    def _step(self, q: int, level: Level) -> tuple[int, tuple[int, int, int, Level] | None]:
        """What kramdown does at the delimiter at `q` in `level`: where it goes on,
        and the pair it makes (opener, closer, length, the pair's own level)."""
        delim, text = self._opener(q, level)
        if text:
            return q + len(delim), None
        inner: Level = (level[0] | {"strong" if len(delim) == 2 else "em"}, delim)
        close = self.find(q + len(delim), inner)
        if close >= 0:
            return close + len(delim), (q, close, len(delim), inner)
        tree = level[1]
        if len(delim) == 2 and len(tree) != 1:  # a strong that failed, not inside an em
            inner = (level[0] | {"em"}, delim[0])
            close = self.find(q + 1, inner)
            if close >= 0:
                return close + 1, (q, close, 1, inner)
        return q + len(delim), None

    def find(self, start: int, level: Level) -> int:
        """Where the element opened just before `start` closes, or -1."""
        positions, visited = self.positions, []
        k, result = bisect_left(positions, start), -1
        while k < len(positions):
            q = positions[k]
            if q > start and (level, q) in self.memo:
                result = self.memo[(level, q)]
                break
            if q > start:
                visited.append(q)
            if self._closes(q, level[1], start):
                result = q
                break
            k = bisect_left(positions, self._step(q, level)[0], k + 1)
        for q in visited:  # every later search reaching q in this level ends the same
            self.memo[(level, q)] = result
        return result

    def walk(self, start: int, end: int, level: Level) -> None:
        positions = self.positions
        k = bisect_left(positions, start)
        while k < len(positions) and positions[k] < end:
            after, pair = self._step(positions[k], level)
            if pair is not None:
                self.pairs.append(pair[:3])
                self.walk(pair[0] + pair[2], pair[1], pair[3])
            k = bisect_left(positions, after, k + 1)


def _elements(state: StateInline) -> dict[int, int]:
    """For each token, the inline HTML element it is in (its start tag's index, -1 for
    none): kramdown parses an element's content on its own, so emphasis never runs
    into or out of a `<span>`."""
    inside, stack = {}, [-1]
    for i, token in enumerate(state.tokens):
        if token.type == "html_inline":
            start = _START_TAG.fullmatch(token.content)
            if start and start.group(1).lower() not in EMPTY_ELEMENTS \
                    and not token.content.endswith("/>"):
                stack.append(i)
            elif _END_TAG.fullmatch(token.content) and len(stack) > 1:
                stack.pop()
        inside[i] = stack[-1]
    return inside


def _pair_list(state: StateInline, delimiters: list[Delimiter]) -> None:
    ours = [d for d in delimiters if d.marker in _MARKERS]
    if not ours:
        return
    where = {state.tokens[d.token].meta["pos"]: i for i, d in enumerate(delimiters)
             if d.marker in _MARKERS}
    inside = _elements(state) if any(t.type == "html_inline" for t in state.tokens) else {}
    groups: dict[int, list[int]] = {}
    for pos in sorted(where):
        groups.setdefault(inside.get(delimiters[where[pos]].token, -1), []).append(pos)
    for positions in groups.values():
        _pair_group(state, delimiters, where, positions)


def _pair_group(state: StateInline, delimiters: list[Delimiter], where: dict[int, int],
                positions: list[int]) -> None:
    parser = _Parser(state.src, positions)
    parser.walk(0, len(state.src) + 1, (frozenset(), ""))
    for opener, closer, length in parser.pairs:
        if length == 1:
            delimiters[where[opener]].end = where[closer]
        else:  # markdown-it's strong: the outer characters pair, then the inner ones
            delimiters[where[opener]].end = where[closer + 1]
            delimiters[where[opener + 1]].end = where[closer]


def pair(state: StateInline) -> None:
    _pair_list(state, state.delimiters)
    for meta in state.tokens_meta:
        if meta and "delimiters" in meta:
            _pair_list(state, meta["delimiters"])


def kramdown_emphasis(md: MarkdownIt) -> None:
    md.inline.ruler.at("emphasis", _tokenize)
    md.inline.ruler2.before("balance_pairs", "kramdown_emphasis", pair)
