"""kramdown's tables: after a blank line (or at a container's start), consecutive lines
that hold an unescaped `|` are a table; a `|---|` line under the first rows makes them
the header (its colons
align the columns), later ones separate bodies, a `|===|` line starts the footer. No
delimiter row is needed (GFM needs one), and a table never ends a paragraph."""

from __future__ import annotations

import re

from markdown_it import MarkdownIt
from markdown_it.rules_block import StateBlock

from publisher.content.markdown.codespans import mask_code

_PIPE = re.compile(r"(?:^\||[^\\\n]\|)")
_SEPARATOR_CHARS = frozenset("+|: \t-")
_FOOTER_CHARS = frozenset("+|: \t=")
# Lines that other blocks take first (kramdown parses these before tables).
_OTHER_BLOCK = re.compile(r"#{1,6}[ \t]|>|[*+-][ \t]|\d{1,9}\.[ \t]")
_ALIGN = re.compile(r"[ \t]?(:?)-+(:?)[ \t]?")
_CELL_SPLIT = re.compile(r"(?<!\\)\|")
_IAL_LINE = re.compile(r"\{:(?!:)[^{}\n]*\}[ \t]*$")


def _has_pipe(line: str) -> bool:
    return bool(_PIPE.search(mask_code(line, "x")))


def _cells(line: str, leading_pipe: bool) -> list[str]:
    """A row's cells: split at unescaped pipes outside code spans."""
    masked = mask_code(line, "\0")
    cells, pos = [], 0
    for m in _CELL_SPLIT.finditer(masked):
        cells.append(line[pos:m.start()])
        pos = m.end()
    cells.append(line[pos:])
    if leading_pipe and cells and not cells[0].strip():
        cells.pop(0)
    if cells and not cells[-1].strip():
        cells.pop()
    return [cell.strip().replace("\\|", "|") for cell in cells]


def _align(separator: str) -> list[str]:
    found = []
    for left, right in _ALIGN.findall(separator):
        found.append("" if not left and not right else "left" if not right
                     else "right" if not left else "center")
    return found


def kramdown_table(state: StateBlock, start: int, end: int, silent: bool) -> bool:
    if state.is_code_block(start):
        return False
    if start > 0 and not state.isEmpty(start - 1) and state.sCount[start - 1] >= state.blkIndent:
        return False  # kramdown's after_block_boundary?: right under a heading or fence, text
    lines: list[str] = []
    line = start
    while line < end and not state.isEmpty(line) and state.sCount[line] >= state.blkIndent:
        text = state.src[state.bMarks[line] + state.tShift[line]:state.eMarks[line]]
        if not _has_pipe(text):
            break
        lines.append(text)
        line += 1
    if not lines or _OTHER_BLOCK.match(lines[0]):
        return False
    after = state.src[state.bMarks[line] + state.tShift[line]:state.eMarks[line]] \
        if line < end else ""
    if after and state.sCount[line] >= state.blkIndent and not _IAL_LINE.match(after):
        return False  # kramdown wants the table to end the block (or its list item)
    sections: list[tuple[str, list[list[str]]]] = []
    rows: list[list[str]] = []
    align: list[str] | None = None
    leading = lines[0].lstrip().startswith("|")
    footer = False
    for text in lines:
        if "-" in text and set(text) <= _SEPARATOR_CHARS:
            if rows and align is None and not footer:
                sections.append(("thead", rows))
                align = _align(text)
            elif rows:
                sections.append(("tbody", rows))
            rows = []
        elif "=" in text and set(text) <= _FOOTER_CHARS:
            if rows:
                sections.append(("tbody", rows))
            rows, footer = [], True
        else:
            rows.append(_cells(text, leading))
    if rows:
        sections.append(("tfoot" if footer else "tbody", rows))
    if not any(kind == "tbody" for kind, _ in sections):
        return False  # kramdown ignores a table without a body
    if silent:
        return True
    columns = max(len(row) for _, section in sections for row in section)
    align = (align or []) + [""] * columns
    state.push("table_open", "table", 1).map = [start, line]
    for kind, section in sections:
        state.push(f"{kind}_open", kind, 1)
        for row in section:
            state.push("tr_open", "tr", 1)
            for n in range(columns):
                tag = "th" if kind == "thead" else "td"
                cell = state.push(f"{tag}_open", tag, 1)
                if align[n]:
                    cell.attrSet("style", f"text-align: {align[n]}")
                inline = state.push("inline", "", 0)
                inline.content = row[n] if n < len(row) else ""
                inline.children = []
                state.push(f"{tag}_close", tag, -1)
            state.push("tr_close", "tr", -1)
        state.push(f"{kind}_close", kind, -1)
    state.push("table_close", "table", -1)
    state.line = line
    return True


def kramdown_tables(md: MarkdownIt) -> None:
    md.block.ruler.at("table", kramdown_table, {"alt": ["reference"]})
