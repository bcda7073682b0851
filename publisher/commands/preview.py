"""`publish preview`: serve the feeds and drafts on 127.0.0.1 until Ctrl-C."""

from __future__ import annotations

import argparse
from collections.abc import Sequence
from datetime import UTC, datetime
from typing import TYPE_CHECKING, Any

from publisher.config import load_config
from publisher.console import Console
from publisher.dates import DateError, parse_date
from publisher.preview import DEFAULT_PORT
from publisher.problems import PublisherError

if TYPE_CHECKING:  # the preview's modules load when the command runs, not at every start
    from publisher.preview.snapshot import Snapshot


def _summary(snapshot: Snapshot) -> str:
    count = len(snapshot.problems)
    return (f"{len(snapshot.drafts)} drafts, {len(snapshot.feeds)} feeds, {count} "
            f"problem{'s' if count != 1 else ''}")


def run(args: argparse.Namespace, console: Console) -> int:
    """`publish preview`: serve until Ctrl-C."""
    from publisher.preview.server import start, stop
    from publisher.preview.snapshot import Options

    config = load_config(args.config)
    now = None
    if args.now is not None:
        try:
            now = parse_date(args.now, config.zone)
        except DateError as exc:
            raise PublisherError(f"--now: {exc}") from None
    options = Options(drafts=args.drafts, future=args.future, digest=args.digest, now=now)

    def built(snapshot: Snapshot) -> None:
        console.out(f"rebuilt at {datetime.now(UTC).astimezone():%H:%M:%S}: "
                    f"{_summary(snapshot)}")

    server, url = start(args.config, options, args.port, built)
    console.out(f"built: {_summary(server.preview.snapshot)}")
    console.out(f"preview at {url} (Ctrl-C to stop)")
    try:
        while not server.preview.wait(1.0):
            pass
    except KeyboardInterrupt:
        pass
    finally:
        stop(server)
    return 0


def add_command(commands: Any, parents: Sequence[argparse.ArgumentParser] = ()) -> None:
    """Add `preview` to the CLI's subparsers (`parents`: the options every command shares)."""
    preview = commands.add_parser(
        "preview", parents=list(parents), help="show the feeds and email drafts in a browser",
        description="Serve the site's feeds and current email drafts on 127.0.0.1, built in "
        "memory (the output folder and the ledger are left untouched), and rebuild and "
        "reload when a post, a template or the config changes.")
    preview.add_argument("--port", type=int, default=DEFAULT_PORT,
                         help=f"port on 127.0.0.1 (default: {DEFAULT_PORT}; 0: any free port)")
    preview.add_argument("--drafts", action="store_true", help="include drafts in the feeds")
    preview.add_argument("--future", action="store_true",
                         help="include posts dated later than now in the feeds")
    preview.add_argument("--digest", action="store_true",
                         help="one issue with a section per series instead of one per series")
    preview.add_argument("--now", metavar="DATE", help="build as if it were DATE")
    preview.set_defaults(run=run)
