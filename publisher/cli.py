"""`publish`: the commands assembled, and how every run ends. Each command is a module
of `publisher.commands`; the work happens in the library."""

from __future__ import annotations

import argparse
import os
import sys
import time
import traceback
from collections.abc import Sequence
from datetime import UTC, datetime
from pathlib import Path

from publisher import CONFIG_NAME, __version__, progress
from publisher.console import Console, OutputClosed
from publisher.feeds import unchanged
from publisher.problems import PublisherError


def parser() -> argparse.ArgumentParser:
    from publisher.commands import cache, check, email, feed, init, ledger, new, preview

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

    for command in (feed, check, init, new, preview, email, ledger, cache):
        command.add_command(commands, [common])
    return main


def main(argv: Sequence[str] | None = None) -> int:
    started_ns = time.time_ns()  # what a racy read (feeds/unchanged.py) is measured from
    argv = list(sys.argv[1:] if argv is None else argv)
    fast = unchanged.run_key(argv, CONFIG_NAME)
    if fast is not None and (code := _unchanged(*fast, argv)) is not None:
        return code
    args = parser().parse_args(argv)
    args.config = getattr(args, "config", Path(CONFIG_NAME))
    args.run_key, args.started_ns = (fast[0] if fast else None), started_ns
    console = Console(getattr(args, "quiet", False), getattr(args, "verbose", False))
    if sys.stderr.isatty() and not console.quiet:
        progress.use(progress.TerminalBar())
    if fast is not None:
        unchanged.READS.start(fast[1].parent)  # what the run reads, the next one stats
    try:
        code = int(args.run(args, console))
        console.flush()  # when stdout is a closed pipe, a buffered last line fails here
        return code
    except OutputClosed:
        # As a command told of SIGPIPE would: stop quietly. stdout now points at devnull
        # so that Python's own flush at exit does not fail again (Python's documented way).
        os.dup2(os.open(os.devnull, os.O_WRONLY), sys.stdout.fileno())
        return 0
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
        unchanged.READS.active = False
        for cache in console.caches:
            for warning in cache.warnings:
                console.err(f"warning: {warning}")
            cache.close()


def _unchanged(key: str, config: Path, argv: Sequence[str]) -> int | None:
    """A `publish feed` answered by the manifest of the last run, or None to run it."""
    started = time.perf_counter()
    outcome = unchanged.replay(key, config)
    if outcome is None:
        return None
    console = Console("-q" in argv or "--quiet" in argv, False)
    try:
        for kind, line in outcome.lines:
            {"out": console.out, "warn": console.warn, "err": console.err}[kind](line)
        if outcome.due is not None:
            from publisher.dates import waiting_time

            head, due = outcome.due
            wait = waiting_time(datetime.now(UTC), datetime.fromtimestamp(due / 1e9, UTC))
            console.out(f"{head}({wait}); publish feed must run then")
        console.out(outcome.summary.replace("{took}", f"{time.perf_counter() - started:.2f} s"))
        console.flush()
    except OutputClosed:
        os.dup2(os.open(os.devnull, os.O_WRONLY), sys.stdout.fileno())
    return 0


if __name__ == "__main__":  # pragma: no cover
    sys.exit(main())
