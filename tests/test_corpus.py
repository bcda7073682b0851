"""Real blogs, read in place from the shared corpus, through every stage of publisher.

For each corpus folder: every post file loads or gets a clear problem, the feeds build,
feedparser reads every Atom and RSS file cleanly, jing validates every Atom file against
RFC 4287, no template syntax or relative URL leaks into entry content, and
`publish check` ends with its summary line and no traceback.

The corpus texts are never copied into the repository: tests read them where they are
and write feeds only to temporary folders. Without the corpus, these tests are skipped.
"""

from __future__ import annotations

import html
import json
import re
import subprocess
import sys
from collections.abc import Callable, Iterator
from dataclasses import dataclass, field
from datetime import UTC, datetime
from pathlib import Path

import feedparser
import pytest

from publisher.config import Config, parse_config
from publisher.dialects.plain import PLAIN
from publisher.feeds.build import build_feeds
from publisher.output import write_all
from publisher.site.files import find_post_files
from publisher.site.load import Site, load_site
from publisher.urls import fold, slugify, term_slug

from .conftest import CORPUS, jing

NOW = datetime(2026, 1, 1, tzinfo=UTC)
FEED_FILES = ("feed.xml", "rss.xml", "feed.json")

CORPORA = sorted(p.name for p in CORPUS.iterdir() if p.is_dir()) if CORPUS.is_dir() else []
PARAMS = CORPORA or [pytest.param("(none)", marks=pytest.mark.skip(
    reason=f"needs {CORPUS}: ../shared/ (the real-blog corpora) is not beside this clone"))]

# Valid posts measured on each corpus as shared, less a little slack. A floor guards
# against a change that silently drops posts; the comments say which files are not posts.
MIN_VALID = {
    # 209 files -> 204 posts: 3 templates without a date, 1 without a title, 1 without
    # front matter.
    "greeksharifa-greeksharifa.github.io": 200,
    "jaketae-jaketae.github.io": 108,  # 111 of 111
    # 252 files -> 154 posts: 98 `_drafts/` notes have no front matter, so (as in Jekyll)
    # they are not posts; that is why this corpus is far below 90 %.
    "jss367-jss367.github.io": 150,
    "mmistakes-made-mistakes-jekyll": 990,  # 1005 of 1005
    "mzlogin-mzlogin.github.io": 189,  # 193 of 194: template.md has no date
    "natefinch-npf": 87,  # 89 of 90: one file without front matter
    "neokt-neokt.github.io": 4,  # 4 of 4
    "rdgao-rdgao.github.io": 93,  # 95 of 95
    "scikit-learn-blog": 42,  # 43 of 43
    "yhagio-tutorialedge.net": 420,  # 428 of 429: one invalid date
}
MIN_SHARE = 0.9  # for a corpus folder added later, before its floor is measured

# Content checks. `<pre>`/`<code>` are where writers show template code on purpose.
_CODE = re.compile(r"<(pre|code)\b[^>]*>.*?</\1\s*>", re.DOTALL | re.IGNORECASE)
# TeX math: `{\{x\}}` is written to keep braces from Liquid and Markdown alike; both
# Jekyll and publisher turn it into `{{x}}`, which is TeX grouping, not a template.
_MATH = re.compile(r"\$\$.+?\$\$|\\\[.+?\\\]|\\\(.+?\\\)|\$[^$\n]+?\$", re.DOTALL)
_TAG = re.compile(r"<[A-Za-z][^<>]*>")
_URL_ATTR = re.compile(
    r"""\s(?P<name>href|src|srcset|poster)\s*=\s*"""
    r"""(?:"(?P<dq>[^"]*)"|'(?P<sq>[^']*)'|(?P<uq>[^\s"'=<>`]+))""", re.IGNORECASE)
_SCHEME = re.compile(r"^[A-Za-z][A-Za-z0-9+.-]*:")
_ID = re.compile(r'\s(?:id|name)="([^"]*)"')
_SUMMARY = re.compile(r"^(\d+) files, (\d+) valid posts: (\d+) errors, (\d+) warnings "
                      r"in (\d+) files$")


def outside_code(markup: str) -> str:
    """The markup without its `<pre>…</pre>` and `<code>…</code>` elements."""
    return _CODE.sub(" ", markup)


def _snippet(text: str, start: int, end: int) -> str:
    return " ".join(text[max(0, start - 40):end + 60].split())


