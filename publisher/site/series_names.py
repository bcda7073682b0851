"""Series whose names would share a folder: `a/b` and `a-b`, `.NET` and `dot NET`.

A series' feeds live in `series/<slug>/` and its issues in `email/<slug>/`: two series
with one slug would write into one folder, the second over the first. Names that differ
only by case (`Go`, `go`) are one series to the feeds but two newsletters to email.
"""

from __future__ import annotations

from collections.abc import Sequence

from publisher.problems import Problem, error, warning
from publisher.site.post import Post
from publisher.urls import fold, term_slug


def series_problems(posts: Sequence[Post]) -> list[Problem]:
    """An error for each series whose folder another series already has (the oldest
    post's series keeps it), a warning for each spelling that differs only by case."""
    problems: list[Problem] = []
    first: dict[str, tuple[str, Post]] = {}  # slug -> the name that has it, and where
    reported: set[tuple[str, str]] = set()
    for post in sorted(posts, key=lambda p: (p.date.timestamp(), p.id)):
        for name in post.series:
            slug = term_slug(name)
            other, where = first.setdefault(slug, (name, post))
            if other == name or (other, name) in reported:
                continue
            reported.add((other, name))
            if fold(other) == fold(name):
                problems.append(warning(
                    post.source, None, "series", f"{name!r} and {other!r} (in {where.source}) "
                    f"are one series in feeds but two newsletters, which 'publish email' "
                    f"refuses (both would be drafted in email/{slug}/); spell it the same "
                    "everywhere"))
            else:
                problems.append(error(
                    post.source, None, "series", f"{name!r} and {other!r} (in {where.source}) "
                    f"would share the folders series/{slug}/ and email/{slug}/; rename one "
                    "of them"))
    return problems
