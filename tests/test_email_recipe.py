"""The README's "Publishing from CI" recipe, run as written on a copy of a real blog.

The workflow's `run:` steps are read from README.md (not copied here) and run one by one
in bash as GitHub Actions runs them (`bash -e -o pipefail`), in a git checkout of a copy
of made-mistakes (1,005 Jekyll posts) with `series_fallback = "categories"`, the setting
that once drafted an 886-post issue, against a real SMTP server (aiosmtpd). Only
`pip install` is left out: this publisher is installed already. The first push must
mail nothing; the next push, with one new post, must mail exactly that post.
"""

from __future__ import annotations

import os
import re
import shutil
import subprocess
import sys
from email import message_from_bytes
from email.policy import default
from pathlib import Path

import pytest
import yaml

from .conftest import ROOT, need_corpus
from .test_email_smtp import smtp_server  # noqa: F401  (the fixture)

CORPUS_NAME = "mmistakes-made-mistakes-jekyll"


def recipe_steps() -> list[dict]:
    """The `run:` steps of the workflow in README's "Publishing from CI" section."""
    readme = (ROOT / "README.md").read_text(encoding="utf-8")
    section = readme.split("### Publishing from CI on every push", 1)[1]
    block = re.search(r"```yaml\n(.*?)```", section, re.S)
    assert block, "the CI section has no ```yaml block"
    workflow = yaml.safe_load(block.group(1))
    (job,) = workflow["jobs"].values()
    return [step for step in job["steps"] if "run" in step]


def run_recipe(blog: Path, steps: list[dict]) -> list[str]:
    """Run every step in `blog` as Actions would; the commands run, in order."""
    ran = []
    path = os.pathsep.join([str(Path(sys.executable).parent), os.environ["PATH"]])
    for step in steps:
        command = step["run"]
        if command.strip().startswith("pip install"):
            continue  # installed already: this checkout's publisher is the one under test
        env = {**os.environ, "PATH": path, "GIT_CONFIG_GLOBAL": os.devnull,
               "GIT_CONFIG_NOSYSTEM": "1"}
        env.update({k: re.sub(r"\$\{\{.*?\}\}", "", str(v))  # secrets: none in a test
                    for k, v in (step.get("env") or {}).items()})
        proc = subprocess.run(["bash", "--noprofile", "--norc", "-eo", "pipefail", "-c",
                               command], cwd=blog, env=env, capture_output=True, text=True,
                              timeout=300)
        assert proc.returncode == 0, (f"step {command!r} failed ({proc.returncode}):\n"
                                      f"{proc.stdout}\n{proc.stderr}")
        ran.append(command)
    return ran


def git(blog: Path, *args: str) -> str:
    env = {**os.environ, "GIT_CONFIG_GLOBAL": os.devnull, "GIT_CONFIG_NOSYSTEM": "1",
           "GIT_AUTHOR_NAME": "t", "GIT_AUTHOR_EMAIL": "t@example.org",
           "GIT_COMMITTER_NAME": "t", "GIT_COMMITTER_EMAIL": "t@example.org"}
    return subprocess.run(["git", *args], cwd=blog, env=env, check=True,
                          capture_output=True, text=True).stdout


def test_readme_recipe_mails_nothing_on_the_first_push(tmp_path: Path, smtp_server) -> None:  # noqa: F811
    corpus = need_corpus(CORPUS_NAME)
    if shutil.which("git") is None:
        pytest.skip("needs git: the recipe commits the ledger back")
    server = smtp_server()
    blog = tmp_path / "blog"
    shutil.copytree(corpus, blog / "posts", ignore=shutil.ignore_patterns("SOURCE.txt"))
    (blog / "publisher.toml").write_text(f"""
[site]
title = "A copy of a real blog"
url = "https://example.org"
[author]
name = "Ada"
email = "ada@example.org"
[email]
series_fallback = "categories"
to = "list@example.org"
unsubscribe_url = "https://example.org/unsubscribe"
address = "1 Example Street, Springfield"
[smtp]
host = "127.0.0.1"
port = {server.port}
security = "none"
timeout = 10
""", encoding="utf-8")
    (blog / ".gitignore").write_text("out/\n.publisher-cache/\n*.lock\n")
    remote = tmp_path / "remote.git"
    subprocess.run(["git", "init", "-q", "--bare", str(remote)], check=True)
    git(blog, "init", "-q", "-b", "main")
    git(blog, "remote", "add", "origin", str(remote))
    git(blog, "add", "-A")
    git(blog, "commit", "-q", "-m", "the blog")
    git(blog, "push", "-q", "-u", "origin", "main")
    steps = recipe_steps()
    assert any("--baseline" in s["run"] for s in steps), "the recipe has no baseline step"

    ran = run_recipe(blog, steps)  # the first push
    assert any("publish email --send" in c for c in ran)
    assert server.received == [], "the first run mailed the archive"
    assert not list((blog / "out" / "email").glob("*/*/issue.eml"))
    assert "ledger: issues sent by CI" in git(blog, "log", "-1", "--format=%s", "origin/main")

    # Dated in the past (the steps run "now"), like a post published since the first push.
    new = blog / "posts" / "notes" / "2020-01-01-a-new-note.md"
    new.write_text("---\ntitle: A new note, written for this test\ncategories: [notes]\n"
                   "---\nThe only post written since the first push.\n", encoding="utf-8")
    git(blog, "add", "-A")
    git(blog, "commit", "-q", "-m", "a new post")
    before = len(server.received)
    run_recipe(blog, steps)  # the next push
    assert len(server.received) == before + 1
    message = message_from_bytes(server.received[-1].content, policy=default)
    assert message["Subject"] == "notes #1: A new note, written for this test"
    text = message.get_body(("plain",)).get_content()
    assert "The only post written since the first push." in text
    assert (blog / "out" / "email" / "archive" / "notes" / "1" / "index.html").is_file()
