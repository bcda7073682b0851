"""Python-Markdown's links in time linear in the text: where each `[` and `(` closes,
found once per paragraph.

Python-Markdown's link, image and reference patterns call `getText` at each `[`, which
reads on to the matching `]`, to the end of the paragraph when there is none: 20 KB of
unmatched `[` took 70 s (issue 14; upstream, Python-Markdown/markdown#798). `getLink`
does the same from each `](` to its `)`. `Links` gives the same answers (the same text,
end and yes or no) from one pass over the brackets of a paragraph, kept for every later
`[` of it.

Python-Markdown replaces each link it finds by a placeholder and goes on after it: the
paragraph changes only before the place read next. So a record counts positions from
the end, and is kept for the changed paragraph once the part still to read is checked
to be the same (one comparison at C speed, like the copy Python-Markdown makes itself).
"""

from __future__ import annotations

import re
from collections.abc import Iterator
from dataclasses import dataclass

import markdown
from markdown.inlinepatterns import LinkInlineProcessor

_KEPT = 4  # records kept: the link text of a found link is read between two `[` of its paragraph


@dataclass
class _Record:
    text: str
    # The distance from the end of text of each opening -> that of its closing; no
    # entry: it never closes.
    closes: dict[int, int]
    cover: int  # the openings at distances up to this one are recorded


class Pairs:
    """Where each `opening` of a text is closed (nested pairs counted), as Python-Markdown's
    counting loops find it."""

    def __init__(self, opening: str, closing: str) -> None:
        self.opening = opening
        self._either = re.compile(f"[{re.escape(opening + closing)}]")
        self._records: list[_Record] = []

    def clear(self) -> None:
        self._records.clear()

    def partner(self, data: str, at: int) -> int | None:
        """The index of what closes the opening at `at`, or None."""
        distance = len(data) - at
        close = self._record(data, distance).closes.get(distance)
        return None if close is None else len(data) - close

    def _record(self, data: str, distance: int) -> _Record:
        for record in self._records:
            if record.text is data and distance <= record.cover:
                return record
        for record in self._records:
            if distance <= record.cover and data.endswith(record.text[-distance:]):
                record.text, record.cover = data, distance
                return record
        record = _Record(data, self._scan(data, len(data) - distance), distance)
        self._records = [record, *self._records[:_KEPT - 1]]
        return record

    def _scan(self, text: str, start: int) -> dict[int, int]:
        closes: dict[int, int] = {}
        opened: list[int] = []
        size = len(text)
        for m in self._either.finditer(text, start):
            if m.group() == self.opening:
                opened.append(size - m.start())
            elif opened:
                closes[opened.pop()] = size - m.start()
        return closes


class _LastQuote:
    """Where the last quote of a text is (a link's title may start at a quote)."""

    def __init__(self) -> None:
        self.text, self.at = "", -1

    def __call__(self, data: str) -> int:
        if data is not self.text:
            self.text, self.at = data, max(data.rfind("'"), data.rfind('"'))
        return self.at


class Links:
    """`getText` and `getLink` for every link pattern of one Python-Markdown instance."""

    def __init__(self) -> None:
        self.brackets, self.parens = Pairs("[", "]"), Pairs("(", ")")
        self._last_quote = _LastQuote()

    def clear(self) -> None:
        """Forget the last document's paragraphs (called before each document)."""
        self.brackets.clear()
        self.parens.clear()
        self._last_quote = _LastQuote()

    def get_text(self, data: str, index: int) -> tuple[str, int, bool]:
        """`LinkInlineProcessor.getText`: the text from `index` to the `]` that closes the
        `[` before it, the index after that `]`, and whether there is one. Without one, the
        text is "" and not the rest of the paragraph: every caller returns at once when
        there is none, and copying the rest for each `[` is quadratic."""
        if index < 1 or data[index - 1] != "[":  # not how Python-Markdown calls it
            return LinkInlineProcessor.getText(None, data, index)  # type: ignore[arg-type]
        end = self.brackets.partner(data, index - 1)
        if end is None:
            return "", len(data), False
        return data[index:end], end + 1, True

    def get_link(self, pattern: LinkInlineProcessor, data: str, index: int
                 ) -> tuple[str, str | None, int, bool]:
        """`LinkInlineProcessor.getLink` for `(destination)` with no quote after it: its
        loop then only counts parentheses. With a quote (a title), its own loop."""
        m = pattern.RE_LINK.match(data, pos=index)
        if m is None or m.group(1) or self._last_quote(data) >= m.end():
            return LinkInlineProcessor.getLink(pattern, data, index)
        end = self.parens.partner(data, index)
        if end is None:
            return "", None, len(data), False
        return pattern.unescape(data[m.end():end]).strip(), None, end + 1, True


class _UpToLastBracket:
    """The footnote pattern (`[^`, then anything but `]` up to a `]`) searched only up to
    the last `]` of the text: from each `[^` with no `]` after it, it read to the end of
    the paragraph (64 KB took eight seconds), and no match can end past that `]`."""

    def __init__(self, regex: re.Pattern[str]) -> None:
        self.regex = regex

    def finditer(self, data: str, pos: int = 0) -> Iterator[re.Match[str]]:
        return self.regex.finditer(data, pos, data.rfind("]") + 1)

    def __getattr__(self, name: str) -> object:
        return getattr(self.regex, name)


FOOTNOTE = r"\[\^([^\]]*)\]"  # markdown.extensions.footnotes' FOOTNOTE_RE


def install(md: markdown.Markdown) -> Links:
    """Give every link, image and reference pattern of `md` the linear `getText` and
    `getLink`, and its footnote pattern the bounded search."""
    links = Links()
    for pattern in md.inlinePatterns:
        if isinstance(pattern, LinkInlineProcessor):
            pattern.getText = links.get_text  # type: ignore[method-assign]
            pattern.getLink = (  # type: ignore[method-assign]
                lambda data, index, pattern=pattern: links.get_link(pattern, data, index))
        elif getattr(pattern, "compiled_re", None) is not None \
                and pattern.compiled_re.pattern == FOOTNOTE:
            pattern.compiled_re = _UpToLastBracket(pattern.compiled_re)
    return links
