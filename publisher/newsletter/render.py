"""An issue plan -> its HTML (CSS inlined by premailer) and its plain text.

Both parts come from the same context. The mailing tool's placeholders reach both parts
as inert tokens and are put back after premailer (which would otherwise URL-encode
`{{ unsubscribe_url }}` inside an href) and after the parts are escaped for the tool's
template language (publisher/newsletter/escape.py); Jinja only ever sees them as values.
"""

from __future__ import annotations

import logging
import re
import secrets
from collections.abc import Callable
from dataclasses import dataclass, replace
from datetime import datetime
from urllib.parse import parse_qsl, urlencode, urlsplit, urlunsplit

import jinja2
import markdown
from markupsafe import Markup
from premailer import Premailer

from publisher.config import Config
from publisher.content.render import Rendered
from publisher.newsletter.checks import (
    GMAIL_CLIP_BYTES,
    refuse_unsendable,
    warnings_before_sending,
)
from publisher.newsletter.email_html import clean_for_email, to_text
from publisher.newsletter.escape import escape_parts
from publisher.newsletter.plan import IssuePlan, subject
from publisher.newsletter.profiles import Profile
from publisher.problems import PublisherError
from publisher.site.post import Post
from publisher.urls import absolute


@dataclass(frozen=True)
class RenderedIssue:
    subject: str
    preheader: str
    html: str
    text: str
    warnings: tuple[str, ...]


def _tracker(config: Config, plan: IssuePlan) -> Callable[[str], str]:
    """Adds UTM parameters to links to the site, keeping any the link already has."""
    source = config.email.utm_source
    if not source:
        return lambda url: url
    host = urlsplit(config.base_url).netloc
    campaign = f"{plan.settings.slug.strip('_')}-{plan.number}"

    def track(url: str) -> str:
        parts = urlsplit(url)
        if parts.netloc != host:
            return url
        query = parse_qsl(parts.query, keep_blank_values=True)
        have = {k for k, _ in query}
        extra = [(k, v) for k, v in (("utm_source", source),
                                     ("utm_medium", config.email.utm_medium),
                                     ("utm_campaign", campaign)) if k not in have]
        return urlunsplit(parts._replace(query=urlencode(query + extra)))

    return track


def _date(when: datetime) -> str:
    return f"{when.day} {when:%B %Y}"


def _post_context(post: Post, rendered: Rendered, full: bool, track: Callable[[str], str],
                  warnings: list[str]) -> dict[str, object]:
    cleaned = clean_for_email(rendered.html if full else rendered.excerpt_html or "", track)
    for src in cleaned.images_without_alt:
        warnings.append(f"{post.source}: an image has no alt text ({src}); add one: "
                        "![what it shows](...)")
    body = cleaned.html
    if body and not body.lstrip().startswith("<"):
        body = f"<p>{body}</p>"  # an excerpt from front matter is inline HTML
    image = None
    if post.image:
        caption = clean_for_email(rendered.caption_html, track).html \
            if rendered.caption_html else ""
        # The caption is Markdown: its text, not its asterisks, is what alt should say.
        caption_text = to_text(caption).strip() if caption else ""
        image = {"url": post.image, "alt": caption_text or post.title,
                 "caption": Markup(caption), "caption_text": caption_text}
    return {"title": post.title, "url": track(post.url), "date": _date(post.date),
            "body": Markup(body), "text": to_text(body).strip(), "image": image,
            "link_text": f"Read “{post.title}”"}


def _inline_css(markup: str) -> str:
    # disable_basic_attributes: premailer would turn width="536" into width="100%" and
    # add height="auto"; Outlook sizes images by that attribute.
    return Premailer(markup, base_url=None, allow_network=False, keep_style_tags=False,
                     strip_important=False, disable_validation=True,
                     disable_basic_attributes=["width", "height"],
                     exclude_pseudoclasses=True, cssutils_logging_level=logging.CRITICAL,
                     ).transform()


def _intro(intro: str | None, track: Callable[[str], str]) -> dict[str, object] | None:
    """The writer's note above the posts: Markdown, made fit for an inbox."""
    if not intro or not intro.strip():
        return None
    cleaned = clean_for_email(markdown.markdown(intro), track).html
    return {"html": Markup(cleaned), "text": to_text(cleaned).strip()}


