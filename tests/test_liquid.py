"""Liquid in Jekyll posts: python-liquid with Jekyll's tags, filters and site data.

The fixture site tests/fixtures/liquid/ (our own posts, `.html` so that Jekyll runs its
Liquid and no Markdown) is built by the real Jekyll and rendered by publisher: each
post's output must be Jekyll's (highlighted code compared as text: rouge's colours are
not ours). The other tests pin each tag, filter and limit on its own.
"""

from __future__ import annotations

import re
import shutil
import subprocess
import time
from pathlib import Path

import liquid
import pytest

from publisher.config import Config, parse_config
from publisher.content import jekyll_liquid
from publisher.content.liquid import (
    LiquidContext,
    LiquidResult,
    convert,
    liquid_engine,
    liquid_settings,
)
from publisher.content.render import Renderer
from publisher.site.post import Post
from publisher.site.reader import read_post

from .conftest import FIXTURES

SITE = FIXTURES / "liquid"
URL = "https://tea.example.net/notes"
JEKYLL_ONLY = frozenset({"liquid"})
POSTS = {"2024-01-01-old-friend": f"{URL}/2024/01/01/old-friend.html"}


def site_config(root: Path, generator: str = "jekyll") -> Config:
    text = (f'[site]\ntitle = "Teapot Notes"\nurl = "{URL}"\ngenerator = "{generator}"\n'
            'posts = "."\ntimezone = "UTC"\n')
    return parse_config(text, "publisher.toml", root)


def resolve(target: str) -> str | None:
    return POSTS.get(target.rsplit("/", 1)[-1].rsplit(".", 1)[0])


def post_of(config: Config, body: str, front: str = "title: A post\n",
            name: str = "_posts/2024-03-02-a-post.md") -> Post:
    data = f"---\n{front}---\n{body}".encode()
    post, problems = read_post(data, name, name, config)
    assert post is not None, problems
    return post


def render(body: str, front: str = "title: A post\n", root: Path = SITE) -> LiquidResult:
    config = site_config(root)
    post = post_of(config, body, front)
    engine = liquid_engine(config, JEKYLL_ONLY)
    assert engine is not None
    ctx = LiquidContext({"url": URL}, {}, resolve, engine, post)
    return convert(post.body, post.body_line, ctx, JEKYLL_ONLY)


def text_of(body: str, front: str = "title: A post\n") -> str:
    result = render(body, front)
    assert result.messages == [], result.messages
    return result.text


# -- against the real Jekyll ---------------------------------------------------------------

def _code_text(html: str) -> str:
    """Highlighted code as a reader sees it: rouge's colour spans dropped."""
    return re.sub(r"</?span[^>]*>", "", html)


def test_posts_render_as_jekyll_renders_them(tmp_path: Path) -> None:
    jekyll = shutil.which("jekyll")
    if jekyll is None:
        pytest.fail("jekyll is not installed: run .ci/run, which installs it (Debian "
                    "package jekyll)")
    source = tmp_path / "site"
    shutil.copytree(SITE, source)
    built = subprocess.run([jekyll, "build", "-s", str(source), "-d", str(tmp_path / "out"),
                            "--disable-disk-cache"], capture_output=True, text=True,
                           env={"PATH": "/usr/bin:/bin", "TZ": "UTC", "LANG": "C.UTF-8",
                                "LC_ALL": "C.UTF-8"})
    assert built.returncode == 0, built.stdout + built.stderr
    config = site_config(source)
    engine = liquid_engine(config, JEKYLL_ONLY)
    assert engine is not None
    compared = 0
    for path in sorted((source / "_posts").glob("*.html")):
        name = f"_posts/{path.name}"
        post, problems = read_post(path.read_bytes(), name, name, config)
        assert post is not None, problems
        ours, warnings, unresolved = engine.render(post.body, post.body_line, post, resolve)
        year, month, day, slug = path.stem.split("-", 3)
        theirs = (tmp_path / "out" / year / month / day / f"{slug}.html").read_text("utf-8")
        assert (warnings, unresolved) == ([], []), path.name
        assert _code_text(ours).rstrip("\n") == _code_text(theirs).rstrip("\n"), path.name
        compared += 1
    assert compared == 5


# -- tags -----------------------------------------------------------------------------------

