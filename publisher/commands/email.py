"""`publish email`: draft, record and send newsletter issues."""

from __future__ import annotations

import argparse
import time
from collections.abc import Sequence
from datetime import datetime
from pathlib import Path
from typing import Any

from publisher.commands.common import caching, kilobytes, now_from, plural, read_site
from publisher.config import Config
from publisher.console import Console
from publisher.output import shown
from publisher.problems import PublisherError


def cmd_email(args: argparse.Namespace, console: Console) -> int:
    from publisher.newsletter.drafts import (
        baseline,
        plan_drafts,
        read_intro,
        record_drafts,
        render_drafts,
        without_series_hint,
    )
    from publisher.newsletter.ledger import Ledger
    from publisher.newsletter.sending import redrafted, settle, update_archive

    started = time.perf_counter()
    site, cache = read_site(args, console)
    config = site.config
    now = now_from(args.now, config)
    since = _since(args.since, config)
    intro = read_intro(Path(args.intro), "--intro") if args.intro else None
    if args.dry_run and (args.baseline or args.mark_sent is not None
                         or args.discard is not None):
        raise PublisherError("--dry-run records nothing, so it cannot go with --baseline, "
                             "--mark-sent or --discard; run without --dry-run")
    # A dry run reads a copy of the ledger: it creates, locks and changes no file.
    opened = Ledger.read_only(config.ledger_path) if args.dry_run else Ledger.open(
        config.ledger_path, new_allowed=args.baseline,
        issue_folders=[config.output_dir / "email"])
    with opened as ledger:
        if args.baseline:
            counts = baseline(site, ledger, now)
            for name, count in counts.items():
                console.out(f"{name}: {plural(count, 'post')} recorded as announced "
                            "(nothing sent)")
            if not counts:
                hint = without_series_hint(site, now)
                console.out(hint or "nothing to record: every published post was already "
                            "announced")
            return 0
        if args.mark_sent is not None or args.discard is not None:
            return _mark(args, ledger, site, now, console)
        if since is not None and not args.dry_run:
            for name, count in baseline(site, ledger, now, before=since).items():
                console.out(f"{name}: {plural(count, 'post')} dated before {args.since} "
                            "recorded as announced (nothing sent)")
        planned = plan_drafts(site, ledger, now, digest=args.digest, since=since,
                              announce_all=args.all, announce_renamed=args.announce_renamed)
        drafts = render_drafts(planned.plans, site, cache, intro)
        target = _write_drafts(args, drafts, config)
        if not args.dry_run:
            record_drafts(ledger, drafts, planned.stale, now)  # after the files: what exists
            for draft in drafts:
                issue = ledger.open_issue(draft.plan.key)
                if issue and (warning := redrafted(issue, ledger.versions(issue))):
                    console.warn(warning)
            settle(ledger, site, planned.stale, "discarded", now, cache)
            update_archive(ledger, site, cache)  # a fresh checkout (CI) has no out/ yet
        _report_drafts(drafts, planned.stale, target, console, bool(planned.held))
        _report_held(planned, console)
        if not drafts and not planned.stale and not planned.held and (
                hint := without_series_hint(site, now)):
            console.warn(hint)
        if drafts:
            console.out(f"{len(drafts)} issue(s) drafted; {site.files} posts read in "
                        f"{time.perf_counter() - started:.1f} s")
        if args.dry_run:
            console.out(f"dry run: files in {target}; the ledger and {config.output_dir} "
                        "are unchanged")
            return 1 if planned.held else 0
        code = _deliver(args, drafts, ledger, site, now, console, cache)
    return 1 if planned.held else code


def _since(value: str | None, config: Config) -> datetime | None:
    from publisher.dates import DateError, parse_date

    if value is None:
        return None
    try:
        return parse_date(value, config.zone)
    except DateError as exc:
        raise PublisherError(f"--since: {exc}") from None


