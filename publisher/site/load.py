"""Every post of a site, read once and checked together."""

from __future__ import annotations

import hashlib
import multiprocessing as mp
import os
import time
from collections.abc import Iterator
from concurrent.futures import ProcessPoolExecutor
from dataclasses import dataclass, replace
from datetime import datetime
from functools import cached_property
from pathlib import Path

from publisher import progress
from publisher.config import Config
from publisher.dialects import dialect_for
from publisher.problems import Problem, error
from publisher.reading import read_regular
from publisher.site.cache import Cache
from publisher.site.cache_rows import CachedPost, post_row, stamp_of
from publisher.site.files import display_path, find_post_files
from publisher.site.post import Post
from publisher.site.reader import read_post
from publisher.site.series_names import series_problems
from publisher.site.stored_post import index_values

PARALLEL_MIN = 400  # below this many files to parse, starting workers costs more than it saves
CHUNK = 256  # files a worker parses per task


@dataclass(frozen=True)
class Site:
    config: Config
    posts: tuple[Post, ...]  # every valid post, drafts and future ones included
    problems: tuple[Problem, ...]
    files: int  # post files looked at

    @property
    def errors(self) -> tuple[Problem, ...]:
        return tuple(p for p in self.problems if p.is_error)

    def visible(self, now: datetime, *, drafts: bool = False,
                future: bool = False) -> tuple[Post, ...]:
        """Posts a reader may see now, newest first, ties broken by id."""
        shown = [p for p in self.posts
                 if p.listed and (drafts or not p.draft) and (future or p.date <= now)
                 and (p.expires is None or p.expires > now)]
        return tuple(sorted(shown, key=lambda p: (-p.date.timestamp(), p.id)))

    @cached_property
    def link_map(self) -> dict[str, str]:
        """post_url/link/ref names -> URL: by file stem, file name, path and slug."""
        index: dict[str, str] = {}
        for post in self.posts:
            for name in (post.stem, post.name.rsplit("/", 1)[-1], post.name, post.slug):
                index.setdefault(name, post.url)
        return index

    def link_target(self, target: str) -> str | None:
        return resolve_link(self.link_map, target)

    @cached_property
    def link_digest(self) -> str:
        """Changes when any post's URL changes: part of the render cache's keys."""
        return hashlib.sha256(repr(sorted(self.link_map.items())).encode()).hexdigest()


def resolve_link(link_map: dict[str, str], target: str) -> str | None:
    """URL of the post a `post_url`, `link` or `ref` names, by file name or slug.

    Jekyll allows a folder before the name (`/notes/2012-08-31-x`) and `link`
    takes a path from the site root (`_posts/2012-08-31-x.md`).
    """
    target = target.strip().strip("/")
    base = target.rsplit("/", 1)[-1]
    for candidate in (target, base, base.rsplit(".", 1)[0]):
        if candidate in link_map:
            return link_map[candidate]
    return None


def _check_unique(posts: list[Post]) -> list[Problem]:
    problems: list[Problem] = []
    for attribute in ("url", "id"):
        first: dict[str, Post] = {}
        for post in posts:
            value = getattr(post, attribute)
            other = first.setdefault(value, post)
            if other is post:
                continue
            if attribute == "id" and post.id == post.url and other.id == other.url:
                continue  # an id made from the URL: the URL clash is already reported
            fix = "id" if attribute == "id" else "slug or permalink"
            problems.append(error(post.source, None, attribute,
                                  f"{value} is also the {attribute} of {other.source}; "
                                  f"give one of them its own {fix}"))
    return problems


def _read(path: Path, name: str, config: Config, known: CachedPost | None) -> CachedPost:
    """One file -> its cache entry: reused when its bytes did not change, else parsed."""
    source = display_path(path)
    try:
        data, stat = read_regular(path)
    except OSError as exc:
        return CachedPost(None, "", None, (error(source, None, "file",
                                                 f"cannot read: {exc.strerror}; skipped"),))
    digest = hashlib.sha256(data).hexdigest()
    # Touched, not changed: the same post, unless it was dated by the mtime that moved
    # (a draft without a date, as Jekyll dates `_drafts/`).
    if known is not None and known.digest == digest and not (
            known.stamp is not None and known.stamp[1] != stat.st_mtime_ns
            and _dated_by_mtime(known.post, known.stamp[1])):
        return CachedPost(stamp_of(stat), digest, known.post, known.problems)
    post, found = read_post(data, name, source, config, stat.st_mtime, digest)
    return CachedPost(stamp_of(stat), digest, post, tuple(found))


