"""Where the template tags of a body are, for publisher's own Liquid translator (liquid.py),
found in one pass over the body.

The three forms, tried in this order at each `{{` or `{%`, are those of the regex this
module replaces (`{{< x >}}` / `{{% x %}}`, then `{% tag args %}`, then `{{ expr }}`):
that regex searched from every unclosed `{{` to the end of the body again, so 200 KB of
`{{` took over a minute (issue 14). Here each closing delimiter is looked for with one
`str.find` whose answer is remembered, so no character is read twice by the search for
the same delimiter, and an opening that never closes is text.
"""

from __future__ import annotations

import re
from bisect import bisect_right
from dataclasses import dataclass

_OPEN = re.compile(r"\{[{%]")
# `(?:/\s*)?` and not `\s*(/)?\s*`: two `\s*` side by side try every split of a long
# run of blanks (quadratic in its length) before giving up.
_SHORTCODE_HEAD = re.compile(r"\{\{[<%]-?\s*(?:/\s*)?[\w./-]")
_TAG_HEAD = re.compile(r"\{%-?\s*(\w+)")


@dataclass(frozen=True)
class Token:
    start: int
    end: int
    shortcode: bool = False  # a Hugo shortcode: `{{< name >}}` or `{{% name %}}`
    tag: str | None = None  # `{% tag args %}`
    args: str = ""
    expr: str = ""  # `{{ expr }}`


class _Next:
    """`text.find(needle, start)` for starts that only grow: the last answer stays true
    for every start up to it (there is no needle before it), so it is asked again only
    past it, and each character is read once."""

    def __init__(self, text: str, needle: str) -> None:
        self.text, self.needle = text, needle
        self.since, self.found = 0, self.text.find(needle)

    def __call__(self, start: int) -> int:
        if start < self.since or (self.found != -1 and start > self.found):
            self.since, self.found = start, self.text.find(self.needle, start)
        return self.found


class Scanner:
    """The tokens of one body, asked for in order (`next(pos)` with growing `pos`)."""

    def __init__(self, text: str) -> None:
        self.text = text
        self._expr_end = _Next(text, "}}")
        self._tag_end = _Next(text, "%}")
        self._shortcode_ends = (_Next(text, ">}}"), _Next(text, "%}}"))
        self._newlines = [m.start() for m in re.finditer("\n", text)]

    def line(self, offset: int) -> int:
        """How many lines come before `offset` (0 for the first line)."""
        return bisect_right(self._newlines, offset - 1)

    def next(self, pos: int) -> Token | None:
        """The first token that starts at `pos` or after it."""
        while (m := _OPEN.search(self.text, pos)) is not None:
            token = self._at(m.start())
            if token is not None:
                return token
            pos = m.start() + 1  # `{{{`: the next brace may open one
        return None

    def _at(self, start: int) -> Token | None:
        text = self.text
        if text[start + 1] == "%":
            head = _TAG_HEAD.match(text, start)
            if head is None:
                return None
            close = self._tag_end(head.end())
            if close == -1:
                return None
            args_end = close - 1 if close > head.end() and text[close - 1] == "-" else close
            return Token(start, close + 2, tag=head.group(1), args=text[head.end():args_end])
        if _SHORTCODE_HEAD.match(text, start):
            # No `>` or `%` in the head: the first closer after `{{<` is the one.
            found = [at for find in self._shortcode_ends if (at := find(start + 3)) != -1]
            if found:
                return Token(start, min(found) + 3, shortcode=True)
        close = self._expr_end(start + 2)
        if close == -1:
            return None
        expr_start = start + 3 if text.startswith("-", start + 2) else start + 2
        expr_end = close - 1 if close > expr_start and text[close - 1] == "-" else close
        return Token(start, close + 2, expr=text[expr_start:expr_end])