def _report_held(planned, console: Console) -> None:
    """The first-run guard and renamed files: what was left out, and what to do."""
    if planned.held:
        listed = ", ".join(f"{h.series} ({h.count})" for h in planned.held)
        total = sum(h.count for h in planned.held)
        limit = planned.held[0].limit
        console.error(
            f"nothing drafted for {len(planned.held)} series that never announced a post and "
            f"would start with more than email.first_issue_max ({limit}) posts: {listed}.\n"
            "This is the archive of an existing blog, not news. Run 'publish email "
            "--baseline' to record it as announced (then only what you publish next goes "
            "out), 'publish email --since DATE' to announce only the posts from DATE on, or "
            f"'publish email --all' to announce all {total}")
    for r in planned.renamed:
        console.warn(
            f"{r.post.source}: held back: its title and date are those of {r.old.url} "
            f"(id {r.old.post_id}), announced in {r.series} #{r.number}: a renamed file? "
            f"Give it 'id: {r.old.post_id}' in its front matter to keep it announced, or "
            "run 'publish email --announce-renamed' to announce it again")


def _mark(args: argparse.Namespace, ledger, site, now: datetime, console: Console) -> int:
    from publisher.newsletter.sending import label, mark, settle

    name = args.mark_sent if args.mark_sent is not None else args.discard
    if not name and not args.digest:
        raise PublisherError("name the series: --mark-sent SERIES or --discard SERIES (or add "
                             "--digest for the digest)")
    status = "sent" if args.mark_sent is not None else "discarded"
    if args.draft is not None and status != "sent":
        raise PublisherError("--draft names the draft that was sent: it goes with --mark-sent")
    issue, version = mark(ledger, site.config, None if args.digest else name, status, now,
                          args.draft)
    settle(ledger, site, [issue], status, now)
    count = len(version.entries if version else issue.entries)
    effect = "now announced" if status == "sent" else "stays new" if count == 1 else "stay new"
    which = f" as draft {version.short}" if version else ""
    console.out(f"{label(issue.series)} #{issue.number} marked {status}{which} "
                f"({plural(count, 'post')} {effect})")
    if version and (later := len({e.post_id for e in issue.entries}
                                 - {e.post_id for e in version.entries})):
        console.out(f"{plural(later, 'post')} of the later draft {'was' if later == 1 else 'were'}"
                    " not sent and will be in the next issue")
    return 0


def _write_drafts(args: argparse.Namespace, drafts, config: Config) -> Path:
    import tempfile

    from publisher.output import write_all

    folders: dict[str, str] = {}
    for draft in drafts:  # two series with one slug (`Go`, `go`): one would overwrite
        other = folders.setdefault(draft.plan.folder, draft.plan.key)
        if other != draft.plan.key:
            raise PublisherError(f"series {draft.plan.key!r} and {other!r} would both be "
                                 f"drafted in {draft.plan.folder}/; nothing was written: "
                                 "spell the series the same in every post")
    target = Path(tempfile.mkdtemp(prefix="publisher-dry-run-")) if args.dry_run \
        else config.output_dir
    write_all(target, {name: data for draft in drafts for name, data in draft.files.items()})
    return target


def _report_drafts(drafts, stale, target: Path, console: Console, held: bool) -> None:
    from publisher.newsletter.sending import label

    for draft in drafts:
        plan, issue = draft.plan, draft.issue
        folder = shown(target / plan.folder)
        console.out(f"{label(plan.key)} #{plan.number}: {plural(len(plan.posts), 'post')}, "
                    f"“{issue.subject}”, {kilobytes(len(draft.eml))}, {folder}/")
        for warning in issue.warnings:
            console.err(f"{folder}: warning: {warning}")
    for issue in stale:
        console.out(f"{label(issue.series)} #{issue.number}: draft dropped, every post in it "
                    "is announced or unpublished")
    if not drafts and not stale and not held:
        console.out("no new posts: nothing to draft")


