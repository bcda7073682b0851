"""Render the posts an output shows: each at most once, from the cache when it can,
on every core when there are many."""

from __future__ import annotations

import hashlib
import multiprocessing as mp
import os
import re
from collections.abc import Iterable, Iterator, Mapping
from concurrent.futures import ProcessPoolExecutor
from functools import partial
from pathlib import Path

from publisher import __version__, progress
from publisher.config import Config
from publisher.content.liquid import liquid_settings
from publisher.content.markdown import engine_version
from publisher.content.render import Rendered, Renderer
from publisher.content.shortcodes import site_for
from publisher.dialects import dialect_for
from publisher.reading import read_regular
from publisher.site.cache import Cache, digest_of
from publisher.site.load import Site, resolve_link
from publisher.site.post import Post

PARALLEL_MIN = 64  # fewer misses than this render faster in this process
HELD_MAX = 20_000  # posts held rendered (10 MB of HTML a thousand); beyond, read back per use

_worker: Renderer | None = None


def _start_worker(config: Config, link_map: dict[str, str]) -> None:
    global _worker
    _worker = Renderer(config, partial(resolve_link, link_map))


def _render_chunk(posts: list[Post]) -> list[Rendered]:
    assert _worker is not None
    return [_worker.render(post) for post in posts]


def render_settings(config: Config) -> str:
    """Everything besides the post that shapes its HTML."""
    # The generator decides the Markdown flavour and the templates run in bodies; the
    # engine's release may render differently.
    engine = dialect_for(config).markdown.engine
    # A Jekyll site's Liquid reads _config.yml, _data/ and _includes/ (their digest) and
    # runs in python-liquid (its release): liquid_settings names both.
    return digest_of(__version__, config.site.generator, engine_version(engine),
                     config.site.url, config.site.title, config.site.description,
                     config.site.excerpt_separator, config.site.math, config.site.raw_html,
                     liquid_settings(config), site_for(config).digest)


def render_key(post: Post, settings: str, site: Site) -> str:
    """What a post's HTML depends on: its bytes, its name and URL (relative links resolve
    against it; {{ page.date }} may come from the name), the settings, the URLs of the
    posts it links to, and the files its `{% include_relative %}` tags name."""
    parts = [settings, post.digest, post.name, post.url, post.date.isoformat(),
             site.link_digest if post.links_to_posts else "",
             relative_includes(post, site.config.posts_dir)]
    return hashlib.sha256("\0".join(parts).encode()).hexdigest()


_RELATIVE = re.compile(r"\{%-?\s*include_relative\s+([^\s%{}]+)")


def relative_includes(post: Post, posts_dir: Path) -> str:
    """A digest of the files beside the post that it includes ("" when it includes none):
    they are not the site's `_includes/`, which the settings' digest covers."""
    if not post.includes_relative:  # from the cache's index: no body read
        return ""
    folder = (posts_dir / post.name).parent
    digest = hashlib.sha256()
    for name in sorted(set(_RELATIVE.findall(post.body))):
        digest.update(name.encode() + b"\0")
        try:
            digest.update(read_regular(folder / name)[0])
        except (OSError, ValueError):  # missing, not a regular file, or too large
            digest.update(b"\0none\0")
    return digest.hexdigest()


def render_posts(site: Site, posts: Iterable[Post], cache: Cache | None = None
                 ) -> Mapping[str, Rendered]:
    """post id -> Rendered, for every post given (each rendered once).

    More than HELD_MAX posts (a large full archive) are not held: each is rendered unless the
    cache has it, stored, and read back from the cache each time an output asks for it.
    """
    unique = list({post.id: post for post in posts}.values())
    settings = render_settings(site.config)
    keys = {post.id: render_key(post, settings, site) for post in unique}
    if cache is not None and cache.enabled and len(unique) > HELD_MAX:
        present = cache.rendered_keys(keys.values())
        misses = [post for post in unique if keys[post.id] not in present]
        for done, fresh in _rendered(site, misses, most=256):  # stored as they come
            cache.store_rendered({keys[post.id]: (r.html, r.excerpt_html, r.caption_html)
                                  for post, r in zip(done, fresh, strict=True)})
        return StoredRenderings(site, {post.id: post for post in unique}, keys, cache)
    found = cache.rendered(keys.values()) if cache else {}
    result = {pid: Rendered(*found[key]) for pid, key in keys.items() if key in found}
    misses = [post for post in unique if post.id not in result]
    fresh = {post.id: r for done, made in _rendered(site, misses)
             for post, r in zip(done, made, strict=True)}
    result.update(fresh)
    if cache:  # one write: a commit per chunk cost the full archive seconds
        cache.store_rendered({keys[pid]: (r.html, r.excerpt_html, r.caption_html)
                              for pid, r in fresh.items()})
    return result


class StoredRenderings(Mapping[str, Rendered]):
    """post id -> Rendered, read from the cache on each use: the HTML of 50,000 posts
    is a gigabyte. A rendering the cache no longer gives back (it failed, or was cleared
    meanwhile) is made again here."""

    def __init__(self, site: Site, posts: dict[str, Post], keys: dict[str, str],
                 cache: Cache) -> None:
        self._site, self._posts, self._keys, self._cache = site, posts, keys, cache
        self._renderer: Renderer | None = None

    def __getitem__(self, pid: str) -> Rendered:
        key = self._keys[pid]
        found = self._cache.rendered((key,))
        if key in found:
            return Rendered(*found[key])
        if self._renderer is None:
            self._renderer = Renderer(self._site.config, self._site.link_target)
        return self._renderer.render(self._posts[pid])

    def __iter__(self) -> Iterator[str]:
        return iter(self._keys)

    def __len__(self) -> int:
        return len(self._keys)


def _rendered(site: Site, posts: list[Post], most: int | None = None
              ) -> Iterator[tuple[list[Post], list[Rendered]]]:
    """(posts, their renderings) a chunk of at most `most` at a time, in order, as they
    are made."""
    workers = min(os.cpu_count() or 1, 8)
    done = 0
    if len(posts) < PARALLEL_MIN or workers < 2 or "fork" not in mp.get_all_start_methods():
        renderer = Renderer(site.config, site.link_target)
        for start in range(0, len(posts), PARALLEL_MIN):
            chunk = posts[start:start + PARALLEL_MIN]
            yield chunk, [renderer.render(post) for post in chunk]
            done += len(chunk)
            progress.step("rendering", done, len(posts))
        return
    size = min(most or len(posts), -(-len(posts) // (workers * 4)))
    chunks = [posts[i:i + size] for i in range(0, len(posts), size)]
    with ProcessPoolExecutor(workers, mp_context=mp.get_context("fork"),
                             initializer=_start_worker,
                             initargs=(site.config, site.link_map)) as pool:
        for chunk, fresh in zip(chunks, pool.map(_render_chunk, chunks), strict=True):
            yield chunk, fresh
            done += len(chunk)
            progress.step("rendering", done, len(posts))
