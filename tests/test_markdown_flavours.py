"""Each generator's Markdown flavour (publisher/content/markdown/), rule by rule.

The kramdown cases are also rendered by the real kramdown 2.4 with Jekyll 4.3's options
(benchmarks/kramdown.rb) when Ruby has it, and must read the same (tests/reading.py).
The snippets are our own writing.
"""

from __future__ import annotations

import json
import re
import shutil
import subprocess

import pytest

from publisher.content.ids import id_prefix, unique_ids
from publisher.content.markdown import Engine, engine_version
from publisher.dialects import Markdown
from publisher.dialects.plain import PLAIN

from . import reading
from .conftest import ROOT

KRAMDOWN = Engine(Markdown("kramdown"))
GOLDMARK = Engine(Markdown("goldmark"), raw_html=True)
BASE = "https://example.org/post/"

# (name, Markdown, what our kramdown flavour must write)
KRAMDOWN_CASES = [
    ("list under a text line", "Packing list:\n* kettle\n* cups\n",
     "<p>Packing list:</p>\n<ul>\n<li>kettle</li>\n<li>cups</li>\n</ul>"),
    ("ordered list at any number under a text line", "Steps:\n3. boil\n4. pour\n",
     '<ol start="3">'),
    ("1) is text", "Options were 1) green and\n2) black.\n", "1) green and\n2) black."),
    ("2-space nested list", "* tea\n  * green\n  * black\n* coffee\n", "<li>green</li>"),
    ("fenced code in a list item", "1. Run:\n\n   ```sh\n   brew install\n   ```\n",
     '<pre><code class="language-sh">brew install\n</code></pre>'),
    ("emphasis beside punctuation", "**Oolong (乌龙)**茶 is *partly* oxidised.\n",
     "<strong>Oolong (乌龙)</strong>茶"),
    ("intraword underscore", "snake_case_name stays\n", "snake_case_name"),
    ("rule does not end a paragraph", "A line\n***\n", "<p>A line\n***</p>"),
    ("setext heading is one line", "Kettle\n------\n", '<h2 id="kettle">Kettle</h2>'),
    ("table without a delimiter row", "| a | b |\n| 1 | 2 |\n", "<td>a</td>"),
    ("table with a header", "| Tea | Minutes |\n|:---|---:|\n| green | 2 |\n",
     '<th style="text-align: left">Tea</th>'),
    ("HTML block with blank lines", "<div>\n<style>\n  p { color: red }\n\n  em { x: y }\n"
     "</style>\n</div>\n\nAfter.\n", "em { x: y }\n</style>\n</div>"),
    ("markdown=\"1\"", '<div markdown="1">\n**bold** inside\n</div>\n',
     "<div>\n<p><strong>bold</strong> inside</p>\n</div>"),
    ("block IAL under a paragraph", "A notice.\n{: .notice #first}\n",
     '<p class="notice" id="first">A notice.</p>'),
    ("span IAL", "![A cup](cup.png){: .align-left}\n", 'class="align-left"'),
    ("IAL before a block", "{: .lead}\nOpening words.\n", '<p class="lead">Opening words.</p>'),
    ("table of contents", "* TOC\n{:toc}\n\n## First part\n\n### Detail\n\n## Second\n",
     '<ul id="markdown-toc">\n<li><a href="#first-part" id="markdown-toc-first-part">First '
     'part</a>\n<ul>\n<li><a href="#detail" id="markdown-toc-detail">Detail</a></li>\n</ul>\n'
     '</li>\n<li><a href="#second" id="markdown-toc-second">Second</a></li>\n</ul>'),
    ("abbreviation", "The HTML spec.\n\n*[HTML]: HyperText Markup Language\n",
     '<abbr title="HyperText Markup Language">HTML</abbr>'),
    ("footnote", "Tea[^leaf].\n\n[^leaf]: The leaf.\n",
     '<sup id="fnref:leaf" role="doc-noteref"><a href="#fn:leaf" class="footnote" '
     'rel="footnote">1</a></sup>'),
    ("definition list", "Sencha\n: a green tea\n", "<dl>\n<dt>Sencha</dt>\n<dd>a green tea</dd>"),
    ("strike-through", "~~decaf~~\n", "<del>decaf</del>"),
    ("task list", "* [x] boil\n* [ ] steep\n", 'type="checkbox"'),
    ("header id", "## Brewing {#brew}\n", '<h2 id="brew">Brewing</h2>'),
    ("repeated heading ids", "## Notes\n\n## Notes\n", '<h2 id="notes-1">Notes</h2>'),
    ("block math", "$$\na_1 \\\\ b_{2}\n$$\n", "\\[a_1 \\\\ b_{2}\\]"),
    ("inline math", "Then $$x_1 * y_2$$ holds.\n", "\\(x_1 * y_2\\)"),
    ("link definition to the end of the line", "[shop][1]\n\n[1]:https://example.org/a_(b\n",
     'href="https://example.org/a_(b"'),
    ("typography", 'It\'s -- and --- and... "quoted"\n', "It’s – and — and… “quoted”"),
    ("guillemets", "<<word>> stays\n", "«word» stays"),
    ("comment extension", "Seen {::comment}unseen{:/comment}.\n", "<p>Seen .</p>"),
    ("code span closes at the same run", "a `` b ` c `` d and `` p```q `` r\n",
     "<code>b ` c</code> d and <code>p</code><code>q </code>` r"),
    ("lone spaced backtick is text", "Type ` then `ls` here\n", "Type ` then <code>ls</code>"),
    ("table splits outside kramdown's code spans", "` a | b `\n", "<td>` a</td>"),
    ("table ends at its list item", "1. one\n2. ` (a|b)`: two\n3. three\n",
     "<td>` (a</td>"),
    ("fence under a list item is the item's", "- Run:\n```sh\nmake\n```\n- Done\n",
     '<li>Run:<pre><code class="language-sh">make'),
    ("heading under a list item", "* kettle\n# Heading\n",
     '<h1 id="heading">Heading</h1>\n</li>'),
    ("unclosed fence is text", "- Run:\n```sh\n# step\nmake\n\nafter\n",
     '```sh\n<h1 id="step">step</h1>'),
    ("blank as strong", "marks for\n______? yes\n", "<strong>__</strong>?"),
    ("blank as emphasis", "the word (\n____ ) later\n", "<em>__</em> )"),
    ("emphasis over two blanks", 'say "I am ____" or "I\n____" then\n',
     "<strong>__&quot; or &quot;I\n__</strong>"),
    ("address keeps its escapes", "[a](http://x.org/a\\(1\\)) and ![i](\\img\\a.png)\n",
     'href="http://x.org/a\\(1\\)"'),
    ("address keeps its brackets", "[b](http://x.org/R-[N].pdf)\n",
     'href="http://x.org/R-[N].pdf"'),
    ("autolink as typed", "<https://x.org/%E4%BA%91>\n", ">https://x.org/%E4%BA%91</a>"),
    ("heading without text is a paragraph", "## Notes\n\n### \n\nText\n", "<p>###</p>"),
    ("stray end tag is text", "A line\n\n</br>\n\nand <b>x <i>y</b> z</i>\n",
     "<p>&lt;/br&gt;</p>"),
    ("lazy code line keeps the indent past the outer item",
     "6. six\n\n    - sub\n```py\nx([\n    y,\n])\n```\n", "x([\n y,\n])"),
    ("table of contents keeps a heading's code", "* TOC\n{:toc}\n\n## Using `ls`\n",
     '<a href="#using-ls" id="markdown-toc-using-ls">Using <code>ls</code></a>'),
    ("IAL under a list item is the list's", "- tea\n{: .menu}\n\n- coffee\n",
     '<ul class="menu">\n<li>tea</li>\n</ul>\n<ul>'),
    ("IAL indented into the item is not the list's", "- TOC\n  {:toc}\n\n# Tea\n",
     "<ul>\n<li>TOC</li>\n</ul>"),
    ("unquoted value with a colon is not a tag", "<details>\n<summary s=a:b>\nMore\n"
     "</summary>\n<p>in</p>\n</details>\n", "&lt;summary s=a:b&gt;\nMore\n&lt;/summary&gt;"),
    ("unquoted word value is a tag", "A <b class=big>cup</b> <i s=a-b>x</i>.\n",
     "<b class=big>cup</b> &lt;i s=a-b&gt;x&lt;/i&gt;."),
    ("table needs a blank line before it", "## Prices\n| tea | 2 |\n\n| cake | 3 |\n",
     "<p>| tea | 2 |</p>"),
    ("end tag without its > is text", '<center><img src="a.png"></center\n\n\n## Next\n\n'
     '<center><img src="b.png"></center>\n', "&lt;/center"),
    ("emphasis stays inside an HTML element", "a *b <span>c* d</span> e* <span>x_1$ y_2</span>\n",
     "<em>b <span>c* d</span> e</em> <span>x_1$ y_2</span>"),
    ("address over line breaks", "[p](http://x.org/a-\nb-\nc/)\n", 'href="http://x.org/a-b-c/"'),
]