def _deliver(args: argparse.Namespace, drafts, ledger, site, now: datetime,
             console: Console, cache) -> int:
    """--test-to proofs, then --send: the smtp drafts, or the one series named."""
    from publisher.newsletter.drafts import find_open
    from publisher.newsletter.sending import (
        check_size,
        draft_profile,
        label,
        send_draft,
        send_proof,
        settle,
    )

    config = site.config
    if args.test_to:
        for draft in drafts:
            send_proof(draft, config, args.test_to)
            console.out(f"{label(draft.plan.key)} #{draft.plan.number}: test sent to "
                        f"{args.test_to} (nothing recorded)")
    if args.send is None:
        return 0
    code = 0
    # A series named by its name or slug, like --mark-sent.
    key = find_open(ledger, config, None if args.digest else args.send).series \
        if args.send else None
    chosen = [d for d in drafts if key is None or d.plan.key == key]
    check_size([d for d in chosen if not draft_profile(d, config).is_placeholder or key],
               config, args.all)
    for draft in chosen:
        tool = draft_profile(draft, config)
        if tool.is_placeholder and key is None:
            console.out(f"{label(draft.plan.key)} #{draft.plan.number}: not sent: the "
                        f"{tool.label} profile sends from {tool.label} (paste "
                        f"{draft.plan.folder}/issue.html there)")
            continue
        delivery = send_draft(draft, ledger, config, now)
        issue = ledger.issues(draft.plan.key)
        settle(ledger, site, [i for i in issue if i.number == draft.plan.number
                              and i.status == "sent"], "sent", now, cache)
        console.out(f"{label(draft.plan.key)} #{draft.plan.number}: sent to "
                    f"{', '.join(delivery.accepted)} and recorded as sent")
        for address, reply in delivery.refused.items():
            console.error(f"{label(draft.plan.key)} #{draft.plan.number}: {address} refused "
                          f"it ({reply}); it was sent to the others only and is not sent "
                          "again to anyone ('publish ledger' lists each recipient)")
            code = 1
    return code


def add_command(commands: Any, parents: Sequence[argparse.ArgumentParser] = ()) -> None:
    """Add `email` to the CLI's subparsers (`parents`: the options every command shares)."""
    email = commands.add_parser(
        "email", parents=[*parents, caching()], help="draft newsletter issues announcing new posts",
        description="For each series with posts never announced, draft the next issue "
        "(HTML, text, .eml, manifest) under the output folder's email/; record sending.")
    email.add_argument("--baseline", action="store_true",
                       help="record every published post as announced, drafting nothing")
    email.add_argument("--mark-sent", metavar="SERIES", nargs="?", const="",
                       help="record the open draft of SERIES (with --digest: of the digest) "
                       "as sent")
    email.add_argument("--draft", metavar="DIGEST",
                       help="with --mark-sent: the draft that was sent, by the \"sha256\" in its "
                       "issue.json (a draft drafted again since holds other posts)")
    email.add_argument("--discard", metavar="SERIES", nargs="?", const="",
                       help="drop the open draft of SERIES (with --digest: of the digest); "
                       "its posts stay new")
    email.add_argument("--send", metavar="SERIES", nargs="?", const="",
                       help="deliver the open drafts (or SERIES' only) by SMTP to the list "
                       "address, and record them as sent")
    email.add_argument("--test-to", metavar="ADDRESS",
                       help="send each draft to ADDRESS as a proof; records nothing")
    email.add_argument("--dry-run", action="store_true",
                       help="render into a temporary folder; change nothing")
    email.add_argument("--digest", action="store_true",
                       help="one issue with a section per series instead of one per series")
    email.add_argument("--skip-invalid", action="store_true",
                       help="draft from the valid posts even when others have errors")
    email.add_argument("--since", metavar="DATE",
                       help="announce only posts dated DATE or later; older ones are recorded "
                       "as announced, sending nothing")
    email.add_argument("--all", action="store_true",
                       help="really announce everything: a first issue over "
                       "email.first_issue_max, or --send over email.max_posts_per_issue")
    email.add_argument("--intro", metavar="FILE.md",
                       help="a note in Markdown shown above the posts of each draft")
    email.add_argument("--announce-renamed", action="store_true",
                       help="announce posts held back as renamed files of announced ones")
    email.add_argument("--now", metavar="DATE", help="run as if it were DATE")
    email.set_defaults(run=cmd_email)
