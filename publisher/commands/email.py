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
        record_drafts,
        render_drafts,
        without_series_hint,
    )
    from publisher.newsletter.ledger import Ledger

    started = time.perf_counter()
    site, cache = read_site(args, console)
    config = site.config
    now = now_from(args.now, config)
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
            return _mark(args, ledger, config, now, console)
        plans, stale = plan_drafts(site, ledger, now, digest=args.digest)
        drafts = render_drafts(plans, site, cache)
        target = _write_drafts(args, drafts, config)
        if not args.dry_run:
            record_drafts(ledger, drafts, stale)  # after the files: it records what exists
        _report_drafts(drafts, stale, target, console)
        if not drafts and not stale and (hint := without_series_hint(site, now)):
            console.warn(hint)
        if drafts:
            console.out(f"{len(drafts)} issue(s) drafted; {site.files} posts read in "
                        f"{time.perf_counter() - started:.1f} s")
        if args.dry_run:
            console.out(f"dry run: files in {target}; the ledger and {config.output_dir} "
                        "are unchanged")
            return 0
        return _deliver(args, drafts, ledger, config, now, console)


def _mark(args: argparse.Namespace, ledger, config: Config, now: datetime,
          console: Console) -> int:
    from publisher.newsletter.sending import label, mark

    name = args.mark_sent if args.mark_sent is not None else args.discard
    if not name and not args.digest:
        raise PublisherError("name the series: --mark-sent SERIES or --discard SERIES (or add "
                             "--digest for the digest)")
    status = "sent" if args.mark_sent is not None else "discarded"
    issue = mark(ledger, config, None if args.digest else name, status, now)
    count = len(issue.entries)
    effect = "now announced" if status == "sent" else "stays new" if count == 1 else "stay new"
    console.out(f"{label(issue.series)} #{issue.number} marked {status} "
                f"({plural(count, 'post')} {effect})")
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


def _report_drafts(drafts, stale, target: Path, console: Console) -> None:
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
    if not drafts and not stale:
        console.out("no new posts: nothing to draft")


def _deliver(args: argparse.Namespace, drafts, ledger, config: Config, now: datetime,
             console: Console) -> int:
    """--test-to proofs, then --send: the smtp drafts, or the one series named."""
    from publisher.newsletter.drafts import find_open
    from publisher.newsletter.sending import draft_profile, label, send_draft, send_proof

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
    for draft in drafts:
        if key is not None and draft.plan.key != key:
            continue
        tool = draft_profile(draft, config)
        if tool.is_placeholder and key is None:
            console.out(f"{label(draft.plan.key)} #{draft.plan.number}: not sent: the "
                        f"{tool.label} profile sends from {tool.label} (paste "
                        f"{draft.plan.folder}/issue.html there)")
            continue
        delivery = send_draft(draft, ledger, config, now)
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
    email.add_argument("--now", metavar="DATE", help="run as if it were DATE")
    email.set_defaults(run=cmd_email)
