"""Size budgets: a feed file over `feed.max_bytes` sheds the full text of its oldest
entries (each keeps its title, link, dates and summary) until it fits.

Common readers refuse bigger feeds outright (CommaFeed at 5 MB, The Old Reader at 7 MB,
Miniflux at 15 MB); a feed they refuse delivers nothing, so losing old full texts is the
lesser harm. An entry is never cut in the middle, and a fallback is always said.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass


@dataclass(frozen=True)
class Fitted:
    data: bytes
    full: int  # how many of the newest entries kept their full text
    entries: int
    limit: int

    def note(self, name: str) -> str | None:
        """What the reader of `publish feed` must know, or None when nothing was shed."""
        shed = self.entries - self.full
        over = len(self.data) > self.limit > 0
        if not shed and not over:
            return None
        size = f"{len(self.data) / 1_000_000:.2f} MB" if len(self.data) >= 1_000_000 else \
            f"{len(self.data) / 1000:.1f} KB"
        budget = f"feed.max_bytes ({self.limit:,} bytes)"
        if over:
            return (f"{name}: {size} is over {budget} even with summaries only for "
                    f"{'its' if shed else 'all'} {self.entries} entries; readers such as "
                    "CommaFeed may refuse it: lower feed.limit")
        return (f"{name}: over {budget} with every entry in full, so the oldest {shed} of "
                f"{self.entries} entries carry their summary only ({size})")


def fit(render: Callable[[int], bytes], entries: int, limit: int,
        full: bool = True) -> Fitted:
    """The file `render(k)` makes, where the newest `k` entries are in full, for the
    largest `k` that fits in `limit` bytes (0: no limit).

    Fewer full entries never make a bigger file, so the search halves the range each
    time: a few renders, not one per entry.
    """
    if not full:  # summaries only already (`feed.full_content = false`): nothing to shed
        return Fitted(render(0), entries, entries, limit)
    data = render(entries)
    if not limit or len(data) <= limit or entries == 0:
        return Fitted(data, entries, entries, limit)
    low, high = 0, entries - 1  # the answer is in [low, high], or 0 if nothing fits
    best: tuple[bytes, int] | None = None
    while low <= high:
        middle = (low + high) // 2
        candidate = render(middle)
        if len(candidate) <= limit:
            best, low = (candidate, middle), middle + 1
        else:
            high = middle - 1
    if best is None:
        return Fitted(render(0), 0, entries, limit)
    return Fitted(best[0], best[1], entries, limit)
