"""The sample site's feeds, byte for byte.

Regenerate after an intended change with `UPDATE_GOLDEN=1 python -m pytest tests/test_golden.py`
and review the diff like code.
"""

from __future__ import annotations

import difflib
import os
import shutil
from pathlib import Path

import pytest

from .conftest import NOW, ROOT

GOLDEN = Path(__file__).resolve().parent / "golden" / "sample"
# The sample site with archived feeds (RFC 5005): 3 posts per feed, archive pages of 4.
ARCHIVED = Path(__file__).resolve().parent / "golden" / "archived"
ARCHIVE_SETTINGS = "[feed]\nlimit = 3\narchive = true\narchive_size = 4\n"


def build(tmp: Path, publish, feed_settings: str = "") -> dict[str, bytes]:
    shutil.copytree(ROOT / "posts", tmp / "posts")
    config = (ROOT / "publisher.toml").read_text(encoding="utf-8")
    if feed_settings:
        assert "[feed]\nlimit = 20\n" in config
        config = config.replace("[feed]\nlimit = 20\n", feed_settings)
    (tmp / "publisher.toml").write_text(config, encoding="utf-8")
    assert publish(tmp, "feed", "--now", NOW).code == 0
    out = tmp / "out"
    return {p.relative_to(out).as_posix(): p.read_bytes()
            for p in sorted(out.rglob("*")) if p.is_file()}


@pytest.mark.parametrize(("golden", "feed_settings"), [(GOLDEN, ""),
                                                      (ARCHIVED, ARCHIVE_SETTINGS)],
                         ids=["sample", "archived"])
def test_sample_site_matches_golden_files(tmp_path: Path, publish, golden: Path,
                                          feed_settings: str) -> None:
    files = build(tmp_path, publish, feed_settings)
    if os.environ.get("UPDATE_GOLDEN"):
        shutil.rmtree(golden, ignore_errors=True)
        for name, data in files.items():
            (golden / name).parent.mkdir(parents=True, exist_ok=True)
            (golden / name).write_bytes(data)
        pytest.skip("golden files regenerated")
    expected = {p.relative_to(golden).as_posix(): p.read_bytes()
                for p in sorted(golden.rglob("*")) if p.is_file()}
    assert sorted(files) == sorted(expected)
    for name, data in files.items():
        if data != expected[name]:
            diff = difflib.unified_diff(
                expected[name].decode().splitlines(), data.decode().splitlines(),
                f"golden/{name}", f"built/{name}", lineterm="", n=2)
            pytest.fail(f"{name} differs from its golden file:\n" + "\n".join(list(diff)[:80]))


def test_two_builds_in_different_folders_are_identical(tmp_path: Path, publish) -> None:
    assert build(tmp_path / "a", publish) == build(tmp_path / "b", publish)
    assert build(tmp_path / "c", publish, ARCHIVE_SETTINGS) == \
        build(tmp_path / "d", publish, ARCHIVE_SETTINGS)


def test_the_sample_site_publishes_without_a_warning(tmp_path: Path, publish) -> None:
    # A new user's first run of our own example: nothing to worry about on stderr.
    shutil.copytree(ROOT / "posts", tmp_path / "posts")
    shutil.copy(ROOT / "publisher.toml", tmp_path / "publisher.toml")
    for command in (["check"], ["feed"], ["email"]):
        result = publish(tmp_path, *command, "-v")
        assert (result.code, result.err) == (0, ""), command
    assert publish(tmp_path, "check").out.endswith(", 0 warnings in 0 files\n")
