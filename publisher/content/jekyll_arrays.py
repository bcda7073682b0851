"""Jekyll's Liquid filters on arrays and data (Jekyll 4.3's `Jekyll::Filters`): `where`,
`where_exp`, `find`, `find_exp`, `sort`, `group_by`, `group_by_exp`, `push`, `pop`,
`shift`, `unshift`, `sample`, `jsonify` and `inspect`, with Jekyll's semantics where they
differ from Shopify's (values compared as text, `nil` sorted first).

Every result is a new value: site data is shared by every post and never changes.
"""

from __future__ import annotations

import json
import re
from collections.abc import Callable, Iterable, Mapping
from functools import cmp_to_key
from io import StringIO
from typing import Any

from liquid.exceptions import FilterArgumentError, OutputStreamLimitError
from liquid.filter import with_context
from liquid.undefined import is_undefined

from publisher.content.jekyll_filters import ruby_str, xml_escape

_INTEGER_LIKE = re.compile(r"\A\s*-?\d+\s*\Z")
_FLOAT_LIKE = re.compile(r"\A\s*-?(?:\d+\.?\d*|\.\d+)\s*\Z")
# jsonify and inspect of a value with more parts than this stop (a YAML alias bomb).
MAX_NODES = 200_000


def _items(value: Any) -> list[Any] | None:
    if isinstance(value, Mapping):
        return list(value.values())
    if isinstance(value, (list, tuple)):
        return list(value)
    return None


def _sort_input(value: Any) -> Any:
    text = ruby_str(value)
    if _INTEGER_LIKE.match(text) and not isinstance(value, bool):
        return int(text)
    if _FLOAT_LIKE.match(text) and not isinstance(value, bool):
        return float(text)
    return value


def item_property(item: Any, prop: Any) -> Any:
    """Jekyll's item_property: a dotted path into a mapping, numbers read as numbers."""
    value = item
    for attribute in ruby_str(prop).split("."):
        value = value.get(attribute) if isinstance(value, Mapping) else None
        value = _sort_input(value)
    return None if is_undefined(value) else value


def _matches(prop: Any, target: Any) -> bool:
    if target is None or is_undefined(target):
        return prop is None
    wanted = ruby_str(target)
    if isinstance(prop, str):
        return prop == wanted
    values = prop if isinstance(prop, (list, tuple)) else [] if prop is None else [prop]
    return any(ruby_str(v) == wanted for v in values)


def where(value: Any, prop: Any = None, target: Any = None) -> Any:
    items = _items(value)
    if items is None or prop is None or is_undefined(prop) or \
            isinstance(target, (list, tuple, Mapping)):
        return value
    return [item for item in items if _matches(item_property(item, prop), target)]


def find(value: Any, prop: Any = None, target: Any = None) -> Any:
    found = where(value, prop, target)
    return found[0] if isinstance(found, list) and found and found is not value else None


def _compare(a: Any, b: Any) -> int:
    try:
        if isinstance(a, (int, float)) == isinstance(b, (int, float)):
            return (a > b) - (a < b)
    except TypeError:
        pass
    left, right = ruby_str(a), ruby_str(b)
    return (left > right) - (left < right)


def sort(value: Any, prop: Any = None, nils: Any = "first") -> Any:
    if value is None or is_undefined(value):
        raise FilterArgumentError("Cannot sort a null object.", token=None)
    items = _items(value)
    if items is None:
        return value
    if prop is None or is_undefined(prop):
        try:
            return sorted(items)
        except TypeError as exc:
            raise FilterArgumentError(f"cannot sort these values: {exc}", token=None) from exc
    order = ruby_str(nils)
    if order not in ("first", "last"):
        raise FilterArgumentError(f"Invalid nils order: '{order}' is not a valid nils order. "
                                  "It must be 'first' or 'last'.", token=None)
    sign = -1 if order == "first" else 1

    def compare(a: tuple[Any, Any], b: tuple[Any, Any]) -> int:
        if a[0] is not None and b[0] is None:
            return -sign
        if a[0] is None and b[0] is not None:
            return sign
        return _compare(a[0], b[0])

    keyed = [(item_property(item, prop), item) for item in items]
    return [item for _, item in sorted(keyed, key=cmp_to_key(compare))]


def _grouped(pairs: Iterable[tuple[str, Any]]) -> list[dict[str, Any]]:
    groups: dict[str, list[Any]] = {}
    for name, item in pairs:
        groups.setdefault(name, []).append(item)
    return [{"name": name, "items": items, "size": len(items)}
            for name, items in groups.items()]


