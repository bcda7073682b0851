"""Posts -> JSON Feed 1.1 bytes: a plain dict (feedgen has no JSON Feed)."""

from __future__ import annotations

import json

from publisher.config import Config
from publisher.content.text import text_of
from publisher.feeds.spec import FeedSpec, RenderFn, asset_url


def json_feed(spec: FeedSpec, config: Config, render: RenderFn) -> bytes:
    feed: dict[str, object] = {
        "version": "https://jsonfeed.org/version/1.1",
        "title": spec.title,
        "home_page_url": spec.home,
        "feed_url": spec.url(config, spec.files[2]),
    }
    if spec.description:
        feed["description"] = spec.description
    if config.site.logo or config.site.icon:
        feed["icon"] = asset_url(config, config.site.logo or config.site.icon)
    if config.site.icon:
        feed["favicon"] = asset_url(config, config.site.icon)
    if config.author.name:
        feed["authors"] = [_json_author(config.author.name, config.author.uri)]
    feed["language"] = config.site.language
    items = []
    for post in spec.posts:
        rendered = render(post)
        item: dict[str, object] = {"id": post.id, "url": post.url, "title": post.title}
        if config.feed.full_content:
            item["content_html"] = rendered.html
        else:
            item["content_html"] = rendered.excerpt_html or f'<p><a href="{post.url}">' \
                f"{post.url}</a></p>"
        summary = text_of(rendered.excerpt_html)  # JSON Feed: plain text
        if summary:
            item["summary"] = summary
        if post.image:
            item["image"] = post.image
        item["date_published"] = post.date.isoformat()
        item["date_modified"] = post.updated.isoformat()
        if post.authors:
            item["authors"] = [_json_author(a.name, a.uri) for a in post.authors]
        tags = list(spec.terms(post))
        if tags:
            item["tags"] = tags
        items.append(item)
    feed["items"] = items
    return (json.dumps(feed, ensure_ascii=False, indent=2) + "\n").encode("utf-8")


def _json_author(name: str, uri: str) -> dict[str, str]:
    return {"name": name, "url": uri} if uri else {"name": name}
