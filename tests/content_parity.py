"""Each post's HTML, publisher against the real generator, as a reader sees it.

For tests/test_parity_content.py and benchmarks/parity_content.py. A site (a fixture of
tests/fixtures/content/ or a corpus of ../shared/corpus/) is copied with its real bodies
and the stubs of tests/generators_stubs.py, then built by its generator (Jekyll with
jekyll-feed, Hugo with an RSS template printing `.Content`, Pelican) and by publisher
(tests/generators.py). The entries are paired by id (then link, then title) and each pair
is read as a reader would (tests/reading.py): an entry is *the same* when the readings
are equal. The generator's builds are cached like the link parity ones.
"""

from __future__ import annotations

from collections import Counter
from dataclasses import dataclass
from pathlib import Path

from . import generators, reading
from .generators import Build, Entry

# Causes that are not an aspect of the reading.
CONTROL = "the generator wrote a character XML forbids (a strict reader drops the feed)"
MISSING = "not in publisher's feed"
EXTRA = "only in publisher's feed"


@dataclass(frozen=True)
class EntryResult:
    """One generator entry and how publisher's reads against it."""

    key: str  # the post's file where the generator's feed tells it, else its title
    title: str
    causes: tuple[str, ...]  # () when it reads the same
    details: tuple[str, ...] = ()

    @property
    def same(self) -> bool:
        return not self.causes


@dataclass(frozen=True)
class SiteParity:
    name: str
    generator: str
    version: str
    results: tuple[EntryResult, ...]
    extra: tuple[Entry, ...]  # entries only publisher has
    refused: tuple[generators.Refusal, ...]
    cached: bool = False

    @property
    def entries(self) -> int:
        return len(self.results)

    @property
    def same(self) -> int:
        return sum(r.same for r in self.results)

    @property
    def percent(self) -> float:
        return 100.0 * self.same / self.entries if self.entries else 100.0

    def different(self) -> dict[str, EntryResult]:
        return {r.key: r for r in self.results if not r.same}

    def classes(self) -> list[tuple[str, int, list[str]]]:
        """(cause, entries, example keys), the largest first."""
        counts: Counter[str] = Counter()
        examples: dict[str, list[str]] = {}
        for result in self.results:
            for cause in result.causes:
                counts[cause] += 1
                examples.setdefault(cause, []).append(result.key)
        if self.extra:
            counts[EXTRA] = len(self.extra)
            examples[EXTRA] = [e.title for e in self.extra]
        return [(cause, n, examples[cause][:3]) for cause, n in counts.most_common()]

    def line(self) -> str:
        """One row of the parity table (Markdown)."""
        top = "; ".join(f"{cause} {n} ({', '.join(Path(k).name for k in keys)})"
                        for cause, n, keys in self.classes()[:4])
        return (f"| {self.generator} | {self.name} | {self.entries} | {self.same} "
                f"| {self.percent:.1f}% | {top} |")

    def explain(self, limit: int = 40) -> str:
        lines = [f"{self.name} ({self.version}): {self.same} of {self.entries} entries read "
                 f"the same ({self.percent:.1f}%)"]
        for result in [r for r in self.results if not r.same][:limit]:
            lines.append(f"  {result.key}: {', '.join(result.causes)}")
            lines.extend(f"      {d[:300]}" for d in result.details)
        lines.extend(f"  only publisher's: {e.title!r} {e.link}" for e in self.extra)
        lines.extend(f"  refused by the generator: {r.file}: {r.reason}" for r in self.refused)
        return "\n".join(lines)


def _key(entry: Entry) -> str:
    return entry.source or entry.title


def pair(theirs: list[Entry], ours: list[Entry]
         ) -> tuple[list[tuple[Entry, Entry | None]], list[Entry]]:
    """Each generator entry with publisher's of the same id, else link, else title (or
    None); and publisher's entries left over."""
    left = list(ours)
    pairs: list[tuple[Entry, Entry | None]] = []
    for entry in theirs:
        match = next((o for o in left if o.id == entry.id), None) or \
            next((o for o in left if o.link == entry.link), None) or \
            next((o for o in left if generators.title_key(o.title) ==
                  generators.title_key(entry.title)), None)
        if match is not None:
            left.remove(match)
        pairs.append((entry, match))
    return pairs, left


def judge(theirs: Entry, ours: Entry | None) -> EntryResult:
    """How publisher's entry reads against the generator's."""
    if ours is None:
        return EntryResult(_key(theirs), theirs.title, (MISSING,))
    # Each side's links resolve against its own entry's link (jekyll-feed's xml:base).
    left, right = reading.read(theirs.content, theirs.link), reading.read(ours.content,
                                                                          ours.link)
    causes = list(reading.differences(left, right))
    details = reading.describe(left, right)
    if theirs.notes:
        causes.insert(0, CONTROL)
        details.insert(0, "; ".join(theirs.notes))
    return EntryResult(_key(theirs), theirs.title, tuple(causes), tuple(details))


def compare(name: str, build: Build, ours: list[Entry]) -> SiteParity:
    pairs, extra = pair(generators.readable(build.entries), ours)
    return SiteParity(name, build.generator, build.version,
                      tuple(judge(t, o) for t, o in pairs), tuple(extra), build.refused,
                      build.cached)


def site_parity(site: Path, work: Path, name: str | None = None, use_cache: bool = True
                ) -> SiteParity:
    """Build a site with its generator and with publisher, real bodies, and compare."""
    generator = generators.site_generator(site)
    build = generators.build_generator(generator, site, work, use_cache, bodies=True)
    ours = generators.publisher_run(site, work, generator, bodies=True)
    return compare(name or site.name, build, list(ours.entries))


TABLE_HEAD = ("| generator | site | entries | same | % | largest differences "
              "(entries; examples) |\n|---|---|---:|---:|---:|---|")
