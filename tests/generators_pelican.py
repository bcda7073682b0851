"""Real Pelican's side of the parity harness (tests/generators.py dispatches here).

A Pelican site (pelicanconf.py, publishconf.py when there is one, and the Markdown files
of its PATH) is copied with each article's `Key: value` metadata byte for byte and a
neutral body (in content mode, the body as written), then built by the real Pelican
(PyPI package `pelican`) with the site's own settings file, PATH and FEED_ALL_ATOM, and
these overrides: the default theme (the site's may not be here), no plugins, every
article in the feeds (FEED_MAX_ITEMS). The entries are read from FEED_ALL_ATOM (`<id>`,
`<link rel="alternate">`, and `<content>`: the article's whole HTML).

Pelican does not stop on an article it refuses: it logs the file and goes on. Those log
lines are the refusals (`excluded` is False: the build itself read the file).
"""

from __future__ import annotations

import ast
import functools
import os
import re
import shutil
import subprocess
import time
from collections.abc import Iterator
from pathlib import Path
from typing import Any

from . import generators as g

CONFIGS = ("pelicanconf.py", "publishconf.py")
MARKDOWN = (".md", ".markdown", ".mkd", ".mdown")  # Pelican's Markdown reader; case counts
FEED_ALL_ATOM = "feeds/all.atom.xml"
_BOM = b"\xef\xbb\xbf"
_META = re.compile(rb"^[ ]{0,3}[A-Za-z0-9_-]+:")
_MORE = re.compile(rb"^[ ]{4,}")
_END = re.compile(rb"^(-{3}|\.{3})")
# What Pelican logs about an article it skips or reads only in part (with the file).
_REFUSED = (re.compile(r"^Could not process (.+?)\s*$"), re.compile(r"^Skipping (.+?): "),
            re.compile(r"^Unknown status '.*' for file (.+?), skipping it"),
            re.compile(r"^Duplicate definition of `\w+` for (.+?)\. Using first one"))


def pelican_neutral(data: bytes) -> bytes:
    """The file with its metadata lines as written (up to the blank, `---` or `...` line
    that ends them) and a neutral body."""
    kept: list[bytes] = []
    meta = False
    for number, line in enumerate(data.splitlines(keepends=True)):
        text = (line[3:] if number == 0 and line.startswith(_BOM) else line).expandtabs(4)
        if number == 0 and text.startswith(b"---"):
            kept.append(line)
            continue
        if not text.strip() or _END.match(text):
            kept.append(line)
            return b"".join(kept) + (b"" if line.endswith(b"\n") else b"\n") + g.BODY
        if _META.match(text) or (meta and _MORE.match(text)):
            kept.append(line)
            meta = True
            continue
        break  # not metadata: Pelican's body starts here
    head = b"".join(kept)
    if head and not head.endswith(b"\n"):
        head += b"\n"
    return head + (b"\n" if meta else b"") + g.BODY


def settings(site_dir: Path) -> dict[str, Any]:
    """The literal top-level settings of pelicanconf.py, then publishconf.py."""
    found: dict[str, Any] = {}
    for name in CONFIGS:
        path = site_dir / name
        if not path.is_file():
            continue
        for node in ast.parse(path.read_text(encoding="utf-8")).body:
            if isinstance(node, ast.Assign):
                try:
                    value = ast.literal_eval(node.value)
                except ValueError:
                    continue
                found.update((t.id, value) for t in node.targets if isinstance(t, ast.Name))
    return found


def content_folder(site_dir: Path) -> str:
    path = settings(site_dir).get("PATH")
    return str(path).strip("/") if isinstance(path, str) and path.strip("/") else "content"


def pelican_files(site_dir: Path, bodies: bool = False) -> Iterator[tuple[str, bytes]]:
    address = b"" if settings(site_dir).get("SITEURL") else \
        f'\nSITEURL = "{g.EXAMPLE_URL}"\n'.encode()  # else the ids and links are relative
    last = next(n for n in reversed(CONFIGS) if (site_dir / n).is_file())  # read last
    for name in CONFIGS:
        if (site_dir / name).is_file():
            yield name, (site_dir / name).read_bytes() + (address if name == last else b"")
    content = content_folder(site_dir)
    for path in g._walk(site_dir / content):
        if path.suffix in MARKDOWN:
            yield f"{content}/{g._relative(path, site_dir / content)}", \
                g._body(path.read_bytes(), pelican_neutral, bodies)


@functools.cache
def pelican_version() -> str:
    out = subprocess.run([g._need("pelican"), "--version"], capture_output=True, text=True,
                         check=True).stdout.strip()
    return f"Pelican {out}"


def _refusals(log: str, root: Path, content: str) -> list[g.Refusal]:
    found: dict[str, g.Refusal] = {}
    for line in log.splitlines():
        for pattern in _REFUSED:
            match = pattern.match(line.strip())
            if not match:
                continue
            named = Path(match.group(1))
            path = named if named.is_absolute() else root / content / named
            try:
                file = Path(os.path.normpath(path)).relative_to(root).as_posix()
            except ValueError:
                continue
            found.setdefault(file, g.Refusal(file, g._words(line, root), False))
    return list(found.values())


def pelican_build(site_dir: Path, work: Path, use_cache: bool = True, bodies: bool = False
                  ) -> g.Build:
    """Pelican's FEED_ALL_ATOM entries for a Pelican site (their <content> is the
    article's whole HTML; `bodies`: the content-mode copy)."""
    prepared = g.prepare_site(site_dir, work, "pelican", bodies)
    version = pelican_version()
    cache, build = g._cached("pelican", version, prepared)
    if build is not None and use_cache:
        return build
    site = settings(prepared.root)
    feed_path = site.get("FEED_ALL_ATOM", FEED_ALL_ATOM) or FEED_ALL_ATOM
    config = next(n for n in reversed(CONFIGS) if (prepared.root / n).is_file())
    content = content_folder(prepared.root)
    dest = work / "pelican"
    if dest.exists():
        shutil.rmtree(dest)
    overrides = ['THEME="notmyidea"', "PLUGINS=[]", "PLUGIN_PATHS=[]", "FEED_MAX_ITEMS=null",
                 f'FEED_ALL_ATOM="{feed_path}"', "CACHE_CONTENT=false"]
    started = time.perf_counter()
    proc = subprocess.run(
        [g._need("pelican"), content, "-s", config, "-o", str(dest), "--log-handler",
         "plain", "--ignore-cache", "--cache-path", str(work / "pelican-cache"),
         "-e", *overrides],
        capture_output=True, text=True, env=g._clean_env(), cwd=prepared.root)
    log = g._strip_ansi(proc.stdout + proc.stderr)
    if proc.returncode != 0:
        raise g.GeneratorError(f"pelican failed on {site_dir}:\n{g._tail(log)}")
    seconds = time.perf_counter() - started
    feed = dest / feed_path
    build = g.Build("pelican", version, tuple(g.read_feed(feed)),
                    tuple(_refusals(log, prepared.root, content)), seconds, False, feed,
                    g._tail(log, 200))
    g._store(cache, build)
    return build
