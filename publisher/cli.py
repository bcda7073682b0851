"""`publish`: argument parsing and wiring. The work happens in the library."""

from __future__ import annotations

import argparse
import json
import os
import sys
import time
import traceback
from collections.abc import Sequence
from datetime import UTC, datetime
from pathlib import Path

from . import __version__, progress
from .config import CONFIG_NAME, Config, load_config
from .dates import DateError, parse_date
from .output import shown
from .problems import Problem, PublisherError


class Console:
    """Where messages go: results to stdout, problems to stderr, -q and -v honoured."""

    def __init__(self, quiet: bool, verbose: bool) -> None:
        self.quiet, self.verbose = quiet, verbose
        self.caches: list = []  # their warnings are printed when the command ends

    def out(self, line: str) -> None:
        if not self.quiet:
            print(line)

    def err(self, line: str) -> None:
        print(line, file=sys.stderr)

    @staticmethod
    def _color() -> bool:
        return sys.stderr.isatty() and not os.environ.get("NO_COLOR")

    def error(self, message: str) -> None:
        first, *rest = f"error: {message}".split("\n")
        self.err("\n".join([f"\033[31m{first}\033[0m" if self._color() else first, *rest]))

    def warn(self, line: str) -> None:
        """A warning worth seeing even in a long log: coloured on a terminal."""
        if self.quiet:
            return
        self.err(f"\033[33mwarning: {line}\033[0m" if self._color() else f"warning: {line}")


def _now(value: str | None, config: Config) -> datetime:
    if value is None:
        return datetime.now(UTC)
    try:
        return parse_date(value, config.zone)
    except DateError as exc:
        raise PublisherError(f"--now: {exc}") from None


def _report(problems: Sequence[Problem], console: Console, *, all_warnings: bool) -> None:
    warnings = [p for p in problems if not p.is_error]
    for problem in problems:
        if problem.is_error or all_warnings:
            console.err(str(problem))
    if warnings and not all_warnings and not console.quiet:
        console.err(f"{len(warnings)} warning(s); run 'publish check' to see them")


def _load_site(args: argparse.Namespace, console: Console, *, valid: bool = True):
    """Config, cache and posts; with `valid`, refuse when a post has an error."""
    from .cache import Cache
    from .site import load_site

    config = load_config(args.config)
    cache = Cache.disabled() if args.no_cache else Cache.open(config)
    console.caches.append(cache)
    site = load_site(config, cache)
    if valid:
        _report(site.problems, console, all_warnings=console.verbose)
        if site.errors and not args.skip_invalid:
            raise PublisherError(f"{len(site.errors)} problem(s) in the posts; nothing was "
                                 "written (fix them, or use --skip-invalid to publish the "
                                 "valid posts)")
    return site, cache


def cmd_feed(args: argparse.Namespace, console: Console) -> int:
    from .build import publish_feeds

    started = time.perf_counter()
    site, cache = _load_site(args, console)
    config = site.config
    now = _now(args.now, config)
    report = publish_feeds(site, now, drafts=args.drafts, future=args.future, cache=cache,
                           dry_run=args.dry_run)
    for change in report.changes:
        console.out(change.summary())
        for warning in change.warnings():
            console.warn(warning)
    published = len(site.visible(now, drafts=args.drafts, future=args.future))
    took = f"{time.perf_counter() - started:.1f} s"
    if report.written is None:
        console.out(f"dry run: {len(report.changes)} feeds would change; nothing was "
                    f"written ({site.files} posts read in {took})")
        return 0
    written = report.written
    files = len(written.written) + len(written.unchanged)
    console.out(f"{published} posts published in {files} files in {shown(config.output_dir)}/ "
                f"({len(written.written)} written, {len(written.unchanged)} unchanged); "
                f"{site.files} posts read in {took}")
    return 0


def cmd_cache(args: argparse.Namespace, console: Console) -> int:
    from .cache import CACHE_DIR, clear

    config = load_config(args.config)
    if clear(config):
        console.out(f"cleared {shown(config.root / CACHE_DIR)}/")
    else:
        console.out("no cache to clear")
    return 0


def _count(n: int, noun: str) -> str:
    return f"{n} {noun}" if n == 1 else f"{n} {noun}s"


def _size(n: int) -> str:
    return f"{n / 1024:.1f} KB"