def render_issue(plan: IssuePlan, config: Config, profile: Profile,
                 render_post: Callable[[Post], Rendered], env: jinja2.Environment,
                 intro: str | None = None, *, archive: bool = False) -> RenderedIssue:
    """The issue's two parts; with whole posts over Gmail's limit, excerpts instead.

    `archive`: the page of the web archive, for a browser (no unsubscribe link, no
    escaping for a mailing tool, nothing refused).
    """
    full = plan.settings.full_content
    issue = _render(plan, config, profile, render_post, env, intro, full, archive)
    size = len(issue.html.encode("utf-8"))
    if full and size > GMAIL_CLIP_BYTES and not archive:
        issue = _render(plan, config, profile, render_post, env, intro, False, archive)
        note = (f"with whole posts the HTML was {size // 1024} KB, over the 102 KB at which "
                "Gmail clips a message (and hides its unsubscribe link): this issue has "
                "excerpts instead; set full_content = false to ask for them")
        issue = replace(issue, warnings=(note, *issue.warnings))
    return issue


def _render(plan: IssuePlan, config: Config, profile: Profile,
            render_post: Callable[[Post], Rendered], env: jinja2.Environment,
            intro: str | None, full: bool, archive: bool) -> RenderedIssue:
    warnings: list[str] = []
    track = _tracker(config, plan)
    sections = [{"title": section.series.title,
                 "posts": [_post_context(p, render_post(p), full, track, warnings)
                           for p in section.posts]}
                for section in plan.sections]
    first = sections[0]["posts"][0] if sections and sections[0]["posts"] else None
    preheader = " ".join(str(first["text"]).split())[:140] if first else ""
    title = subject(plan, config)
    logo = absolute(config.site.logo, config.base_url + "/") if config.site.logo else None
    # Tokens stand for the tool's merge tags until the parts are escaped; the nonce keeps
    # a post from writing one (the output holds no trace of it, so stays the same).
    nonce = secrets.token_hex(8)
    tokens = {name: f"PUBLISHER-{name.upper()}-{nonce}"
              for name in ("unsubscribe", "web_version", "address")}
    merge = {tokens["unsubscribe"]: profile.unsubscribe,
             tokens["web_version"]: profile.web_version or "",
             tokens["address"]: profile.address or ""}

    def merge_tag(tag: str) -> str:
        """`{{ merge_tag("*|FNAME|*") }}` in a template: a tag of the tool, kept live."""
        token = f"PUBLISHER-TAG-{len(merge)}-{nonce}"
        merge[token] = "" if archive else tag
        return token

    address = config.email.address.strip() or (
        tokens["address"] if profile.address and not archive else "")
    context: dict[str, object] = {
        "lang": config.site.language, "subject": title, "preheader": preheader,
        "site": {"title": config.site.title, "url": track(config.base_url + "/"),
                 "logo": logo},
        "heading": plan.settings.title, "description": plan.settings.description,
        "number": plan.number, "date": _date(plan.created), "sections": sections,
        "digest": len(plan.sections) > 1 or plan.key == "",
        "list_name": plan.settings.title if plan.key else config.site.title,
        "intro": _intro(intro, track), "address_lines": address.splitlines(),
        "archive": archive, "subscribe_url": config.email.subscribe_url,
        "merge_tag": merge_tag,
        "unsubscribe_url": "" if archive else tokens["unsubscribe"],
        "web_version_url": tokens["web_version"] if profile.web_version and not archive
        else None,
    }
    try:
        markup = env.get_template("email/issue.html").render(**context)
        text = env.get_template("email/issue.txt").render(**context)
    except jinja2.TemplateError as exc:
        where = f"{exc.filename}:{exc.lineno}: " if isinstance(
            exc, jinja2.TemplateSyntaxError) else ""
        raise PublisherError(f"{where}email template: {exc}") from None
    markup = _inline_css(markup)
    if not archive:
        markup, text = escape_parts(profile.syntax, markup, text)
    for token, value in merge.items():
        markup, text = markup.replace(token, value), text.replace(token, value)
    text = re.sub(r"\n{3,}", "\n\n", text)
    if not archive:
        refuse_unsendable(plan, profile, markup, text)
        warnings.extend(warnings_before_sending(title, markup, full, len(plan.posts)))
    return RenderedIssue(title, preheader, markup, text, tuple(warnings))
