"""Python-Markdown's links, read in linear time (publisher/content/markdown/pymd_links.py),
write what Python-Markdown itself writes: the same documents rendered by a stock
Python-Markdown with the flavour's extensions and by ours, byte for byte.

The documents are the project's posts, the fixture posts, and random ones made of the
pieces that links, images, references, footnotes, code and raw HTML are made of."""

from __future__ import annotations

import random
from collections.abc import Callable

import markdown
import pytest

from publisher.content.markdown import Engine
from publisher.dialects import Markdown
from publisher.dialects.pelican import PELICAN
from publisher.dialects.plain import PLAIN

from .conftest import ROOT

PIECES = ["[", "]", "(", ")", "![", "](", "](<u>", '("t")', "'", '"', "`", "\\", " ", "\n",
          "\n\n", "a", "[a]", "[^1]", "[^1]: note\n", "[a]: /u\n", "[a[b]: /v\n",
          "*[a]: abbr\n", "<b>", "</b>", "<", ">", "http://x", ":", "|", "-", "*", "    ",
          "```\n", "~~~\n", "{: #i}", "# ", "> ", "$"]


def stock(flavour: Markdown) -> Callable[[str], str]:
    md = markdown.Markdown(extensions=list(flavour.extensions), output_format="html",
                           extension_configs={k: dict(v) for k, v in flavour.settings.items()})

    def render(text: str) -> str:
        md.reset()
        return md.convert(text)

    return render


def documents() -> list[str]:
    files = [*sorted((ROOT / "posts").rglob("*.md")),
             *sorted((ROOT / "tests" / "fixtures").rglob("*.md"))]
    rng = random.Random(14)
    made = ["".join(rng.choice(PIECES) for _ in range(rng.randint(0, 60))) for _ in range(1500)]
    return [f.read_text(encoding="utf-8", errors="replace") for f in files] + made


@pytest.mark.parametrize("dialect", [PLAIN, PELICAN], ids=["publisher", "pelican"])
def test_links_read_as_python_markdown_reads_them(dialect) -> None:
    ours, theirs = Engine(dialect.markdown), stock(dialect.markdown)
    # Without `$`: our engine sets math aside before Python-Markdown sees it.
    different = [text for text in documents() if "$" not in text
                 and ours.render(text) != theirs(text)]
    assert different == []
