"""One file's bytes -> front-matter fields, body and line numbers.

python-frontmatter tells the formats apart (YAML `---`, TOML `+++`, JSON `{`) and finds
their boundaries; we parse each format ourselves so that every error carries the line
in the *file*, YAML dates stay text for dates.py, duplicate keys are reported, and
alias bombs are refused before anything walks them.
"""

from __future__ import annotations

import re
import reprlib
from collections.abc import Mapping
from dataclasses import dataclass, field, replace
from typing import Any

import frontmatter
import yaml
from frontmatter.default_handlers import BaseHandler, JSONHandler, YAMLHandler

from publisher.problems import Problem, Severity, error, warning
from publisher.site.formats import parse_json, parse_toml
from publisher.site.limits import nesting_problem, number_problem, value_problems

try:
    _BaseLoader: type = yaml.CSafeLoader  # the C parser is about 10 times faster
except AttributeError:  # pragma: no cover - PyYAML built without libyaml
    _BaseLoader = yaml.SafeLoader

# An alias bomb ("billion laughs") is a few lines that expand to billions of values.
MAX_YAML_NODES = 100_000

_short = reprlib.Repr()
_short.maxstring = 60
_short.maxother = 60


def show(value: object) -> str:
    """A short repr for messages: never walks a huge (aliased) structure."""
    return _short.repr(value)


class TOMLHandler(BaseHandler):
    """Hugo's `+++` front matter (python-frontmatter's own needs the `toml` package)."""

    FM_BOUNDARY = re.compile(r"^\+{3,}\s*$", re.MULTILINE)
    START_DELIMITER = END_DELIMITER = "+++"


_HANDLERS: tuple[BaseHandler, ...] = (YAMLHandler(), TOMLHandler(), JSONHandler())


class _Loader(_BaseLoader):  # type: ignore[misc, valid-type]
    """Safe YAML that keeps timestamps as text and notes duplicate keys."""

    yaml_implicit_resolvers = {
        first: [(tag, rx) for tag, rx in resolvers if tag != "tag:yaml.org,2002:timestamp"]
        for first, resolvers in yaml.SafeLoader.yaml_implicit_resolvers.items()
    }

    def __init__(self, stream: str) -> None:
        super().__init__(stream)
        self.duplicates: list[tuple[str, int]] = []

    def construct_mapping(self, node: yaml.MappingNode, deep: bool = False) -> dict[Any, Any]:
        seen: set[Any] = set()
        for key_node, _ in node.value:
            if isinstance(key_node, yaml.ScalarNode):
                if key_node.value in seen:
                    self.duplicates.append((key_node.value, key_node.start_mark.line))
                seen.add(key_node.value)
        return super().construct_mapping(node, deep=deep)


def _node_count(node: yaml.Node, memo: dict[int, int]) -> int:
    """How many values the node expands to, counting each alias as a full copy."""
    known = memo.get(id(node))
    if known is not None:
        return known
    memo[id(node)] = 1  # guards against recursive aliases
    if isinstance(node, yaml.MappingNode):
        total = 1 + sum(_node_count(k, memo) + _node_count(v, memo) for k, v in node.value)
    elif isinstance(node, yaml.SequenceNode):
        total = 1 + sum(_node_count(item, memo) for item in node.value)
    else:
        total = 1
    memo[id(node)] = min(total, MAX_YAML_NODES + 1)
    return memo[id(node)]


@dataclass(frozen=True)
class Matter:
    """What a file says before any meaning is given to it."""

    fields: Mapping[str, Any]
    body: str
    body_line: int  # file line of the body's first line
    key_lines: Mapping[str, int] = field(default_factory=dict)  # "header.image" -> line
    kind: str = "yaml"

    def line(self, key: str) -> int | None:
        return self.key_lines.get(key)


@dataclass(frozen=True)
class ReadResult:
    matter: Matter | None
    problems: tuple[Problem, ...] = ()


