"""What the two parity scripts share: the sites (fixtures, then ../shared/corpus/), the
options, one table row per site, and the details after it."""

from __future__ import annotations

import argparse
import sys
import tempfile
from collections.abc import Callable
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))
from tests import generators  # noqa: E402 - the harness lives with the tests

CORPUS = ROOT.parent / "shared" / "corpus"
# (site name, its folder, a temporary folder, use the generator's cached build) ->
# (the table row, what differs or None)
Row = Callable[[str, Path, Path, bool], tuple[str, str | None]]


def sites(fixtures: Path, only: set[str]) -> list[tuple[str, Path]]:
    found = [(p.name, p) for p in sorted(fixtures.iterdir()) if p.is_dir()]
    if CORPUS.is_dir():
        found += [(p.name, p) for p in sorted(CORPUS.iterdir()) if p.is_dir()]
    return [(name, path) for name, path in found if not only or name in only]


def run(description: str, fixtures: Path, head: str, row: Row, details_help: str,
        argv: list[str] | None = None) -> int:
    """Print the table; 1 when a generator's build failed."""
    parser = argparse.ArgumentParser(description=description)
    parser.add_argument("--details", action="store_true", help=details_help)
    parser.add_argument("--no-cache", action="store_true",
                        help="build with the generators even when a cached build exists")
    parser.add_argument("--only", action="append", default=[], metavar="NAME",
                        help="only this site or corpus (repeatable)")
    args = parser.parse_args(argv)
    if not CORPUS.is_dir():
        print(f"({CORPUS} is not there: fixture sites only)")
    print(f"cache: {generators.cache_folder()}")
    print()
    print(head)
    columns = head.splitlines()[0].count("|") - 1
    details, failed = [], 0
    for name, path in sites(fixtures, set(args.only)):
        with tempfile.TemporaryDirectory(prefix="parity-") as folder:
            try:
                line, differs = row(name, path, Path(folder), not args.no_cache)
            except generators.GeneratorError as error:
                failed += 1
                print(f"| {generators.site_generator(path)} | {name} | build failed |"
                      + " |" * (columns - 3))
                details.append(f"## {name}\n{error}")
                continue
        print(line, flush=True)
        if differs:
            details.append(f"## {name}\n{differs}")
    if args.details and details:
        print()
        print("\n\n".join(details))
    return 1 if failed else 0