def _dated_by_mtime(post: Post | None, mtime_ns: int) -> bool:
    return post is not None and int(post.date.timestamp()) == mtime_ns // 1_000_000_000


# An entry, its cache rows when it has them, and its index when its post was left out of
# the entry for the main process to read back from the cache (see _read_chunk).
Read = tuple[CachedPost, tuple | None, dict | None]


def _read_chunk(config: Config, items: list[tuple[Path, str, CachedPost | None]],
                rows: bool = True) -> list[Read]:
    """Entries, each with its cache rows: made here, on the worker's core, since turning
    10,000 posts into rows costs the main process seconds. A post whose content row is
    made comes back as its index alone: its body and front matter are read from the
    cache by the few outputs that show it, so neither is sent between processes nor
    held for every post (half the memory of a cold run)."""
    read: list[Read] = []
    for path, name, known in items:
        entry = _read(path, name, config, known)
        row = post_row(name, entry, time.time_ns()) if rows else None
        if row is not None and row[1] is not None and entry.post is not None:
            read.append((replace(entry, post=None), row, index_values(entry.post)))
        else:
            read.append((entry, row, None))
    return read


def _read_all(config: Config, items: list[tuple[Path, str, CachedPost | None]],
              rows: bool) -> Iterator[list[Read]]:
    """Parse files, on every core when there are many (a cold cache); their entries
    come in chunks, in order, as they are made."""
    workers = min(os.cpu_count() or 1, 8)
    done = 0
    if len(items) < PARALLEL_MIN or workers < 2 or "fork" not in mp.get_all_start_methods():
        for start in range(0, len(items), CHUNK):
            chunk = _read_chunk(config, items[start:start + CHUNK], rows)
            done += len(chunk)
            progress.step("reading", done, len(items))
            yield chunk
        return
    # Chunks of at most CHUNK files: the rows of one (bodies included) wait in memory
    # until this process stores them, so their size, not the site's, bounds that.
    size = min(CHUNK, -(-len(items) // (workers * 4)))
    chunks = [items[i:i + size] for i in range(0, len(items), size)]
    # fork: the workers start with this process's modules already imported.
    with ProcessPoolExecutor(workers, mp_context=mp.get_context("fork")) as pool:
        for chunk in pool.map(_read_chunk, [config] * len(chunks), chunks,
                              [rows] * len(chunks)):
            done += len(chunk)
            progress.step("reading", done, len(items))
            yield chunk


def load_site(config: Config, cache: Cache | None = None) -> Site:
    """Read and check every post under the configured posts folder.

    Every file is looked at; only those whose stamp (size, mtime, ctime, inode) changed
    since the cached run are read again, and only those whose bytes changed are parsed
    again.
    """
    root = config.posts_dir
    if not root.is_dir():
        problem = error(display_path(root), None, "site.posts",
                        "the posts folder does not exist; create it or set site.posts")
        return Site(config, (), (problem,), 0)
    files, problems = find_post_files(root, dialect_for(config))
    known = cache.posts() if cache else {}
    entries: dict[str, CachedPost] = {}
    todo: list[tuple[Path, str, CachedPost | None]] = []
    for path, name, stat in files:
        cached = known.get(name)
        if cached and cached.stamp == stamp_of(stat):  # the very file the row was made of
            entries[name] = cached
        else:
            todo.append((path, name, cached))
    read: list[CachedPost] = []
    for chunk in _read_all(config, todo, rows=cache is not None and cache.enabled):
        if cache:  # stored while the workers parse the next chunks: the main core is idle
            cache.store_rows([row for _, row, _ in chunk if row is not None], ())
        read.extend(entry if index is None or cache is None else
                    replace(entry, post=cache.stored_post(index))
                    for entry, _, index in chunk)
    entries.update({name: entry for (_, name, _), entry in zip(todo, read, strict=True)})
    if cache:
        cache.store_rows([], set(known) - set(entries))
    posts: list[Post] = []
    for _, name, _ in files:
        entry = entries[name]
        problems.extend(entry.problems)
        if entry.post is not None:
            posts.append(entry.post)
    clashes = _check_unique(posts) + series_problems(posts)
    if clashes:
        problems.extend(clashes)
        bad = {p.path for p in clashes if p.is_error}
        posts = [p for p in posts if p.source not in bad]
    return Site(config, tuple(posts), tuple(sorted(problems, key=Problem.order)), len(files))
