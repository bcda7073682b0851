"""Recording what went out: mark sent or discarded, send for real, send a proof.

A post counts as announced only once its issue is recorded as sent, and that record
is made only after the fact: the writer says so, or the SMTP server accepted it.
"""

from __future__ import annotations

from collections.abc import Sequence
from datetime import datetime

from publisher.config import Config
from publisher.newsletter import smtp
from publisher.newsletter.archive import archive_files, issue_folder, page_path
from publisher.newsletter.drafts import Draft, find_open
from publisher.newsletter.eml import build_message
from publisher.newsletter.ledger import Issue, Ledger, Version
from publisher.newsletter.profiles import Profile, profile
from publisher.newsletter.state import record_outcome
from publisher.output import write_all
from publisher.problems import PublisherError
from publisher.site.cache import Cache
from publisher.site.load import Site


def label(key: str) -> str:
    return key or "digest"


def draft_profile(draft: Draft, config: Config) -> Profile:
    return profile(draft.plan.settings.profile, config.email)


def mark(ledger: Ledger, config: Config, name: str | None, status: str,
         now: datetime, draft: str | None = None) -> tuple[Issue, Version | None]:
    """Record the open draft of series `name` (None: the digest) as sent or discarded;
    sent as it was in the content whose digest starts with `draft` (and the version
    recorded, None when the draft as it is now)."""
    issue = find_open(ledger, config, name)
    version = sent_version(issue, ledger.versions(issue), draft) if status == "sent" \
        else None
    if version is None:
        ledger.set_status(issue, status, now if status == "sent" else None)
    else:
        ledger.record_version_sent(issue, version, now)
    return issue, version


def redrafted(issue: Issue, versions: Sequence[Version]) -> str | None:
    """A warning when the draft now on disk announces other posts than an earlier one,
    which the writer may have pasted into the mailing tool already."""
    if len({v.posts() for v in versions}) <= 1:
        return None
    earlier = versions[-2]
    command = f"publish email --mark-sent \"{issue.series}\"" if issue.series \
        else "publish email --mark-sent --digest"
    return (f"{label(issue.series)} #{issue.number}: drafted again with other posts than "
            f"before; if you already sent the earlier draft, record that one: '{command} "
            f"--draft {earlier.short}'")


def _listed(versions: Sequence[Version]) -> str:
    return "; ".join(f"{v.short} (written {v.written:%Y-%m-%d %H:%M}, "
                     f"{len(v.entries)} post{'s' if len(v.entries) != 1 else ''}"
                     f"{', the one on disk now' if v is versions[-1] else ''})"
                     for v in versions)


def sent_version(issue: Issue, versions: Sequence[Version], draft: str | None
                 ) -> Version | None:
    """Which content of `issue` was sent: the one `draft` names, or the one on disk when
    every content it had announced the same posts. Refused when that is not known."""
    name = f"{label(issue.series)} #{issue.number}"
    command = f"publish email --mark-sent \"{issue.series}\"" if issue.series \
        else "publish email --mark-sent --digest"
    if draft is None:
        if issue.status == "sending" or len({v.posts() for v in versions}) <= 1:
            return None
        raise PublisherError(
            f"{name} was drafted again with other posts after it was first written, so "
            "which posts went out depends on which draft you sent; nothing was recorded. "
            f"Its drafts, by the \"sha256\" in their issue.json: {_listed(versions)}. Run "
            f"'{command} --draft DIGEST' with the one you sent")
    wanted = draft.strip().lower()
    if len(wanted) < 8 or any(c not in "0123456789abcdef" for c in wanted):
        raise PublisherError(f"--draft {draft!r}: give the draft's digest (\"sha256\" in its "
                             "issue.json), at least its first 8 hex digits")
    found = [v for v in versions if v.digest.startswith(wanted)]
    if len(found) != 1:
        what = "no draft" if not found else "more than one draft"
        known = _listed(versions) or "none recorded (an older publisher drafted it: run " \
            "without --draft)"
        raise PublisherError(f"--draft {draft!r}: {what} of {name} has that digest; nothing "
                             f"was recorded. Its drafts: {known}")
    return found[0]