@pytest.mark.parametrize(("name", "text", "expected"), KRAMDOWN_CASES,
                         ids=[c[0] for c in KRAMDOWN_CASES])
def test_kramdown_flavour(name: str, text: str, expected: str) -> None:
    out = KRAMDOWN.render(text)
    assert expected in out, out
    assert "{:" not in out


@pytest.fixture(scope="module")
def kramdown_html() -> dict[str, str]:
    ruby = shutil.which("ruby")
    if ruby is None:
        pytest.skip("ruby is not installed (.ci/system-deps installs it with jekyll)")
    run = subprocess.run([ruby, str(ROOT / "benchmarks" / "kramdown.rb")],
                         input=json.dumps({name: text for name, text, _ in KRAMDOWN_CASES}),
                         capture_output=True, text=True)
    if run.returncode != 0:
        pytest.skip(f"kramdown does not run here: {run.stderr.strip()[:200]}")
    return json.loads(run.stdout)


@pytest.mark.parametrize(("name", "text"), [(c[0], c[1]) for c in KRAMDOWN_CASES],
                         ids=[c[0] for c in KRAMDOWN_CASES])
def test_kramdown_flavour_reads_as_real_kramdown(name: str, text: str,
                                                 kramdown_html: dict[str, str]) -> None:
    theirs = reading.read(kramdown_html[name], BASE)
    ours = reading.read(KRAMDOWN.render(text), BASE)
    assert not reading.differences(theirs, ours), reading.describe(theirs, ours)


