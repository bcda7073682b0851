"""`publish feed`: write the feeds and say what subscribers will see."""

from __future__ import annotations

import argparse
import time
from collections.abc import Sequence
from datetime import datetime
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
    before = len(console.transcript)
    site, cache = read_site(args, console)
    problems = console.transcript[before:]  # what a run that changes nothing says again
    config = site.config
    now = now_from(args.now, config)
    if args.ping and not config.feed.websub_hub:
        raise PublisherError("--ping: no hub to notify; set feed.websub_hub in "
                             "publisher.toml (e.g. \"https://pubsubhubbub.appspot.com/\")")
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
    for note in report.notes:
        console.warn(note)
    said = len(console.transcript)
    if report.opted_out:
        console.out(f"kept out of every feed by `feed: false`: {len(report.opted_out)} "
                    f"post(s): {', '.join(p for p in report.opted_out[:5])}"
                    + (" ..." if len(report.opted_out) > 5 else ""))
    opted = console.transcript[said:]
    due = None if args.future else _say_next_due(site, now, args.drafts, console)
    published = len([p for p in site.visible(now, drafts=args.drafts, future=args.future)
                     if p.in_feeds])
    took = f"{time.perf_counter() - started:.1f} s"
    if report.written is None:
        console.out(f"dry run: {len(report.changes)} feeds would change; nothing was "
                    f"written ({site.files} posts read in {took})"
                    + ("; no hub was notified" if args.ping else ""))
        return 0
    written = report.written
    if args.ping:
        _ping(config.feed.websub_hub, report.topics, set(written.written), console)
    files = len(written.written) + len(written.unchanged)
    head = f"{published} posts published in {files} files in {shown(config.output_dir)}/ "
    console.out(f"{head}({len(written.written)} written, {len(written.unchanged)} unchanged); "
                f"{site.files} posts read in {took}")
    if args.run_key and not cache.warnings:  # a plain run (never --now): see unchanged.py
        from publisher.feeds import unchanged
        from publisher.feeds.schedule import next_change

        outcome = unchanged.Outcome(
            tuple(problems + opted), f"{head}(0 written, {files} unchanged); nothing changed "
            f"since the last run: {site.files} posts checked in {{took}}", due,
            next_change(site, now))
        unchanged.record(config.root / args.config.name, args.run_key,
                         [config.output_dir / n for n in written.written + written.unchanged],
                         outcome, args.started_ns, (config.output_dir, config.root / ".publisher"))
    return 0


def _say_next_due(site: Any, now: datetime, drafts: bool,
                  console: Console) -> tuple[str, int] | None:
    """Say when the next scheduled post is due; its line before "(in …)", and the time."""
    from publisher.dates import waiting_time
    from publisher.feeds.schedule import next_due

    post = next_due(site, now, drafts=drafts)
    if post is None:
        return None
    due = post.date.astimezone(site.config.zone)
    head = (f"next scheduled post: “{post.title}” ({post.source}) is due "
            f"{due:%Y-%m-%d %H:%M} {site.config.site.timezone} ")
    console.out(f"{head}({waiting_time(now, post.date)}); publish feed must run then")
    return head, int(post.date.timestamp() * 1e9)


def _ping(hub: str, topics: Sequence[tuple[str, str]], changed: set[str],
          console: Console) -> None:
    """Notify the hub of the subscription feeds whose bytes changed, and only those."""
    from publisher.feeds.websub import ping

    urls = [url for name, url in topics if name in changed]
    if not urls:
        console.out(f"websub: no feed changed; {hub} was not notified")
        return
    results = ping(hub, urls)
    for result in results:
        if not result.ok:
            console.warn(f"websub: {result.topic}: not announced to {hub}: {result.error} "
                         "(the feeds are written; the next change announces them again)")
    done = sum(result.ok for result in results)
    console.out(f"websub: {done} of {len(results)} changed feeds announced to {hub}")


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
    feed.add_argument("--ping", action="store_true",
                      help="notify the WebSub hub (feed.websub_hub) of each feed whose "
                      "bytes changed")
    feed.set_defaults(run=cmd_feed)
