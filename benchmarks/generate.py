"""Write N synthetic posts, deterministically: the same N and seed give the same bytes.

Realistic front matter (title, date, tags, categories, series, excerpt on some,
header images on some) and Markdown bodies of 600 to 1,500 words with headings, lists,
links, images, code and tables, like the issue that set our targets describes.

    python benchmarks/generate.py 10000 /tmp/site      # writes /tmp/site/posts and config
"""

from __future__ import annotations

import argparse
import random
from datetime import UTC, datetime, timedelta
from pathlib import Path

WORDS = ("feed", "reader", "post", "series", "archive", "draft", "newsletter", "issue", "title",
         "date", "slug", "link", "image", "markdown", "front", "matter", "yaml", "toml", "writer",
         "subscriber", "inbox", "template", "publish", "build", "cache", "render", "engine",
         "static", "site", "generator", "atom", "rss", "json", "reader", "channel", "entry",
         "content", "summary", "excerpt", "category", "tag", "author", "update", "schedule",
         "weekly", "habit", "note", "garden", "essay", "review", "tutorial", "example",
         "question", "answer", "detail", "pattern", "reason")
SERIES = ("Feed Plumbing", "Writing Habits", "Tools of the Trade", "Letters", None, None)
TAGS = ("python", "writing", "feeds", "email", "hugo", "jekyll", "markdown", "tools", "notes",
        "craft", "web", "design")
CATEGORIES = ("Essays", "Guides", "Notes", "Reviews")

CONFIG = """[site]
title = "Benchmark site"
url = "https://bench.example.org"
timezone = "UTC"
posts = "posts"
output = "out"

[author]
name = "Bench Writer"
email = "bench@example.org"

[feed]
limit = {limit}

[email]
to = "list@bench.example.org"
unsubscribe_url = "https://bench.example.org/unsubscribe"
"""


def sentence(rng: random.Random, low: int = 8, high: int = 20) -> str:
    words = [rng.choice(WORDS) for _ in range(rng.randint(low, high))]
    return " ".join(words).capitalize() + "."


def paragraph(rng: random.Random) -> str:
    text = " ".join(sentence(rng) for _ in range(rng.randint(3, 6)))
    if rng.random() < 0.5:
        word = rng.choice(WORDS)
        text = text.replace(f" {word} ", f" [{word}](https://example.com/{word}) ", 1)
    if rng.random() < 0.3:
        word = rng.choice(WORDS)
        text = text.replace(f" {word} ", f" *{word}* ", 1)
    return text


def body(rng: random.Random, index: int) -> str:
    target = rng.randint(600, 1500)
    parts: list[str] = []
    words = 0
    while words < target:
        kind = rng.random()
        if kind < 0.08:
            parts.append(f"## {sentence(rng, 2, 5)[:-1]}")
        elif kind < 0.15:
            parts.append("\n".join(f"- {sentence(rng, 3, 8)}" for _ in range(rng.randint(2, 5))))
        elif kind < 0.19:
            parts.append(f"![{rng.choice(WORDS)} diagram](/images/{index % 50}.png)")
        elif kind < 0.23:
            lines = "\n".join(f"    value_{i} = compute({i}, '{rng.choice(WORDS)}')"
                              for i in range(rng.randint(2, 6)))
            parts.append(f"```python\ndef example():\n{lines}\n    return value_0\n```")
        elif kind < 0.26:
            rows = "\n".join(f"| {rng.choice(WORDS)} | {rng.randint(1, 99)} | "
                             f"{rng.choice(WORDS)} |" for _ in range(rng.randint(2, 5)))
            parts.append(f"| name | count | note |\n|---|---|---|\n{rows}")
        else:
            parts.append(paragraph(rng))
        words += len(parts[-1].split())
    return "\n\n".join(parts) + "\n"


def post(rng: random.Random, index: int, start: datetime) -> tuple[str, str]:
    when = start + timedelta(hours=index * 7, minutes=rng.randint(0, 59))
    title = sentence(rng, 3, 8)[:-1]
    slug = f"post-{index:06d}"
    lines = ["---", f'title: "{title}"', f"date: {when:%Y-%m-%d %H:%M:%S} +0000",
             f"tags: [{', '.join(rng.sample(TAGS, rng.randint(1, 4)))}]",
             f"categories: [{rng.choice(CATEGORIES)}]"]
    series = rng.choice(SERIES)
    if series:
        lines.append(f"series: {series}")
    if rng.random() < 0.3:
        lines.append(f'excerpt: "{sentence(rng)}"')
    if rng.random() < 0.2:
        lines.append(f"header:\n  overlay_image: header-{index % 20}.jpg")
    lines.append("---")
    return f"{when:%Y-%m-%d}-{slug}.md", "\n".join(lines) + "\n" + body(rng, index)


def generate(count: int, root: Path, *, seed: int = 1, limit: int = 20) -> Path:
    """Write `count` posts and a publisher.toml under `root`; return the posts folder."""
    posts = root / "posts"
    posts.mkdir(parents=True, exist_ok=True)
    rng = random.Random(seed)
    # Seven hours apart, ending in 2025: every post is published, whatever N.
    start = datetime(2025, 1, 1, tzinfo=UTC) - timedelta(hours=7 * count)
    for index in range(count):
        name, text = post(rng, index, start)
        (posts / name).write_text(text, encoding="utf-8")
    (root / "publisher.toml").write_text(CONFIG.format(limit=limit), encoding="utf-8")
    return posts


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("count", type=int)
    parser.add_argument("root", type=Path)
    parser.add_argument("--seed", type=int, default=1)
    parser.add_argument("--limit", type=int, default=20, help="feed.limit in the config")
    args = parser.parse_args()
    generate(args.count, args.root, seed=args.seed, limit=args.limit)


if __name__ == "__main__":
    main()
