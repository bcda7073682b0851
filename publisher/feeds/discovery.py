"""How people find the feeds: `<link rel="alternate">` tags and a page per series.

Plain escaped strings rather than Jinja: `publish feed` stays free of the email
machinery, and these pages are a few lines each.
"""

from __future__ import annotations

from html import escape

from publisher.config import Config
from publisher.feeds.spec import FeedSpec
from publisher.series import series_settings

KINDS = (("application/atom+xml", "Atom"), ("application/rss+xml", "RSS"),
         ("application/feed+json", "JSON Feed"))


def _types(spec: FeedSpec) -> list[tuple[str, str, str]]:
    """(file name, media type, label) of each of the feed's three files."""
    return [(name, media, label) for name, (media, label) in zip(spec.files, KINDS, strict=True)]


def link_tags(specs: list[FeedSpec], config: Config) -> bytes:
    """A snippet for the writer's theme `<head>`: every feed, site and series."""
    lines = ["<!-- Feed autodiscovery, written by publish feed: paste into your theme's "
             "<head>. -->"]
    for spec in specs:
        if spec.folder and not spec.folder.startswith("series/"):
            continue  # tag and category feeds are many; readers look for these
        for name, media, label in _types(spec):
            lines.append(f'<link rel="alternate" type="{media}" '
                         f'title="{escape(spec.title)} ({label})" '
                         f'href="{escape(spec.url(config, name))}">')
    return ("\n".join(lines) + "\n").encode("utf-8")


def subscribe_page(spec: FeedSpec, config: Config, name: str) -> bytes:
    """series/<slug>/index.html: the series' feeds and how to get it by email."""
    settings = series_settings(config, name)
    own = config.series.get(name)
    signup = (own.subscribe_url if own and own.subscribe_url else "") or \
        config.email.subscribe_url
    feeds = "\n".join(
        f'<li><a href="{escape(spec.url(config, file))}">{label}</a>: '
        f"<code>{escape(spec.url(config, file))}</code></li>" for file, _, label in _types(spec))
    if signup:
        email = (f'<p>Get each new issue by email: <a href="{escape(signup)}">subscribe to '
                 f"the newsletter</a>.</p>")
    elif settings.sender:
        email = (f"<p>To get it by email, write to {escape(settings.sender)} and ask to "
                 "be added to the newsletter.</p>")
    else:
        email = ""
    tags = "\n".join(f'<link rel="alternate" type="{media}" title="{escape(spec.title)}" '
                     f'href="{escape(spec.url(config, file))}">' for file, media, _ in _types(spec))
    description = f"<p>{escape(settings.description)}</p>" if settings.description else ""
    page = f"""<!DOCTYPE html>
<html lang="{escape(config.site.language)}">
<head>
<meta charset="utf-8">
<meta name="viewport" content="width=device-width, initial-scale=1">
<title>Subscribe: {escape(settings.title)}</title>
{tags}
<style>body{{font-family:system-ui,sans-serif;max-width:40rem;margin:2rem auto;padding:0 1rem;
line-height:1.5}}code{{word-break:break-all}}</style>
</head>
<body>
<p><a href="{escape(config.base_url)}/">{escape(config.site.title)}</a></p>
<h1>{escape(settings.title)}</h1>
{description}
<h2>In a feed reader</h2>
<p>Copy one of these addresses into your feed reader:</p>
<ul>
{feeds}
</ul>
<h2>By email</h2>
{email or "<p>This series has no newsletter yet.</p>"}
</body>
</html>
"""
    return page.encode("utf-8")
