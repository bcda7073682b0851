"""The steps of `publish email`: plan and render drafts, then record what happened.

Order matters for "no post twice, none skipped": files are written before the
ledger records a draft, and a post counts as announced only once its issue is
recorded as sent, which happens only after the fact (the server accepted it, or
the writer said so with --mark-sent).
"""

from __future__ import annotations

import hashlib
from collections.abc import Sequence
from dataclasses import dataclass
from datetime import datetime
from pathlib import Path

from publisher.config import Config
from publisher.content.render import Rendered
from publisher.content.rendering import render_posts
from publisher.newsletter.eml import build_message, manifest
from publisher.newsletter.ledger import Issue, Ledger
from publisher.newsletter.plan import (
    IssuePlan,
    Renamed,
    Section,
    email_series,
    held_renamed,
    new_posts,
    ordered,
)
from publisher.newsletter.profiles import profile as get_profile
from publisher.newsletter.render import RenderedIssue, render_issue
from publisher.newsletter.templating import environment
from publisher.problems import PublisherError
from publisher.series import DIGEST, series_settings
from publisher.site.cache import Cache
from publisher.site.load import Site
from publisher.site.post import Post
from publisher.urls import term_slug


@dataclass(frozen=True)
class Draft:
    plan: IssuePlan
    issue: RenderedIssue
    files: dict[str, bytes]  # path in the output folder -> bytes

    @property
    def eml(self) -> bytes:
        return self.files[f"{self.plan.folder}/issue.eml"]

    @property
    def digest(self) -> str:
        """What identifies this content of the draft (ledger_versions): its .eml's SHA-256."""
        return hashlib.sha256(self.eml).hexdigest()


def _check_not_sending(issue: Issue | None) -> None:
    if issue is not None and issue.status == "sending":
        name = issue.series or "the digest"
        raise PublisherError(
            f"issue #{issue.number} of {name} was being sent when a run stopped; check "
            f"whether it arrived, then run 'publish email --mark-sent \"{issue.series}\"' if "
            f"it did or 'publish email --discard \"{issue.series}\"' if it did not")


@dataclass(frozen=True)
class Held:
    """A series' first issue held back: it would announce the archive."""

    series: str
    count: int
    limit: int  # email.first_issue_max


@dataclass(frozen=True)
class Planned:
    plans: list[IssuePlan]
    stale: list[Issue]  # open drafts with nothing left to announce
    held: list[Held]  # first-run guard
    renamed: list[Renamed]  # held back: a renamed file of an announced post


def _digest_sections(config: Config, fresh: dict[str, tuple[Post, ...]]
                     ) -> tuple[Section, ...]:
    """One section per series; a post in several is listed under the first of them."""
    listed: set[str] = set()
    sections = []
    order = config.email.order
    for name in sorted(fresh):
        shown = [p for p in fresh[name] if p.id not in listed]
        listed.update(p.id for p in shown)
        also = tuple(p for p in fresh[name] if p not in shown)
        sections.append(Section(series_settings(config, name), ordered(shown, order), also))
    return tuple(s for s in sections if s.posts or s.also)


def plan_drafts(site: Site, ledger: Ledger, now: datetime, *, digest: bool = False,
                since: datetime | None = None, announce_all: bool = False,
                announce_renamed: bool = False) -> Planned:
    """The drafts to write now, and what is left out and why.

    A series that never announced a post and has more than `email.first_issue_max` new
    ones is held (the archive of an existing blog), unless `announce_all` or `since`
    (the writer chose what goes out).
    """
    config = site.config
    fresh = new_posts(site.visible(now), config, ledger.announced, since)
    renamed: list[Renamed] = []
    if not announce_renamed:
        fresh, renamed = held_renamed(fresh, ledger.announced_titles)
    held = [Held(name, len(posts), config.email.first_issue_max)
            for name, posts in fresh.items()
            if not (announce_all or since) and len(posts) > config.email.first_issue_max
            and not ledger.announced(name)]
    for h in held:
        del fresh[h.series]
    keys = [DIGEST] if digest else sorted(set(fresh) | {
        i.series for i in ledger.issues() if i.status in ("draft", "sending") and i.series})
    plans: list[IssuePlan] = []
    stale: list[Issue] = []
    for key in keys:
        current = ledger.open_issue(key)
        _check_not_sending(current)
        if key == DIGEST:
            sections = _digest_sections(config, fresh)
        else:
            sections = (Section(series_settings(config, key),
                                ordered(fresh[key], config.email.order)),) \
                if key in fresh else ()
        if not sections:
            if current is not None:
                stale.append(current)
            continue
        number = current.number if current else ledger.next_number(key)
        created = current.created if current else now
        plans.append(IssuePlan(series_settings(config, key), number, created, sections))
    return Planned(plans, stale, held, renamed)


