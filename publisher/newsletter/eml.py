"""A rendered issue -> an .eml draft (multipart/alternative) and its JSON manifest."""

from __future__ import annotations

import hashlib
import json
from email.message import EmailMessage
from email.policy import SMTP
from email.utils import format_datetime
from urllib.parse import urlsplit

from publisher.config import Config
from publisher.newsletter.plan import IssuePlan
from publisher.newsletter.profiles import Profile
from publisher.newsletter.render import RenderedIssue


def _header(value: str) -> str:
    """One line, whatever the config or a title holds: no header injection."""
    return " ".join(value.split())


def message_id(plan: IssuePlan, config: Config) -> str:
    """Stable for an issue, so a rebuilt draft is the same message."""
    host = urlsplit(config.base_url).hostname or "localhost"
    digest = hashlib.sha256(f"{config.base_url}\0{plan.key}\0{plan.number}".encode())
    return f"<{digest.hexdigest()[:24]}.{plan.number}@{host}>"


def build_message(plan: IssuePlan, issue: RenderedIssue, config: Config, profile: Profile,
                  *, to: str | None = None, draft: bool = True) -> EmailMessage:
    msg = EmailMessage(policy=SMTP)
    msg["Subject"] = _header(issue.subject)
    if plan.settings.sender:
        msg["From"] = _header(plan.settings.sender)
    recipient = plan.settings.to if to is None else to
    if recipient:
        msg["To"] = _header(recipient)
    if plan.settings.reply_to:
        msg["Reply-To"] = _header(plan.settings.reply_to)
    msg["Date"] = format_datetime(plan.created)
    msg["Message-ID"] = message_id(plan, config)
    for name, value in profile.list_headers:
        msg[name] = _header(value)
    if draft:
        msg["X-Unsent"] = "1"  # Outlook and Thunderbird open it as a draft to send
    msg.set_content(issue.text, subtype="plain", charset="utf-8", cte="quoted-printable")
    msg.add_alternative(issue.html, subtype="html", charset="utf-8", cte="quoted-printable")
    # The boundary is random by default; the same issue must give the same bytes.
    msg.set_boundary("=_publisher_" + message_id(plan, config)[1:25])
    return msg


def manifest(plan: IssuePlan, issue: RenderedIssue, profile: Profile,
             sizes: dict[str, int], digest: str = "") -> bytes:
    """`digest`: the .eml's SHA-256, which `--mark-sent --draft` names the draft by."""
    data = {
        "series": plan.key or None, "digest": plan.key == "", "number": plan.number,
        "status": "draft", "subject": issue.subject, "preheader": issue.preheader,
        "profile": profile.name, "created": plan.created.isoformat(),
        "posts": [{"id": p.id, "url": p.url, "title": p.title, "date": p.date.isoformat(),
                   "series": s.series.name,
                   "also_in": [o.series.name for o in plan.sections if p in o.also]}
                  for s in plan.sections for p in s.posts],
        "files": sizes, "sha256": digest, "warnings": list(issue.warnings),
    }
    return (json.dumps(data, ensure_ascii=False, indent=2) + "\n").encode("utf-8")
