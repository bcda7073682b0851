"""`publish`: argument parsing and wiring. The work happens in the library."""

from __future__ import annotations

import argparse
import json
import sys
import traceback
from collections.abc import Sequence
from datetime import UTC, datetime
from pathlib import Path

from . import __version__
from .config import CONFIG_NAME, Config, load_config
from .dates import DateError, parse_date
from .problems import Problem, PublisherError


class Console:
    """Where messages go: results to stdout, problems to stderr, -q and -v honoured."""

    def __init__(self, quiet: bool, verbose: bool) -> None:
        self.quiet, self.verbose = quiet, verbose

    def out(self, line: str) -> None:
        if not self.quiet:
            print(line)

    def err(self, line: str) -> None:
        print(line, file=sys.stderr)


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


def cmd_feed(args: argparse.Namespace, console: Console) -> int:
    from .build import build_feeds
    from .output import write_all
    from .site import load_site

    config = load_config(args.config)
    now = _now(args.now, config)
    site = load_site(config)
    _report(site.problems, console, all_warnings=console.verbose)
    if site.errors and not args.skip_invalid:
        console.err(f"error: {len(site.errors)} problem(s) in the posts; nothing was written "
                    "(fix them, or use --skip-invalid to publish the valid posts)")
        return 1
    files = build_feeds(site, now, drafts=args.drafts, future=args.future)
    report = write_all(config.output_dir, files)
    shown = len(site.visible(now, drafts=args.drafts, future=args.future))
    console.out(f"{shown} posts published in {len(files)} files in {config.output_dir} "
                f"({len(report.written)} written, {len(report.unchanged)} unchanged)")
    return 0


def cmd_check(args: argparse.Namespace, console: Console) -> int:
    from .content import Renderer
    from .site import load_site

    config = load_config(args.config)
    site = load_site(config)
    problems = list(site.problems)
    # Template constructs are found without rendering any Markdown: cheap on big archives.
    renderer = Renderer(config, site.link_target)
    for post in site.posts:
        problems.extend(renderer.problems(post, renderer.liquid(post)))
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
    main = argparse.ArgumentParser(
        prog="publish", parents=[common],
        description="Feeds and newsletter issues from Markdown posts with front matter.")
    main.add_argument("--version", action="version", version=f"publish {__version__}")
    commands = main.add_subparsers(dest="command", required=True, metavar="COMMAND")

    feed = commands.add_parser("feed", parents=[common], help="write Atom, RSS and JSON feeds",
                               description="Write the site's feeds (Atom, RSS 2.0, JSON Feed), "
                               "site-wide and per series, into the output folder.")
    feed.add_argument("--drafts", action="store_true", help="include drafts")
    feed.add_argument("--future", action="store_true", help="include posts dated later than now")
    feed.add_argument("--skip-invalid", action="store_true",
                      help="publish the valid posts even when others have errors")
    feed.add_argument("--now", metavar="DATE",
                      help="publish as if it were DATE (e.g. 2025-01-01T00:00:00Z)")
    feed.set_defaults(run=cmd_feed)

    check = commands.add_parser("check", parents=[common], help="report every problem in "
                                "every post", description="Read every post and report every "
                                "problem at once, as path:line: field: message.")
    check.add_argument("--format", choices=("text", "json"), default="text",
                       help="output format (default: text)")
    check.set_defaults(run=cmd_check)
    return main


def main(argv: Sequence[str] | None = None) -> int:
    args = parser().parse_args(argv)
    args.config = getattr(args, "config", Path(CONFIG_NAME))
    console = Console(getattr(args, "quiet", False), getattr(args, "verbose", False))
    try:
        return int(args.run(args, console))
    except PublisherError as exc:
        console.err(f"error: {exc}")
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


if __name__ == "__main__":  # pragma: no cover
    sys.exit(main())
