"""What the parity harness adds to a site copy that keeps its real bodies (content mode).

A blog's posts use tags of plugins and files of a theme that are not here: the real
generator would stop on them, or print nothing where the theme prints something. They
are stubbed in the work copy, which publisher builds too, so both sides see the same:

- Jekyll: an `{% include NAME %}` of a file the site's `_includes/` lacks gets an empty
  `_includes/NAME`; a Liquid tag neither Liquid 4 nor Jekyll knows is registered by a
  small Ruby plugin in `_plugins/` (a block tag, one with `{% endNAME %}` somewhere, keeps
  its inner content; an inline tag writes nothing). The same plugin writes a map of each
  post's URL to its file, so the parity table can name files.
- Hugo: a shortcode Hugo does not ship gets `layouts/_shortcodes/NAME.html` printing its
  `.Inner` (empty when the shortcode is never closed: Hugo requires a closing tag of a
  shortcode whose template reads `.Inner`), and the home RSS template is replaced by one
  that prints each page's `.Content` in full (Hugo's own prints `.Summary`), with the
  page's file.
"""

from __future__ import annotations

import re
from collections.abc import Iterable, Iterator

# Liquid 4.0 (Jekyll 4.3's) tags, and Jekyll's and jekyll-feed's own.
LIQUID_TAGS = frozenset({
    "assign", "break", "capture", "case", "comment", "continue", "cycle", "decrement",
    "else", "elsif", "for", "if", "ifchanged", "include", "increment", "raw", "tablerow",
    "unless", "when",
    "highlight", "include_relative", "link", "post_url", "feed_meta",
})
# Hugo 0.168's embedded shortcodes.
HUGO_SHORTCODES = frozenset({
    "comment", "details", "figure", "gist", "highlight", "instagram", "param", "qr", "ref",
    "relref", "vimeo", "x", "youtube",
})

_RAW = re.compile(r"\{%-?\s*raw\s*-?%\}.*?\{%-?\s*endraw\s*-?%\}", re.S)
_TAG = re.compile(r"\{%-?\s*([A-Za-z_][\w-]*)")
_INCLUDE = re.compile(r"\{%-?\s*include\s+([\w][\w./-]*)")
_SHORTCODE = re.compile(r"\{\{[<%]\s*(/?)\s*([A-Za-z_][\w-]*)")
_HUGO_COMMENT = re.compile(r"\{\{[<%]\s*/\*.*?\*/\s*[>%]\}\}", re.S)

JEKYLL_PLUGIN = "_plugins/parity_stubs.rb"
VIDEO_TAGS = frozenset({"youtube", "vimeo"})  # written as publisher writes them
PATHS_FILE = "_parity_paths.json"  # in Jekyll's destination
SOURCE_NS = "urn:x-publisher-parity"  # the element that names a page's file in Hugo's RSS


def _texts(bodies: Iterable[bytes]) -> Iterator[str]:
    for body in bodies:
        yield body.decode("utf-8", "replace")


def liquid_stubs(bodies: Iterable[bytes], includes: frozenset[str]
                 ) -> tuple[list[str], list[str], list[str]]:
    """(block tags, inline tags, include files) to stub for these post bodies, given the
    files the site's _includes/ has (relative names)."""
    names: set[str] = set()
    ends: set[str] = set()
    missing: set[str] = set()
    for text in _texts(bodies):
        text = _RAW.sub("", text)  # Liquid reads nothing inside raw
        for name in _TAG.findall(text):
            if name.startswith("end"):
                ends.add(name[3:])
            else:
                names.add(name)
        for name in _INCLUDE.findall(text):
            if ".." not in name.split("/") and name not in includes:
                missing.add(name)
    unknown = names - LIQUID_TAGS
    blocks = sorted(n for n in unknown if n in ends)
    inline = sorted(n for n in unknown if n not in ends)
    return blocks, inline, sorted(missing)


