"""`publish new TITLE`: a new post file, and its path printed."""

from __future__ import annotations

import argparse
from collections.abc import Sequence
from datetime import UTC, datetime
from typing import Any

from publisher.config import load_config
from publisher.console import Console
from publisher.output import shown
from publisher.problems import PublisherError
from publisher.terminal import printable


def _text(value: str | None, name: str) -> None:
    """An argument a post will hold must be text: bytes that are not UTF-8 reach us as
    lone surrogates, which no file can store."""
    if value is None:
        return
    try:
        value.encode("utf-8")
    except UnicodeEncodeError as exc:
        raise PublisherError(f"{name}: {printable(value)!s} is not UTF-8 text (at character "
                             f"{exc.start + 1}); type it again in a UTF-8 terminal") from None


def run(args: argparse.Namespace, console: Console) -> int:
    """`publish new TITLE`: print the new post's path."""
    from publisher.scaffold.new import new_post  # loaded when the command runs
    _text(args.title, "TITLE")
    _text(args.series, "--series")
    config = load_config(args.config)
    path = new_post(config, args.title, series=args.series, now=datetime.now(UTC),
                    draft=args.draft)
    console.out(shown(path))
    return 0


def add_command(commands: Any, parents: Sequence[argparse.ArgumentParser] = ()) -> None:
    """Add `new` to the CLI's subparsers (`parents`: the options every command shares)."""
    new = commands.add_parser(
        "new", parents=list(parents), help="start a new post",
        description="Create posts/YYYY-MM-DD-<slug>.md with its front matter (title, "
        "date and time in the site's time zone, tags, series) and print its path. "
        "Never overwrites a file.")
    new.add_argument("title", metavar="TITLE", help="the post's title (quote it)")
    new.add_argument("--series", metavar="S", help="put the post in series S")
    new.add_argument("--draft", action="store_true",
                     help="mark it draft: true, so feeds and issues leave it out")
    new.set_defaults(run=run)
