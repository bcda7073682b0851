"""publisher's own rules: what a site without a generator of its own reads as.

They accept the spellings of Jekyll and Hugo at once (a post may say `lastmod` or
`last_modified_at`, a body may hold Liquid or shortcodes), so that a folder of posts
copied from either publishes as it is.
"""

from __future__ import annotations

from markdown.extensions.toc import slugify_unicode

from publisher.dialects import Dialect, Markdown
from publisher.dialects.jekyll import expand_permalink

PLAIN = Dialect(
    name="publisher",
    post_suffixes=(".md", ".markdown", ".mdown", ".mkd", ".mkdn"),
    # Hugo's _index.md pages list a section's posts; they are not posts.
    not_posts=("_index.",),
    drafts_folder="_drafts",
    updated_keys=("modified", "last_modified_at", "lastmod", "updated", "last_modified"),
    excerpt_keys=("excerpt", "summary", "description"),
    image_keys=("header.overlay_image", "header.image", "header.teaser", "image",
                "featured_image", "featured-image", "feature-img", "feature_image", "cover"),
    caption_keys=("header.caption",),
    permalink=expand_permalink,
    markdown=Markdown(
        engine="python-markdown",
        extensions=("fenced_code", "tables", "footnotes", "attr_list", "def_list",
                    "sane_lists", "md_in_html", "abbr", "toc"),
        settings={
            # kramdown gives every heading an id; links like [x](#the-end) rely on it.
            "toc": {"slugify": slugify_unicode, "permalink": False},
            "footnotes": {"UNIQUE_IDS": False},
        },
    ),
    body_templates=frozenset({"liquid", "shortcodes"}),
    feed_files=("feed.xml", "rss.xml", "feed.json"),
)
