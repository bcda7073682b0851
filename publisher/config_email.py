"""The newsletter's tables of publisher.toml: `[email]`, `[smtp]` and `[series."Name"]`.

Kept apart from config.py so each stays one concept under 300 lines; config.py
assembles them into `Config`.
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from zoneinfo import ZoneInfo

from publisher.dates import DateError, parse_date
from publisher.problems import Problem, error
from publisher.schema import key, line_of, quoted

PROFILES = ("smtp", "mailchimp", "buttondown", "listmonk", "kit")
SUBJECT_FIELDS = ("series", "number", "title", "count", "site", "date")
ORDERS = ("newest", "oldest")


@dataclass(frozen=True)
class EmailConfig:
    ledger: str = key("publisher.db", "The ledger of issues and announced posts (SQLite), "
                      "relative to this file. Commit it with your posts.")
    profile: str = key("smtp", "Mailing tool the issues are for: its unsubscribe "
                       "placeholder goes in every issue.", choices=PROFILES)
    sender: str = key("", "`From:` of the issues, e.g. `Ada <ada@example.org>`; default: "
                      "the `[author]`.", name="from")
    reply_to: str = key("", "`Reply-To:` of the issues.")
    to: str = key("", "The list's address: `To:` of the issues, where `--send` delivers.")
    subject: str = key("{series} #{number}: {title}", "Subject pattern: `{series}`, "
                       "`{number}`, `{title}` (the post's, or the newest one's and how many "
                       "more), `{count}`, `{site}`, `{date}`.")
    order: str = key("newest", "Order of the posts in an issue: `newest` first (the subject "
                     "names the newest) or `oldest` first.", choices=ORDERS)
    first_issue_max: int = key(3, "A series that never announced a post drafts nothing when "
                               "it has more new posts than this (the archive of an existing "
                               "blog); `publish email` says what to do: `--baseline`, "
                               "`--since DATE` or `--all`.")
    max_posts_per_issue: int = key(10, "`publish email --send` refuses an issue with more "
                                   "posts than this, unless `--all`.")
    address: str = key("", "The sender's postal address, shown in every footer (CAN-SPAM "
                       "and Mailchimp require one); the mailchimp profile uses "
                       "`*|LIST:ADDRESS|*` when it is empty.")
    series_fallback: str = key("none", "Series of a post without `series`: `none` (not "
                               "emailed), `categories`, or `default` (`email.default_series`).",
                               choices=("none", "categories", "default"))
    default_series: str = key("Newsletter", "The series of posts without one when "
                              "`series_fallback = \"default\"`.")
    full_content: bool = key(False, "Put whole posts in issues, not excerpts.")
    templates: str = key("templates", "Folder of your own `email/issue.html`, "
                         "`email/issue.txt` and `email/style.css`, relative to this file; "
                         "missing ones come from publisher.")
    utm_source: str = key("", "When set, links to the site get `utm_source`, `utm_medium` "
                          "and `utm_campaign` (existing parameters are kept).")
    utm_medium: str = key("email", "`utm_medium` of those links.")
    unsubscribe_url: str = key("", "smtp profile: the page where a subscriber unsubscribes.")
    unsubscribe_mailto: str = key("", "smtp profile: the address that unsubscribes whoever "
                                  "writes to it.")
    subscribe_url: str = key("", "The page where people sign up for the newsletter: linked "
                             "from each series' subscribe page.")


@dataclass(frozen=True)
class SmtpConfig:
    host: str = key("localhost", "SMTP server for `--send` and `--test-to`.")
    port: int = key(587, "Its port.")
    security: str = key("starttls", "`starttls`, `ssl` or `none`.",
                        choices=("starttls", "ssl", "none"))
    username: str = key("", "Login; or set `PUBLISHER_SMTP_USERNAME`.")
    password_env: str = key("PUBLISHER_SMTP_PASSWORD", "Name of the environment variable "
                            "that holds the password (never written in this file).")
    timeout: int = key(30, "Seconds to wait for the server (more than 0).")


@dataclass(frozen=True)
class SeriesConfig:
    """`[series."Name"]`: every key is optional; empty ones take `[email]`'s."""

    title: str = key("", "Title of the series in issues and feeds (default: its name).")
    description: str = key("", "One sentence under the title of each issue.")
    subject: str = key("", "Subject pattern for this series.")
    sender: str = key("", "`From:` for this series.", name="from")
    reply_to: str = key("", "`Reply-To:` for this series.")
    profile: str = key("", "Mailing tool for this series.", choices=("",) + PROFILES)
    to: str = key("", "List address for this series.")
    since: str = key("", "Posts dated before this (`2024-06-01`) are never announced.")
    intro: str = key("", "A Markdown file (relative to this file) shown above the posts of "
                     "each issue of this series; `publish email --intro FILE` wins.")
    subscribe_url: str = key("", "Sign-up page of this series' newsletter.")
    full_content: bool | None = key(None, "Whole posts (true) or excerpts (false).")


def email_problems(email: EmailConfig, all_series: dict[str, SeriesConfig], source: str,
                   text: str) -> list[Problem]:
    """What is wrong with the values of the newsletter's tables (their types are checked)."""
    problems: list[Problem] = []
    patterns = [("email.subject", email.subject)] + [
        (f"series.{quoted(name)}.subject", series.subject)
        for name, series in all_series.items()]
    for where, pattern in patterns:
        unknown = [f for f in re.findall(r"\{(\w+)\}", pattern) if f not in SUBJECT_FIELDS]
        if unknown:
            problems.append(error(source, line_of(text, where), where,
                                  f"unknown placeholder {{{unknown[0]}}}; use "
                                  + ", ".join(f"{{{f}}}" for f in SUBJECT_FIELDS)))
    for name, series in all_series.items():
        if series.since:
            try:
                parse_date(series.since, ZoneInfo("UTC"))
            except DateError as exc:
                where = f"series.{quoted(name)}.since"
                problems.append(error(source, line_of(text, where), where, str(exc)))
    for where, value, least in (("email.first_issue_max", email.first_issue_max, 0),
                                ("email.max_posts_per_issue", email.max_posts_per_issue, 1)):
        if value < least:
            problems.append(error(source, line_of(text, where), where,
                                  f"must be {least} or more, not {value}"))
    return problems
