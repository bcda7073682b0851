"""An issue plan -> its HTML (CSS inlined by premailer) and its plain text.

Both parts come from the same context. The mailing tool's placeholders reach the HTML
as inert tokens and are put back after premailer, which would otherwise URL-encode
`{{ unsubscribe_url }}` inside an href; Jinja only ever sees them as values.
"""

from __future__ import annotations

import logging
import re
from collections.abc import Callable
from dataclasses import dataclass
from datetime import datetime
from urllib.parse import parse_qsl, urlencode, urlsplit, urlunsplit

import jinja2
import markdown
from markupsafe import Markup
from premailer import Premailer

from publisher.config import Config
from publisher.content.render import Rendered
from publisher.newsletter.email_html import clean_for_email, to_text
from publisher.newsletter.plan import IssuePlan, subject
from publisher.newsletter.profiles import Profile
from publisher.problems import PublisherError
from publisher.site.post import Post

GMAIL_CLIP_BYTES = 102 * 1024
SUBJECT_MAX = 78
_TOKENS = {"unsubscribe": "PUBLISHER-PLACEHOLDER-UNSUBSCRIBE",
           "web_version": "PUBLISHER-PLACEHOLDER-WEB-VERSION"}


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
        # The caption is Markdown: its text, not its asterisks, is what alt should say.
        alt = to_text(markdown.markdown(post.image_caption)).strip() if post.image_caption \
            else post.title
        image = {"url": post.image, "alt": alt}
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


def render_issue(plan: IssuePlan, config: Config, profile: Profile,
                 render_post: Callable[[Post], Rendered],
                 env: jinja2.Environment) -> RenderedIssue:
    warnings: list[str] = []
    track = _tracker(config, plan)
    sections = [{"title": section.series.title,
                 "posts": [_post_context(p, render_post(p), plan.settings.full_content, track,
                                         warnings) for p in section.posts]}
                for section in plan.sections]
    first = sections[0]["posts"][0] if sections and sections[0]["posts"] else None
    preheader = " ".join(str(first["text"]).split())[:140] if first else ""
    title = subject(plan, config)
    context: dict[str, object] = {
        "lang": config.site.language, "subject": title, "preheader": preheader,
        "site": {"title": config.site.title, "url": track(config.base_url + "/")},
        "heading": plan.settings.title, "description": plan.settings.description,
        "number": plan.number, "date": _date(plan.created), "sections": sections,
        "digest": len(plan.sections) > 1 or plan.key == "",
        "list_name": plan.settings.title if plan.key else config.site.title,
    }
    html_values = {"unsubscribe_url": _TOKENS["unsubscribe"],
                   "web_version_url": _TOKENS["web_version"] if profile.web_version else None}
    text_values = {"unsubscribe_url": profile.unsubscribe, "web_version_url": profile.web_version}
    try:
        markup = env.get_template("email/issue.html").render(**context, **html_values)
        text = env.get_template("email/issue.txt").render(**context, **text_values)
    except jinja2.TemplateError as exc:
        where = f"{exc.filename}:{exc.lineno}: " if isinstance(
            exc, jinja2.TemplateSyntaxError) else ""
        raise PublisherError(f"{where}email template: {exc}") from None
    markup = _inline_css(markup)
    markup = markup.replace(_TOKENS["unsubscribe"], profile.unsubscribe)
    if profile.web_version:
        markup = markup.replace(_TOKENS["web_version"], profile.web_version)
    warnings.extend(_checks(title, markup, text, profile))
    if not plan.settings.sender:
        warnings.append("no From: address; set email.from (or the [author] email)")
    text = re.sub(r"\n{3,}", "\n\n", text)
    return RenderedIssue(title, preheader, markup, text, tuple(warnings))


def _checks(title: str, markup: str, text: str, profile: Profile) -> list[str]:
    """What a careful sender wants to hear before sending."""
    found = []
    size = len(markup.encode("utf-8"))
    if size > GMAIL_CLIP_BYTES:
        found.append(f"the HTML is {size // 1024} KB: Gmail clips messages over 102 KB; "
                     "send excerpts (full_content = false) or fewer posts")
    if not profile.unsubscribe:
        found.append("no unsubscribe link: set email.unsubscribe_url or "
                     "email.unsubscribe_mailto (smtp profile)")
    elif profile.unsubscribe not in markup or profile.unsubscribe not in text:
        found.append(f"the unsubscribe placeholder {profile.unsubscribe} is missing from "
                     "your template; mailing tools refuse or bounce such issues")
    if not title:
        found.append("the subject is empty; set email.subject")
    elif len(title) > SUBJECT_MAX:
        found.append(f"the subject is {len(title)} characters; over {SUBJECT_MAX} it is cut "
                     "in most inboxes")
    return found
