"""Property-based: whatever front matter and body a writer has, `publish feed` either
writes feeds that parse and validate, or says clearly what is wrong. Never a traceback.

The default budget keeps CI quick; `PUBLISHER_FUZZ=nightly python -m pytest
tests/test_properties.py` runs thousands of examples.
"""

from __future__ import annotations

import contextlib
import io
import json
import os
import tempfile
from pathlib import Path

import feedparser
import yaml
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st
from lxml import etree

from publisher.cli import main

from .conftest import BASE_CONFIG, NOW, atom_schema

settings.register_profile("ci", max_examples=60, deadline=None,
                          suppress_health_check=[HealthCheck.too_slow])
settings.register_profile("nightly", max_examples=3000, deadline=None,
                          suppress_health_check=[HealthCheck.too_slow])
PROFILE = "nightly" if os.environ.get("PUBLISHER_FUZZ") == "nightly" else "ci"

KEYS = ["title", "date", "tags", "categories", "series", "excerpt", "slug", "permalink", "id",
        "draft", "published", "modified", "author", "description", "image", "header"]
FRAGMENTS = ["{% include x.html %}", "{{ page.title }}", "{{ site.url }}", "{% raw %}",
             "{% endraw %}", "{% highlight py %}", "{% endhighlight %}", "{% post_url x %}",
             "{{< youtube a >}}", "{: .notice}", "{:toc}", "<!--more-->", "```", "~~~",
             "[a](../b)", "![i](c.png)", "<img src=x>", "<script>x</script>", "]]>", "<!--",
             "&amp;", "&", "<", "\x00", "\x0b", "\ud800", "\u202e", "| a | b |\n|---|---|",
             "[^1]\n\n[^1]: n", "# h", "* item", "<div markdown=\"1\">*x*</div>", "\r\n"]

scalars = st.one_of(st.none(), st.booleans(), st.integers(), st.floats(allow_nan=True),
                    st.text(max_size=40), st.sampled_from(["2024-02-30", "2024-03-02",
                                                           "November 20, 2021", "", " "]))
values = st.recursive(scalars, lambda inner: st.one_of(
    st.lists(inner, max_size=4), st.dictionaries(st.text(max_size=10), inner, max_size=4)),
    max_leaves=12)
front_matter = st.dictionaries(st.one_of(st.sampled_from(KEYS), st.text(max_size=12)),
                               values, max_size=8)
bodies = st.lists(st.one_of(st.text(max_size=60), st.sampled_from(FRAGMENTS)),
                  max_size=12).map("\n".join)


def publish(root: Path) -> tuple[int, str]:
    out, err = io.StringIO(), io.StringIO()
    cwd = os.getcwd()
    os.chdir(root)
    try:
        with contextlib.redirect_stdout(out), contextlib.redirect_stderr(err):
            code = main(["feed", "--now", NOW])
    finally:
        os.chdir(cwd)
    return code, err.getvalue()


def check_outputs(out: Path) -> None:
    schema = atom_schema()
    for path in sorted(out.rglob("*")):
        if path.suffix == ".xml":
            data = path.read_bytes()
            parsed = feedparser.parse(data, sanitize_html=False, resolve_relative_uris=False)
            assert parsed.bozo == 0, (path, parsed.get("bozo_exception"))
            if path.name == "feed.xml":
                assert schema.validate(etree.fromstring(data)), (path, schema.error_log)
        elif path.suffix == ".json":
            json.loads(path.read_text(encoding="utf-8"))


@settings(settings.get_profile(PROFILE))
@given(fields=front_matter, body=bodies, dated_name=st.booleans())
def test_any_post_gives_valid_feeds_or_a_clear_error(fields: dict, body: str,
                                                     dated_name: bool) -> None:
    try:
        header = yaml.safe_dump(fields, allow_unicode=True, sort_keys=False)
    except yaml.YAMLError:
        return  # not representable as YAML: not a post anyone can write
    with tempfile.TemporaryDirectory() as tmp:
        root = Path(tmp)
        (root / "publisher.toml").write_text(BASE_CONFIG + "[feed]\ntags = true\n")
        (root / "posts").mkdir()
        name = "2024-05-06-fuzz.md" if dated_name else "fuzz.md"
        text = f"---\n{header}---\n{body}\n"
        (root / "posts" / name).write_bytes(text.encode("utf-8", "surrogatepass"))
        # A well-formed neighbour: the site must still publish around the odd post.
        (root / "posts" / "2024-01-01-plain.md").write_text("---\ntitle: Plain\n---\nText\n")
        code, err = publish(root)
        assert "Traceback" not in err and "internal error" not in err, err
        assert code in (0, 1), err
        if code == 1:
            assert err.strip().splitlines()[-1].startswith("error: ")
        else:
            check_outputs(root / "out")


@settings(settings.get_profile(PROFILE))
@given(title=st.text(min_size=1, max_size=80), tag=st.text(min_size=1, max_size=20),
       excerpt=st.text(max_size=80))
def test_any_text_in_fields_is_escaped_never_breaks_xml(title: str, tag: str,
                                                         excerpt: str) -> None:
    fields = {"title": title, "tags": [tag], "excerpt": excerpt, "date": "2024-05-06"}
    with tempfile.TemporaryDirectory() as tmp:
        root = Path(tmp)
        (root / "publisher.toml").write_text(BASE_CONFIG + "[feed]\ntags = true\n")
        (root / "posts").mkdir()
        header = yaml.safe_dump(fields, allow_unicode=True)
        (root / "posts" / "p.md").write_bytes(
            f"---\n{header}---\nBody\n".encode("utf-8", "surrogatepass"))
        code, err = publish(root)
        assert "Traceback" not in err and "internal error" not in err, err
        if code == 0:
            check_outputs(root / "out")
