"""The templates publisher ships: email, feed stylesheet, preview pages, what `init` writes.

In the repository they are the top-level `templates/` folder; a built wheel carries them
inside the package, as `publisher/templates/`. A site overrides them file by file from
its own `templates/`.
"""

from __future__ import annotations

from functools import cache
from pathlib import Path


@cache
def folder() -> Path:
    """The folder of the shipped templates, installed or in a checkout."""
    installed = Path(__file__).parent / "templates"
    return installed if installed.is_dir() else Path(__file__).parent.parent / "templates"


def read(name: str) -> bytes:
    """A shipped template's bytes, by its path under templates/ (`email/issue.html`)."""
    return folder().joinpath(*name.split("/")).read_bytes()
