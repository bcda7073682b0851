"""On a terminal: colours (never with NO_COLOR) and a progress bar; never in a pipe."""

from __future__ import annotations

import os
import pty
import subprocess
import sys

import pytest

from publisher.progress import TerminalBar

from .conftest import NOW, SiteDir


def run_on_a_terminal(site: SiteDir, *args: str, env: dict[str, str] | None = None) -> str:
    """Run publish with stderr on a pseudo-terminal; return what the terminal got."""
    leader, follower = pty.openpty()
    proc = subprocess.Popen([sys.executable, "-m", "publisher.cli", *args], cwd=site.root,
                            stdout=subprocess.DEVNULL, stderr=follower,
                            env={**os.environ, **(env or {})})
    os.close(follower)
    chunks = []
    while True:
        try:
            data = os.read(leader, 4096)
        except OSError:  # the child closed the terminal
            break
        if not data:
            break
        chunks.append(data)
    proc.wait(timeout=60)
    os.close(leader)
    return b"".join(chunks).decode()


def test_errors_and_warnings_are_coloured_on_a_terminal_only(site: SiteDir) -> None:
    site.post("2025-01-01-a.md", "---\ntitle: A\ndate: 2021-02-30\n---\nx\n")
    shown = run_on_a_terminal(site, "feed", "--now", NOW)
    assert "\x1b[31merror: 1 problem(s) in the posts" in shown
    plain = run_on_a_terminal(site, "feed", "--now", NOW, env={"NO_COLOR": "1"})
    assert "\x1b[" not in plain and "error: 1 problem(s) in the posts" in plain
    piped = subprocess.run([sys.executable, "-m", "publisher.cli", "feed"], cwd=site.root,
                           capture_output=True, text=True)
    assert "\x1b[" not in piped.stderr


def test_the_bar_waits_a_moment_then_shows_and_clears(capsys: pytest.CaptureFixture[str]
                                                     ) -> None:
    quick = TerminalBar(delay=60)
    for done in range(1, 5):
        quick("rendering", done, 10)
    assert capsys.readouterr().err == ""  # a step that ends quickly shows nothing
    bar = TerminalBar(delay=0, width=10)
    bar("rendering", 5, 10)
    assert capsys.readouterr().err == "\rrendering  [#####-----] 5/10"
    bar("rendering", 10, 10)
    err = capsys.readouterr().err
    assert err.startswith("\rrendering  [##########] 10/10") and err.endswith("\r")
