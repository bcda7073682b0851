"""Shared test helpers: a site in a temp folder, the CLI run in-process, validators."""

from __future__ import annotations

import functools
import re
import shutil
import subprocess
import tempfile
import textwrap
from collections.abc import Callable
from dataclasses import dataclass
from pathlib import Path

import pytest
from lxml import etree

from publisher.cli import main

ROOT = Path(__file__).resolve().parent.parent
# ../shared/ beside the clone, when there is one, adds the real-blog corpora; tests that
# need it skip with a reason without it.
SHARED = ROOT.parent / "shared"
CORPUS = SHARED / "corpus"
ATOM_SCHEMA = Path(__file__).resolve().parent / "schemas" / "atom.rnc"  # RFC 4287 App. B
FIXTURES = Path(__file__).resolve().parent / "fixtures"
NOW = "2026-01-01T00:00:00Z"  # every test builds "as of" this moment

BASE_CONFIG = """\
[site]
title = "Test site"
url = "https://example.org/blog"
description = "A site for tests"
timezone = "Europe/Paris"
posts = "posts"
output = "out"

[author]
name = "Ada"
email = "ada@example.org"
"""


@dataclass
class Result:
    code: int
    out: str
    err: str

    @property
    def summary(self) -> str:
        """The last line of publish feed or email without its timing (which varies)."""
        last = self.out.splitlines()[-1]
        return re.sub(r" in \d+\.\d s$", "", last)


@dataclass
class SiteDir:
    root: Path

    @property
    def out(self) -> Path:
        return self.root / "out"

    def post(self, name: str, text: str) -> Path:
        path = self.root / "posts" / name
        path.parent.mkdir(parents=True, exist_ok=True)
        path.write_text(textwrap.dedent(text).lstrip("\n"), encoding="utf-8")
        return path

    def post_bytes(self, name: str, data: bytes) -> Path:
        path = self.root / "posts" / name
        path.parent.mkdir(parents=True, exist_ok=True)
        path.write_bytes(data)
        return path

    def config(self, extra: str = "", base: str = BASE_CONFIG) -> Path:
        path = self.root / "publisher.toml"
        path.write_text(base + textwrap.dedent(extra), encoding="utf-8")
        return path


@pytest.fixture
def site(tmp_path: Path) -> SiteDir:
    s = SiteDir(tmp_path)
    (tmp_path / "posts").mkdir()
    s.config()
    return s


@pytest.fixture
def publish(capsys: pytest.CaptureFixture[str], monkeypatch: pytest.MonkeyPatch
            ) -> Callable[..., Result]:
    """Run `publish ARGS` in-process from a folder; returns exit code and output."""

    def run(cwd: Path, *args: str) -> Result:
        monkeypatch.chdir(cwd)
        capsys.readouterr()
        code = main(list(args))
        captured = capsys.readouterr()
        return Result(code, captured.out, captured.err)

    return run


@functools.cache
def atom_schema() -> etree.RelaxNG:
    """RFC 4287's schema for lxml: in-process, for tests that validate many feeds.

    trang converts the compact syntax (tests/schemas/atom.rnc) once per test session.
    """
    if shutil.which("trang") is None:
        pytest.fail("trang is not installed: run .ci/run, which installs it (Debian package "
                    "trang)")
    target = Path(tempfile.mkdtemp()) / "atom.rng"
    subprocess.run(["trang", "-I", "rnc", "-O", "rng", str(ATOM_SCHEMA), str(target)],
                   check=True, capture_output=True)
    return etree.RelaxNG(etree.parse(str(target)))


def need_corpus(name: str) -> Path:
    """The folder of one real blog in ../shared/corpus/, or skip the test saying why."""
    folder = CORPUS / name
    if not folder.is_dir():
        pytest.skip(f"needs {folder}: ../shared/ (the real-blog corpora) is not beside "
                    "this clone")
    return folder


def jing(*paths: Path) -> None:
    """Validate Atom files against RFC 4287's RELAX NG schema; fail with jing's words."""
    if shutil.which("jing") is None:
        pytest.fail("jing is not installed: run .ci/run, which installs it (Debian package jing)")
    proc = subprocess.run(["jing", "-c", str(ATOM_SCHEMA), *map(str, paths)],
                          capture_output=True, text=True)
    assert proc.returncode == 0, proc.stdout + proc.stderr
