"""Which feeds a site has, given the posts a reader may see: site, series, tags, categories."""

from __future__ import annotations

from collections.abc import Callable

from publisher.dialects import dialect_for
from publisher.feeds.spec import FeedSpec, newest
from publisher.problems import PublisherError
from publisher.site.load import Site
from publisher.site.post import Post
from publisher.urls import slugify


def _grouped(posts: tuple[Post, ...], names: Callable[[Post], tuple[str, ...]],
             kind: str) -> dict[str, tuple[str, tuple[Post, ...]]]:
    """slug -> (name, posts), each post once; the oldest post's spelling names the group,
    so a new post never renames a feed.

    Tags like 'Go' and 'go' are one tag (as in Hugo). Two series whose names differ by
    more than case would share a folder: that is an error.
    """
    groups: dict[str, tuple[str, dict[str, Post], Post]] = {}
    for post in reversed(posts):  # oldest first
        for name in names(post):
            slug = slugify(name)
            known = groups.setdefault(slug, (name, {}, post))
            if kind == "series" and known[0].casefold() != name.casefold():
                raise PublisherError(
                    f"{post.source}: {kind}: {name!r} and {known[0]!r} (in {known[2].source}) "
                    f"both become {kind}/{slug}/; rename one of them")
            known[1].setdefault(post.id, post)
    order = {post.id: index for index, post in enumerate(posts)}
    return {slug: (name, tuple(sorted(group.values(), key=lambda p: order[p.id])))
            for slug, (name, group, _) in sorted(groups.items())}


def plan_feeds(site: Site, posts: tuple[Post, ...]) -> list[FeedSpec]:
    """Every feed the config asks for, given the posts a reader may see (newest first)."""
    config = site.config
    limit = config.feed.limit
    home = config.base_url + "/"
    files = dialect_for(config).feed_files
    specs = [FeedSpec("", config.site.title, config.site.description, newest(posts, limit),
                      home, files)]
    kinds: list[tuple[str, str, Callable[[Post], tuple[str, ...]]]] = []
    if config.feed.series:
        kinds.append(("series", "Series", lambda p: p.series))
    if config.feed.tags:
        kinds.append(("tags", "Tag", lambda p: p.tags))
    if config.feed.categories:
        kinds.append(("categories", "Category", lambda p: p.categories))
    for folder, label, names in kinds:
        for slug, (name, group) in _grouped(posts, names, folder).items():
            own = config.series.get(name) if folder == "series" else None
            title = own.title if own and own.title else name
            description = own.description if own and own.description else \
                f"{label} “{title}” from {config.site.title}"
            specs.append(FeedSpec(f"{folder}/{slug}", f"{config.site.title}: {title}",
                                  description, newest(group, limit), home, files, name))
    return specs
