"""Jekyll's own Liquid filters on strings, URLs and dates (Jekyll 4.3's `Jekyll::Filters`,
`URLFilters` and `DateFilters`), as python-liquid filter functions.

Each reads the site through `environment.jekyll` (a `FilterSite`). Where Jekyll asks
the clock (`"now" | date`, `site.time`), the post's own date answers instead: the same
post gives the same HTML on every run.
"""

from __future__ import annotations

import html
import re
import unicodedata
from collections.abc import Callable
from dataclasses import dataclass
from datetime import date as Date
from datetime import datetime, tzinfo
from typing import Any
from urllib.parse import quote, quote_plus, urlsplit, urlunsplit

from dateutil import parser as date_parser
from liquid.exceptions import FilterArgumentError
from liquid.filter import with_environment
from liquid.undefined import is_undefined

from publisher.dialects.jekyll import jekyll_slugify, normalize_path


@dataclass(frozen=True)
class FilterSite:
    """What the URL and date filters need to know of the site."""

    url: str  # Jekyll's `site.url`: scheme and host, no path ("https://example.org")
    baseurl: str  # Jekyll's `site.baseurl`: "" or "/blog"
    zone: tzinfo  # Jekyll formats times in the site's time zone
    markdownify: Callable[[str], str]  # the site's Markdown, for `markdownify`


class RubyTime(datetime):
    """A time that prints as Ruby's Time#to_s does (`{{ page.date }}` in Jekyll)."""

    def __str__(self) -> str:
        return self.strftime("%Y-%m-%d %H:%M:%S %z")


def ruby_time(value: datetime) -> RubyTime:
    return RubyTime(value.year, value.month, value.day, value.hour, value.minute,
                    value.second, value.microsecond, value.tzinfo)


def ruby_str(value: Any) -> str:
    """Ruby's `to_s` of a Liquid value: true, false, nil as Ruby writes them."""
    if value is None or is_undefined(value):
        return ""
    if isinstance(value, bool):
        return "true" if value else "false"
    return str(value)


def _missing(value: Any) -> bool:
    return value is None or is_undefined(value)


def _site(environment: Any) -> FilterSite:
    return environment.jekyll  # type: ignore[no-any-return]


# -- URLs -----------------------------------------------------------------------------------

def _absolute(value: str) -> bool:
    return bool(urlsplit(value).scheme)


def _normalize(url: str) -> str:
    """Addressable's URI#normalize on the path; the query and fragment as they are."""
    parts = urlsplit(url)
    path = normalize_path(parts.path) if parts.path else parts.path
    return urlunsplit((parts.scheme.lower(), parts.netloc.lower(), path, parts.query,
                       parts.fragment))


def _leading_slash(value: str) -> str:
    return value if not value or value.startswith("/") else "/" + value


@with_environment
def relative_url(value: Any, *, environment: Any) -> Any:
    if _missing(value):
        return None
    value = ruby_str(value)
    if _absolute(value):
        return value
    joined = _leading_slash(_site(environment).baseurl.rstrip("/")) + _leading_slash(value)
    return _normalize(joined) if joined else joined


@with_environment
def absolute_url(value: Any, *, environment: Any) -> Any:
    if _missing(value):
        return None
    value = ruby_str(value)
    if _absolute(value):
        return value
    relative = relative_url(value, environment=environment)
    site_url = _site(environment).url
    return _normalize(site_url + relative) if site_url else relative


# -- strings --------------------------------------------------------------------------------

def xml_escape(value: Any) -> str:
    # Ruby's String#encode(xml: :attr), without the quotes it wraps the text in.
    return html.escape(ruby_str(value), quote=False).replace('"', "&quot;").replace(
        "'", "&apos;")


def cgi_escape(value: Any) -> str:
    return quote_plus(ruby_str(value), safe="*~")


def uri_escape(value: Any) -> str:
    # Addressable's normalize_component: reserved characters and escapes stay as written.
    return quote(ruby_str(value), safe="!#$%&'()*+,/:;=?@[]~")


_SLUG_MODES = ("raw", "default", "pretty", "ascii", "latin")


def slugify(value: Any, mode: Any = None) -> Any:
    if _missing(value):
        return None
    text = ruby_str(value)
    mode = "default" if _missing(mode) else ruby_str(mode)
    if mode not in _SLUG_MODES:
        return text.lower()
    if mode == "raw":
        slug = re.sub(r"\s+", "-", text)
    elif mode == "ascii":
        slug = re.sub(r"[^A-Za-z0-9]+", "-", text)
    else:
        if mode == "latin":  # I18n.transliterate: accents dropped, other letters '?'
            text = "".join(c if ord(c) < 128 else "?" for c in unicodedata.normalize(
                "NFKD", text) if not unicodedata.combining(c))
        return jekyll_slugify(text, pretty=mode == "pretty")
    return slug.removeprefix("-").removesuffix("-").lower()


def normalize_whitespace(value: Any) -> str:
    return " ".join(ruby_str(value).split())


_CJK = re.compile(r"[\u3040-\u30ff\u3400-\u4dbf\u4e00-\u9fff\uac00-\ud7af\uf900-\ufaff]")


def number_of_words(value: Any, mode: Any = None) -> int:
    text = ruby_str(value)
    if ruby_str(mode) in ("cjk", "auto") and (ruby_str(mode) == "cjk" or _CJK.search(text)):
        return len(_CJK.findall(text)) + len(_CJK.sub(" ", text).split())
    return len(text.split())