def group_by(value: Any, prop: Any) -> Any:
    items = _items(value)
    if items is None:
        return value
    return _grouped((ruby_str(item_property(item, prop)), item) for item in items)


def _evaluator(context: Any, source: str) -> Callable[[str, Any], str]:
    """Render `source` with one variable bound: how *_exp filters run their expression."""
    cache = context.tag_namespace.setdefault("jekyll_exp", {})
    template = cache.get(source)
    if template is None:
        template = cache[source] = context.env.from_string(source)

    def run(variable: str, item: Any) -> str:
        buffer = StringIO()
        with context.extend({variable: item}):
            template.render_with_context(context, buffer, partial=True)
        return buffer.getvalue()

    return run


def _exp_items(value: Any, context: Any) -> list[Any] | None:
    items = _items(value)
    if items is not None:
        context.raise_for_loop_limit(len(items))
    return items


@with_context
def where_exp(value: Any, variable: Any, expression: Any, *, context: Any) -> Any:
    items = _exp_items(value, context)
    if items is None:
        return value
    run = _evaluator(context, f"{{% if {ruby_str(expression)} %}}1{{% endif %}}")
    return [item for item in items if run(ruby_str(variable), item) == "1"]


@with_context
def find_exp(value: Any, variable: Any, expression: Any, *, context: Any) -> Any:
    found = where_exp(value, variable, expression, context=context)
    return found[0] if isinstance(found, list) and found and found is not value else None


@with_context
def group_by_exp(value: Any, variable: Any, expression: Any, *, context: Any) -> Any:
    items = _exp_items(value, context)
    if items is None:
        return value
    run = _evaluator(context, f"{{{{ {ruby_str(expression)} }}}}")
    return _grouped((run(ruby_str(variable), item), item) for item in items)


def _array(value: Any) -> list[Any]:
    items = _items(value)
    return items if items is not None else [] if value is None or is_undefined(value) \
        else [value]


def push(value: Any, item: Any) -> list[Any]:
    return [*_array(value), item]


def unshift(value: Any, item: Any) -> list[Any]:
    return [item, *_array(value)]


def pop(value: Any, count: Any = 1) -> list[Any]:
    items = _array(value)
    return items[:max(0, len(items) - max(int(count), 0))]


def shift(value: Any, count: Any = 1) -> list[Any]:
    return _array(value)[max(int(count), 0):]


def sample(value: Any, count: Any = 1) -> Any:
    """Jekyll picks at random; publisher takes the first ones, so a build is repeatable."""
    items = _array(value)
    if count == 1 or count is None or is_undefined(count):
        return items[0] if items else None
    return items[:max(int(count), 0)]


def _plain(value: Any, budget: list[int]) -> Any:
    budget[0] -= 1
    if budget[0] < 0:
        raise OutputStreamLimitError("value too large to write out", token=None)
    if is_undefined(value):
        return None
    if isinstance(value, Mapping):
        return {ruby_str(k): _plain(v, budget) for k, v in value.items()}
    if isinstance(value, (list, tuple)):
        return [_plain(v, budget) for v in value]
    return value


def jsonify(value: Any) -> str:
    # Counted first: YAML aliases can make a small _data/ file a huge value.
    plain = _plain(value, [MAX_NODES])
    return json.dumps(plain, ensure_ascii=False, separators=(",", ":"), default=ruby_str)


def _inspect(value: Any, budget: list[int]) -> str:
    budget[0] -= 1
    if budget[0] < 0:
        raise OutputStreamLimitError("inspect: value too large", token=None)
    if value is None or is_undefined(value):
        return "nil"
    if isinstance(value, bool):
        return "true" if value else "false"
    if isinstance(value, str):
        return json.dumps(value, ensure_ascii=False)
    if isinstance(value, Mapping):
        return "{" + ", ".join(f"{_inspect(k, budget)}=>{_inspect(v, budget)}"
                               for k, v in value.items()) + "}"
    if isinstance(value, (list, tuple)):
        return "[" + ", ".join(_inspect(v, budget) for v in value) + "]"
    return str(value)


def inspect(value: Any) -> str:
    """Ruby's `inspect`, HTML-escaped as Jekyll's filter does."""
    return xml_escape(_inspect(value, [MAX_NODES]))


FILTERS: dict[str, Callable[..., Any]] = {
    "where": where, "where_exp": where_exp, "find": find, "find_exp": find_exp,
    "sort": sort, "group_by": group_by, "group_by_exp": group_by_exp, "push": push,
    "pop": pop, "shift": shift, "unshift": unshift, "sample": sample, "jsonify": jsonify,
    "inspect": inspect,
}
