"""Post links and feed ids, publisher against Jekyll (+ jekyll-feed), Hugo and Pelican: the table.

    python benchmarks/parity_links.py                  # fixture sites, and ../shared/corpus/
    python benchmarks/parity_links.py --details        # and what differs, post by post
    python benchmarks/parity_links.py --no-cache --only scikit-learn-blog

One row per fixture site (tests/fixtures/sites/) and per real blog of ../shared/corpus/
(when it is beside the clone): entries in the generator's feed and in publisher's, the
share of the generator's ids and links that publisher writes too, files the generator
refused, and the build times (the generator's from the cache when it was cached: see
tests/generators.py for where). The same builds as tests/test_parity_links.py.
"""

from __future__ import annotations

import sys
import time
from pathlib import Path

from parity_table import ROOT, run

from tests import generators

SITES = ROOT / "tests" / "fixtures" / "sites"
HEAD = ("| generator | site | entries (theirs / ours) | ids equal | links equal | refused "
        "| generator s | publisher s |\n|---|---|---:|---:|---:|---:|---:|---:|")


def row(name: str, path: Path, work: Path, use_cache: bool) -> tuple[str, str | None]:
    generator = generators.site_generator(path)
    build = generators.build_generator(generator, path, work, use_cache=use_cache)
    started = time.perf_counter()
    ours = generators.publisher_run(path, work, generator)
    ours_seconds = time.perf_counter() - started
    result = generators.compare(generators.readable(build.entries), ours.entries)
    cached = " (cached)" if build.cached else ""
    line = (f"| {generator} | {name} | {result.theirs} / {result.ours} "
            f"| {result.ids_percent:.1f}% | {result.links_percent:.1f}% "
            f"| {len(build.refused)} | {build.seconds:.1f}{cached} | {ours_seconds:.1f} |")
    if result.ok and not build.refused:
        return line, None
    refused = "".join(f"\n  {r.file}: {r.reason}" for r in build.refused)
    return line, result.explain(limit=10**6) + (f"\n{generator} refused:{refused}"
                                                 if refused else "")


def main(argv: list[str] | None = None) -> int:
    return run(__doc__.splitlines()[0], SITES, HEAD, row,
               "after the table, what differs for each site", argv)


if __name__ == "__main__":
    sys.exit(main())