def cmd_email(args: argparse.Namespace, console: Console) -> int:
    from .drafts import baseline, plan_drafts, record_drafts, render_drafts, without_series_hint
    from .ledger import Ledger

    started = time.perf_counter()
    site, cache = _load_site(args, console)
    config = site.config
    now = _now(args.now, config)
    with Ledger.open(config.ledger_path) as ledger:
        if args.baseline:
            counts = baseline(site, ledger, now)
            for name, count in counts.items():
                console.out(f"{name}: {_count(count, 'post')} recorded as announced "
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
        _deliver(args, drafts, ledger, config, now, console)
    return 0


def _mark(args: argparse.Namespace, ledger, config: Config, now: datetime,
          console: Console) -> int:
    from .sending import label, mark

    name = args.mark_sent if args.mark_sent is not None else args.discard
    if not name and not args.digest:
        raise PublisherError("name the series: --mark-sent SERIES or --discard SERIES (or add "
                             "--digest for the digest)")
    status = "sent" if args.mark_sent is not None else "discarded"
    issue = mark(ledger, config, None if args.digest else name, status, now)
    count = len(issue.entries)
    effect = "now announced" if status == "sent" else "stays new" if count == 1 else "stay new"
    console.out(f"{label(issue.series)} #{issue.number} marked {status} "
                f"({_count(count, 'post')} {effect})")
    return 0


def _write_drafts(args: argparse.Namespace, drafts, config: Config) -> Path:
    import tempfile

    from .output import write_all

    target = Path(tempfile.mkdtemp(prefix="publisher-dry-run-")) if args.dry_run \
        else config.output_dir
    write_all(target, {name: data for draft in drafts for name, data in draft.files.items()})
    return target


def _report_drafts(drafts, stale, target: Path, console: Console) -> None:
    from .sending import label

    for draft in drafts:
        plan, issue = draft.plan, draft.issue
        folder = shown(target / plan.folder)
        console.out(f"{label(plan.key)} #{plan.number}: {_count(len(plan.posts), 'post')}, "
                    f"“{issue.subject}”, {_size(len(draft.eml))}, {folder}/")
        for warning in issue.warnings:
            console.err(f"{folder}: warning: {warning}")
    for issue in stale:
        console.out(f"{label(issue.series)} #{issue.number}: draft dropped, every post in it "
                    "is announced or unpublished")
    if not drafts and not stale:
        console.out("no new posts: nothing to draft")


def _deliver(args: argparse.Namespace, drafts, ledger, config: Config, now: datetime,
             console: Console) -> None:
    """--test-to proofs, then --send: the smtp drafts, or the one series named."""
    from .drafts import find_open
    from .sending import draft_profile, label, send_draft, send_proof

    if args.test_to:
        for draft in drafts:
            send_proof(draft, config, args.test_to)
            console.out(f"{label(draft.plan.key)} #{draft.plan.number}: test sent to "
                        f"{args.test_to} (nothing recorded)")
    if args.send is None:
        return
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
        send_draft(draft, ledger, config, now)
        console.out(f"{label(draft.plan.key)} #{draft.plan.number}: sent to "
                    f"{draft.plan.settings.to} and recorded as sent")


def cmd_ledger(args: argparse.Namespace, console: Console) -> int:
    from .ledger import Ledger

    config = load_config(args.config)
    with Ledger.open(config.ledger_path, create=False) as ledger:
        issues = ledger.issues(args.series)
    if args.format == "json":
        print(json.dumps([{
            "series": i.series or None, "number": i.number, "status": i.status,
            "subject": i.subject, "created": i.created.isoformat(),
            "sent": i.sent.isoformat() if i.sent else None,
            "posts": [{"series": e.series, "id": e.post_id, "url": e.url, "title": e.title}
                      for e in i.entries]} for i in issues], ensure_ascii=False, indent=2))
        return 0
    for issue in issues:
        if issue.status == "baseline":
            line = f"recorded as announced {issue.sent:%Y-%m-%d %H:%M} UTC (baseline)"
        elif issue.sent:
            line = f"#{issue.number} sent {issue.sent:%Y-%m-%d %H:%M} UTC: {issue.subject}"
        else:
            line = (f"#{issue.number} {issue.status}, created {issue.created:%Y-%m-%d %H:%M} "
                    f"UTC: {issue.subject}")
        console.out(f"{issue.series or 'digest'} {line}")
        for entry in issue.entries:
            console.out(f"    {entry.title} <{entry.url}>")
    if not issues:
        console.out("the ledger is empty: no issue drafted or sent yet")
    return 0


def cmd_check(args: argparse.Namespace, console: Console) -> int:
    from .content import Renderer
    from .newsletter import unknown_series

    site, _ = _load_site(args, console, valid=False)
    config = site.config
    problems = list(site.problems)
    # Template constructs are found without rendering any Markdown: cheap on big archives.
    renderer = Renderer(config, site.link_target)
    for post in site.posts:
        problems.extend(renderer.problems(post, renderer.liquid(post)))
    problems.extend(unknown_series(site))
    problems.sort(key=lambda p: (p.path, p.line or 0, p.field))
    errors = sum(p.is_error for p in problems)
    warnings = len(problems) - errors
    with_problems = len({p.path for p in problems})
    if args.format == "json":
        print(json.dumps({
            "files": site.files, "posts": len(site.posts), "errors": errors,
            "warnings": warnings,
            "problems": [{"path": p.path, "line": p.line, "field": p.field,
                          "severity": p.severity.value, "message": p.message}
                         for p in problems],
        }, ensure_ascii=False, indent=2))
    else:
        for problem in problems:
            if problem.is_error or not console.quiet:
                print(problem)
        console.out(f"{site.files} files, {len(site.posts)} valid posts: {errors} errors, "
                    f"{warnings} warnings in {with_problems} files")
    return 1 if errors else 0


def parser() -> argparse.ArgumentParser:
    common = argparse.ArgumentParser(add_help=False)
    common.add_argument("--config", type=Path, default=argparse.SUPPRESS, metavar="PATH",
                        help=f"the site's config file (default: ./{CONFIG_NAME})")
    common.add_argument("-q", "--quiet", action="store_true", default=argparse.SUPPRESS,
                        help="print only errors")
    common.add_argument("-v", "--verbose", action="store_true", default=argparse.SUPPRESS,
                        help="print every warning, and a traceback on an internal error")
    caching = argparse.ArgumentParser(add_help=False)
    caching.add_argument("--no-cache", action="store_true",
                         help="parse and render everything again, and keep no cache")
    main = argparse.ArgumentParser(
        prog="publish", parents=[common],
        description="Feeds and newsletter issues from Markdown posts with front matter.")
    main.add_argument("--version", action="version", version=f"publish {__version__}")
    commands = main.add_subparsers(dest="command", required=True, metavar="COMMAND")

    feed = commands.add_parser("feed", parents=[common, caching],
                               help="write Atom, RSS and JSON feeds",
                               description="Write the site's feeds (Atom, RSS 2.0, JSON "
                               "Feed), site-wide and per series, into the output folder.")
    feed.add_argument("--drafts", action="store_true", help="include drafts")
    feed.add_argument("--future", action="store_true", help="include posts dated later than now")
    feed.add_argument("--skip-invalid", action="store_true",
                      help="publish the valid posts even when others have errors")
    feed.add_argument("--now", metavar="DATE",
                      help="publish as if it were DATE (e.g. 2025-01-01T00:00:00Z)")
    feed.add_argument("--dry-run", action="store_true",
                      help="show what would change for subscribers; write nothing")
    feed.set_defaults(run=cmd_feed)

    check = commands.add_parser("check", parents=[common, caching], help="report every problem in "
                                "every post", description="Read every post and report every "
                                "problem at once, as path:line: field: message.")
    check.add_argument("--format", choices=("text", "json"), default="text",
                       help="output format (default: text)")
    check.set_defaults(run=cmd_check)

    from . import newpost, preview, scaffold  # light: their own code loads when they run

    scaffold.add_command(commands, [common])
    newpost.add_command(commands, [common])
    preview.add_command(commands, [common])

    email = commands.add_parser(
        "email", parents=[common, caching], help="draft newsletter issues announcing new posts",
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

    ledger = commands.add_parser(
        "ledger", parents=[common], help="show what was announced, when, in which issue",
        description="List every issue in the ledger with its status and the posts it "
        "announces.")
    ledger.add_argument("--series", metavar="NAME", help="only this series")
    ledger.add_argument("--format", choices=("text", "json"), default="text",
                        help="output format (default: text)")
    ledger.set_defaults(run=cmd_ledger)

    cache = commands.add_parser(
        "cache", parents=[common], help="manage the parse-once cache",
        description="The cache in .publisher/ beside publisher.toml keeps parsed posts and "
        "rendered HTML between runs. 'publish cache clear' deletes it; it is rebuilt on the "
        "next run.")
    cache.add_argument("action", choices=("clear",), help="clear: delete the cache")
    cache.set_defaults(run=cmd_cache)
    return main


def main(argv: Sequence[str] | None = None) -> int:
    args = parser().parse_args(argv)
    args.config = getattr(args, "config", Path(CONFIG_NAME))
    console = Console(getattr(args, "quiet", False), getattr(args, "verbose", False))
    if sys.stderr.isatty() and not console.quiet:
        progress.use(progress.TerminalBar())
    try:
        return int(args.run(args, console))
    except PublisherError as exc:
        console.error(str(exc))
        return 1
    except KeyboardInterrupt:
        console.err("interrupted; files already written are complete")
        return 130
    except Exception as exc:  # a bug of ours: say so briefly unless asked for details
        if console.verbose:
            traceback.print_exc()
        else:
            console.err(f"internal error: {type(exc).__name__}: {exc} "
                        "(run again with -v for details, and please report it)")
        return 2
    finally:
        for cache in console.caches:
            for warning in cache.warnings:
                console.err(f"warning: {warning}")
            cache.close()


if __name__ == "__main__":  # pragma: no cover
    sys.exit(main())