def template_leftovers(markup: str) -> list[str]:
    """Snippets around every `{%`, `{{` or `{:` outside code (`{{` in TeX math is fine)."""
    text = outside_code(markup)
    found = [_snippet(text, m.start(), m.end()) for m in re.finditer(r"\{%|\{:", text)]
    no_math = _MATH.sub(" ", text)
    found += [_snippet(no_math, m.start(), m.end()) for m in re.finditer(r"\{\{", no_math)]
    return found


def relative_urls(markup: str) -> list[str]:
    """Every tag outside code with an href/src/srcset/poster URL that has no scheme, but
    for links to an id of the same entry (`#post-3f2a-fn:1`): they stay in the document."""
    found: list[str] = []
    ids = {html.unescape(m.group(1)) for m in _ID.finditer(markup)}
    for tag in _TAG.finditer(outside_code(markup)):
        for attr in _URL_ATTR.finditer(tag.group(0)):
            raw = next(v for v in (attr.group("dq"), attr.group("sq"), attr.group("uq"))
                       if v is not None)
            value = html.unescape(raw).strip()
            if attr.group("name").lower() == "srcset":
                urls = [c.split()[0] for c in value.split(",") if c.split()]
            else:
                urls = [value]
            if any(not _SCHEME.match(url) and url[1:] not in ids or url == "#"
                   for url in urls):
                found.append(" ".join(tag.group(0).split())[:200])
    return found


def test_helpers_see_through_code_only() -> None:
    markup = ('<p>a {{ x }} <code>{% raw %}</code></p><pre class="x">{: .y}\n{{ z }}</pre>'
              '<p>$\\epsilon = {{v}}_i$</p><img src="/a.png"><a href="https://x/">'
              '<img srcset="https://x/a.png 1x, b.png 2x"><a href="&#109;ailto:a@b">'
              '<CODE><a href="rel">x</a></CODE><a href=#top><sup id="p-1-fn:1"></sup>'
              '<a href="#p-1-fn:1">')
    leftovers = template_leftovers(markup)
    assert len(leftovers) == 1 and leftovers[0].startswith("<p>a {{ x }} </p>"), leftovers
    assert relative_urls(markup) == ['<img src="/a.png">',
                                     '<img srcset="https://x/a.png 1x, b.png 2x">',
                                     "<a href=#top>"]


# --- building each corpus once --------------------------------------------------------


def corpus_dir(name: str) -> Path:
    folder = CORPUS / name
    if not folder.is_dir():
        pytest.skip(f"no corpus folder {folder}")
    return folder


def corpus_config(name: str) -> str:
    return (f"[site]\ntitle = {json.dumps('Corpus ' + name)}\n"
            f'url = "https://example.org/blog"\n'
            f"posts = {json.dumps(str(corpus_dir(name)))}\n"  # a JSON string is TOML too
            "\n[feed]\nlimit = 0\nseries = true\ntags = true\ncategories = true\n")


@dataclass
class Corpus:
    name: str
    root: Path  # temporary folder: publisher.toml and out/
    config: Config
    site: Site
    cwd: Path  # problem paths are relative to the folder load_site ran in
    files: dict[str, bytes] | None = None
    error: BaseException | None = None  # what build_feeds raised
    written: set[str] = field(default_factory=set)

    @property
    def config_path(self) -> Path:
        return self.root / "publisher.toml"

    @property
    def out(self) -> Path:
        return self.root / "out"

    def built(self) -> dict[str, bytes]:
        """The feed files; fails the calling test when the build did not succeed."""
        if self.files is None:
            pytest.fail(f"build_feeds failed for {self.name}, so this cannot be checked: "
                        f"{type(self.error).__name__}: {self.error}", pytrace=False)
        return self.files

    def feed_folders(self) -> list[str]:
        return sorted({name.rpartition("/")[0] for name in self.built()
                       if name.rpartition("/")[2] in FEED_FILES})

    def expected_entries(self) -> dict[str, set[str]]:
        """Feed folder -> ids of the posts it must list, computed from the posts."""
        visible = self.site.visible(NOW)
        expected: dict[str, set[str]] = {"": {p.id for p in visible}}
        for folder, names in (("series", lambda p: p.series), ("tags", lambda p: p.tags),
                              ("categories", lambda p: p.categories)):
            # One feed per name, names that differ only by case being one; a slug already
            # taken by an older name gets -2, -3...
            groups: dict[str, tuple[str, set[str]]] = {}
            for post in reversed(visible):  # oldest first
                for name in names(post):
                    groups.setdefault(fold(name), (name, set()))[1].add(post.id)
            for name, ids in groups.values():
                slug = base = term_slug(name)
                number = 2
                while f"{folder}/{slug}" in expected:
                    slug, number = f"{base}-{number}", number + 1
                expected[f"{folder}/{slug}"] = ids
        return expected


