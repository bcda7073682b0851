"""HTML -> the plain text a reader sees: for fields that must not hold markup (JSON Feed's
`summary`)."""

from __future__ import annotations

from html.parser import HTMLParser

# Elements whose content is not text a reader sees.
_HIDDEN = frozenset({"script", "style", "template", "head", "title"})
# Elements that separate words even when the markup has no space between them.
_BREAKS = frozenset({"br", "p", "div", "li", "tr", "td", "th", "h1", "h2", "h3", "h4",
                     "h5", "h6", "blockquote", "pre", "dt", "dd", "figcaption", "hr"})


class _Text(HTMLParser):
    def __init__(self) -> None:
        super().__init__(convert_charrefs=True)
        self.parts: list[str] = []
        self.hidden = 0

    def handle_starttag(self, tag: str, attrs: object) -> None:
        if tag in _HIDDEN:
            self.hidden += 1
        elif tag in _BREAKS:
            self.parts.append(" ")

    def handle_endtag(self, tag: str) -> None:
        if tag in _HIDDEN:
            self.hidden = max(0, self.hidden - 1)
        elif tag in _BREAKS:
            self.parts.append(" ")

    def handle_data(self, data: str) -> None:
        if not self.hidden:
            self.parts.append(data)


def text_of(markup: str) -> str:
    """The visible text of an HTML fragment, entities decoded, white space folded."""
    parser = _Text()  # decodes entities once: "&amp;lt;" stays "&lt;"
    parser.feed(markup)
    parser.close()
    return " ".join("".join(parser.parts).split())
