from __future__ import annotations

from pathlib import Path

import pytest

from publisher.config import documented_keys, parse_config
from publisher.problems import PublisherError


def test_defaults_and_derived_values() -> None:
    config = parse_config('[site]\nurl = "https://example.org/blog/"\n', "p.toml", Path("/s"))
    assert config.base_url == "https://example.org/blog"
    assert config.base_path == "/blog"
    assert config.posts_dir == Path("/s/posts") and config.output_dir == Path("/s/out")
    assert config.feed.limit == 20 and config.site.timezone == "UTC"


def test_url_is_required() -> None:
    with pytest.raises(PublisherError) as caught:
        parse_config("[site]\ntitle = \"x\"\n", "p.toml", Path("."))
    assert str(caught.value) == ('p.toml: site.url: required: the public address of your '
                                 'site, e.g. url = "https://example.org"')


def test_table_given_as_value_and_negative_limit() -> None:
    with pytest.raises(PublisherError) as caught:
        parse_config('site = "x"\n', "p.toml", Path("."))
    assert str(caught.value) == ("p.toml:1: site: must be a table: write [site] on its "
                                 "own line")
    with pytest.raises(PublisherError, match="feed.limit: must be 0"):
        parse_config('[site]\nurl = "https://e.org"\n[feed]\nlimit = -1\n', "p.toml", Path("."))


def test_every_key_has_a_doc() -> None:
    assert all(doc.endswith((".", ")")) for _, _, doc in documented_keys())


# A key name that also appears in an earlier table, or inside a multi-line string, must
# not pull the message to that earlier line: each case puts the decoy first.
LINE_CASES = {
    "unknown key": ('[site]\nurl = "https://e.org"\ntitle = "t"\n[feed]\ntitle = "x"\n',
                    'p.toml:5: feed.title: unknown key; known keys here:'),
    "wrong type": ('[site]\nurl = "https://e.org"\n[email]\nsubject = "{title}"\n'
                   '[series."A"]\nsubject = 3\n',
                   'p.toml:6: series."A".subject: must be a string, not 3'),
    "not one of the choices": ('[site]\nurl = "https://e.org"\n[email]\nprofile = "smtp"\n'
                               '[series."B"]\nprofile = "pigeon"\n',
                               'p.toml:6: series."B".profile: must be one of'),
    "a key known in another table": ('[site]\nurl = "https://e.org"\n[author]\n'
                                     'url = "https://me.example"\n',
                                     "p.toml:4: author.url: unknown key; did you mean 'uri'?"),
    "bad URL under a decoy": ('[site]\n# url = "https://e.org"\nurl = "e.org"\n',
                              "p.toml:3: site.url: must be an absolute http(s) URL"),
    "unknown table": ('[site]\nurl = "https://e.org"\n[feed]\nlimit = 3\n[site.x]\n',
                      "p.toml:5: site.x: unknown key"),
    "time zone": ("[site]\nurl = 'https://e.org'\ndescription = \'\'\'\ntimezone = 'UTC'\n"
                  "\'\'\'\ntimezone = 'Mars/Olympus'\n",
                  "p.toml:6: site.timezone: unknown time zone 'Mars/Olympus'"),
    "limit": ('[site]\nurl = "https://e.org"\ndescription = """\nlimit = 5\n"""\n'
              '[feed]\nlimit = -1\n', "p.toml:7: feed.limit: must be 0 (every post) or more"),
    "subject of a series": ('[site]\nurl = "https://e.org"\n[email]\nsubject = "{title}"\n'
                            '[series."Dots. In a name"]\nsubject = "{nope}"\n',
                            'p.toml:6: series."Dots. In a name".subject: unknown placeholder'),
    "since": ('[site]\nurl = "https://e.org"\n[series."A"]\ntitle = "A"\n[series."B"]\n'
              'since = "soon"\n', 'p.toml:6: series."B".since:'),
    "dotted key": ('site.url = "https://e.org"\nsite.permalink = "x/"\n',
                   "p.toml:2: site.permalink: must start with '/'"),
}


@pytest.mark.parametrize("case", sorted(LINE_CASES))
def test_config_errors_point_at_the_line_of_their_key(case: str) -> None:
    text, expected = LINE_CASES[case]
    with pytest.raises(PublisherError) as caught:
        parse_config(text, "p.toml", Path("."))
    assert str(caught.value).startswith(expected), str(caught.value)


@pytest.mark.parametrize(("text", "expected"), [
    ('[site]\nurl = "https://e.org"\n[series.\'C:\\x\']\ntitel = "x"\n',
     'p.toml:4: series."C:\\\\x".titel: unknown key'),
    ('[site]\nurl = "https://e.org"\n[series."a\\"b"]\nsubject = 3\n',
     'p.toml:4: series."a\\"b".subject: must be a string, not 3'),
    ('[site]\nurl = "https://e.org"\ndescription = "it\'s \'\'\' odd"\ntitel = "x"\n',
     "p.toml:4: site.titel: unknown key"),
])
def test_odd_names_and_quotes_keep_their_lines(text: str, expected: str) -> None:
    with pytest.raises(PublisherError) as caught:
        parse_config(text, "p.toml", Path("."))
    assert str(caught.value).startswith(expected), str(caught.value)
