"""Post text made inert for the mailing tool's own template engine.

Buttondown renders an email with Django templates, Kit with Liquid, listmonk with Go
templates, and Mailchimp replaces `*|TAG|*`; a post about Jinja, or a title like
`{{ subscriber.email }}`, would otherwise break the send or print subscriber data. Each
function takes a whole part (HTML or text) before our own merge tags are put in, and
writes every sequence that tool would read as a tag with that tool's documented escape,
which the tool renders back to exactly what was written. So escaping the whole part is
never wrong where a template of ours wrote plain text, and no boundary between post text
and template text can form a tag.
"""

from __future__ import annotations

import re
from collections.abc import Callable

# Django: `{% templatetag %}` outputs each delimiter. A lone `{` right before `}}` is
# written as `openbrace`, or `{` and the escape's own `{%` could read as `{{%`.
_DJANGO = {"{{": "openvariable", "}}": "closevariable", "{%": "openblock",
           "%}": "closeblock", "{#": "opencomment", "#}": "closecomment", "{": "openbrace"}
_DJANGO_RE = re.compile(r"\{\{|\}\}|\{%|%\}|\{#|#\}|\{(?=\}\})")


def django(text: str) -> str:
    return _DJANGO_RE.sub(lambda m: f"{{% templatetag {_DJANGO[m.group()]} %}}", text)


# Liquid: `}}` and `%}` alone are plain text; every opening goes inside `{% raw %}`.
_LIQUID_RE = re.compile(r"\{\{|\{%")


def liquid(text: str) -> str:
    return _LIQUID_RE.sub(lambda m: f"{{% raw %}}{m.group()}{{% endraw %}}", text)


# Go templates: only `{{` opens an action; `{{"{{"}}` prints one.
def go(text: str) -> str:
    return text.replace("{{", '{{"{{"}}')


# Mailchimp has no escape for `*|`: in HTML the bar becomes a character reference (the
# reader sees `|`, Mailchimp sees no tag); in text a WORD JOINER (U+2060, invisible)
# parts the two characters.
_MAILCHIMP_RE = re.compile(r"\*\||\|\*")


def mailchimp_html(text: str) -> str:
    return _MAILCHIMP_RE.sub(lambda m: m.group().replace("|", "&#124;"), text)


def mailchimp_text(text: str) -> str:
    return _MAILCHIMP_RE.sub(lambda m: m.group()[0] + "\u2060" + m.group()[1], text)


def unchanged(text: str) -> str:
    return text


# The characters a tool's tags are made of, percent-encoded in URL attributes: the URL
# means the same to a browser, and a tool whose engine escapes by context (Go's
# html/template) cannot rewrite an escape inside it.
_URL_ATTR = re.compile(r'(\s(?:href|src)=")([^"]*)(")')
_URL_CHARS = {"{": "%7B", "}": "%7D", "|": "%7C"}


def encode_urls(markup: str) -> str:
    def encode(m: re.Match[str]) -> str:
        url = "".join(_URL_CHARS.get(c, c) for c in m.group(2))
        return m.group(1) + url + m.group(3)
    return _URL_ATTR.sub(encode, markup)


Escaper = Callable[[str], str]
# syntax -> (escape for the HTML part, escape for the text part)
ESCAPES: dict[str, tuple[Escaper, Escaper]] = {
    "django": (django, django),
    "liquid": (liquid, liquid),
    "go": (go, go),
    "mailchimp": (mailchimp_html, mailchimp_text),
    "": (unchanged, unchanged),
}


def escape_parts(syntax: str, markup: str, text: str) -> tuple[str, str]:
    """Both parts of an issue, inert for the template language `syntax` ("" for none)."""
    html_escape, text_escape = ESCAPES[syntax]
    if syntax:
        markup = encode_urls(markup)
    return html_escape(markup), text_escape(text)