def jekyll_plugin(blocks: list[str], inline: list[str]) -> bytes:
    """A Jekyll plugin that registers the stub tags and writes URL -> file of each post."""
    plain = [name for name in inline if name not in VIDEO_TAGS]
    videos = [name for name in inline if name in VIDEO_TAGS]
    return f"""\
# Added by tests/generators.py (content parity): tags of plugins that are not here.
require "json"

module ParityStubs
  class Block < Liquid::Block  # keeps its inner content
  end

  class Inline < Liquid::Tag  # writes nothing
    def render(_context)
      ""
    end
  end

  # A video plugin's tag: the link publisher writes for it (publisher/content/
  # jekyll_html.py), so both sides are stubbed the same way.
  class Video < Liquid::Tag
    SITES = {{"youtube" => ["https://www.youtube.com/watch?v=%s", "YouTube"],
             "vimeo" => ["https://vimeo.com/%s", "Vimeo"]}}.freeze

    def initialize(name, markup, tokens)
      super
      @name = name
      @id = markup.split.first.to_s.delete(%q('"))
    end

    def render(_context)
      url, site = SITES[@name]
      '<p><a href="' + format(url, @id) + '">Watch the video on ' + site + '</a></p>'
    end
  end
end

%w[{" ".join(blocks)}].each {{ |name| Liquid::Template.register_tag(name, ParityStubs::Block) }}
%w[{" ".join(plain)}].each {{ |name| Liquid::Template.register_tag(name, ParityStubs::Inline) }}
%w[{" ".join(videos)}].each {{ |name| Liquid::Template.register_tag(name, ParityStubs::Video) }}

Jekyll::Hooks.register :site, :post_write do |site|
  paths = site.posts.docs.to_h {{ |doc| [doc.url, doc.relative_path] }}
  File.write(File.join(site.dest, "{PATHS_FILE}"), JSON.generate(paths))
end
""".encode()


def jekyll_stubs(bodies: Iterable[bytes], includes: frozenset[str]
                 ) -> Iterator[tuple[str, bytes]]:
    blocks, inline, missing = liquid_stubs(bodies, includes)
    yield JEKYLL_PLUGIN, jekyll_plugin(blocks, inline)
    for name in missing:
        yield f"_includes/{name}", b""


def hugo_shortcodes(bodies: Iterable[bytes]) -> tuple[list[str], list[str]]:
    """(closed, never closed) names of the site's own shortcodes in these bodies."""
    opened: set[str] = set()
    closed: set[str] = set()
    for text in _texts(bodies):
        for slash, name in _SHORTCODE.findall(_HUGO_COMMENT.sub("", text)):
            (closed if slash else opened).add(name)
    own = (opened | closed) - HUGO_SHORTCODES
    return sorted(own & closed), sorted(own - closed)


HUGO_RSS = """\
{{- printf "<?xml version=\\"1.0\\" encoding=\\"utf-8\\" standalone=\\"yes\\"?>" | safeHTML }}
<!-- Added by tests/generators.py (content parity): every page, its .Content in full. -->
<rss version="2.0" xmlns:content="http://purl.org/rss/1.0/modules/content/">
<channel><title>{{ .Site.Title }}</title><link>{{ .Permalink }}</link>
{{- range .Site.RegularPages }}
<item><title>{{ .Title }}</title><link>{{ .Permalink }}</link><guid>{{ .Permalink }}</guid>
{{- with .File }}<source xmlns="SOURCE_NS">{{ .Path }}</source>{{ end }}
<content:encoded>{{ .Content | transform.XMLEscape | safeHTML }}</content:encoded></item>
{{- end }}
</channel></rss>
""".replace("SOURCE_NS", SOURCE_NS)


def hugo_stubs(bodies: Iterable[bytes]) -> Iterator[tuple[str, bytes]]:
    closed, unclosed = hugo_shortcodes(bodies)
    for name in closed:
        yield f"layouts/_shortcodes/{name}.html", b"{{ .Inner }}"
    for name in unclosed:
        yield f"layouts/_shortcodes/{name}.html", b""
    yield "layouts/home.rss.xml", HUGO_RSS.encode()
