"""Writes land inside the output folder, atomically, and only when bytes change."""

from __future__ import annotations

import os
from pathlib import Path

import pytest

from publisher.output import inside, write_all
from publisher.problems import PublisherError


@pytest.mark.parametrize("bad", ["../x", "a/../../x", "/etc/x", "C:\\x", "C:/x", "a\\..\\..\\x",
                                 "", "."])
def test_paths_outside_are_refused(tmp_path: Path, bad: str) -> None:
    with pytest.raises(PublisherError):
        inside(tmp_path, bad)


def test_symlinked_folder_leading_out_is_refused(tmp_path: Path) -> None:
    out = tmp_path / "out"
    out.mkdir()
    (out / "series").symlink_to(tmp_path)
    with pytest.raises(PublisherError, match="leads outside"):
        inside(out, "series/feed.xml")


def test_percent_encoded_names_stay_literal(tmp_path: Path) -> None:
    assert inside(tmp_path, "..%2fx/feed.xml") == tmp_path / "..%2fx" / "feed.xml"


def test_write_all_reports_changes_and_leaves_no_temp_files(tmp_path: Path) -> None:
    files = {"feed.xml": b"<feed/>", "series/a/feed.xml": b"<a/>"}
    assert write_all(tmp_path, files).written == ("feed.xml", "series/a/feed.xml")
    mtime = os.stat(tmp_path / "feed.xml").st_mtime_ns
    again = write_all(tmp_path, files)
    assert again.written == () and again.unchanged == ("feed.xml", "series/a/feed.xml")
    assert os.stat(tmp_path / "feed.xml").st_mtime_ns == mtime
    assert sorted(p.name for p in tmp_path.rglob("*") if p.is_file()) == ["feed.xml", "feed.xml"]


def test_failed_write_leaves_no_temp_files(tmp_path: Path) -> None:
    (tmp_path / "b").write_bytes(b"file, not folder")
    with pytest.raises(PublisherError):
        write_all(tmp_path, {"a.xml": b"a", "b/c.xml": b"c"})
    assert sorted(p.name for p in tmp_path.iterdir()) == ["b"]


def test_unwritable_target_is_a_clear_error_and_old_files_survive(tmp_path: Path) -> None:
    write_all(tmp_path, {"feed.xml": b"old"})
    (tmp_path / "series").write_bytes(b"a file where a folder should be")
    with pytest.raises(PublisherError) as caught:
        write_all(tmp_path, {"feed.xml": b"new", "series/a/feed.xml": b"x"})
    assert str(caught.value).endswith("files already there are untouched")
    assert (tmp_path / "feed.xml").read_bytes() == b"old"  # all or nothing
    assert (tmp_path / "series").read_bytes() == b"a file where a folder should be"


KILLED_IN_COMMIT = """
import os, signal, sys
import publisher.output
real = os.replace
calls = []
def replace(src, dst):
    calls.append(dst)
    if len(calls) == 2:  # every file staged, one renamed: then the power goes
        os.kill(os.getpid(), signal.SIGKILL)
    real(src, dst)
publisher.output.os.replace = replace
from publisher.cli import main
sys.exit(main(sys.argv[1:]))
"""


def test_a_killed_build_leaves_no_temporary_file_after_the_next(site, publish) -> None:
    import signal
    import subprocess
    import sys

    from .conftest import NOW

    site.post("2025-01-01-a.md", "---\ntitle: A\nseries: S\n---\nx\n")
    run = subprocess.run([sys.executable, "-c", KILLED_IN_COMMIT, "feed", "--now", NOW],
                         cwd=site.root, capture_output=True, timeout=60)
    assert run.returncode == -signal.SIGKILL
    left = [p for p in site.out.rglob("*.tmp")]
    assert left, "the kill should have left staged files behind"
    result = publish(site.root, "feed", "--now", NOW)
    assert result.code == 0, result.err
    assert list(site.out.rglob("*.tmp")) == []
    assert (site.out / "feed.xml").read_bytes().startswith(b"<?xml")


def test_the_files_of_a_build_still_running_are_left_alone(tmp_path) -> None:
    import os

    from publisher.output import sweep

    mine = tmp_path / f".feed.xml.{os.getpid()}.abcdefgh.tmp"
    dead = tmp_path / "series" / ".rss.xml.999999999.abcdefgh.tmp"
    dead.parent.mkdir()
    for path in (mine, dead):
        path.write_bytes(b"x")
    assert sweep(tmp_path) == [dead]
    assert mine.exists() and not dead.exists()
