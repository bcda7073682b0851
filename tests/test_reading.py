"""The reader's view of an entry (tests/reading.py): tolerant only where issue 12 says."""

from __future__ import annotations

from .reading import describe, differences, first_difference, fold, read

BASE = "https://example.org/blog/2024/01/02/post.html"


def test_whitespace_and_typography_fold_but_words_do_not() -> None:
    kramdown = "<p>“Tea” – isn’t it… lovely—yes</p>\n<ul>\n  <li>one</li>\n  <li>two</li>\n</ul>"
    typed = '<p>"Tea" -- isn\'t it... lovely---yes</p><ul><li>one</li><li>two</li></ul>'
    assert read(kramdown, BASE) == read(typed, BASE)
    assert read(kramdown, BASE).text == "\"Tea\" - isn't it... lovely-yes one two"
    assert differences(read("<p>Tea time</p>", BASE), read("<p>Teatime</p>", BASE)) == \
        ("text",)
    assert fold("«\u00a0a\u2009b »") == "<< a b >>"


def test_block_edges_break_words_and_inline_edges_do_not() -> None:
    assert read("<p>a</p><p>b</p>", BASE).text == "a b"
    assert read("<p>a<em>b</em>c</p>", BASE).text == "abc"
    assert read("<p>a<br>b</p>", BASE).text == "a b"


def test_hidden_parts_are_not_text() -> None:
    reading = read("<p>a<!-- note --></p><script>x = 1</script><style>p {}</style>"
                   '<p><img src="i.png" alt="alt words">b</p>', BASE)
    assert reading.text == "a b"


def test_links_and_images_resolve_against_the_post() -> None:
    written = '<p><a href="../x/">x</a> <a href="/top">t</a><img src="img/a.png"></p>'
    absolute = ('<p><a href="https://example.org/blog/2024/01/x/">x</a> '
                '<a href="https://example.org/top">t</a>'
                '<img src="https://example.org/blog/2024/01/02/img/a.png"></p>')
    assert read(written, BASE) == read(absolute, BASE)
    assert read(written, BASE).links == {"https://example.org/blog/2024/01/x/",
                                         "https://example.org/top"}
    assert read(written, BASE).images == {"https://example.org/blog/2024/01/02/img/a.png"}
    other = read('<p><a href="/elsewhere">x</a> <a href="/top">t</a></p>', BASE)
    assert differences(read(written, BASE), other) == ("links", "images")


def test_links_into_the_entry_are_counted_not_compared_by_id() -> None:
    theirs = read('<p>a<sup><a href="#fn:1">1</a></sup></p>'
                  '<ol><li id="fn:1">note <a href="#fnref:1">↩</a></li></ol>', BASE)
    ours = read(f'<p>a<sup><a href="{BASE}#post-fn-1">1</a></sup></p>'
                f'<ol><li id="post-fn-1">note <a href="#post-fnref-1">↩</a></li></ol>', BASE)
    assert theirs == ours
    assert theirs.fragment_links == 2 and theirs.links == frozenset()
    one = read('<p>a<sup><a href="#fn:1">1</a></sup></p>', BASE)
    assert differences(theirs, one) == ("text", "fragment links", "li")


def test_code_keeps_its_text_exactly_but_trailing_space() -> None:
    rouge = ('<div class="language-python highlighter-rouge"><div class="highlight">'
             '<pre class="highlight"><code><span class="k">def</span> <span>f</span>():  \n'
             '    <span class="k">pass</span>\n</code></pre></div></div>'
             "<p>Use <code>x  y</code></p>")
    plain = ('<pre><code class="language-python">def f():\n    pass</code></pre>'
             "<p>Use <code>x y</code></p>")
    assert read(rouge, BASE).code == ("def f():\n    pass", "x y")
    assert read(rouge, BASE) == read(plain, BASE)
    dedented = '<pre><code>def f():\npass</code></pre><p>Use <code>x y</code></p>'
    assert "code" in differences(read(rouge, BASE), read(dedented, BASE))


def test_headings_and_counts() -> None:
    reading = read('<h2 id="a">One “A”</h2><h3>Two</h3><blockquote><p><strong>b</strong> '
                   "<em>i</em> <del>s</del></p></blockquote><hr><table><tr><td>c</td></tr>"
                   "</table>", BASE)
    assert reading.headings == ('One "A"', "Two")
    assert dict(reading.counts) == {"li": 0, "table": 1, "blockquote": 1, "hr": 1,
                                    "strong": 1, "em": 1, "del": 1}
    literal = read('<h2>One "A"</h2><h3>Two</h3><blockquote><p><strong>b</strong> i ~~s~~'
                   "</p></blockquote><hr><table><tr><td>c</td></tr></table>", BASE)
    assert differences(reading, literal) == ("text", "em", "del")


def test_a_list_written_as_a_paragraph_differs_by_its_items() -> None:
    lists = read("<p>Things:</p>\n<ul>\n<li>one</li>\n<li>two</li>\n</ul>", BASE)
    paragraph = read("<p>Things:\n* one\n* two</p>", BASE)
    assert differences(lists, paragraph) == ("text", "li")
    lines = describe(lists, paragraph)
    assert lines[0].startswith("text at 8: theirs") and lines[1] == "<li> 2 vs 0"


def test_empty_and_odd_markup_read_without_error() -> None:
    assert read("", BASE).text == ""
    assert read("   \n", BASE).text == ""
    assert read("text only", BASE).text == "text only"
    assert read("<p>unclosed <em>tags", BASE).count("em") == 1


def test_first_difference_shows_both_sides() -> None:
    assert first_difference("abcdef", "abcxef", context=2) == \
        "at 3: theirs …'bcde'… ours …'bcxe'…"
    assert first_difference("abc", "abcdef", context=2).startswith("at 3:")


def test_urls_compare_as_the_browser_requests_them() -> None:
    spaced = read('<p><img src="/img/a b/é.png"><a href="/x%7ey">x</a></p>', BASE)
    encoded = read('<p><img src="/img/a%20b/%c3%a9.png"><a href="/x~y">x</a></p>', BASE)
    assert spaced == encoded
    assert spaced.images == {"https://example.org/img/a%20b/%C3%A9.png"}
    assert read('<p><a href="/long-\nname">x</a></p>', BASE).links == \
        {"https://example.org/long-name"}
    brackets = read('<p><a href="[x]">x</a></p>', BASE)
    escaped = read('<p><a href="%5Bx%5D">x</a></p>', BASE)
    assert differences(brackets, escaped) == ("links",)
