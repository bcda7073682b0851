"""The one Jinja environment: autoescape on for HTML, StrictUndefined everywhere.

A writer's own `templates/email/*` win over ours, file by file. Front matter never
reaches Jinja as template source: it only ever arrives as values to print.
"""

from __future__ import annotations

from pathlib import Path

import jinja2

from publisher import shipped


def environment(site_templates: Path) -> jinja2.Environment:
    loader = jinja2.ChoiceLoader([
        jinja2.FileSystemLoader(str(site_templates)),
        jinja2.FileSystemLoader(str(shipped.folder())),
    ])
    return jinja2.Environment(
        loader=loader,
        autoescape=jinja2.select_autoescape(["html"], default_for_string=True),
        undefined=jinja2.StrictUndefined,
        keep_trailing_newline=True,
        trim_blocks=True,
        lstrip_blocks=True,
    )