def test_control_flow_runs() -> None:
    out = text_of("{% assign n = 2 %}{% capture c %}n={{ n | times: 3 }}{% endcapture %}"
                  "{% if n > 1 %}{{ c }}{% endif %}{% for i in (1..n) %}[{{ i }}]{% endfor %}")
    assert out == "n=6[1][2]"


def test_raw_is_kept_anywhere_even_in_code() -> None:
    body = ("```liquid\n{% raw %}{% if x %}{{ y }}{% endif %}{% endraw %}\n```\n\n"
            "Inline `{% raw %}{{ z }}{% endraw %}` and {% raw %}{{ bare }}{% endraw %}.\n")
    assert text_of(body) == ("```liquid\n{% if x %}{{ y }}{% endif %}\n```\n\n"
                             "Inline `{{ z }}` and {{ bare }}.\n")


def test_liquid_runs_inside_code_as_in_jekyll() -> None:
    # Jekyll runs Liquid over the whole body before Markdown: code included.
    assert text_of("`{{ site.title }}`\n") == "`Teapot Notes`\n"


def test_highlight_is_jekylls_html_and_markdown_leaves_it_alone() -> None:
    out = text_of("Before.\n{% highlight Ruby %}\nx = 1 < 2\n\n  y = \"{{ page.title }}\"\n"
                  "{% endhighlight %}\nAfter.\n")
    figure = ('<figure class="highlight"><pre><code class="language-ruby" data-lang="ruby">'
              'x = 1 &lt; 2\n\n  y = "A post"</code></pre></figure>')
    assert out == f"Before.\n{figure}\nAfter.\n"
    html = Renderer(site_config(SITE), resolve).markdown(out, URL + "/")
    assert figure in html and "<p>After.</p>" in html


def test_highlight_linenos_is_rouges_table() -> None:
    out = text_of("{% highlight c++ linenos %}\na;\nb;\n{% endhighlight %}")
    assert out == ('<figure class="highlight"><pre><code class="language-c--" data-lang="c++">'
                   '<table class="rouge-table"><tbody><tr><td class="gutter gl">'
                   '<pre class="lineno">1\n2\n</pre></td><td class="code"><pre>a;\nb;\n</pre>'
                   "</td></tr></tbody></table></code></pre></figure>")


def test_videos_become_links() -> None:
    assert text_of("{% youtube a1-B2 %}\n{% vimeo 42 %}") == (
        '<p><a href="https://www.youtube.com/watch?v=a1-B2">Watch the video on YouTube</a></p>'
        '\n<p><a href="https://vimeo.com/42">Watch the video on Vimeo</a></p>')


def test_post_url_and_link() -> None:
    result = render("[a]({% post_url 2024-01-01-old-friend %}) "
                    "[b]({% link _posts/2024-01-01-old-friend.md %}) "
                    "{% assign n = '2024-01-01-old-friend' %}[c]({% post_url {{ n }} %}) "
                    "[d]({% post_url 2020-01-01-gone %})")
    old = POSTS["2024-01-01-old-friend"]
    assert result.text == f"[a]({old}) [b]({old}) [c]({old}) [d]({URL}/)"
    assert result.unresolved == [(4, "{% post_url 2020-01-01-gone %}")]


def test_includes_from_the_sites_own_includes() -> None:
    out = text_of('{% include note.html text="Hot" level=page.level %}\n'
                  '{% assign t = site.data.teas[1] %}{% include cards/tea.html tea=t %}\n'
                  "{% include_relative snippets/_steeping.md %}", "title: T\nlevel: high\n")
    assert out == ('<aside class="note">Hot (high)</aside>\n\n<div class="tea">Assam from '
                   'India<aside class="note">Assam (nested)</aside>\n</div>\n\n'
                   "Steep for 4 minutes.\n")


def test_missing_includes_are_removed_with_one_warning(tmp_path: Path) -> None:
    result = render("a {% include nowhere.html %} b {% include nowhere.html %}\n"
                    "{% include ../../etc/passwd %}{% include /etc/passwd %}")
    assert result.text == "a  b \n"
    assert result.messages == [
        (4, "{% include nowhere.html %}: no such file in _includes/; removed (2 times)"),
        (5, "{% include ../../etc/passwd %}: not a file name Jekyll accepts; removed"),
        (5, "{% include /etc/passwd %}: no such file in _includes/; removed")]
    (tmp_path / "_config.yml").write_text("title: Bare\n")
    bare = render("x{% include a.html %}{% include b.html %}y", root=tmp_path)
    assert bare.text == "xy"
    assert bare.messages == [(4, "{% include %}: the site has no _includes/ folder (a "
                                 "theme's includes are not read); removed (2 times)")]


