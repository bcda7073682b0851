"""`publish feed`: write the feeds and say what subscribers will see."""

from __future__ import annotations

import argparse
import time
from collections.abc import Sequence
from pathlib import Path
from typing import Any

from publisher.commands.common import caching, now_from, read_site
from publisher.console import Console
from publisher.output import shown
from publisher.problems import PublisherError
from publisher.reading import read_regular


def cmd_feed(args: argparse.Namespace, console: Console) -> int:
    from publisher.feeds.build import publish_feeds

    started = time.perf_counter()
    site, cache = read_site(args, console)
    config = site.config
    now = now_from(args.now, config)
    previous = None
    if args.previous is not None:
        try:
            previous = read_regular(args.previous)[0]  # never a FIFO, nor endless
        except OSError as exc:
            raise PublisherError(f"--previous {shown(args.previous)}: cannot read it "
                                 f"({exc.strerror})") from None
    report = publish_feeds(site, now, drafts=args.drafts, future=args.future, cache=cache,
                           dry_run=args.dry_run, previous=previous,
                           accept_new_ids=args.accept_new_ids)
    for change in report.changes:
        console.out(change.summary())
        for line in change.entries():
            console.out(line)
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


def add_command(commands: Any, parents: Sequence[argparse.ArgumentParser] = ()) -> None:
    """Add `feed` to the CLI's subparsers (`parents`: the options every command shares)."""
    feed = commands.add_parser("feed", parents=[*parents, caching()],
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
    feed.add_argument("--previous", metavar="FEED", type=Path,
                      help="compare the ids with FEED (the Atom or RSS feed readers have, "
                      "e.g. the one jekyll-feed or Hugo wrote) instead of the one in the "
                      "output folder")
    feed.add_argument("--accept-new-ids", action="store_true",
                      help="publish even when posts readers have would get new ids (they "
                      "will show as new posts)")
    feed.set_defaults(run=cmd_feed)
