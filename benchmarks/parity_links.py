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

import argparse
import sys
import tempfile
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))
from tests import generators  # noqa: E402 - the harness lives with the tests

SITES = ROOT / "tests" / "fixtures" / "sites"
CORPUS = ROOT.parent / "shared" / "corpus"


def sites(only: set[str]) -> list[tuple[str, Path]]:
    found = [(p.name, p) for p in sorted(SITES.iterdir()) if p.is_dir()]
    if CORPUS.is_dir():
        found += [(p.name, p) for p in sorted(CORPUS.iterdir()) if p.is_dir()]
    return [(name, path) for name, path in found if not only or name in only]


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--details", action="store_true",
                        help="after the table, what differs for each site")
    parser.add_argument("--no-cache", action="store_true",
                        help="build with the generators even when a cached build exists")
    parser.add_argument("--only", action="append", default=[], metavar="NAME",
                        help="only this site or corpus (repeatable)")
    args = parser.parse_args(argv)
    if not CORPUS.is_dir():
        print(f"({CORPUS} is not there: fixture sites only)")
    print(f"cache: {generators.cache_folder()}")
    print()
    print("| generator | site | entries (theirs / ours) | ids equal | links equal | refused "
          "| generator s | publisher s |")
    print("|---|---|---:|---:|---:|---:|---:|---:|")
    details, failed = [], 0
    for name, path in sites(set(args.only)):
        generator = generators.site_generator(path)
        with tempfile.TemporaryDirectory(prefix="parity-") as folder:
            work = Path(folder)
            try:
                build = generators.build_generator(generator, path, work,
                                                   use_cache=not args.no_cache)
                started = time.perf_counter()
                ours = generators.publisher_run(path, work, generator)
                ours_seconds = time.perf_counter() - started
            except generators.GeneratorError as error:
                failed += 1
                print(f"| {generator} | {name} | build failed | | | | | |")
                details.append(f"## {name}\n{error}")
                continue
        result = generators.compare(generators.readable(build.entries), ours.entries)
        cached = " (cached)" if build.cached else ""
        print(f"| {generator} | {name} | {result.theirs} / {result.ours} "
              f"| {result.ids_percent:.1f}% | {result.links_percent:.1f}% "
              f"| {len(build.refused)} | {build.seconds:.1f}{cached} | {ours_seconds:.1f} |",
              flush=True)
        if not result.ok or build.refused:
            refused = "".join(f"\n  {r.file}: {r.reason}" for r in build.refused)
            details.append(f"## {name}\n{result.explain(limit=10**6)}" +
                           (f"\n{generator} refused:{refused}" if refused else ""))
    if args.details and details:
        print()
        print("\n\n".join(details))
    return 1 if failed else 0


if __name__ == "__main__":
    sys.exit(main())
