"""TOML (Hugo's `+++`) and JSON front matter parsed, each problem at the file's line."""

from __future__ import annotations

import json
import re
import tomllib
from typing import Any

from publisher.problems import Problem, error
from publisher.site.limits import nesting_problem, number_problem


def parse_toml(text: str, path: str, offset: int) -> tuple[Any, dict[str, int], list[Problem]]:
    try:
        data = tomllib.loads(text)
    except RecursionError:
        return None, {}, [nesting_problem(path, offset, "TOML")]
    except tomllib.TOMLDecodeError as exc:
        found = re.search(r"at line (\d+)", str(exc))
        line = int(found.group(1)) + offset - 1 if found else offset
        reason = re.sub(r"\s*\(at line.*\)$", "", str(exc))
        return None, {}, [error(path, line, "front matter", f"invalid TOML: {reason}")]
    except ValueError as exc:  # a number too long for int()
        return None, {}, [number_problem(text, path, offset, "TOML")
                          or error(path, offset, "front matter", f"invalid TOML: {exc}")]
    lines = {}
    for number, raw in enumerate(text.split("\n")):
        found = re.match(r"\s*([A-Za-z0-9_-]+)\s*=", raw)
        if found:
            lines.setdefault(found.group(1), number + offset)
    return data, lines, []


def parse_json(text: str, path: str, offset: int) -> tuple[Any, dict[str, int], list[Problem]]:
    try:
        data = json.loads(text)
    except json.JSONDecodeError as exc:
        return None, {}, [error(path, exc.lineno + offset - 1, "front matter",
                                f"invalid JSON: {exc.msg}")]
    except RecursionError:
        return None, {}, [nesting_problem(path, offset, "JSON")]
    except ValueError as exc:  # a number too long for int()
        return None, {}, [number_problem(text, path, offset, "JSON")
                          or error(path, offset, "front matter", f"invalid JSON: {exc}")]
    lines: dict[str, int] = {}
    for number, raw in enumerate(text.split("\n")):  # top-level keys, one per line
        found = _JSON_KEY.match(raw)
        if found:
            lines.setdefault(found.group(1), number + offset)
    return data, lines, []


_JSON_KEY = re.compile(r'\s*"([^"\\]+)"\s*:')
