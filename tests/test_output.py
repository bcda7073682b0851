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
