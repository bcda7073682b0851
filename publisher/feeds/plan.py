"""Which feeds a site has, given the posts a reader may see: site, series, tags, categories."""

from __future__ import annotations

from collections.abc import Callable, Mapping, Sequence

from publisher.dialects import dialect_for
from publisher.feeds.archive import paged
from publisher.feeds.spec import FeedSpec
from publisher.problems import PublisherError
from publisher.site.load import Site
from publisher.site.post import Post
from publisher.urls import fold, term_slug


def labels(posts: Sequence[Post]) -> dict[str, str]:
    """Each tag and category, folded (`fold`), -> its spelling in the oldest post that
    has it: `career` and `Career` are one label, spelt one way everywhere, and a new post
    never respells it."""
    spelling: dict[str, str] = {}
    for post in reversed(posts):  # oldest first
        for name in post.tags + post.categories:
            spelling.setdefault(fold(name), name)
    return spelling


def _grouped(posts: tuple[Post, ...], names: Callable[[Post], tuple[str, ...]],
             kind: str, spelling: Mapping[str, str], slugify: Callable[[str], str]
             ) -> dict[str, tuple[str, tuple[Post, ...]]]:
    """slug -> (name, posts), each post once, the slugs in order.

    Names that differ only by case are one group, named as `spelling` says (or, for
    series, as the oldest post spells it). Different names never share a folder: a tag
    or category whose slug is taken gets the next free `-2`, `-3` (the oldest group
    keeps the plain slug, so a new post never moves a feed); two series would be an error.
    """
    groups: dict[str, tuple[str, dict[str, Post], Post]] = {}
    for post in reversed(posts):  # oldest first
        for name in names(post):
            key = fold(name)
            group = groups.setdefault(key, (spelling.get(key, name), {}, post))
            group[1].setdefault(post.id, post)
    taken: dict[str, tuple[str, Post]] = {}
    order = {post.id: index for index, post in enumerate(posts)}
    found: dict[str, tuple[str, tuple[Post, ...]]] = {}
    for name, members, first in groups.values():
        slug = base = slugify(name) or term_slug(name)  # "!!!" is no folder to Hugo
        number = 2
        while slug in taken:
            if kind == "series":
                other, where = taken[slug]
                raise PublisherError(
                    f"{first.source}: {kind}: {name!r} and {other!r} (in {where.source}) "
                    f"both become {kind}/{slug}/; rename one of them")
            slug, number = f"{base}-{number}", number + 1
        taken[slug] = (name, first)
        found[slug] = (name, tuple(sorted(members.values(), key=lambda p: order[p.id])))
    return dict(sorted(found.items()))


def plan_feeds(site: Site, posts: tuple[Post, ...]) -> list[FeedSpec]:
    """Every feed the config asks for, given the posts a reader may see (newest first):
    each subscription feed, then its archive pages (`FeedSpec.is_archive`)."""
    config = site.config
    posts = tuple(p for p in posts if p.in_feeds)  # `feed: false`
    home = config.base_url + "/"
    dialect = dialect_for(config)
    files = dialect.feed_files
    spelling = labels(posts)
    specs = [FeedSpec("", config.site.title, config.site.description, posts,
                      home, files, spelling)]
    kinds: list[tuple[str, str, Callable[[Post], tuple[str, ...]]]] = []
    if dialect.section_feeds:  # Hugo: /<section>/index.xml, where readers subscribed
        kinds.append(("", "Section", lambda p: (p.section,) if p.section else ()))
    if config.feed.series:
        kinds.append(("series", "Series", lambda p: p.series))
    if config.feed.tags:
        kinds.append(("tags", "Tag", lambda p: p.tags))
    if config.feed.categories:
        kinds.append(("categories", "Category", lambda p: p.categories))
    for folder, label, names in kinds:
        for slug, (name, group) in _grouped(posts, names, folder or "sections", spelling,
                                            dialect.term_slug).items():
            own = config.series.get(name) if folder == "series" else None
            title = own.title if own and own.title else name
            description = own.description if own and own.description else \
                f"{label} “{title}” from {config.site.title}"
            specs.append(FeedSpec(f"{folder}/{slug}" if folder else slug,
                                  f"{config.site.title}: {title}", description,
                                  group, home, files, spelling, name))
    if dialect.category_feed is not None:
        for name in config.feed.category_feeds:  # jekyll-feed's: exactly this category
            folder, names = dialect.category_feed(name)
            group = tuple(p for p in posts if name in p.categories)
            specs.append(FeedSpec(folder, f"{config.site.title} | {name.capitalize()}",
                                  f"Category “{name}” from {config.site.title}",
                                  group, home, names, spelling, name))
    specs = [page for spec in specs for page in paged(spec, config)]
    seen: dict[str, FeedSpec] = {}
    for spec in specs:  # never two feeds in one file, whatever a dialect's slugs give
        other = seen.setdefault(spec.key, spec)
        if other is not spec:
            raise PublisherError(f"{spec.key}: the feeds of {other.name or 'the site'!r} and "
                                 f"{spec.name!r} would be the same file; rename one of them")
    return specs
