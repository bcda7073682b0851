"""Footnotes written as the generator writes them (mdit-py-plugins parses them).

kramdown: `<sup id="fnref:1"><a href="#fn:1" class="footnote">1</a></sup>`, and a
`<div class="footnotes">` list whose items end with a ↩ link back. Goldmark (Hugo):
the same shape with its own classes and an `<hr>` above the list. Ids use the note's
name (`[^note]` → `fn:note`) as both do; render.py makes them unique per post.
"""

from __future__ import annotations

import html

from markdown_it import MarkdownIt
from mdit_py_plugins.footnote import footnote_plugin

STYLES = {
    "kramdown": {
        "ref": '<sup id="fnref:{ref}" role="doc-noteref"><a href="#fn:{name}" '
               'class="footnote" rel="footnote">{number}</a></sup>',
        "open": '<div class="footnotes" role="doc-endnotes">\n<ol>\n',
        "item": '<li id="fn:{name}" role="doc-endnote">',
        "back": ' <a href="#fnref:{ref}" class="reversefootnote" role="doc-backlink">'
                "&#8617;{again}</a>",
    },
    "goldmark": {
        "ref": '<sup id="fnref:{ref}"><a href="#fn:{name}" class="footnote-ref" '
               'role="doc-noteref">{number}</a></sup>',
        "open": '<div class="footnotes" role="doc-endnotes">\n<hr>\n<ol>\n',
        "item": '<li id="fn:{name}">',
        "back": '&#160;<a href="#fnref:{ref}" class="footnote-backref" role="doc-backlink">'
                "&#x21a9;&#xfe0e;</a>",  # Goldmark numbers no repeated reference
    },
}


def _name(meta: dict, number: int) -> str:
    label = meta.get("label")
    return html.escape(str(label) if label else str(number), quote=True)


def footnotes(md: MarkdownIt, style: str) -> None:
    marks = STYLES[style]
    md.use(footnote_plugin)

    def ref(self, tokens, idx, options, env) -> str:  # type: ignore[no-untyped-def]
        meta = tokens[idx].meta
        number = meta["id"] + 1
        name = _name(_label_of(env, meta["id"]), number)
        sub = meta.get("subId", 0)
        return marks["ref"].format(ref=f"{name}-{sub}" if sub else name, name=name,
                                   number=number)

    def item(self, tokens, idx, options, env) -> str:  # type: ignore[no-untyped-def]
        meta = tokens[idx].meta
        return marks["item"].format(name=_name(_label_of(env, meta["id"]), meta["id"] + 1))

    def back(self, tokens, idx, options, env) -> str:  # type: ignore[no-untyped-def]
        meta = tokens[idx].meta
        name = _name(_label_of(env, meta["id"]), meta["id"] + 1)
        sub = meta.get("subId", 0)
        # kramdown marks the link back to a note's second reference ↩², and so on.
        again = f"<sup>{sub + 1}</sup>" if sub and style == "kramdown" else ""
        return marks["back"].format(ref=f"{name}-{sub}" if sub else name, again=again)

    md.add_render_rule("footnote_ref", ref)
    md.add_render_rule("footnote_open", item)
    md.add_render_rule("footnote_anchor", back)
    md.add_render_rule("footnote_block_open", lambda *a: marks["open"])
    md.add_render_rule("footnote_block_close", lambda *a: "</ol>\n</div>\n")


def _label_of(env: dict, number: int) -> dict:
    """The note's own data (its label) from the plugin's list in env."""
    return env.get("footnotes", {}).get("list", {}).get(number, {})
