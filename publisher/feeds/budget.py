"""Size budgets: a feed file over `feed.max_bytes` sheds the full text of its oldest
entries (each keeps its title, link, dates and summary) until it fits.

Common readers refuse bigger feeds outright (CommaFeed at 5 MB, The Old Reader at 7 MB,
Miniflux at 15 MB); a feed they refuse delivers nothing, so losing old full texts is the
lesser harm. An entry is never cut in the middle, and a fallback is always said.
"""

from __future__ import annotations

from collections.abc import Callable, Iterable
from dataclasses import dataclass

Render = Callable[[int], Iterable[bytes]]  # k -> the file, in pieces, its newest k in full


@dataclass(frozen=True)
class Fitted:
    chunks: Iterable[bytes]  # the file, to be written in one pass
    size: int | None  # None: not measured, as no budget applies (it is streamed)
    full: int  # how many of the newest entries kept their full text
    entries: int
    limit: int

    def note(self, name: str) -> str | None:
        """What the reader of `publish feed` must know, or None when nothing was shed."""
        if self.size is None:  # streamed: no budget, nothing shed
            return None
        shed = self.entries - self.full
        over = self.size > self.limit > 0
        if not shed and not over:
            return None
        size = f"{self.size / 1_000_000:.2f} MB" if self.size >= 1_000_000 else \
            f"{self.size / 1000:.1f} KB"
        budget = f"feed.max_bytes ({self.limit:,} bytes)"
        if over:
            return (f"{name}: {size} is over {budget} even with summaries only for "
                    f"{'its' if shed else 'all'} {self.entries} entries; readers such as "
                    "CommaFeed may refuse it: lower feed.limit")
        return (f"{name}: over {budget} with every entry in full, so the oldest {shed} of "
                f"{self.entries} entries carry their summary only ({size})")


def _within(chunks: Iterable[bytes], limit: int) -> bytes | None:
    """The file if it fits in `limit` bytes; None as soon as it does not (a full
    archive is not made whole only to be found too big)."""
    pieces, size = [], 0
    for chunk in chunks:
        size += len(chunk)
        if size > limit:
            return None
        pieces.append(chunk)
    return b"".join(pieces)


def _whole(data: bytes, full: int, entries: int, limit: int) -> Fitted:
    return Fitted((data,), len(data), full, entries, limit)


def fit(render: Render, entries: int, limit: int, full: bool = True) -> Fitted:
    """The file `render(k)` makes, where the newest `k` entries are in full, for the
    largest `k` that fits in `limit` bytes (0: no limit, and the file is streamed).

    Fewer full entries never make a bigger file, so the search halves the range each
    time: a few renders, not one per entry.
    """
    if not limit:
        return Fitted(render(entries if full else 0), None, entries, entries, limit)
    if not full:  # summaries only already (`feed.full_content = false`): nothing to shed
        return _whole(b"".join(render(0)), entries, entries, limit)
    data = _within(render(entries), limit)
    if data is not None or entries == 0:
        return _whole(b"".join(render(entries)) if data is None else data, entries,
                      entries, limit)
    low, high = 0, entries - 1  # the answer is in [low, high], or 0 if nothing fits
    best: tuple[bytes, int] | None = None
    while low <= high:
        middle = (low + high) // 2
        candidate = _within(render(middle), limit)
        if candidate is not None:
            best, low = (candidate, middle), middle + 1
        else:
            high = middle - 1
    if best is None:
        return _whole(b"".join(render(0)), 0, entries, limit)
    return _whole(best[0], best[1], entries, limit)