def settle(ledger: Ledger, site: Site, issues: Sequence[Issue], status: str, now: datetime,
           cache: Cache | None = None) -> None:
    """After the ledger recorded `issues` as `status`: their folders say so, and sent
    issues join the web archive (out/email/archive/)."""
    config = site.config
    for issue in issues:
        record_outcome(config.output_dir, issue_folder(config, issue), status, now)
    if status == "sent" and issues:
        update_archive(ledger, site, cache)


def update_archive(ledger: Ledger, site: Site, cache: Cache | None = None) -> None:
    """Write the archive's missing pages (all of them in a fresh checkout), its index and
    its feed; files that did not change are left alone."""
    sent = [i for i in ledger.issues() if i.status == "sent"]
    if not sent:
        return
    out = site.config.output_dir
    missing = [i for i in sent if not (out / page_path(site.config, i)).is_file()]
    write_all(out, archive_files(sent, missing, site, cache))


def check_size(drafts: Sequence[Draft], config: Config, announce_all: bool) -> None:
    """--send refuses, before sending any, an issue with more posts than allowed."""
    limit = config.email.max_posts_per_issue
    for draft in drafts:
        count = len(draft.plan.posts)
        if count > limit and not announce_all:
            raise PublisherError(
                f"{label(draft.plan.key)} #{draft.plan.number}: not sent: it announces "
                f"{count} posts, more than email.max_posts_per_issue ({limit}); nothing was "
                f"sent. Review {draft.plan.folder}/issue.html, then send it with 'publish "
                "email --send --all', or run 'publish email --baseline' (or --since DATE) "
                "to leave the older posts out")


def send_proof(draft: Draft, config: Config, to: str) -> None:
    """The draft to `to`, subject marked [Test]; nothing is recorded."""
    message = build_message(draft.plan, draft.issue, config, draft_profile(draft, config),
                            to=to, draft=False)
    message.replace_header("Subject", f"[Test] {draft.issue.subject}")
    smtp.send(message, config.smtp, to)


def send_draft(draft: Draft, ledger: Ledger, config: Config, now: datetime) -> smtp.Delivery:
    """Deliver the draft to its list address and record it as sent once accepted.

    'sending' is recorded first: a run killed mid-send leaves a mark that stops a second
    send until the writer says whether it went out. The issue is recorded as sent, with
    each recipient's answer, the moment the server accepts the message (before QUIT);
    a failure before the message left puts it back to draft; one after it left and
    before the answer (a dropped connection, a timeout, Ctrl-C) leaves it 'sending'.
    """
    plan = draft.plan
    tool = draft_profile(draft, config)
    if tool.is_placeholder:
        raise PublisherError(f"{label(plan.key)} uses the {tool.label} profile: paste or "
                             f"import {plan.folder}/issue.html there and send it from "
                             f"{tool.label}; --send is for the smtp profile")
    if not plan.settings.to:
        raise PublisherError(f"{label(plan.key)}: no list address to send to; set email.to")
    issue = ledger.open_issue(plan.key)
    assert issue is not None, "drafts are recorded before they are sent"
    message = build_message(plan, draft.issue, config, tool, draft=False)
    ledger.set_status(issue, "sending")
    answered = []

    def accepted(delivery: smtp.Delivery) -> None:
        answered.append(delivery)
        ledger.record_sent(issue, delivery.accepted, delivery.refused, now, delivery.reply)

    try:
        return smtp.send(message, config.smtp, plan.settings.to, accepted)
    except smtp.NotSent:
        ledger.set_status(issue, "draft")
        raise
    except KeyboardInterrupt:
        if not answered:  # before the message left: nothing was delivered
            ledger.set_status(issue, "draft")
        raise
    except smtp.Unconfirmed as exc:
        raise smtp.Unconfirmed(
            f"{exc}. Issue #{issue.number} of {label(plan.key)} stays 'sending': check the "
            f"list's inbox, then run 'publish email --mark-sent \"{plan.key}\"' if it "
            f"arrived or 'publish email --discard \"{plan.key}\"' if it did not") from None
