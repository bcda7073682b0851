"""The web archive of sent issues: out/email/archive/ with a page per issue, an index
and an Atom feed of issues.

Built from the ledger, which knows every sent issue and its posts, so the archive says
exactly what went out and is the same bytes however often it is rebuilt. A page is the
issue as a browser shows it: no unsubscribe link, no escaping for a mailing tool.
"""

from __future__ import annotations

import xml.etree.ElementTree as ET
from collections.abc import Callable, Sequence

import jinja2

from publisher.config import Config
from publisher.content.render import Rendered
from publisher.content.rendering import render_posts
from publisher.newsletter.ledger import Issue
from publisher.newsletter.plan import IssuePlan, Section, ordered
from publisher.newsletter.profiles import profile as get_profile
from publisher.newsletter.render import render_issue
from publisher.newsletter.templating import environment
from publisher.series import series_settings
from publisher.site.cache import Cache
from publisher.site.load import Site
from publisher.site.post import Post
from publisher.urls import site_url

FOLDER = "email/archive"
ATOM = "http://www.w3.org/2005/Atom"


def issue_folder(config: Config, issue: Issue) -> str:
    """Where an issue's draft lives in the output folder."""
    return f"email/{series_settings(config, issue.series).slug}/{issue.number}"


def page_path(config: Config, issue: Issue) -> str:
    return f"{FOLDER}/{series_settings(config, issue.series).slug}/{issue.number}/index.html"


def plan_of(issue: Issue, posts: dict[str, Post], config: Config) -> IssuePlan:
    """The plan of a recorded issue, from its entries (posts deleted since are left out)."""
    by_series: dict[str, list[Post]] = {}
    also: dict[str, list[Post]] = {}
    shown: set[str] = set()
    for entry in issue.entries:
        post = posts.get(entry.post_id)
        if post is None:
            continue
        target = also if post.id in shown else by_series
        target.setdefault(entry.series, []).append(post)
        by_series.setdefault(entry.series, [])
        shown.add(post.id)
    sections = tuple(Section(series_settings(config, name),
                             ordered(found, config.email.order), tuple(also.get(name, ())))
                     for name, found in by_series.items())
    return IssuePlan(series_settings(config, issue.series), issue.number, issue.created,
                     sections)


def _page(issue: Issue, site: Site, env: jinja2.Environment,
          render_post: Callable[[Post], Rendered]) -> bytes:
    config = site.config
    plan = plan_of(issue, {p.id: p for p in site.posts}, config)
    tool = get_profile(plan.settings.profile, config.email)
    page = render_issue(plan, config, tool, render_post, env, archive=True)
    return page.html.encode("utf-8")


def _feed(issues: Sequence[Issue], config: Config) -> bytes:
    ET.register_namespace("", ATOM)

    def add(parent: ET.Element, tag: str, text: str | None = None, **attrs: str
            ) -> ET.Element:
        element = ET.SubElement(parent, f"{{{ATOM}}}{tag}", attrs)
        element.text = text
        return element

    feed = ET.Element(f"{{{ATOM}}}feed")
    url = site_url(config.base_url, f"{FOLDER}/")
    add(feed, "id", url)
    add(feed, "title", f"{config.site.title}: newsletter archive")
    add(feed, "updated", max((i.sent for i in issues if i.sent), default=None).isoformat()
        if issues else "1970-01-01T00:00:00+00:00")
    add(feed, "link", rel="self", href=site_url(config.base_url, f"{FOLDER}/feed.xml"))
    add(feed, "link", rel="alternate", href=url)
    author = add(feed, "author")
    add(author, "name", config.author.name or config.site.title)
    for issue in issues:
        entry = add(feed, "entry")
        link = site_url(config.base_url, page_path(config, issue).removesuffix("index.html"))
        add(entry, "id", link)
        add(entry, "title", issue.subject)
        when = (issue.sent or issue.created).isoformat()
        add(entry, "published", when)
        add(entry, "updated", when)
        add(entry, "link", rel="alternate", type="text/html", href=link)
        add(entry, "summary", "; ".join(e.title for e in issue.entries), type="text")
    return ET.tostring(feed, encoding="utf-8", xml_declaration=True) + b"\n"


def archive_files(sent: Sequence[Issue], new: Sequence[Issue], site: Site,
                  cache: Cache | None = None) -> dict[str, bytes]:
    """Pages of the `new` issues, and the index and feed of every `sent` one."""
    config = site.config
    env = environment(config.templates_dir)
    by_id = {p.id: p for p in site.posts}
    wanted = (by_id[e.post_id] for i in new for e in i.entries if e.post_id in by_id)
    rendered = render_posts(site, wanted, cache)
    files = {page_path(config, i): _page(i, site, env, lambda p: rendered[p.id]) for i in new}
    newest = sorted(sent, key=lambda i: (i.sent or i.created, i.series, i.number),
                    reverse=True)
    rows = [{"subject": i.subject, "series": series_settings(config, i.series).title,
             "date": f"{(i.sent or i.created):%Y-%m-%d}",
             "href": page_path(config, i).removeprefix(f"{FOLDER}/").removesuffix(
                 "index.html")} for i in newest]
    index = env.get_template("email/archive.html").render(
        lang=config.site.language, title=f"{config.site.title}: newsletter archive",
        site={"title": config.site.title, "url": config.base_url + "/"}, issues=rows,
        subscribe_url=config.email.subscribe_url)
    files[f"{FOLDER}/index.html"] = index.encode("utf-8")
    files[f"{FOLDER}/feed.xml"] = _feed(newest, config)
    return files
