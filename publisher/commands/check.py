"""`publish check`: every problem in every post, at once."""

from __future__ import annotations

import argparse
from collections.abc import Sequence
from typing import Any

from publisher.commands.common import caching, read_site
from publisher.console import Console
from publisher.dialects import dialect_for
from publisher.output import shown
from publisher.problems import Problem


def cmd_check(args: argparse.Namespace, console: Console) -> int:
    from publisher.content.checks import template_problems
    from publisher.newsletter.check_sending import sending_problems
    from publisher.newsletter.checks import address_problems
    from publisher.newsletter.plan import unknown_series

    site, _ = read_site(args, console, valid=False)
    problems = [*site.problems, *template_problems(site), *unknown_series(site),
                *address_problems(site.config, shown(args.config)),
                *sending_problems(site, shown(args.config))]
    problems.sort(key=Problem.order)
    errors = sum(p.is_error for p in problems)
    warnings = len(problems) - errors
    with_problems = len({p.path for p in problems})
    no_feed = sorted(p.source for p in site.posts if not p.in_feeds)
    no_newsletter = sorted(p.source for p in site.posts if not p.in_newsletter)
    if args.format == "json":
        console.json({
            "dialect": site.config.site.generator, "files": site.files,
            "posts": len(site.posts), "errors": errors,
            "warnings": warnings,
            "opted_out": {"feed": no_feed, "newsletter": no_newsletter},
            "problems": [{"path": p.path, "line": p.line, "field": p.field,
                          "severity": p.severity.value, "message": p.message}
                         for p in problems],
        })
    else:
        if site.config.site.generator != "publisher":  # which generator's rules apply
            console.out(f"read with {dialect_for(site.config).label}")
        for problem in problems:
            if problem.is_error or not console.quiet:
                console.result(str(problem))
        opted = "".join(f"; {len(files)} kept out of {where} ({key}: false)"
                        for files, where, key in ((no_feed, "feeds", "feed"),
                                                  (no_newsletter, "newsletters", "newsletter"))
                        if files)
        console.out(f"{site.files} files, {len(site.posts)} valid posts: {errors} errors, "
                    f"{warnings} warnings in {with_problems} files{opted}")
    return 1 if errors else 0


def add_command(commands: Any, parents: Sequence[argparse.ArgumentParser] = ()) -> None:
    """Add `check` to the CLI's subparsers (`parents`: the options every command shares)."""
    check = commands.add_parser(
        "check", parents=[*parents, caching()], help="report every problem in every post",
        description="Read every post and report every problem at once, as "
        "path:line: field: message.")
    check.add_argument("--format", choices=("text", "json"), default="text",
                       help="output format (default: text)")
    check.set_defaults(run=cmd_check)