def test_math_on_keeps_single_dollars_and_brackets() -> None:
    text = "Let $a *b* c$ and \\[c_1 * d_1\\] but not $5 and $6.\n"
    for engine in (KRAMDOWN, GOLDMARK, Engine(PLAIN.markdown)):
        out = engine.render(text, math=True)
        assert "$a *b* c$" in out and "\\[c_1 * d_1\\]" in out and "$5 and $6" in out, out
        assert "<em>" not in out, out
        off = engine.render(text)
        assert "<em>b</em>" in off, off  # with math off, it is Markdown


def test_double_dollars_always_pass_through() -> None:
    text = "Inline $$x_1 *y* z_2$$ here.\n\n```\n$$ code $$\n```\n"
    for engine in (GOLDMARK, Engine(PLAIN.markdown)):
        out = engine.render(text)
        assert "$$x_1 *y* z_2$$" in out and "<em>" not in out and "$$ code $$" in out, out


def test_goldmark_linkify_takes_what_goldmark_takes() -> None:
    out = GOLDMARK.render("See https://example.org/x, www.example.com and a@b.org "
                          "but not errors.Is or github.com/x.\n")
    assert out.count("<a ") == 3, out
    assert 'href="https://www.example.com"' in out and 'href="mailto:a@b.org"' in out
    assert "<del>x</del>" in GOLDMARK.render("~~x~~")


def test_goldmark_quotes_are_decided_one_by_one_from_the_source() -> None:
    # As Hugo 0.168 writes it: the quote between an entity's `;` and a tag's `<` stays
    # straight (markdown-it would pair it with the first one), the rest are curled.
    out = GOLDMARK.render('say "&lt;i&gt;hi&lt;/i&gt;"<br />then "tea", don\'t, the \'90s, '
                          "Smiths' cups, 'Tis 'one'.\n")
    assert "say \u201c&lt;i&gt;hi&lt;/i&gt;&quot;<br />" in out, out
    assert "\u201ctea\u201d, don\u2019t, the \u201990s, Smiths\u2019 cups, \u2018Tis " \
           "\u2018one\u2019." in out, out


def test_goldmark_without_unsafe_leaves_raw_html_out() -> None:
    out = Engine(Markdown("goldmark"), raw_html=False).render(
        "<div>x</div>\n\nText <b>bold</b> and <a href=\"https://example.org\">"
        "https://example.org</a>.\n")
    assert "<div>" not in out and "<b>" not in out
    # The block, then <b>, </b>, <a …> and </a>: the link's text is linked by linkify.
    assert out.count("<!-- raw HTML omitted -->") == 5, out
    assert '<a href="https://example.org">https://example.org</a>' in out


def test_goldmark_heading_attributes_and_footnotes() -> None:
    out = GOLDMARK.render("## Brewing {#brew .big}\n\nTea[^1].\n\n[^1]: Leaf.\n")
    assert '<h2 id="brew" class="big">Brewing</h2>' in out
    assert '<div class="footnotes" role="doc-endnotes">\n<hr>' in out


def test_ids_get_the_posts_prefix_and_links_follow() -> None:
    prefix = id_prefix("https://example.org/a/", "A tea post")
    assert re.fullmatch(r"a-tea-post-[0-9a-f]{4}-", prefix)
    assert prefix != id_prefix("https://example.org/b/", "A tea post")
    markup = ('<h2 id="notes">Notes</h2><a href="#notes">up</a><a name="old"></a>'
              '<a href="#old">old</a><a href="#elsewhere">x</a><pre>&lt;a id="code"&gt;</pre>')
    out = unique_ids(markup, prefix)
    assert f'id="{prefix}notes"' in out and f'href="#{prefix}notes"' in out
    assert f'name="{prefix}old"' in out and f'href="#{prefix}old"' in out
    assert 'href="#elsewhere"' in out and '&lt;a id="code"&gt;' in out
    svg = unique_ids('<svg><linearGradient id="g"/><rect fill="url(#g)"/>'
                     '<use xlink:href="#g"/></svg><label for="q">Q</label><input id="q" '
                     'name="q"><img usemap="#m"><map name="m"></map>', prefix)
    assert f'fill="url(#{prefix}g)"' in svg and f'xlink:href="#{prefix}g"' in svg
    assert f'for="{prefix}q"' in svg and f'id="{prefix}q" name="q"' in svg
    assert f'usemap="#{prefix}m"' in svg and f'<map name="{prefix}m">' in svg


def test_engine_versions_name_the_engine() -> None:
    assert engine_version("kramdown").startswith("kramdown:")
    assert engine_version("kramdown") != engine_version("python-markdown")
