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
