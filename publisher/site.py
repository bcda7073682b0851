"""Every post of a site, read once and checked together."""

from __future__ import annotations

import os
from dataclasses import dataclass
from datetime import datetime
from functools import cached_property
from pathlib import Path

from .config import Config
from .posts import Post, read_post
from .problems import Problem, error, warning

POST_SUFFIXES = (".md", ".markdown", ".mdown", ".mkd", ".mkdn")


@dataclass(frozen=True)
class Site:
    config: Config
    posts: tuple[Post, ...]  # every valid post, drafts and future ones included
    problems: tuple[Problem, ...]
    files: int  # post files looked at

    @property
    def errors(self) -> tuple[Problem, ...]:
        return tuple(p for p in self.problems if p.is_error)

    def visible(self, now: datetime, *, drafts: bool = False,
                future: bool = False) -> tuple[Post, ...]:
        """Posts a reader may see now, newest first, ties broken by id."""
        shown = [p for p in self.posts
                 if (drafts or not p.draft) and (future or p.date <= now)]
        return tuple(sorted(shown, key=lambda p: (-p.date.timestamp(), p.id)))

    @cached_property
    def _targets(self) -> dict[str, str]:
        index: dict[str, str] = {}
        for post in self.posts:
            for name in (post.stem, post.name.rsplit("/", 1)[-1], post.name, post.slug):
                index.setdefault(name, post.url)
        return index

    def link_target(self, target: str) -> str | None:
        """URL of the post a `post_url`, `link` or `ref` names, by file name or slug.

        Jekyll allows a folder before the name (`/notes/2012-08-31-x`) and `link`
        takes a path from the site root (`_posts/2012-08-31-x.md`).
        """
        target = target.strip().strip("/")
        base = target.rsplit("/", 1)[-1]
        for candidate in (target, base, base.rsplit(".", 1)[0]):
            if candidate in self._targets:
                return self._targets[candidate]
        return None


def _display(path: Path) -> str:
    try:
        return os.path.relpath(path)
    except ValueError:  # another drive on Windows
        return str(path)


def find_post_files(root: Path) -> tuple[list[tuple[Path, str]], list[Problem]]:
    """(path, name relative to root) of every post file, sorted; symlinks out are skipped."""
    found: list[tuple[Path, str]] = []
    problems: list[Problem] = []
    real_root = root.resolve()
    for folder, dirs, files in os.walk(root):
        dirs[:] = sorted(d for d in dirs if not d.startswith(".") or d == "_drafts")
        for file_name in sorted(files):
            path = Path(folder) / file_name
            if not file_name.lower().endswith(POST_SUFFIXES) or file_name.startswith(".") \
                    or file_name.startswith("_index."):  # Hugo's section pages list posts
                continue
            name = path.relative_to(root).as_posix()
            if path.is_symlink() and not path.resolve().is_relative_to(real_root):
                problems.append(warning(_display(path), None, "file",
                                        "is a link to a file outside the posts folder; "
                                        "skipped (copy the file in to publish it)"))
                continue
            found.append((path, name))
    return found, problems


def _check_unique(posts: list[Post]) -> list[Problem]:
    problems: list[Problem] = []
    for attribute in ("url", "id"):
        first: dict[str, Post] = {}
        for post in posts:
            value = getattr(post, attribute)
            other = first.setdefault(value, post)
            if other is post:
                continue
            if attribute == "id" and post.id == post.url and other.id == other.url:
                continue  # an id made from the URL: the URL clash is already reported
            fix = "id" if attribute == "id" else "slug or permalink"
            problems.append(error(post.source, None, attribute,
                                  f"{value} is also the {attribute} of {other.source}; "
                                  f"give one of them its own {fix}"))
    return problems


def load_site(config: Config) -> Site:
    """Read and check every post under the configured posts folder."""
    root = config.posts_dir
    if not root.is_dir():
        problem = error(_display(root), None, "site.posts",
                        "the posts folder does not exist; create it or set site.posts")
        return Site(config, (), (problem,), 0)
    files, problems = find_post_files(root)
    posts: list[Post] = []
    for path, name in files:
        source = _display(path)
        try:
            data = path.read_bytes()
            mtime = path.stat().st_mtime
        except OSError as exc:
            problems.append(error(source, None, "file", f"cannot read: {exc.strerror}"))
            continue
        post, found = read_post(data, name, source, config, mtime)
        problems.extend(found)
        if post is not None:
            posts.append(post)
    duplicates = _check_unique(posts)
    if duplicates:
        problems.extend(duplicates)
        bad = {p.path for p in duplicates}
        posts = [p for p in posts if p.source not in bad]
    return Site(config, tuple(posts), tuple(sorted(problems, key=_order)), len(files))


def _order(problem: Problem) -> tuple[str, int, str]:
    return (problem.path, problem.line or 0, problem.field)
