"""What several commands share: reading the site, the clock, counting words."""

from __future__ import annotations

import argparse
from datetime import UTC, datetime

from publisher.config import Config, load_config
from publisher.console import Console, report_problems
from publisher.dates import DateError, parse_date
from publisher.problems import Problem, PublisherError


def now_from(value: str | None, config: Config) -> datetime:
    if value is None:
        return datetime.now(UTC)
    try:
        return parse_date(value, config.zone)
    except DateError as exc:
        raise PublisherError(f"--now: {exc}") from None


def read_site(args: argparse.Namespace, console: Console, *, valid: bool = True):
    """Config, cache and posts; with `valid`, refuse when a post has an error."""
    from publisher.site.cache import Cache
    from publisher.site.load import load_site

    config = load_config(args.config)
    cache = Cache.disabled() if args.no_cache else Cache.open(config)
    console.caches.append(cache)
    site = load_site(config, cache)
    if valid:
        problems = list(site.problems)
        if console.verbose:  # every warning `publish check` would show
            from publisher.content.checks import template_problems

            problems = sorted(problems + template_problems(site),
                              key=Problem.order)
        report_problems(problems, console, all_warnings=console.verbose)
        if site.errors and not args.skip_invalid:
            raise PublisherError(f"{len(site.errors)} problem(s) in the posts; nothing was "
                                 "written (fix them, or use --skip-invalid to publish the "
                                 "valid posts)")
    return site, cache


def plural(n: int, noun: str) -> str:
    return f"{n} {noun}" if n == 1 else f"{n} {noun}s"


def kilobytes(n: int) -> str:
    return f"{n / 1024:.1f} KB"


def caching() -> argparse.ArgumentParser:
    """The option of the commands that read posts through the cache."""
    options = argparse.ArgumentParser(add_help=False)
    options.add_argument("--no-cache", action="store_true",
                         help="parse and render everything again, and keep no cache")
    return options
