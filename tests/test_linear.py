"""Time linear in the size of the input: the same input at two sizes, and the ratio of
the times (a ratio, not a time: the machine's speed cancels out)."""

from __future__ import annotations

import shutil
import time
from collections.abc import Callable

from .conftest import NOW, SiteDir

SMALL, LARGE = 5_000, 20_000  # four times as much: linear is 4, quadratic 16


def best_of(runs: int, work: Callable[[], None]) -> float:
    times = []
    for _ in range(runs):
        started = time.perf_counter()
        work()
        times.append(time.perf_counter() - started)
    return min(times)


def test_many_tags_in_one_post_take_linear_time(site: SiteDir, publish) -> None:
    """40,000 tags took 15 s to read (a list searched for each new tag) and minutes to
    publish (feedgen remapping every category on each one added)."""
    site.config("[feed]\nseries = false\n")

    def timed(count: int) -> float:
        tags = ", ".join(f"tag{n}" for n in range(count))
        site.post("2024-01-01-tags.md", f"---\ntitle: Tags\ntags: [{tags}]\n---\nx\n")

        def run() -> None:
            shutil.rmtree(site.out, ignore_errors=True)
            result = publish(site.root, "feed", "--now", NOW, "--no-cache", "-q")
            assert result.code == 0, result.err

        return best_of(2, run)

    small, large = timed(SMALL), timed(LARGE)
    assert large / small < 8, f"{SMALL} tags: {small:.2f} s, {LARGE}: {large:.2f} s"
    assert (site.out / "feed.xml").read_bytes().count(b"<category") == LARGE
