"""Markdown, Jekyll and Hugo constructs -> clean HTML with absolute URLs."""

from __future__ import annotations

import re
import textwrap
from pathlib import Path

import pytest

from publisher.config import Config, parse_config
from publisher.content.render import Renderer
from publisher.site.post import Post
from publisher.site.reader import read_post

from .conftest import BASE_CONFIG

URL = "https://example.org/blog/2024/03/02/hello/"


@pytest.fixture
def config() -> Config:
    return parse_config(BASE_CONFIG, "publisher.toml", Path("/site"))


def targets(name: str) -> str | None:
    stem = name.rsplit("/", 1)[-1].removesuffix(".md")
    return {"2020-01-01-old": "https://example.org/blog/2020/01/01/old/"}.get(stem)


def make(body: str, config: Config, front: str = "") -> Post:
    text = f"---\ntitle: \"Hello <b>&\"\n{front}---\n" + textwrap.dedent(body).lstrip("\n")
    post, problems = read_post(text.encode(), "2024-03-02-hello.md", "posts/x.md", config)
    assert post is not None, problems
    return post


def html(body: str, config: Config, front: str = "") -> str:
    return Renderer(config, targets).render(make(body, config, front)).html


def test_markdown_extensions(config: Config) -> None:
    out = html("""
        # Title

        | a | b |
        |---|---|
        | 1 | 2 |

        Note[^1].

        Term
        : Definition

        ```python
        print("x")
        ```

        [^1]: The note.
        """, config)
    # Ids carry the post's prefix, and links to them stay in the document: a digest or a
    # reader showing many posts on one page never jumps to another post's note.
    prefix = re.search(r'<h1 id="(hello-[0-9a-f]{4}-)title">Title</h1>', out)
    assert prefix, out
    assert "<table>" in out and "<td>1</td>" in out
    assert f'href="#{prefix.group(1)}fn:1"' in out and f'id="{prefix.group(1)}fn:1"' in out
    assert "<dl>" in out
    assert '<pre><code class="language-python">print(&quot;x&quot;)' in out


@pytest.mark.parametrize(("markup", "expected"), [
    ("![a](pic.png)", f'src="{URL}pic.png"'),
    ("![a](/assets/pic.png)", 'src="https://example.org/assets/pic.png"'),
    ("[a](../other/)", 'href="https://example.org/blog/2024/03/02/other/"'),
    ("[a](#part)", f'href="{URL}#part"'),
    ("[a](//cdn.example.com/x)", 'href="https://cdn.example.com/x"'),
    ("[a](mailto:me@example.org)", 'href="mailto:me@example.org"'),
    ("[a](search?q=a b&x=1)", f'href="{URL}search?q=a%20b&amp;x=1"'),
    ('<img src=raw.png srcset="a.png 1x, /b.png 2x">',
     f'src="{URL}raw.png" srcset="{URL}a.png 1x, https://example.org/b.png 2x"'),
    ('<video poster="p.jpg"></video>', f'poster="{URL}p.jpg"'),
])
def test_relative_urls_become_absolute(config: Config, markup: str, expected: str) -> None:
    assert expected in html(markup + "\n", config)


def test_urls_in_code_are_text_not_links(config: Config) -> None:
    out = html('Use `<img src="x.png">` like this.\n', config)
    assert '<code>&lt;img src="x.png"&gt;</code>' in out


def test_liquid_translated_or_removed(config: Config) -> None:
    out = html("""
        {% highlight ruby linenos %}
        puts "{{ not_liquid }}"
        {% endhighlight %}

        See [old]({% post_url 2020-01-01-old %}) and [link]({% link _posts/2020-01-01-old.md %}).

        Site {{ site.url }} base {{ site.baseurl }} title {{ page.title }}.

        {% raw %}{{ kept }} {% also_kept %}{% endraw %}

        {% include figure.html src="x" %}
        {% notice %}Inside **kept**{% endnotice %}
        {% comment %}secret{% endcomment %}
        """, config)
    assert '<pre><code class="language-ruby">puts &quot;{{ not_liquid }}&quot;' in out
    assert out.count('href="https://example.org/blog/2020/01/01/old/"') == 2
    assert "Site https://example.org/blog base /blog title Hello &lt;b&gt;&amp;." in out
    assert "{{ kept }} {% also_kept %}" in out
    assert "Inside <strong>kept</strong>" in out
    assert "include" not in out and "secret" not in out and "notice" not in out


