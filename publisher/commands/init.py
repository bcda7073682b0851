"""`publish init [DIR]`: start a site, or configure an existing blog."""

from __future__ import annotations

import argparse
import shlex
from collections.abc import Sequence
from pathlib import Path
from typing import Any

from publisher.config import CONFIG_NAME
from publisher.console import Console
from publisher.output import shown


def run(args: argparse.Namespace, console: Console) -> int:
    """`publish init [DIR]`: print each file written, the notes, and what to run next."""
    from publisher.scaffold.init import init_site  # loaded when the command runs
    report = init_site(args.dir, from_jekyll=args.from_jekyll, from_hugo=args.from_hugo,
                       from_pelican=getattr(args, "from_pelican", None))
    for path in report.written:
        console.out(f"wrote {shown(path)}")
    for note in report.notes:
        console.out(f"note: {note}")
    folder = report.config.parent.resolve()
    go = "" if folder == Path.cwd().resolve() else f"cd {shlex.quote(shown(folder))} && "
    console.out(f"next: edit {CONFIG_NAME}, then run: {go}publish check && publish feed")
    return 0


def add_command(commands: Any, parents: Sequence[argparse.ArgumentParser] = ()) -> None:
    """Add `init` to the CLI's subparsers (`parents`: the options every command shares)."""
    init = commands.add_parser(
        "init", parents=list(parents), help="start a site, or configure an existing blog",
        description="Write publisher.toml (every key, documented), the email templates and "
        "a .gitignore into DIR; for a new site also a sample post. With --from-jekyll, "
        "--from-hugo or --from-pelican, the config is made from that blog's settings and "
        "publishes its posts where they are. Never overwrites a file.")
    init.add_argument("dir", metavar="DIR", nargs="?", type=Path, default=Path("."),
                      help="folder for publisher.toml (default: the current folder)")
    source = init.add_mutually_exclusive_group()
    source.add_argument("--from-jekyll", metavar="PATH", type=Path,
                        help="read the Jekyll site in PATH (_config.yml, _posts/)")
    source.add_argument("--from-hugo", metavar="PATH", type=Path,
                        help="read the Hugo site in PATH (hugo.toml or config.*, content/)")
    source.add_argument("--from-pelican", metavar="PATH", type=Path,
                        help="read the Pelican site in PATH (pelicanconf.py, as data; "
                        "publishconf.py too)")
    init.set_defaults(run=run)
