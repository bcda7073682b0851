"""A built wheel, installed (not editable) in a fresh virtualenv, publishes the sample site
from another folder: the shipped templates travel inside the package."""

from __future__ import annotations

import shutil
import subprocess
import sys
import venv
from pathlib import Path

import pytest

from .conftest import NOW, ROOT

GOLDEN = Path(__file__).resolve().parent / "golden" / "sample"
SOURCES = ("publisher", "templates", "pyproject.toml", "README.md")


@pytest.fixture(scope="module")
def installed(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """The `bin/` of a virtualenv with a wheel of this checkout installed."""
    work = tmp_path_factory.mktemp("wheel")
    source = work / "source"  # a copy: building writes build/ and *.egg-info beside it
    source.mkdir()
    for name in SOURCES:
        if (ROOT / name).is_dir():
            shutil.copytree(ROOT / name, source / name,
                            ignore=shutil.ignore_patterns("__pycache__"))
        else:
            shutil.copy(ROOT / name, source / name)
    wheels = work / "dist"
    # Built as a user would: pip fetches the build backend into an isolated environment.
    subprocess.run([sys.executable, "-m", "pip", "wheel", "-q", "--no-deps", "-w", str(wheels),
                    str(source)], check=True, capture_output=True)
    (wheel,) = wheels.glob("publisher-*.whl")
    # The dependencies come from this interpreter's site-packages; the wheel's own copy
    # of publisher, in the venv, comes first on sys.path.
    env = work / "venv"
    venv.create(env, system_site_packages=True, with_pip=False)
    subprocess.run([sys.executable, "-m", "pip", "--python", str(env / "bin" / "python"),
                    "install", "-q", "--no-deps", str(wheel)], check=True, capture_output=True)
    return env / "bin"


def run(bin_dir: Path, cwd: Path, *args: str) -> subprocess.CompletedProcess[str]:
    return subprocess.run([str(bin_dir / args[0]), *args[1:]], cwd=cwd, capture_output=True,
                          text=True, timeout=120)


def test_the_wheel_is_what_runs(installed: Path, tmp_path: Path) -> None:
    where = run(installed, tmp_path, "python", "-c",
                "import publisher, publisher.shipped as s; print(publisher.__file__); "
                "print(s.folder())")
    module, templates = where.stdout.split()
    venv_root = installed.parent.resolve()
    assert Path(module).resolve().is_relative_to(venv_root)
    assert Path(templates).resolve().is_relative_to(venv_root)
    assert Path(templates, "email", "issue.html").is_file()


def test_an_installed_wheel_publishes_the_sample_site(installed: Path, tmp_path: Path) -> None:
    site = tmp_path / "site"
    shutil.copytree(ROOT / "posts", site / "posts")
    shutil.copy(ROOT / "publisher.toml", site / "publisher.toml")
    feed = run(installed, site, "publish", "feed", "--now", NOW)
    assert feed.returncode == 0, feed.stderr
    built = {p.relative_to(site / "out").as_posix(): p.read_bytes()
             for p in sorted((site / "out").rglob("*")) if p.is_file()}
    golden = {p.relative_to(GOLDEN).as_posix(): p.read_bytes()
              for p in sorted(GOLDEN.rglob("*")) if p.is_file()}
    assert built == golden  # the feed stylesheet is the shipped one, byte for byte
    email = run(installed, site, "publish", "email", "--now", NOW)
    assert email.returncode == 0, email.stderr
    assert sorted(p.name for p in (site / "out" / "email").rglob("issue.html"))
    init = run(installed, tmp_path, "publish", "init", "new-site")
    assert init.returncode == 0, init.stderr
    assert (tmp_path / "new-site" / "templates" / "email" / "style.css").read_bytes() == \
        (ROOT / "templates" / "email" / "style.css").read_bytes()