def test_unknown_tags_keep_a_blocks_content_and_drop_the_rest() -> None:
    result = render("{% figure caption='x' %}\nInside **{{ page.title }}**\n{% endfigure %}\n"
                    "{% notice info %}\n{% include_cached x.html %}{% notice %}\n"
                    "{% figure %}two{% endfigure %}")
    assert result.text == "\nInside **A post**\n\n\n\ntwo"
    assert result.messages == [
        (4, "{% figure %}…{% endfigure %}: a theme's or plugin's tag, which publisher "
            "cannot run; its content is kept (2 times)"),
        (7, "{% notice %}: a theme's or plugin's tag, which publisher cannot run; removed "
            "(2 times)"),
        (8, "{% include_cached %}: a theme's or plugin's tag, which publisher cannot run; "
            "removed")]


# -- filters --------------------------------------------------------------------------------

@pytest.mark.parametrize(("template", "expected"), [
    ('{{ "/a b/" | relative_url }} {{ "x" | absolute_url }}',
     "/notes/a%20b/ https://tea.example.net/notes/x"),
    ("{{ page.date | date_to_xmlschema }} {{ page.date | date_to_rfc822 }}",
     "2024-03-02T00:00:00+00:00 Sat, 02 Mar 2024 00:00:00 +0000"),
    ("{{ page.date | date_to_string: 'ordinal', 'US' }} {{ page.date | date_to_long_string }}",
     "Mar 2nd, 2024 02 March 2024"),
    ('{{ "now" | date: "%Y-%m-%d" }} {{ site.time | date: "%Y" }}', "2024-03-02 2024"),
    ("{{ \"<a href='x'>&\" | xml_escape }}", "&lt;a href=&apos;x&apos;&gt;&amp;"),
    ('{{ "Über Tea, Part 2!" | slugify }} {{ "Über Tea" | slugify: "latin" }}',
     "über-tea-part-2 uber-tea"),
    ('{{ "*a*" | markdownify }}', "<p><em>a</em></p>"),
    ("{{ site.brewing | jsonify }}", '{"minutes":4,"vessels":["pot","cup","flask"]}'),
    ('{{ site.data.teas | where: "kind", "green" | map: "name" | join: "," }}',
     "Sencha,Bancha"),
    ('{{ site.data.teas | sort: "origin" | map: "name" | join: "," }}',
     "Bancha,Pu-erh,Assam,Sencha"),
    ('{{ site.data.teas | where_exp: "t", "t.grams > 4" | map: "name" | join: "," }}',
     "Bancha,Pu-erh"),
    ('{{ site.data.teas | group_by: "kind" | map: "name" | join: "," }}', "green,black,dark"),
    ("{{ site.brewing.vessels | sample }} {{ site.brewing.vessels | array_to_sentence_string }}",
     "pot pot, cup, and flask"),
    ('{{ site.data.shops[1].shop }} {{ site.data.team.members[0].name }}',
     "Casa do Chá Ilse"),
    ('{{ "x" | no_such_filter }}', "x"),  # unknown filters pass through, as in Jekyll
])
def test_jekyll_filters(template: str, expected: str) -> None:
    assert text_of(template) == expected


# -- front matter is data -------------------------------------------------------------------

def test_front_matter_is_never_evaluated() -> None:
    front = ('title: "{{ site.title }} {% include loop.html %}"\n'
             'tags: ["{% for i in (1..1000000000) %}x{% endfor %}"]\n'
             'deep:\n  value: "{{ page.title }}"\n')
    out = text_of("{{ page.title }}|{{ page.tags | first }}|{{ page.deep.value }}", front)
    assert out == ("{{ site.title }} {% include loop.html %}|"
                   "{% for i in (1..1000000000) %}x{% endfor %}|{{ page.title }}")


def test_render_with_liquid_false_keeps_the_body() -> None:
    result = render("{{ page.title }} {% nope %}", "title: T\nrender_with_liquid: false\n")
    assert result.text == "{{ page.title }} {% nope %}" and result.messages == []


