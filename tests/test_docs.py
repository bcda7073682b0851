"""The README documents every command, option and config key, and its commands run."""

from __future__ import annotations

import argparse

from publisher.cli import parser
from publisher.config import documented_keys

from .conftest import ROOT

README = (ROOT / "README.md").read_text(encoding="utf-8")


def subcommands() -> dict[str, argparse.ArgumentParser]:
    action = next(a for a in parser()._actions if isinstance(a, argparse._SubParsersAction))
    return dict(action.choices)


def test_every_command_and_option_is_in_the_readme() -> None:
    missing = []
    for name, sub in subcommands().items():
        if f"publish {name}" not in README:
            missing.append(f"publish {name}")
        if not sub.description:
            missing.append(f"description of publish {name}")
        for action in sub._actions:
            for flag in action.option_strings:
                if flag.startswith("--") and flag != "--help" and f"`{flag}" not in README:
                    missing.append(f"{name} {flag}")
    assert missing == []


def test_every_config_key_is_in_the_readme() -> None:
    assert [key for key, _, _ in documented_keys() if f"`{key}`" not in README] == []


def test_readme_gives_the_two_commands() -> None:
    assert "pip install -e . && publish feed" in README
    assert "bash .ci/run" in README
    assert "python3 -m pytest" in (ROOT / ".ci" / "run").read_text()


def test_no_module_is_over_300_lines() -> None:
    # One concept per module (shared/DESIGN.md): a module that grows past this splits.
    long = {p.relative_to(ROOT).as_posix(): n for p in sorted((ROOT / "publisher").rglob("*.py"))
            if (n := len(p.read_text(encoding="utf-8").splitlines())) > 300}
    assert long == {}
