"""Each post's HTML, publisher against Jekyll (+ jekyll-feed), Hugo and Pelican: the table.

    python benchmarks/parity_content.py                 # fixtures, and ../shared/corpus/
    python benchmarks/parity_content.py --details       # and what differs, entry by entry
    python benchmarks/parity_content.py --only neokt-neokt.github.io --no-cache

One row per content fixture site (tests/fixtures/content/) and per real blog of
../shared/corpus/ (when it is beside the clone): the generator's entries, how many of
publisher's read the same (tests/reading.py says what a reader sees), the share, and the
largest classes of difference with example files. The same builds and comparison as
tests/test_parity_content.py (tests/content_parity.py); generator builds are cached (see
tests/generators.py for where), so only the first run pays for them.
"""

from __future__ import annotations

import sys
from pathlib import Path

from parity_table import ROOT, run

from tests import content_parity

SITES = ROOT / "tests" / "fixtures" / "content"


def row(name: str, path: Path, work: Path, use_cache: bool) -> tuple[str, str | None]:
    result = content_parity.site_parity(path, work, name, use_cache=use_cache)
    differs = result.same < result.entries or result.extra or result.refused
    return result.line(), result.explain(limit=10**6) if differs else None


def main(argv: list[str] | None = None) -> int:
    return run(__doc__.splitlines()[0], SITES, content_parity.TABLE_HEAD, row,
               "after the table, what differs in each entry", argv)


if __name__ == "__main__":
    sys.exit(main())