@pytest.fixture(scope="module")
def corpus(tmp_path_factory: pytest.TempPathFactory) -> Callable[[str], Corpus]:
    """name -> that corpus loaded, built and written once for the whole module."""
    cache: dict[str, Corpus] = {}

    def get(name: str) -> Corpus:
        if name not in cache:
            root = tmp_path_factory.mktemp(slugify(name))
            text = corpus_config(name)
            (root / "publisher.toml").write_text(text, encoding="utf-8")
            config = parse_config(text, str(root / "publisher.toml"), root)
            entry = Corpus(name, root, config, load_site(config), Path.cwd())
            try:
                entry.files = build_feeds(entry.site, NOW)
            except Exception as exc:  # reported by test_build_feeds_writes_every_feed
                entry.error = exc
            else:
                entry.written = set(write_all(entry.out, entry.files).written)
            cache[name] = entry
        return cache[name]

    return get


# --- the tests ------------------------------------------------------------------------


@pytest.mark.parametrize("name", PARAMS)
def test_every_post_file_loads_or_gets_a_problem(name: str,
                                                 corpus: Callable[[str], Corpus]) -> None:
    entry = corpus(name)
    site = entry.site
    unclear = [p for p in site.problems if not p.path.strip() or not p.message.strip()]
    assert not unclear, f"problems without a path or a message: {unclear}"

    files, _ = find_post_files(corpus_dir(name), PLAIN)
    assert site.files == len(files)
    accounted = {(entry.cwd / p.source).resolve() for p in site.posts} | {
        (entry.cwd / p.path).resolve() for p in site.problems}
    silent = [rel for path, rel, _ in files if path.resolve() not in accounted]
    assert not silent, f"{len(silent)} files neither became a post nor got a problem: {silent}"

    floor = MIN_VALID.get(name, int(MIN_SHARE * site.files))
    errors = "\n".join(str(p) for p in site.errors)
    assert len(site.posts) >= floor, (
        f"{len(site.posts)} valid posts of {site.files} files, expected at least {floor}; "
        f"errors:\n{errors}")


@pytest.mark.parametrize("name", PARAMS)
def test_build_feeds_writes_every_feed(name: str, corpus: Callable[[str], Corpus]) -> None:
    entry = corpus(name)
    if entry.error is not None:
        raise entry.error
    files = entry.built()
    assert all(f"{folder}{'/' if folder else ''}{file}" in files
               for folder in entry.feed_folders() for file in FEED_FILES)
    assert {"feed.xml", "rss.xml", "feed.json"} <= set(files)
    assert entry.written == set(files)  # a fresh folder: every file is new
    for relative, data in files.items():
        assert (entry.out / relative).read_bytes() == data, relative


def _feed_path(folder: str, file: str) -> str:
    return f"{folder}/{file}" if folder else file


def _xml_failures(entry: Corpus, folder: str, file: str, ids: set[str]) -> Iterator[str]:
    path = entry.out / _feed_path(folder, file)
    # Well-formedness and entries are what we check: skip the slow HTML sanitizing.
    parsed = feedparser.parse(path.read_bytes(), sanitize_html=False,
                              resolve_relative_uris=False)
    where = _feed_path(folder, file)
    if parsed.bozo:
        yield f"{where}: not well-formed: {parsed.get('bozo_exception')!r}"
    if len(parsed.entries) != len(ids):
        yield f"{where}: {len(parsed.entries)} entries, expected {len(ids)}"
    got = [e.get("id") for e in parsed.entries]
    if len(set(got)) != len(got):
        twice = sorted({i for i in got if got.count(i) > 1})
        yield f"{where}: entry ids listed more than once: {twice[:5]}"
    if set(got) != ids:
        yield (f"{where}: unexpected ids {sorted(set(got) - ids)[:5]}, missing "
               f"{sorted(ids - set(got))[:5]}")
    for number, item in enumerate(parsed.entries):
        missing = [key for key in ("id", "title", "link", "published_parsed")
                   if not item.get(key)]
        if missing:
            yield f"{where}: entry {number} ({item.get('id')}) has no {', '.join(missing)}"


