"""Markdown engines against kramdown, the way Jekyll runs it: the table of
benchmarks/PARITY.md ("Choosing the engine").

    python benchmarks/engines.py            # every engine that is installed
    python benchmarks/engines.py ours cmarkgfm

Every Markdown post of the Jekyll corpora in ../shared/corpus/ is rendered by kramdown
2.4 with Jekyll 4.3's options (benchmarks/kramdown.rb, `input: GFM`) and by each
engine; the two are compared as a reader sees them (tests/reading.py). Liquid is taken
out of both inputs the same way (`{% raw %}` markers dropped, other tags removed), so
this measures Markdown only; tests/test_parity_content.py measures whole posts against
a real Jekyll build. ms/post is CPU time to render every body once (best of 3).
Optional engines: `pip install cmarkgfm pyromark comrak markdown-it-pyrs`.
"""

from __future__ import annotations

import collections
import hashlib
import json
import re
import subprocess
import sys
import time
from collections.abc import Callable
from pathlib import Path

import frontmatter

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))
from tests import reading  # noqa: E402

CORPUS = ROOT.parent / "shared" / "corpus"
BASE = "https://example.org/post/"
JEKYLL = ("neokt-neokt.github.io", "jaketae-jaketae.github.io", "rdgao-rdgao.github.io",
          "scikit-learn-blog", "greeksharifa-greeksharifa.github.io",
          "jss367-jss367.github.io", "mzlogin-mzlogin.github.io",
          "mmistakes-made-mistakes-jekyll")
_RAW = re.compile(r"\{%-?\s*(end)?raw\s*-?%\}")
_RAW_BLOCK = re.compile(r"(\{%-?\s*raw\s*-?%\}.*?\{%-?\s*endraw\s*-?%\})", re.DOTALL)
_TAG = re.compile(r"\{%.*?%\}", re.DOTALL)


def bodies(corpus: str) -> dict[str, str]:
    found = {}
    for path in sorted((CORPUS / corpus).rglob("*")):
        if path.suffix not in (".md", ".markdown") or not path.is_file():
            continue
        try:
            text = path.read_text(encoding="utf-8")
            body = frontmatter.loads(text).content if text.startswith("---") else text
        except (UnicodeDecodeError, ValueError):
            continue
        parts = _RAW_BLOCK.split(body)
        found[path.name] = "".join(_RAW.sub("", p) if i % 2 else _TAG.sub("", p)
                                   for i, p in enumerate(parts))
    return found


def kramdown(texts: dict[str, str]) -> dict[str, str]:
    """kramdown's HTML of each text (one Ruby process; cached by content)."""
    key = hashlib.sha256(json.dumps(texts, sort_keys=True).encode()).hexdigest()[:16]
    cache = Path.home() / ".cache" / "publisher-parity" / f"kramdown-{key}.json"
    if cache.exists():
        return json.loads(cache.read_text())
    run = subprocess.run(["ruby", str(ROOT / "benchmarks" / "kramdown.rb")],
                         input=json.dumps(texts), capture_output=True, text=True, check=True)
    cache.parent.mkdir(parents=True, exist_ok=True)
    cache.write_text(run.stdout)
    return json.loads(run.stdout)


def engines() -> dict[str, Callable[[str], str]]:
    from publisher.content.markdown import Engine
    from publisher.dialects import Markdown
    from publisher.dialects.plain import PLAIN

    found: dict[str, Callable[[str], str]] = {
        "ours (kramdown flavour)": Engine(Markdown("kramdown")).render,
        "python-markdown (as configured before)": Engine(PLAIN.markdown).render}
    from markdown_it import MarkdownIt
    from mdit_py_plugins.footnote import footnote_plugin
    md = MarkdownIt("commonmark", {"html": True, "typographer": True}).enable(
        ["table", "strikethrough"]).use(footnote_plugin)
    found["markdown-it-py (CommonMark + tables, strike, footnotes)"] = md.render
    try:
        import cmarkgfm
        from cmarkgfm.cmark import Options
        found["cmarkgfm (GFM)"] = lambda t: cmarkgfm.github_flavored_markdown_to_html(
            t, options=Options.CMARK_OPT_UNSAFE | Options.CMARK_OPT_FOOTNOTES)
    except ImportError:
        pass
    try:
        import pyromark
        flags = (pyromark.Options.ENABLE_TABLES | pyromark.Options.ENABLE_STRIKETHROUGH
                 | pyromark.Options.ENABLE_FOOTNOTES | pyromark.Options.ENABLE_MATH)
        found["pyromark (pulldown-cmark)"] = lambda t: pyromark.html(t, options=flags)
    except ImportError:
        pass
    try:
        import comrak
        ext = comrak.ExtensionOptions()
        for name in ("table", "strikethrough", "footnotes", "tasklist", "autolink"):
            setattr(ext, name, True)
        render = comrak.RenderOptions()
        render.unsafe_ = True
        found["comrak (GFM)"] = lambda t: comrak.render_markdown(
            t, extension_options=ext, render_options=render)
    except (ImportError, AttributeError):
        pass
    try:
        import markdown_it_pyrs
        rs = markdown_it_pyrs.MarkdownIt("commonmark").enable_many(
            ["table", "strikethrough", "footnote"])
        found["markdown-it-pyrs"] = rs.render
    except ImportError:
        pass
    return found


def main(names: list[str]) -> None:
    chosen = {n: f for n, f in engines().items() if not names or n.split()[0] in names}
    rows: dict[str, list[str]] = collections.defaultdict(list)
    totals: collections.Counter[str] = collections.Counter()
    corpora = [c for c in JEKYLL if (CORPUS / c).is_dir()]
    for corpus in corpora:
        texts = bodies(corpus)
        theirs = kramdown(texts)
        for name, render in chosen.items():
            same = crashed = 0
            spent = []
            for _ in range(3):
                outputs = {}
                start = time.process_time()
                for key, text in texts.items():
                    try:
                        outputs[key] = render(text)
                    except BaseException:  # noqa: BLE001 - a Rust panic is not an Exception
                        outputs[key] = None
                spent.append(time.process_time() - start)
            for key, ours in outputs.items():
                if ours is None:
                    crashed += 1
                elif not reading.differences(reading.read(theirs[key], BASE),
                                             reading.read(ours, BASE)):
                    same += 1
            totals[name + "/same"] += same
            totals[name + "/n"] += len(texts)
            totals[name + "/crash"] += crashed
            totals[name + "/s"] += min(spent)
            rows[name].append(f"{100 * same / len(texts):.1f}%")
    print("| engine | " + " | ".join(c.split("-")[0] for c in corpora)
          + " | all | ms/post | crashed |")
    print("|---|" + "---:|" * (len(corpora) + 3))
    for name in chosen:
        n = totals[name + "/n"]
        print(f"| {name} | " + " | ".join(rows[name])
              + f" | {100 * totals[name + '/same'] / n:.1f}% | "
              f"{1000 * totals[name + '/s'] / n:.2f} | {totals[name + '/crash']} |")


if __name__ == "__main__":
    main(sys.argv[1:])
