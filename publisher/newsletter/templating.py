"""The one Jinja environment: autoescape on for HTML, StrictUndefined everywhere.

A writer's own `templates/email/*` win over ours, file by file. Front matter never
reaches Jinja as template source: it only ever arrives as values to print.
"""

from __future__ import annotations

import os
from collections.abc import Callable
from pathlib import Path

import jinja2
from jinja2.loaders import split_template_path

from publisher import shipped
from publisher.problems import PublisherError
from publisher.reading import read_regular

MAX_TEMPLATE = 1024 * 1024  # an email template bigger than this is a mistake


class SiteTemplates(jinja2.BaseLoader):
    """The writer's own templates. Only a regular file is read, without blocking and up
    to a size: a FIFO there would hang `publish email`, a device never end. One that is
    not a template is an error naming it, not our template used in silence."""

    def __init__(self, folder: Path) -> None:
        self.folder = folder

    def get_source(self, environment: jinja2.Environment, template: str
                   ) -> tuple[str, str, Callable[[], bool]]:
        path = self.folder.joinpath(*split_template_path(template))
        try:
            data, info = read_regular(path, MAX_TEMPLATE)
        except FileNotFoundError:
            raise jinja2.TemplateNotFound(template) from None
        except OSError as exc:
            raise PublisherError(f"{path}: {exc.strerror}: a template must be a regular "
                                 "file; put the template there, or remove it to use "
                                 "publisher's own") from None
        try:
            text = data.decode("utf-8-sig")
        except UnicodeDecodeError as exc:
            raise PublisherError(f"{path}: not UTF-8 ({exc.reason} at byte {exc.start}); "
                                 "save the template as UTF-8") from None
        written = info.st_mtime_ns

        def unchanged() -> bool:
            try:
                return os.stat(path).st_mtime_ns == written
            except OSError:
                return False

        return text, str(path), unchanged


def environment(site_templates: Path) -> jinja2.Environment:
    loader = jinja2.ChoiceLoader([
        SiteTemplates(site_templates),
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
