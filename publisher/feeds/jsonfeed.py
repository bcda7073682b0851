"""Posts -> JSON Feed 1.1 bytes: a plain dict (feedgen has no JSON Feed), written an
item at a time."""

from __future__ import annotations

import json
from collections.abc import Iterator

from publisher.config import Config
from publisher.content.text import text_of
from publisher.feeds.media import with_image
from publisher.feeds.spec import FeedSpec, RenderFn, asset_url
from publisher.site.post import Post


def json_feed(spec: FeedSpec, config: Config, render: RenderFn, full: int | None = None
              ) -> Iterator[bytes]:
    """The feed as JSON Feed 1.1, in pieces: the bytes of `json.dumps(feed, indent=2)`,
    one item at a time. Its newest `full` items (default: all) carry their whole HTML
    when `feed.full_content` is on."""
    full = len(spec.posts) if full is None else full
    feed: dict[str, object] = {
        "version": "https://jsonfeed.org/version/1.1",
        "title": spec.title,
        "home_page_url": spec.home,
        "feed_url": spec.url(config, spec.files[2]),
    }
    if spec.description:
        feed["description"] = spec.description
    if spec.history.prev:  # JSON Feed's pagination: the page of older items
        feed["next_url"] = spec.history.prev[2]
    if config.site.logo or config.site.icon:
        feed["icon"] = asset_url(config, config.site.logo or config.site.icon)
    if config.site.icon:
        feed["favicon"] = asset_url(config, config.site.icon)
    if config.author.name:
        feed["authors"] = [_json_author(config.author.name, config.author.uri)]
    feed["language"] = config.site.language
    if config.feed.websub_hub and not spec.is_archive:
        feed["hubs"] = [{"type": "WebSub", "url": config.feed.websub_hub}]
    feed["items"] = []
    head = _dumps(feed)
    if not spec.posts:
        yield head + b"\n"
        return
    # `"items": []` is the end of the dump: items go between its brackets, each indented
    # as json.dumps indents the second level (its strings hold no raw line end).
    assert head.endswith(b'"items": []\n}'), "items must stay the feed's last key"
    yield head[:-len(b"[]\n}")] + b"[\n"
    for index, post in enumerate(spec.posts):
        lines = _dumps(_item(post, spec, config, render, index < full)).split(b"\n")
        yield (b",\n" if index else b"") + b"\n".join(b"    " + line for line in lines)
    yield b"\n  ]\n}\n"


def _dumps(value: object) -> bytes:
    return json.dumps(value, ensure_ascii=False, indent=2).encode("utf-8")


def _item(post: Post, spec: FeedSpec, config: Config, render: RenderFn, full: bool
          ) -> dict[str, object]:
    rendered = render(post)
    item: dict[str, object] = {"id": post.id, "url": post.url, "title": post.title}
    if config.feed.full_content and full:
        html = rendered.html
    else:
        html = rendered.excerpt_html or f'<p><a href="{post.url}">{post.url}</a></p>'
    if config.feed.image_in_content:
        html = with_image(html, post.image, rendered.caption_html)
    item["content_html"] = html
    summary = text_of(rendered.excerpt_html)  # JSON Feed: plain text
    if summary:
        item["summary"] = summary
    if post.image:
        item["image"] = post.image
        if rendered.caption_html:
            # JSON Feed has no caption; an extension object (`_` + name) is its way.
            item["_publisher"] = {"image_caption": text_of(rendered.caption_html),
                                  "image_caption_html": rendered.caption_html}
    item["date_published"] = post.date.isoformat()
    item["date_modified"] = post.updated.isoformat()
    if post.authors:
        item["authors"] = [_json_author(a.name, a.uri) for a in post.authors]
    tags = list(spec.terms(post))
    if tags:
        item["tags"] = tags
    return item


def _json_author(name: str, uri: str) -> dict[str, str]:
    return {"name": name, "url": uri} if uri else {"name": name}
