"""`publish`: the commands assembled, and how every run ends. Each command is a module
of `publisher.commands`; the work happens in the library."""

from __future__ import annotations

import argparse
import os
import sys
import traceback
from collections.abc import Sequence
from pathlib import Path

from publisher import __version__, progress
from publisher.commands import cache, check, email, feed, init, ledger, new, preview
from publisher.config import CONFIG_NAME
from publisher.console import Console, OutputClosed
from publisher.problems import PublisherError


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

    for command in (feed, check, init, new, preview, email, ledger, cache):
        command.add_command(commands, [common])
    return main


def main(argv: Sequence[str] | None = None) -> int:
    args = parser().parse_args(argv)
    args.config = getattr(args, "config", Path(CONFIG_NAME))
    console = Console(getattr(args, "quiet", False), getattr(args, "verbose", False))
    if sys.stderr.isatty() and not console.quiet:
        progress.use(progress.TerminalBar())
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
        for cache in console.caches:
            for warning in cache.warnings:
                console.err(f"warning: {warning}")
            cache.close()


if __name__ == "__main__":  # pragma: no cover
    sys.exit(main())
