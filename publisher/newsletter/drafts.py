"""The steps of `publish email`: plan and render drafts, then record what happened.

Order matters for "no post twice, none skipped": files are written before the
ledger records a draft, and a post counts as announced only once its issue is
recorded as sent, which happens only after the fact (the server accepted it, or
the writer said so with --mark-sent).
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from datetime import datetime

from publisher.config import Config
from publisher.content.render import Rendered
from publisher.content.rendering import render_posts
from publisher.newsletter.eml import build_message, manifest
from publisher.newsletter.ledger import Issue, Ledger
from publisher.newsletter.plan import IssuePlan, Section, email_series, new_posts
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


def _check_not_sending(issue: Issue | None) -> None:
    if issue is not None and issue.status == "sending":
        name = issue.series or "the digest"
        raise PublisherError(
            f"issue #{issue.number} of {name} was being sent when a run stopped; check "
            f"whether it arrived, then run 'publish email --mark-sent \"{issue.series}\"' if "
            f"it did or 'publish email --discard \"{issue.series}\"' if it did not")


def plan_drafts(site: Site, ledger: Ledger, now: datetime, *, digest: bool = False
                ) -> tuple[list[IssuePlan], list[Issue]]:
    """The drafts to write now, and the open drafts that have nothing left to announce."""
    config = site.config
    fresh = new_posts(site.visible(now), config, ledger.announced)
    keys = [DIGEST] if digest else sorted(set(fresh) | {
        i.series for i in ledger.issues() if i.status in ("draft", "sending") and i.series})
    plans: list[IssuePlan] = []
    stale: list[Issue] = []
    for key in keys:
        current = ledger.open_issue(key)
        _check_not_sending(current)
        names = sorted(fresh) if key == DIGEST else [key] if key in fresh else []
        if not names:
            if current is not None:
                stale.append(current)
            continue
        sections = tuple(Section(series_settings(config, n), fresh[n]) for n in names)
        number = current.number if current else ledger.next_number(key)
        created = current.created if current else now
        plans.append(IssuePlan(series_settings(config, key), number, created, sections))
    return plans, stale


def render_drafts(plans: Sequence[IssuePlan], site: Site, cache: Cache | None = None
                  ) -> list[Draft]:
    config = site.config
    env = environment(config.templates_dir)
    rendered = render_posts(site, (post for plan in plans for post in plan.posts), cache)

    def render_post(post: Post) -> Rendered:
        return rendered[post.id]

    drafts = []
    for plan in plans:
        profile = get_profile(plan.settings.profile, config.email)
        issue = render_issue(plan, config, profile, render_post, env)
        eml = build_message(plan, issue, config, profile).as_bytes()
        parts = {"issue.html": issue.html.encode("utf-8"),
                 "issue.txt": issue.text.encode("utf-8"), "issue.eml": eml}
        sizes = {name: len(data) for name, data in parts.items()}
        parts["issue.json"] = manifest(plan, issue, profile, sizes)
        drafts.append(Draft(plan, issue, {f"{plan.folder}/{n}": d for n, d in parts.items()}))
    return drafts


def record_drafts(ledger: Ledger, drafts: Sequence[Draft], stale: Sequence[Issue]) -> None:
    for draft in drafts:
        ledger.save_draft(draft.plan.key, draft.plan.number, draft.issue.subject,
                          draft.plan.created, draft.plan.entries())
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


def baseline(site: Site, ledger: Ledger, now: datetime) -> dict[str, int]:
    """Record every published post as announced, series by series, sending nothing."""
    fresh = new_posts(site.visible(now), site.config, ledger.announced)
    counts = {}
    for name, posts in fresh.items():
        plan = IssuePlan(series_settings(site.config, name), 0, now,
                         (Section(series_settings(site.config, name), posts),))
        ledger.record_baseline(name, plan.entries(), now)
        counts[name] = len(posts)
    return counts