def test_liquid_warnings_name_line_and_count(config: Config) -> None:
    post = make("Line one\n{% include a.html %}\n{% include b.html %}\n{{ x.y }}\n"
                "{% post_url missing %}\n", config)
    renderer = Renderer(config, targets)
    found = [str(p) for p in renderer.problems(post, renderer.liquid(post))]
    assert found == [
        "posts/x.md:5: body: warning: {% include %} removed (2 times): publisher does not run "
        "templates; replace it with Markdown or HTML",
        "posts/x.md:7: body: warning: {{ x.y }} removed: publisher does not run templates; "
        "replace it with Markdown or HTML",
        "posts/x.md:8: body: warning: {% post_url missing %}: no post by that name; the link "
        "points to the home page",
    ]


def test_code_blocks_keep_template_code(config: Config) -> None:
    out = html("```\n{{ .Title }} {% if x %}\n```\n\nInline `{{ y }}` too.\n", config)
    assert "{{ .Title }} {% if x %}" in out and "<code>{{ y }}</code>" in out


def test_hugo_shortcodes(config: Config) -> None:
    out = html("""
        {{< highlight go >}}
        fmt.Println("hi")
        {{< /highlight >}}

        {{< figure src="/img/a.png" caption="A *cap*" >}}

        {{< youtube dQw4w9WgXcQ >}}

        {{< tweet 123 >}}
        """, config)
    assert '<code class="language-go">fmt.Println(&quot;hi&quot;)' in out
    # As Hugo 0.168 writes them (tests/test_shortcodes.py compares with its own build).
    assert re.search(r'<img src="https://example.org/img/a.png"\s+alt="A cap">', out), out
    assert "<p>A <em>cap</em></p>" in out
    assert 'src="https://www.youtube.com/embed/dQw4w9WgXcQ?autoplay=0&amp;controls=1' in out
    assert "tweet" not in out and "{{" not in out


def test_kramdown_leftovers_never_reach_output(config: Config) -> None:
    out = html("""
        * TOC
        {:toc}

        ## Part one

        A notice.
        {: .notice--info}

        {: .standalone}

        Inline [link](http://x.org){: .btn} and {::comment}hidden{:/comment}
        {::nomarkdown}<b>raw</b>{:/}.
        """, config)
    assert "{:" not in out
    assert 'class="toc"' in out and re.search(r'href="#hello-[0-9a-f]{4}-part-one"', out)
    assert '<p class="notice--info">A notice.</p>' in out
    assert 'class="btn"' in out and "hidden" not in out and "<b>raw</b>" in out


def test_excerpt_sources(config: Config) -> None:
    renderer = Renderer(config, targets)
    given = make("Body.\n", config, "excerpt: 'A *short* [one](x.html)'\n")
    assert renderer.render(given).excerpt_html == \
        f'A <em>short</em> <a href="{URL}x.html">one</a>'
    more = make("Intro one.\n\nIntro two.\n<!--more-->\nRest.\n", config)
    assert renderer.render(more).excerpt_html == "<p>Intro one.</p>\n<p>Intro two.</p>"
    first = make("## Heading\n\n![img](a.png)\n\nFirst words.\n\nSecond.\n", config)
    # The first paragraph with words: an image alone says nothing in a summary.
    assert renderer.render(first).excerpt_html == "First words."
    custom = make("A.\n\n<!-- cut -->\n\nB.\n", config, "excerpt_separator: '<!-- cut -->'\n")
    assert renderer.render(custom).excerpt_html == "<p>A.</p>"


def test_illegal_xml_characters_removed(config: Config) -> None:
    out = html("Bell \x07 and NUL \x00 and \ufffe end.\n", config)
    assert "\x07" not in out and "\x00" not in out and "\ufffe" not in out
