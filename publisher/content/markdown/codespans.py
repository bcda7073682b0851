"""kramdown's code spans, which pair backticks differently from CommonMark.

- A run of backticks closes at the next occurrence of the same run, even inside a
  longer one: `` ``a```b`` `` is the code `a` then a backtick and `b`; CommonMark
  needs a run of exactly the opener's length.
- A lone backtick with a space (or the paragraph's start) before it and a space after
  it is text: in ``a ` b`` the backtick is shown, and a later one opens the span.
- Only a span of two or more backticks loses one space at each end.
"""

from __future__ import annotations

from markdown_it import MarkdownIt
from markdown_it.rules_inline import StateInline


def _last_run(state: StateInline, marker: str) -> int:
    """Where `marker` last occurs in the paragraph, found once per run length: an
    opener past it can close nowhere, so unclosed spans cost no search."""
    cache = state.backticks  # markdown-it's own cache, per paragraph, unused without its rule
    if len(marker) not in cache:
        cache[len(marker)] = state.src.rfind(marker)
    return cache[len(marker)]


def _codespan(state: StateInline, silent: bool) -> bool:
    src, start = state.src, state.pos
    if src[start] != "`":
        return False
    end = start + 1
    while end < state.posMax and src[end] == "`":
        end += 1
    marker = src[start:end]
    simple = len(marker) == 1
    lone = (simple and (start == 0 or src[start - 1].isspace())
            and end < state.posMax and src[end].isspace())
    close = -1
    if not lone and _last_run(state, marker) >= end:
        close = src.find(marker, end, state.posMax)
    if close < 0:
        if not silent:
            state.pending += marker
        state.pos = end
        return True
    if not silent:
        content = src[end:close]
        if not simple:
            content = content[1:] if content.startswith(" ") else content
            content = content[:-1] if content.endswith(" ") else content
        token = state.push("code_inline", "code", 0)
        token.markup = marker
        token.content = content
    state.pos = close + len(marker)
    return True


def mask_code(text: str, fill: str) -> str:
    """`text` with each code span kramdown would read in it (backticks and all)
    replaced by `fill`s of the same length: a table row splits only outside them."""
    out, pos, scan, last = [], 0, 0, {}
    while (start := text.find("`", scan)) >= 0:
        end = start + 1
        while end < len(text) and text[end] == "`":
            end += 1
        scan = end
        marker = text[start:end]
        if (len(marker) == 1 and (start == 0 or text[start - 1].isspace())
                and end < len(text) and text[end].isspace()):
            continue
        if len(marker) not in last:
            last[len(marker)] = text.rfind(marker)
        close = text.find(marker, end) if last[len(marker)] >= end else -1
        if close >= 0:
            scan = close + len(marker)
            out += [text[pos:start], fill * (scan - start)]
            pos = scan
    out.append(text[pos:])
    return "".join(out)


def kramdown_codespans(md: MarkdownIt) -> None:
    md.inline.ruler.at("backticks", _codespan)
