"""`publish new`: a new post file with its front matter, named and dated for the site.

The front matter is written with `yaml.safe_dump`, so any title (quotes, colons, `#`,
emoji) reads back exactly through `publisher.posts.read_post`.
"""

from __future__ import annotations

import argparse
from collections.abc import Sequence
from datetime import UTC, datetime
from pathlib import Path
from typing import TYPE_CHECKING, Any

import yaml

from .config import Config, load_config
from .output import shown
from .problems import PublisherError
from .urls import slugify

if TYPE_CHECKING:  # cli imports this module to wire the command
    from .cli import Console

PLACEHOLDER = "Write your post here; the first paragraph becomes its excerpt."
# Most file systems refuse names over 255 bytes; a long or CJK title can get there.
MAX_NAME_BYTES = 240


def yaml_field(name: str, value: Any) -> str:
    """One `name: value` line (or block) of YAML front matter, safely quoted."""
    if isinstance(value, list | tuple):  # a list on one line: `tags: [a, b]`
        flow = yaml.safe_dump(list(value), allow_unicode=True, default_flow_style=True,
                              width=2**30)
        return f"{name}: {flow.strip()}\n"
    return yaml.safe_dump({name: value}, allow_unicode=True, default_flow_style=False,
                          width=2**30)


def front_matter_date(moment: datetime) -> str:
    """`2026-11-27 10:30:00 +0100`: the form Jekyll writes, read by every generator."""
    if moment.tzinfo is None:
        raise ValueError("the post date needs a time zone")
    return moment.strftime("%Y-%m-%d %H:%M:%S %z")


def post_text(fields: dict[str, Any], body: str) -> str:
    """A whole post: `---`, one YAML field per entry of `fields` (in order), `---`, body.

    A `date` given as a datetime is written in Jekyll's form, unquoted.
    """
    lines = ["---\n"]
    for name, value in fields.items():
        if isinstance(value, datetime):
            lines.append(f"{name}: {front_matter_date(value)}\n")
        else:
            lines.append(yaml_field(name, value))
    lines.append("---\n\n")
    return "".join(lines) + body.rstrip("\n") + "\n"


def post_file_name(title: str, day: datetime) -> str:
    """`YYYY-MM-DD-<slug>.md`, the slug cut at a word so the name stays a legal file name."""
    slug = slugify(title)
    while len(slug.encode("utf-8")) > MAX_NAME_BYTES - len("YYYY-MM-DD-.md"):
        cut = slug.rfind("-")
        slug = slug[:cut] if cut > 0 else slug[:-1]
    return f"{day:%Y-%m-%d}-{slug}.md"


def write_new(path: Path, text: str) -> None:
    """Create `path` with `text`; refuse (PublisherError) when it already exists."""
    path.parent.mkdir(parents=True, exist_ok=True)
    try:
        with path.open("x", encoding="utf-8", newline="\n") as file:
            file.write(text)
    except FileExistsError:
        raise PublisherError(f"{shown(path)} already exists; edit it, or choose another "
                             "title") from None


def new_post(config: Config, title: str, *, series: str | None = None, now: datetime,
             draft: bool = False) -> Path:
    """Write a new post in the posts folder, dated `now` in the site's time zone.

    Returns its path; never overwrites a file.
    """
    title = " ".join(title.split())
    if not title:
        raise PublisherError("the title is empty; give the post a title")
    if now.tzinfo is None:
        raise ValueError("now must be timezone-aware")
    moment = now.astimezone(config.zone).replace(microsecond=0)
    fields: dict[str, Any] = {"title": title, "date": moment, "tags": []}
    if series is not None and series.strip():
        fields["series"] = " ".join(series.split())
    if draft:
        fields["draft"] = True
    path = config.posts_dir / post_file_name(title, moment)
    write_new(path, post_text(fields, PLACEHOLDER))
    return path


def run(args: argparse.Namespace, console: Console) -> int:
    """`publish new TITLE`: print the new post's path."""
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

