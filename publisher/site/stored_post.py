"""A Post as the cache keeps it: its index (what every run asks of every post) and its
content (what only the posts an output shows need), each plain JSON data.

A run lists, sorts and plans feeds from the index of all posts; the content (title,
excerpt, image, authors, front matter, body) is read for the few posts a feed or an
issue shows (site/lazy.py). Every value read back is checked for its type; anything
else is `Unstorable`, and the cache then re-reads the file.
"""

from __future__ import annotations

import functools
import json
import math
import zlib
from datetime import datetime, tzinfo
from typing import Any

from publisher.reading import MAX_BYTES
from publisher.site.post import Author, Post
from publisher.site.stored import Unstorable, decode, encode, zone_data, zone_from

_INDEX_TEXT = ("source", "name", "slug", "url", "digest", "section", "id")
_FLAGS = ("draft", "listed", "in_feeds", "in_newsletter", "links_to_posts",
          "includes_relative")
_NAMES = ("series", "tags", "categories")
_CONTENT_TEXT = ("excerpt", "image", "image_caption")  # each may be None
INDEX_FIELDS = (*_INDEX_TEXT, *_FLAGS, *_NAMES, "date", "updated", "expires")
# What site/lazy.py reads on first use: every field of Post not in the index.
CONTENT_FIELDS = frozenset({"title", *_CONTENT_TEXT, "authors", "fields", "body_line",
                            "body"})


def _plain(value: Any) -> bool:
    """Whether JSON gives `value` back as it is: the common case (YAML's dates stay
    text), which is then stored as it is and read back at json's speed."""
    if value is None or isinstance(value, (bool, str)):
        return True
    if isinstance(value, int):
        return abs(value) < 2 ** 53
    if isinstance(value, float):
        return math.isfinite(value)
    if type(value) is list:
        return all(_plain(v) for v in value)
    if type(value) is dict:
        return all(type(k) is str and _plain(v) for k, v in value.items())
    return False


def _names(value: Any) -> tuple[str, ...]:
    if not isinstance(value, list) or not all(isinstance(v, str) for v in value):
        raise Unstorable("not a list of names")
    return tuple(value)


def _moment(value: Any) -> datetime:
    """[local time, time zone as JSON text, fold] -> an aware datetime."""
    if type(value) is not list or len(value) != 3 or type(value[0]) is not str \
            or type(value[1]) is not str or type(value[2]) is not int:
        raise Unstorable("not a date")
    return datetime.fromisoformat(value[0]).replace(tzinfo=_zone_of(value[1]), fold=value[2])


@functools.lru_cache(maxsize=64)  # a site's posts share one or two zones
def _zone_of(text: str) -> tzinfo:
    try:
        zone = zone_from(json.loads(text))
    except (ValueError, TypeError, KeyError, RecursionError) as exc:
        raise Unstorable("not a time zone") from exc
    if zone is None:
        raise Unstorable("not a date")
    return zone


def _stamped(moment: datetime) -> list[Any]:
    return [moment.replace(tzinfo=None).isoformat(),
            json.dumps(zone_data(moment.tzinfo), sort_keys=True), moment.fold]


def index_data(post: Post) -> list[Any]:
    """A post's index as one JSON list, in INDEX_FIELDS order: read for every post on
    every run, so without keys to parse and with its dates' zones as text, decoded once."""
    return [*(getattr(post, name) for name in _INDEX_TEXT + _FLAGS),
            *(list(getattr(post, name)) for name in _NAMES),
            _stamped(post.date), _stamped(post.updated),
            _stamped(post.expires) if post.expires else None]


def index_values(post: Post) -> dict[str, Any]:
    """The index of a post, as its attributes (what `index_from` gives back)."""
    return {name: getattr(post, name) for name in INDEX_FIELDS}


def content_data(post: Post) -> dict[str, Any]:
    fields = dict(post.fields)
    data: dict[str, Any] = {name: getattr(post, name) for name in _CONTENT_TEXT}
    data.update(title=post.title, body_line=post.body_line,
                authors=[[a.name, a.email, a.uri] for a in post.authors],
                fields={"plain": fields} if _plain(fields) else encode(fields))
    return data


def index_from(data: Any) -> dict[str, Any]:
    """The `index` column -> the Post attributes it holds; Unstorable if it is not one."""
    if type(data) is not list or len(data) != len(INDEX_FIELDS):
        raise Unstorable("not a post")
    texts, flags = len(_INDEX_TEXT), len(_INDEX_TEXT) + len(_FLAGS)
    if not all(type(value) is str for value in data[:texts]):
        raise Unstorable("not text")
    if not all(type(value) is bool for value in data[texts:flags]):
        raise Unstorable("not a flag")
    values = dict(zip(INDEX_FIELDS[:flags], data[:flags], strict=True))
    series, tags, categories, date, updated, expires = data[flags:]
    values.update(series=_names(series), tags=_names(tags), categories=_names(categories),
                  date=_moment(date), updated=_moment(updated),
                  expires=None if expires is None else _moment(expires))
    return values


def pack_body(body: str) -> bytes:
    """A post's body for the cache, compressed: three quarters of the cache's bytes,
    written on every cold run and read back for the few posts an output shows."""
    return zlib.compress(body.encode("utf-8"), 1)  # a lone surrogate: not stored


def unpack_body(data: Any) -> str:
    if type(data) is not bytes:
        raise Unstorable("not a body")
    inflate = zlib.decompressobj()
    try:
        raw = inflate.decompress(data, MAX_BYTES)  # what a post may hold
    except zlib.error as exc:
        raise Unstorable("not a body") from exc
    if inflate.unconsumed_tail or not inflate.eof:  # bigger than a post may be, or cut
        raise Unstorable("not a body")
    return raw.decode("utf-8")


def content_from(data: Any, body: Any) -> dict[str, Any]:
    """The `content` and `body` columns -> the Post attributes they hold."""
    if not isinstance(data, dict) or not isinstance(body, str) \
            or not isinstance(data.get("title"), str):
        raise Unstorable("not a post's content")
    values: dict[str, Any] = {"title": data["title"], "body": body}
    for name in _CONTENT_TEXT:
        if data.get(name) is not None and not isinstance(data[name], str):
            raise Unstorable(f"{name} is not text")
        values[name] = data.get(name)
    authors = data.get("authors")
    if not isinstance(authors, list) or not all(
            isinstance(a, list) and len(a) == 3 and all(isinstance(x, str) for x in a)
            for a in authors):
        raise Unstorable("authors")
    stored = data.get("fields")
    fields = stored["plain"] if isinstance(stored, dict) and "plain" in stored \
        else decode(stored)
    if not isinstance(fields, dict) or type(data.get("body_line")) is not int:
        raise Unstorable("not a post's content")
    values.update(authors=tuple(Author(*a) for a in authors), fields=fields,
                  body_line=data["body_line"])
    return values
