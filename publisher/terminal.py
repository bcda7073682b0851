"""Text safe to print: no control character of a file name or a field reaches a terminal.

A name with a newline could forge a `path:line: field: message` line; `ESC ]0;…BEL`
sets the terminal's title, other escapes move the cursor or rewrite what is shown.
Each such character is printed as its escape (`\\n`, `\\x1b`, `\\u202e`); bytes of a
file name that are not UTF-8 (Python holds them as lone surrogates) as `\\xff`.
"""

from __future__ import annotations

import re

# C0 and C1 controls and DEL; bidirectional overrides and isolates, which reorder
# what is shown; line and paragraph separators; lone surrogates.
_UNSAFE = re.compile("[\x00-\x1f\x7f-\x9f\u061c\u200e\u200f\u202a-\u202e\u2066-\u2069"
                     "\u2028\u2029\ud800-\udfff]")
_UNSAFE_IN_LINES = re.compile(_UNSAFE.pattern.replace("\x00-\x1f", "\x00-\x09\x0b-\x1f"))
_NAMED = {"\n": "\\n", "\r": "\\r", "\t": "\\t"}


def _escape(match: re.Match[str]) -> str:
    char = match.group()
    if char in _NAMED:
        return _NAMED[char]
    code = ord(char)
    if 0xDC80 <= code <= 0xDCFF:  # a byte that was not UTF-8, kept by surrogateescape
        return f"\\x{code - 0xDC00:02x}"
    return f"\\x{code:02x}" if code <= 0xFF else f"\\u{code:04x}"


def printable(text: str) -> str:
    """`text` as one line with every control character escaped."""
    return _UNSAFE.sub(_escape, text)


def printable_lines(text: str) -> str:
    """`text` with every control character escaped but its line breaks."""
    return _UNSAFE_IN_LINES.sub(_escape, text)


def json_safe(text: str) -> str:
    """JSON text (from json.dumps with ensure_ascii=False) with the characters it leaves
    raw that a terminal would act on written as JSON escapes: still the same JSON."""
    return _UNSAFE_IN_LINES.sub(lambda m: f"\\u{ord(m.group()):04x}", text)