def _yaml_lines(node: yaml.Node, offset: int) -> dict[str, int]:
    lines: dict[str, int] = {}
    if isinstance(node, yaml.MappingNode):
        for key_node, value_node in node.value:
            if not isinstance(key_node, yaml.ScalarNode):
                continue
            name = str(key_node.value)
            lines.setdefault(name, key_node.start_mark.line + offset)
            if isinstance(value_node, yaml.MappingNode):
                for sub_key, _ in value_node.value:
                    if isinstance(sub_key, yaml.ScalarNode):
                        lines.setdefault(f"{name}.{sub_key.value}",
                                         sub_key.start_mark.line + offset)
    return lines


def _yaml_problem(exc: yaml.MarkedYAMLError, text: str, path: str, offset: int) -> Problem:
    """PyYAML's complaint, at the file line, with the usual cause named."""
    mark = exc.problem_mark or exc.context_mark
    line = mark.line if mark else 0
    reason = (exc.problem or exc.context or "invalid YAML").strip()
    lines = text.split("\n")
    if exc.context and "quoted scalar" in exc.context and exc.context_mark \
            and "end of stream" in reason:
        line = exc.context_mark.line
        reason = "a quoted value starts here and is never closed; add the closing quote"
    elif "\t" in (lines[line] if line < len(lines) else ""):
        reason += "; indent with spaces, not tabs"
    elif "expected key" in reason or "block end" in reason:
        reason += "; check the indentation of this line and the one above"
    elif "mapping values are not allowed" in reason:
        reason += "; put quotes around a value that contains ': '"
    return error(path, line + offset, "front matter", f"invalid YAML: {reason}")


def _parse_yaml(text: str, path: str, offset: int) -> tuple[Any, dict[str, int], list[Problem]]:
    loader = _Loader(text)
    try:
        node = loader.get_single_node()
        if node is None:
            return {}, {}, []
        # Without an anchor there is no alias, and a node per character at most.
        if "&" in text and _node_count(node, {}) > MAX_YAML_NODES:
            return None, {}, [error(path, offset + 1, "front matter",
                                    f"YAML aliases expand to more than {MAX_YAML_NODES:,} "
                                    "values; remove the repeated aliases")]
        data = loader.construct_document(node)
        problems = [warning(path, line + offset, str(name),
                            "key appears twice; the last value is used, delete the other")
                    for name, line in loader.duplicates]
        return data, _yaml_lines(node, offset), problems
    except yaml.MarkedYAMLError as exc:
        return None, {}, [_yaml_problem(exc, text, path, offset)]
    except yaml.YAMLError as exc:
        return None, {}, [error(path, offset, "front matter", f"invalid YAML: {exc}")]
    except RecursionError:
        return None, {}, [nesting_problem(path, offset, "YAML")]
    except ValueError as exc:  # a number too long for int()
        return None, {}, [number_problem(text, path, offset, "YAML")
                          or error(path, offset, "front matter", f"invalid YAML: {exc}")]
    finally:
        loader.dispose()


_PARSERS = {"yaml": _parse_yaml, "toml": parse_toml, "json": parse_json}


def decode(data: bytes, path: str) -> tuple[str | None, Problem | None]:
    """UTF-8 (with or without BOM) -> text with LF line ends."""
    try:
        text = data.decode("utf-8-sig")
    except UnicodeDecodeError as exc:
        line = data.count(b"\n", 0, exc.start) + 1
        byte = data[exc.start]
        if b"\x00" in data[:8192]:
            return None, error(path, line, "encoding", f"binary data (byte 0x{byte:02x}), not "
                               "text; move the file out of the posts folder")
        return None, error(path, line, "encoding", f"not UTF-8 (byte 0x{byte:02x}; it looks "
                           "like Latin-1 or Windows-1252); save the file as UTF-8")
    return text.replace("\r\n", "\n").replace("\r", "\n"), None