# -- errors and limits ----------------------------------------------------------------------

def test_a_syntax_error_warns_and_removes_the_tags() -> None:
    result = render("Hello {{ page.title }}.\n{% if %}x{% endif %}\n{% raw %}{{ kept }}"
                    "{% endraw %}{% comment %}gone{% endcomment %}\n")
    assert result.text == "Hello .\nx\n{{ kept }}\n"
    assert len(result.messages) == 1
    line, message = result.messages[0]
    assert line == 5 and message.startswith("Liquid syntax error: ")
    assert message.endswith("the post is published with its Liquid tags removed: fix it "
                            "and build again")


def test_a_value_no_filter_expects_warns_and_removes_the_tags() -> None:
    result = render("Cups: {{ site.brewing.vessels | pop: 'many' | size }}")
    assert result.text == "Cups: "
    assert result.messages == [(4, "Liquid error: invalid literal for int() with base 10: "
                                   "'many'; the post is published with its Liquid tags "
                                   "removed: fix it and build again")]


def test_a_block_left_open_is_blamed_on_its_opening_line() -> None:
    result = render("One.\n\n{% if page.title %}\nTwo.\n")
    assert result.text == "One.\n\n\nTwo.\n"
    assert result.messages == [(6, "Liquid syntax error: expected tag endif, found end of "
                                   "expression; the post is published with its Liquid tags "
                                   "removed: fix it and build again")]


@pytest.mark.parametrize(("body", "line", "why"), [
    ("a\n{% for i in (1..1000000000) %}x{% endfor %}", 5, "its loops ran over 20,000 times"),
    ("{% for a in (1..1000) %}{% for b in (1..1000) %}{% for c in (1..1000) %}x{% endfor %}"
     "{% endfor %}{% endfor %}", 4, "its loops ran over 20,000 times"),
    ("a\n\n{% include loop.html %}", 6,
     "its includes nest over 30 deep (one includes itself?) (in _includes/loop.html)"),
    ('{% assign x = "0123456789" %}{% for i in (1..20) %}{% assign x = x | append: x %}'
     "{% endfor %}", 4, "its variables grew over 2 MB"),
    ("{% capture k %}{% for i in (1..1000) %}kettle{% endfor %}{% endcapture %}"
     "{% for i in (1..1000) %}{{ k }}{% endfor %}", 4, "it wrote over 4 MB"),
])
def test_limits_stop_a_post_quickly(body: str, line: int, why: str) -> None:
    started = time.perf_counter()
    result = render(body)
    assert time.perf_counter() - started < 2
    assert result.messages == [(line, f"Liquid stopped: {why}; the post is published with "
                                      "its Liquid tags removed: fix it and build again")]


def test_a_slow_post_stops_at_the_time_limit(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setattr(jekyll_liquid, "TIME_LIMIT", 0.2)
    body = ('{% assign x = "0123456789abcdef" %}{% for i in (1..14) %}'
            "{% assign x = x | append: x %}{% endfor %}{% for i in (1..100) %}"
            '{% for j in (1..190) %}{% assign y = x | upcase | replace: "A", "b" %}'
            "{% endfor %}{% endfor %}done")
    started = time.perf_counter()
    result = render(body)
    assert time.perf_counter() - started < 1.5
    assert result.messages[0][1].startswith("Liquid stopped: it ran over 0.2 seconds")


# -- which sites, and the cache -------------------------------------------------------------

def test_only_jekyll_sites_run_liquid() -> None:
    assert liquid_engine(site_config(SITE, "publisher"), frozenset({"liquid", "shortcodes"})
                         ) is None
    assert liquid_engine(site_config(SITE, "hugo"), frozenset({"shortcodes"})) is None
    assert liquid_settings(site_config(SITE, "publisher")) == ""


def test_the_cache_key_follows_the_sites_data_and_includes(tmp_path: Path) -> None:
    shutil.copytree(SITE, tmp_path / "site")
    config = site_config(tmp_path / "site")
    first = liquid_settings(config)
    assert liquid.__version__ in first and first == liquid_settings(config)
    (tmp_path / "site" / "_data" / "teas.yml").write_text("- name: Only\n")
    second = liquid_settings(config)
    (tmp_path / "site" / "_includes" / "note.html").write_text("changed\n")
    third = liquid_settings(config)
    assert len({first, second, third}) == 3
