"""The page a person sees: an HTML page beside each feed (no XSLT, which browsers are
removing), and the CSS the XML feeds link for browsers that show the XML itself.

Post text reaches the page only as text: every value goes through `html.escape`, and a
summary is the plain text of the excerpt, so no markup a post holds can become an
element, an attribute or a script there. Plain escaped strings rather than Jinja, as in
discovery.py: `publish feed` stays free of the email machinery.
"""

from __future__ import annotations

import hashlib
from datetime import datetime
from html import escape
from pathlib import Path

from publisher import shipped
from publisher.config import Config
from publisher.content.text import text_of
from publisher.feeds.discovery import KINDS
from publisher.feeds.spec import FeedSpec, RenderFn, page_file
from publisher.problems import PublisherError
from publisher.reading import read_regular
from publisher.urls import site_url

STYLESHEET = "feed/feed.css"
MONTHS = ("January", "February", "March", "April", "May", "June", "July", "August",
          "September", "October", "November", "December")


def in_words(moment: datetime) -> str:
    """`8 October 2024`, in the post's own time zone; the same in every locale."""
    return f"{moment.day} {MONTHS[moment.month - 1]} {moment.year}"


def stylesheet(config: Config) -> bytes:
    """feed.css: the site's own `templates/feed/feed.css` when it has one, else ours."""
    own = Path(config.templates_dir).joinpath(*STYLESHEET.split("/"))
    try:  # only a regular file: a FIFO there would hang the build, a device never end
        return read_regular(own)[0]
    except FileNotFoundError:
        return shipped.read(STYLESHEET)
    except OSError as exc:
        raise PublisherError(f"{own}: {exc.strerror}: the feed's stylesheet must be a "
                             "regular file; put yours there, or remove it to use "
                             "publisher's own") from None


def template_digest(config: Config) -> str:
    """Changes when the pages' stylesheet does (a site's own, or ours)."""
    return hashlib.sha256(stylesheet(config)).hexdigest()


def feed_page(spec: FeedSpec, config: Config, render: RenderFn) -> bytes:
    """`feed.html`: how to subscribe to this feed, and its latest entries."""
    name = page_file(spec)
    title = escape(spec.title)
    formats = list(zip(KINDS, spec.urls(config), strict=True))
    alternates = "\n".join(f'<link rel="alternate" type="{media}" title="{title} ({label})" '
                           f'href="{escape(url)}">' for (media, label), url in formats)
    addresses = "\n".join(f"<li>{label}: <code>{escape(url)}</code></li>"
                          for (_, label), url in formats)
    entries = "\n".join(_entry(post.title, post.url, post.date,
                               text_of(render(post).excerpt_html)) for post in spec.posts)
    description = f'<p class="subtitle">{escape(spec.description)}</p>\n' \
        if spec.description else ""
    archive = (f'<p class="archive">Older posts are in <a href="{escape(spec.history.prev[0])}"'
               ">the feed's archive</a>.</p>\n") if spec.history.prev else ""
    page = f"""<!DOCTYPE html>
<html lang="{escape(config.site.language)}">
<head>
<meta charset="utf-8">
<meta name="viewport" content="width=device-width, initial-scale=1">
<title>{title} · web feed</title>
{alternates}
<link rel="canonical" href="{escape(site_url(config.base_url, name))}">
<link rel="stylesheet" href="{"../" * name.count("/")}feed.css">
</head>
<body class="feed-page">
<main>
<div class="note">
<p><strong>This is a web feed.</strong> To follow {title} in a feed reader, copy one of
these addresses into it:</p>
<ul class="addresses">
{addresses}
</ul>
<p>A feed reader collects new posts from the sites you follow in one place. New to feeds?
See <a href="https://aboutfeeds.com/">About Feeds</a>.</p>
</div>
<header>
<h1>{title}</h1>
{description}<p><a href="{escape(spec.home)}">Visit the website &#8594;</a></p>
</header>
<ol class="entries">
{entries}
</ol>
{archive}</main>
</body>
</html>
"""
    return page.encode("utf-8")


def _entry(title: str, url: str, date: datetime, summary: str) -> str:
    text = f'\n<p class="summary">{escape(summary)}</p>' if summary else ""
    return (f'<li>\n<h2><a href="{escape(url)}">{escape(title)}</a></h2>\n'
            f'<time class="date" datetime="{date.isoformat()}">{in_words(date)}</time>'
            f"{text}\n</li>")