def read_intro(path: Path, what: str) -> str:
    """The text of an intro note (Markdown); a clear error when it cannot be read."""
    if not path.is_file():  # never a FIFO or a device: it could block forever
        raise PublisherError(f"{path}: no such file ({what}); write the intro note there "
                             "in Markdown, or fix the path")
    try:
        return path.read_text(encoding="utf-8-sig")
    except (OSError, UnicodeDecodeError) as exc:
        raise PublisherError(f"{path}: cannot read the intro note ({what}): {exc}") from None


def render_drafts(plans: Sequence[IssuePlan], site: Site, cache: Cache | None = None,
                  intro: str | None = None) -> list[Draft]:
    """Every plan's files; `intro` (--intro) goes above the posts of each, else the
    series' own `intro` file."""
    config = site.config
    env = environment(config.templates_dir)
    rendered = render_posts(site, (post for plan in plans for post in plan.posts), cache)

    def render_post(post: Post) -> Rendered:
        return rendered[post.id]

    drafts = []
    for plan in plans:
        note = intro
        if note is None and plan.settings.intro:
            where = f'series."{plan.key}".intro in publisher.toml'
            note = read_intro(config.root / plan.settings.intro, where)
        profile = get_profile(plan.settings.profile, config.email)
        issue = render_issue(plan, config, profile, render_post, env, note)
        eml = build_message(plan, issue, config, profile).as_bytes()
        parts = {"issue.html": issue.html.encode("utf-8"),
                 "issue.txt": issue.text.encode("utf-8"), "issue.eml": eml}
        sizes = {name: len(data) for name, data in parts.items()}
        parts["issue.json"] = manifest(plan, issue, profile, sizes,
                                       hashlib.sha256(eml).hexdigest())
        drafts.append(Draft(plan, issue, {f"{plan.folder}/{n}": d for n, d in parts.items()}))
    return drafts


def record_drafts(ledger: Ledger, drafts: Sequence[Draft], stale: Sequence[Issue],
                  now: datetime | None = None) -> None:
    for draft in drafts:
        ledger.save_draft(draft.plan.key, draft.plan.number, draft.issue.subject,
                          draft.plan.created, draft.plan.entries(), draft.digest, now)
    for issue in stale:
        ledger.set_status(issue, "discarded")


def find_open(ledger: Ledger, config: Config, name: str | None) -> Issue:
    """The open draft of a series named by its name or slug (None: the digest)."""
    if name is None:
        key = DIGEST
    else:
        names = {i.series for i in ledger.issues()} | set(config.series)
        key = next((n for n in sorted(names) if name in (n, term_slug(n)) and n), name)
    issue = ledger.open_issue(key)
    if issue is None:
        label = f"series {name!r}" if name is not None else "the digest"
        raise PublisherError(f"{label} has no open draft; run 'publish email' to draft one "
                             "(it needs posts that were never announced)")
    return issue


def without_series_hint(site: Site, now: datetime) -> str | None:
    """Why nothing can ever be emailed, when no published post belongs to a series."""
    if any(email_series(post, site.config) for post in site.visible(now)):
        return None
    return ("no published post belongs to a series, so none can be announced: give posts "
            "a series, or set email.series_fallback = \"categories\" (or \"default\") in "
            "publisher.toml")


def baseline(site: Site, ledger: Ledger, now: datetime, before: datetime | None = None
             ) -> dict[str, int]:
    """Record every published post (or those dated before `before`) as announced, series
    by series, sending nothing."""
    fresh = new_posts(site.visible(now), site.config, ledger.announced)
    counts = {}
    for name, posts in fresh.items():
        if before is not None:
            posts = tuple(p for p in posts if p.date < before)
            if not posts:
                continue
        plan = IssuePlan(series_settings(site.config, name), 0, now,
                         (Section(series_settings(site.config, name), posts),))
        ledger.record_baseline(name, plan.entries(), now)
        counts[name] = len(posts)
    return counts
