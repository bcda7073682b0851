"""What rendering a site's posts would warn about, found without rendering any Markdown:
cheap enough for `publish check` on a big archive and for `-v` on every command."""

from __future__ import annotations

from publisher.content.render import Renderer
from publisher.problems import Problem
from publisher.site.load import Site


def template_problems(site: Site) -> list[Problem]:
    """A warning per kind of body template removed or link unresolved, in every post."""
    renderer = Renderer(site.config, site.link_target)
    problems: list[Problem] = []
    for post in site.posts:
        problems.extend(renderer.problems(post, renderer.liquid(post)))
    return problems