def _json_failures(entry: Corpus, folder: str, ids: set[str]) -> Iterator[str]:
    where = _feed_path(folder, "feed.json")
    try:
        feed = json.loads((entry.out / where).read_bytes())
    except ValueError as exc:
        yield f"{where}: not JSON: {exc}"
        return
    missing = [key for key in ("version", "title", "items") if key not in feed]
    if missing:
        yield f"{where}: no {', '.join(missing)}"
        return
    items = feed["items"]
    if len(items) != len(ids):
        yield f"{where}: {len(items)} items, expected {len(ids)}"
    got = {item.get("id") for item in items}
    if got != ids:
        yield (f"{where}: unexpected ids {sorted(got - ids, key=str)[:5]}, missing "
               f"{sorted(ids - got)[:5]}")
    for number, item in enumerate(items):
        lacking = [key for key in ("id", "content_html") if not isinstance(item.get(key), str)]
        if lacking:
            yield f"{where}: item {number} ({item.get('id')}) has no {', '.join(lacking)}"


@pytest.mark.parametrize("name", PARAMS)
def test_every_feed_parses_with_every_entry(name: str, corpus: Callable[[str], Corpus]) -> None:
    entry = corpus(name)
    expected = entry.expected_entries()
    assert entry.feed_folders() == sorted(expected), "feed folders differ from the posts'"
    failures: list[str] = []
    for folder, ids in expected.items():
        for file in ("feed.xml", "rss.xml"):
            failures.extend(_xml_failures(entry, folder, file, ids))
        failures.extend(_json_failures(entry, folder, ids))
    assert not failures, f"{len(failures)} failures:\n" + "\n".join(failures)


@pytest.mark.parametrize("name", PARAMS)
def test_every_atom_feed_is_valid_rfc4287(name: str, corpus: Callable[[str], Corpus]) -> None:
    entry = corpus(name)
    atom = [entry.out / _feed_path(folder, "feed.xml") for folder in entry.feed_folders()]
    assert atom
    jing(*atom)  # one java start for the whole corpus


@pytest.mark.parametrize("name", PARAMS)
def test_no_template_syntax_or_relative_url_in_content(
        name: str, corpus: Callable[[str], Corpus]) -> None:
    entry = corpus(name)
    seen: set[tuple[str, str]] = set()
    leftovers: list[tuple[str, str]] = []
    relative: list[tuple[str, str]] = []
    for relative_path, data in sorted(entry.built().items()):
        if not relative_path.endswith("feed.json"):
            continue
        for item in json.loads(data)["items"]:
            for key in ("content_html", "summary"):
                markup = item.get(key)
                if not markup or (item["id"], key) in seen:
                    continue
                seen.add((item["id"], key))
                leftovers += [(item["id"], f"{key}: {s}") for s in template_leftovers(markup)]
                relative += [(item["id"], f"{key}: {s}") for s in relative_urls(markup)]
    report = [f"{len(leftovers)} template leftovers ({{%, {{{{ or {{:) outside code:",
              *(f"  {post}: {snippet}" for post, snippet in leftovers),
              f"{len(relative)} tags with a relative URL:",
              *(f"  {post}: {snippet}" for post, snippet in relative)]
    assert not leftovers and not relative, "\n".join(report)


@pytest.mark.parametrize("name", PARAMS)
def test_publish_check_ends_with_a_summary(name: str, corpus: Callable[[str], Corpus]) -> None:
    entry = corpus(name)
    proc = subprocess.run(
        [sys.executable, "-m", "publisher.cli", "--config", str(entry.config_path), "check"],
        cwd=entry.root, capture_output=True, text=True, encoding="utf-8", timeout=300)
    assert "Traceback" not in proc.stderr, proc.stderr
    assert "internal error" not in proc.stderr, proc.stderr
    assert proc.returncode in (0, 1), proc.stdout[-3000:] + proc.stderr
    lines = proc.stdout.strip().splitlines()
    summary = _SUMMARY.match(lines[-1]) if lines else None
    assert summary, f"last line is not the summary: {lines[-1:]}\n{proc.stderr}"
    files, posts, errors = (int(summary.group(i)) for i in (1, 2, 3))
    assert (files, posts) == (entry.site.files, len(entry.site.posts))
    assert proc.returncode == (1 if errors else 0), lines[-1]