def read_matter(data: bytes, path: str, *, blank_lines_first: bool = False,
                duplicates_fatal: bool = False) -> ReadResult:
    """Split and parse one post file; never raises for bad input.

    `blank_lines_first`: front matter may follow blank lines (Hugo reads it so).
    `duplicates_fatal`: a key written twice is an error (Hugo refuses the page), not a
    warning that the last value wins.
    """
    text, problem = decode(data, path)
    if text is None:
        return ReadResult(None, (problem,) if problem else ())
    blank = _BLANK_LINES.match(text) if blank_lines_first else None
    if blank and text[blank.end():].strip():
        return _shifted(_read_text(text[blank.end():], path, duplicates_fatal),
                        blank.group(0).count("\n"))
    return _read_text(text, path, duplicates_fatal)


def _read_text(text: str, path: str, duplicates_fatal: bool) -> ReadResult:
    if not text.strip():
        return ReadResult(None, (error(path, 1, "file", "is empty; write front matter with "
                                       "at least a title, or delete the file"),))
    handler = frontmatter.detect_format(text, _HANDLERS)
    if handler is None:
        return ReadResult(None, (warning(path, 1, "front matter", "none found, so this file "
                                         "is not a post (as in Jekyll); start it with '---' "
                                         "to publish it"),))
    kind = {YAMLHandler: "yaml", TOMLHandler: "toml", JSONHandler: "json"}[type(handler)]
    boundary = handler.FM_BOUNDARY
    assert boundary is not None
    opening = boundary.match(text)
    assert opening is not None
    first_end = text.find("\n")
    closing = boundary.search(text, first_end + 1) if first_end != -1 else None
    if closing is None:
        delimiter = handler.END_DELIMITER or "}"
        return ReadResult(None, (error(path, 1, "front matter",
                                       f"no closing '{delimiter}' line; end the front matter "
                                       f"with a line of '{delimiter}'"),))
    if kind == "json":
        # JSON front matter keeps its braces; they are part of the document.
        fm_text, fm_line = text[:closing.end()], 1
    else:
        fm_text, fm_line = text[first_end + 1:closing.start()], 2
    fields, lines, problems = _PARSERS[kind](fm_text, path, fm_line)
    if fields is None:
        return ReadResult(None, tuple(problems))
    if isinstance(fields, dict):
        problems.extend(value_problems(fields, lines, path, fm_line))
        if any(p.is_error for p in problems):
            return ReadResult(None, tuple(problems))
    else:
        problems.append(error(path, fm_line, "front matter",
                              f"must be a set of 'key: value' lines, not a "
                              f"{type(fields).__name__} ({show(fields)})"))
        return ReadResult(None, tuple(problems))
    body_start = text.find("\n", closing.start())
    body = "" if body_start == -1 else text[body_start + 1:]
    body_line = text.count("\n", 0, body_start) + 2 if body_start != -1 else 1
    if duplicates_fatal:
        problems = [replace(p, severity=Severity.ERROR, message="key appears twice; Hugo "
                            "refuses the page: delete one of them")
                    if p.message.startswith("key appears twice") else p for p in problems]
        if any(p.is_error for p in problems):
            return ReadResult(None, tuple(problems))
    return ReadResult(Matter({str(k): v for k, v in fields.items()}, body, body_line,
                             lines, kind), tuple(problems))


_BLANK_LINES = re.compile(r"\A(?:[ \t]*\n)+")


def _shifted(result: ReadResult, lines: int) -> ReadResult:
    """`result` of a file read without its first `lines` lines, as lines of the file."""
    problems = tuple(replace(p, line=p.line + lines) if p.line else p for p in result.problems)
    matter = result.matter
    if matter is not None:
        matter = replace(matter, body_line=matter.body_line + lines,
                         key_lines={k: n + lines for k, n in matter.key_lines.items()})
    return ReadResult(matter, problems)
