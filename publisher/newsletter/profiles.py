"""Mailing tools: the placeholders each one replaces per subscriber when it sends, and
the template language it runs our draft through (publisher/newsletter/escape.py)."""

from __future__ import annotations

from dataclasses import dataclass
from urllib.parse import quote

from publisher.config import EmailConfig


@dataclass(frozen=True)
class Profile:
    """What an issue needs to know about the tool that will send it."""

    name: str
    label: str
    unsubscribe: str  # a placeholder the tool replaces, or a real URL (smtp)
    web_version: str | None = None
    list_headers: tuple[tuple[str, str], ...] = ()  # List-Unsubscribe and friends (smtp)
    syntax: str = ""  # the tool's template language: a key of escape.ESCAPES
    address: str | None = None  # the tool's own postal-address tag, when email.address is ""

    @property
    def is_placeholder(self) -> bool:
        return self.name != "smtp"


_TOOLS = {
    # Mailchimp merge tags: https://mailchimp.com/help/all-the-merge-tags-cheat-sheet/
    # Mailchimp requires the audience's address in a footer: *|LIST:ADDRESS|* fills it in.
    "mailchimp": Profile("mailchimp", "Mailchimp", "*|UNSUB|*", "*|ARCHIVE|*",
                         syntax="mailchimp", address="*|LIST:ADDRESS|*"),
    # Buttondown renders emails with Django templates: unsubscribe_url, email_url.
    "buttondown": Profile("buttondown", "Buttondown", "{{ unsubscribe_url }}", "{{ email_url }}",
                          syntax="django"),
    # listmonk Go-template expressions.
    "listmonk": Profile("listmonk", "listmonk", "{{ UnsubscribeURL }}", "{{ MessageURL }}",
                        syntax="go"),
    # Kit (ConvertKit) Liquid variable; Kit has no web-version variable.
    "kit": Profile("kit", "Kit", "{{ unsubscribe_url }}", syntax="liquid"),
}


def profile(name: str, email: EmailConfig) -> Profile:
    """The profile `name`; `smtp` takes its unsubscribe URL and mailto from the config."""
    if name in _TOOLS:
        return _TOOLS[name]
    mailto = f"mailto:{email.unsubscribe_mailto}?subject={quote('unsubscribe')}" \
        if email.unsubscribe_mailto else ""
    link = email.unsubscribe_url or mailto
    targets = [t for t in (mailto, email.unsubscribe_url) if t]
    headers: list[tuple[str, str]] = []
    if targets:
        headers.append(("List-Unsubscribe", ", ".join(f"<{t}>" for t in targets)))
    if email.unsubscribe_url.startswith("https://"):
        # RFC 8058 one-click unsubscribe: only meaningful with an HTTPS URL.
        headers.append(("List-Unsubscribe-Post", "List-Unsubscribe=One-Click"))
    return Profile("smtp", "SMTP", link, None, tuple(headers))
