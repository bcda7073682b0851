"""Markdown in the flavour of the site's generator.

- `kramdown` (Jekyll): markdown-it-py with kramdown's rules (kramdown.py).
- `goldmark` (Hugo): markdown-it-py with Hugo's Goldmark defaults (goldmark.py).
- `python-markdown` (Pelican, and publisher's own sites): Python-Markdown, which is
  what Pelican itself runs, with the flavour's extensions.

markdown-it-py was chosen by measurement (benchmarks/PARITY.md): the closest to
kramdown and Goldmark once given their rules, pure Python, and its rules can be
replaced one by one; the compiled engines are faster but cannot be taught kramdown.
"""

from __future__ import annotations

from collections.abc import Callable
from importlib.metadata import version

import markdown as python_markdown

from publisher.content.markdown.protect import put_back, set_aside
from publisher.content.markdown.pymd_links import install
from publisher.dialects import Markdown

ENGINES = ("python-markdown", "kramdown", "goldmark")
# Our rules' revision per flavour: raise it whenever a rule changes what a flavour
# writes, so the render cache does not serve HTML of the old rules.
RULES = {"python-markdown": 1, "kramdown": 2, "goldmark": 2}


def engine_version(engine: str) -> str:
    """What the render cache keys on: a new engine release, or a change of our rules,
    may render differently."""
    name = "markdown" if engine == "python-markdown" else "markdown-it-py"
    plugins = "" if engine == "python-markdown" else "+" + version("mdit-py-plugins")
    return f"{engine}:{version(name)}{plugins}:rules{RULES[engine]}"


class Engine:
    """Renders Markdown of one flavour; builds each parser once (building is slow)."""

    def __init__(self, flavour: Markdown, raw_html: bool = True, math: bool = False) -> None:
        self.flavour = flavour
        self.raw_html = raw_html
        self.math = math
        self._built: dict[bool, Callable[[str], str]] = {}

    def render(self, text: str, math: bool = False) -> str:
        """HTML of `text`; `math` keeps `$…$`, `\\[…\\]` and `\\(…\\)` as written."""
        math = math or self.math
        if math not in self._built:
            self._built[math] = self._build(math)
        return self._built[math](text)

    def _build(self, math: bool) -> Callable[[str], str]:
        engine = self.flavour.engine
        if engine == "kramdown":
            from publisher.content.markdown import kramdown

            md = kramdown.build(math)

            def render(text: str) -> str:
                source, env = kramdown.prepare(text)
                return md.render(source, env)

            return render
        if engine == "goldmark":
            from publisher.content.markdown import goldmark

            gm = goldmark.build(self.raw_html, math)
            return lambda text: gm.render(text, {})
        pm = python_markdown.Markdown(
            extensions=list(self.flavour.extensions),
            extension_configs={k: dict(v) for k, v in self.flavour.settings.items()},
            output_format="html")
        links = install(pm)  # its links read to the paragraph's end at each `[`

        def render_python_markdown(text: str) -> str:
            text, kept = set_aside(text, math)
            pm.reset()
            links.clear()
            return put_back(pm.convert(text), kept)

        return render_python_markdown
