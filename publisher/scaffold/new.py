"""`publish new`: a new post file with its front matter, named and dated for the site.

The front matter is written with `yaml.safe_dump`, so any title (quotes, colons, `#`,
emoji) reads back exactly through `publisher.posts.read_post`.
"""

from __future__ import annotations

from datetime import datetime
from pathlib import Path
from typing import Any

import yaml

from publisher.config import Config
from publisher.dialects import dialect_for
from publisher.output import shown
from publisher.problems import PublisherError
from publisher.urls import slugify

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
    dialect = dialect_for(config)
    if draft and dialect.draft_field:
        fields["draft"] = True
    name = post_file_name(title, moment)
    folders = frozenset(p.name for p in config.posts_dir.iterdir() if p.is_dir()) \
        if config.posts_dir.is_dir() else frozenset()
    # Where the site's generator looks: Jekyll's _posts/ or _drafts/, Hugo's section.
    path = config.posts_dir / dialect.new_post(name, name[len("YYYY-MM-DD-"):-len(".md")],
                                               draft, folders)
    write_new(path, post_text(fields, PLACEHOLDER))
    return path