def array_to_sentence_string(value: Any, connector: Any = "and") -> str:
    items = [ruby_str(v) for v in value] if isinstance(value, (list, tuple)) else \
        [ruby_str(value)]
    word = ruby_str(connector) if not _missing(connector) else "and"
    if len(items) < 2:
        return "".join(items)
    if len(items) == 2:
        return f"{items[0]} {word} {items[1]}"
    return f"{', '.join(items[:-1])}, {word} {items[-1]}"


def to_integer(value: Any) -> int:
    if value is True or value is False:
        return int(value)
    if isinstance(value, (int, float)):
        return int(value)
    match = re.match(r"\s*[-+]?\d+", ruby_str(value).replace("_", ""))
    return int(match.group(0)) if match else 0


_SMART = ((re.compile(r"---"), "\u2014"), (re.compile(r"--"), "\u2013"),
          (re.compile(r"\.\.\."), "\u2026"), (re.compile(r"<<"), "\u00ab"),
          (re.compile(r">>"), "\u00bb"),
          (re.compile(r"(^|[\s(\[{\u2014\u2013-])\""), "\\1\u201c"), (re.compile(r"\""), "\u201d"),
          (re.compile(r"(^|[\s(\[{\u2014\u2013-])'"), "\\1\u2018"), (re.compile(r"'"), "\u2019"))


def smartify(value: Any) -> str:
    """SmartyPants: straight quotes, dashes and dots as typography."""
    text = ruby_str(value)
    for pattern, replacement in _SMART:
        text = pattern.sub(replacement, text)
    return text


@with_environment
def markdownify(value: Any, *, environment: Any) -> str:
    return _site(environment).markdownify(ruby_str(value))


# -- dates ----------------------------------------------------------------------------------

def to_time(value: Any, environment: Any) -> datetime:
    """Jekyll's `time(input)`: a date, time, number or text -> a time in the site's zone."""
    zone = _site(environment).zone
    if isinstance(value, str) and value.strip().lower() in ("now", "today"):
        value = environment.now
    if isinstance(value, datetime):
        moment = value if value.tzinfo else value.replace(tzinfo=zone)
    elif isinstance(value, Date):
        moment = datetime(value.year, value.month, value.day, tzinfo=zone)
    elif isinstance(value, (int, float)) and not isinstance(value, bool):
        moment = datetime.fromtimestamp(value, zone)
    else:
        text = ruby_str(value).strip()
        if re.fullmatch(r"-?\d+", text):
            moment = datetime.fromtimestamp(int(text), zone)
        else:
            try:
                parsed = date_parser.parse(text)
            except (ValueError, OverflowError) as exc:
                raise FilterArgumentError(f"invalid date: {text[:40]!r}", token=None) from exc
            moment = parsed if parsed.tzinfo else parsed.replace(tzinfo=zone)
    return moment.astimezone(zone)


@with_environment
def date(value: Any, fmt: Any = None, *, environment: Any) -> Any:
    if _missing(value) or ruby_str(value) == "":
        return ruby_str(value)
    if _missing(fmt) or ruby_str(fmt) == "":
        return ruby_str(value)
    try:
        moment = to_time(value, environment)
    except FilterArgumentError:
        return ruby_str(value)  # Liquid leaves what it cannot read as a date
    return moment.strftime(ruby_str(fmt))


@with_environment
def date_to_xmlschema(value: Any, *, environment: Any) -> Any:
    if ruby_str(value) == "":
        return value
    return to_time(value, environment).replace(microsecond=0).isoformat()


@with_environment
def date_to_rfc822(value: Any, *, environment: Any) -> Any:
    if ruby_str(value) == "":
        return value
    return to_time(value, environment).strftime("%a, %d %b %Y %H:%M:%S %z")


def _ordinal(day: int) -> str:
    if 11 <= day <= 13:
        return "th"
    return {1: "st", 2: "nd", 3: "rd"}.get(day % 10, "th")


def _stringify_date(value: Any, month: str, kind: Any, style: Any, environment: Any) -> Any:
    if ruby_str(value) == "":
        return value
    moment = to_time(value, environment)
    if ruby_str(kind) == "ordinal":
        day = f"{moment.day}{_ordinal(moment.day)}"
        if ruby_str(style) == "US":
            return moment.strftime(f"{month} {day}, %Y")
        return moment.strftime(f"{day} {month} %Y")
    return moment.strftime(f"%d {month} %Y")


@with_environment
def date_to_string(value: Any, kind: Any = None, style: Any = None, *,
                   environment: Any) -> Any:
    return _stringify_date(value, "%b", kind, style, environment)


@with_environment
def date_to_long_string(value: Any, kind: Any = None, style: Any = None, *,
                        environment: Any) -> Any:
    return _stringify_date(value, "%B", kind, style, environment)


FILTERS: dict[str, Callable[..., Any]] = {
    "relative_url": relative_url, "absolute_url": absolute_url, "xml_escape": xml_escape,
    "cgi_escape": cgi_escape, "uri_escape": uri_escape, "slugify": slugify,
    "normalize_whitespace": normalize_whitespace, "number_of_words": number_of_words,
    "array_to_sentence_string": array_to_sentence_string, "to_integer": to_integer,
    "smartify": smartify, "markdownify": markdownify, "date": date,
    "date_to_xmlschema": date_to_xmlschema, "date_to_rfc822": date_to_rfc822,
    "date_to_string": date_to_string, "date_to_long_string": date_to_long_string,
}
