"""`publish cache clear`: delete the parse-once cache."""

from __future__ import annotations

import argparse
from collections.abc import Sequence
from typing import Any

from publisher.config import load_config
from publisher.console import Console
from publisher.output import shown


def cmd_cache(args: argparse.Namespace, console: Console) -> int:
    from publisher.feeds.unchanged import forget
    from publisher.site.cache import CACHE_DIR, clear

    config = load_config(args.config)
    if clear(config) | forget(config.root):
        console.out(f"cleared {shown(config.root / CACHE_DIR)}/")
    else:
        console.out("no cache to clear")
    return 0


def add_command(commands: Any, parents: Sequence[argparse.ArgumentParser] = ()) -> None:
    """Add `cache` to the CLI's subparsers (`parents`: the options every command shares)."""
    cache = commands.add_parser(
        "cache", parents=list(parents), help="manage the parse-once cache",
        description="The cache in .publisher/ beside publisher.toml keeps parsed posts and "
        "rendered HTML between runs. 'publish cache clear' deletes it; it is rebuilt on the "
        "next run.")
    cache.add_argument("action", choices=("clear",), help="clear: delete the cache")
    cache.set_defaults(run=cmd_cache)
