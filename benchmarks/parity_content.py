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

import argparse
import sys
import tempfile
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))
from tests import content_parity, generators  # noqa: E402 - the harness lives with the tests

SITES = ROOT / "tests" / "fixtures" / "content"
CORPUS = ROOT.parent / "shared" / "corpus"


def sites(only: set[str]) -> list[tuple[str, Path]]:
    found = [(p.name, p) for p in sorted(SITES.iterdir()) if p.is_dir()]
    if CORPUS.is_dir():
        found += [(p.name, p) for p in sorted(CORPUS.iterdir()) if p.is_dir()]
    return [(name, path) for name, path in found if not only or name in only]


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--details", action="store_true",
                        help="after the table, what differs in each entry")
    parser.add_argument("--no-cache", action="store_true",
                        help="build with the generators even when a cached build exists")
    parser.add_argument("--only", action="append", default=[], metavar="NAME",
                        help="only this site or corpus (repeatable)")
    args = parser.parse_args(argv)
    if not CORPUS.is_dir():
        print(f"({CORPUS} is not there: fixture sites only)")
    print(f"cache: {generators.cache_folder()}")
    print()
    print(content_parity.TABLE_HEAD)
    details, failed = [], 0
    for name, path in sites(set(args.only)):
        with tempfile.TemporaryDirectory(prefix="parity-content-") as folder:
            try:
                result = content_parity.site_parity(path, Path(folder), name,
                                                    use_cache=not args.no_cache)
            except generators.GeneratorError as error:
                failed += 1
                print(f"| {generators.site_generator(path)} | {name} | build failed | | | |")
                details.append(f"## {name}\n{error}")
                continue
        print(result.line(), flush=True)
        if result.same < result.entries or result.extra or result.refused:
            details.append(f"## {name}\n{result.explain(limit=10**6)}")
    if args.details and details:
        print()
        print("\n\n".join(details))
    return 1 if failed else 0


if __name__ == "__main__":
    sys.exit(main())
