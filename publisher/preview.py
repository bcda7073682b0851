"""`publish preview`: the feeds and email drafts on a local web server, rebuilt live.

Everything is built in memory, as `publish feed` and `publish email` would build it: the
output folder is never written and the ledger is only read (or, when there is none yet,
taken as empty). A watcher thread looks at the posts, the templates, the config and the
ledger every half second and rebuilds when any of them changed; the pages poll
`/version` and reload themselves. Problems found while building are listed on the index
page; they never stop the server.

Pages: `/` lists the feeds and drafts; `/read/<feed>.xml` is a feed laid out by feed.xsl
on the server; `/feed/<file>` is a file as `publish feed` writes it (the XML pointing at
`/feed.xsl`); `/draft/<series>/<number>/` shows an issue at 600 and 375 px beside its
text part, and `/draft/<series>/<number>/issue.html` (`.txt`, `.eml`, `.json`) its files.
"""

from __future__ import annotations

import argparse
import contextlib
import errno
import functools
import os
import re
import sqlite3
import threading
import time
from collections.abc import Callable, Iterable, Sequence
from dataclasses import dataclass, replace
from datetime import UTC, datetime
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from importlib import resources
from pathlib import Path, PurePosixPath
from typing import TYPE_CHECKING, Any
from urllib.parse import unquote, urlsplit

from .config import Config, load_config
from .dates import DateError, parse_date
from .ledger import MIGRATIONS, SCHEMA_VERSION, Ledger
from .problems import PublisherError

if TYPE_CHECKING:  # cli imports this module to wire the command: keep it light
    import jinja2

    from .cli import Console
    from .site import Site

HOST = "127.0.0.1"  # the preview shows unsent drafts: never to the network
DEFAULT_PORT = 8765
POLL_SECONDS = 0.5
SETTLE_SECONDS = 0.1  # a change is built once files stop changing for this long
XSL_PATH = "/feed.xsl"
DRAFT_FILES = {"issue.html": "text/html; charset=utf-8",
               "issue.txt": "text/plain; charset=utf-8",
               "issue.eml": "text/plain; charset=utf-8",
               "issue.json": "application/json"}
FILE_TYPES = {".xml": "application/xml; charset=utf-8", ".xsl": "application/xml; charset=utf-8",
              ".json": "application/json; charset=utf-8", ".html": "text/html; charset=utf-8"}
STATIC = {"preview.css": "text/css; charset=utf-8",
          "reload.js": "text/javascript; charset=utf-8"}
_STYLESHEET_PI = re.compile(rb"\s*<\?xml-stylesheet[^>]*\?>")


@dataclass(frozen=True)
class Options:
    """What to build: as `publish feed`/`publish email` with the same flags."""

    drafts: bool = False
    future: bool = False
    digest: bool = False
    now: datetime | None = None  # None: the clock at each build


@dataclass(frozen=True)
class FeedView:
    title: str
    atom: str  # paths under /feed/
    rss: str
    json: str
    entries: tuple[str, ...]  # entry titles, newest first


@dataclass(frozen=True)
class DraftView:
    path: str  # "<series-slug>/<number>", as under out/email/
    series: str
    number: int
    subject: str
    posts: tuple[str, ...]  # post titles
    text: str
    files: dict[str, bytes]  # "issue.html", "issue.txt", ... -> bytes


@dataclass(frozen=True)
class Snapshot:
    """One build: what every page shows until the next."""

    version: str
    title: str
    built: datetime
    fixed_now: datetime | None
    feeds: tuple[FeedView, ...]
    files: dict[str, bytes]  # feed path -> bytes, XML pointing at /feed.xsl
    others: tuple[str, ...]  # the files built beside the feeds (pages, stylesheet)
    drafts: tuple[DraftView, ...]
    problems: tuple[str, ...]
    config: Config | None  # None when the config could not be read


class ReadOnlyLedger(Ledger):
    """The ledger as it is on disk, read-only: no lock, nothing created or migrated.

    A missing ledger reads as an empty one (an in-memory database with the schema).
    """

    @classmethod
    def open(cls, path: Path, *, create: bool = False) -> ReadOnlyLedger:
        if not path.exists():
            db = sqlite3.connect(":memory:")
            for script in MIGRATIONS:
                db.executescript(script)
            return cls(path, db, None)
        db = sqlite3.connect(f"{path.as_uri()}?mode=ro", uri=True)
        try:
            version = db.execute("PRAGMA user_version").fetchone()[0]
        except sqlite3.DatabaseError as exc:
            db.close()
            raise PublisherError(f"{path}: not a readable publisher ledger ({exc})") from None
        if version != SCHEMA_VERSION:
            db.close()
            raise PublisherError(f"{path}: ledger schema {version}, this publisher reads "
                                 f"{SCHEMA_VERSION}; run 'publish email' once (or upgrade "
                                 "publisher)")
        return cls(path, db, None)


def _pointed_at_preview(xml: bytes) -> bytes:
    """The feed's `<?xml-stylesheet?>` made to point at the preview's /feed.xsl."""
    xml = _STYLESHEET_PI.sub(b"", xml, count=1)
    end = xml.index(b"?>") + 2 if xml.startswith(b"<?xml ") else 0
    pi = f'\n<?xml-stylesheet href="{XSL_PATH}" type="text/xsl"?>'.encode()
    return xml[:end] + pi + xml[end:]


def readable(xml: bytes, version: str) -> bytes:
    """An XML feed as the page feed.xsl makes of it, laid out here rather than by the
    browser (browsers are dropping XSLT), with the reload script added."""
    from lxml import etree

    from .build import stylesheet

    parser = etree.XMLParser(resolve_entities=False, no_network=True)
    transform = etree.XSLT(etree.fromstring(stylesheet(), parser))
    page = transform(etree.fromstring(xml, parser))
    root = page.getroot()
    root.set("data-version", version)
    etree.SubElement(root.find("head"), "script", src="/static/reload.js", defer="defer")
    return bytes(page)


def _failure(what: str, exc: Exception) -> str:
    from jinja2 import TemplateError

    if isinstance(exc, PublisherError | TemplateError | sqlite3.Error | OSError):
        return f"{what}: {exc}"
    return f"{what}: internal error: {type(exc).__name__}: {exc}"


def _feeds(site: Site, now: datetime, options: Options
           ) -> tuple[tuple[FeedView, ...], dict[str, bytes]]:
    from .build import build_feeds, plan_feeds
    from .feeds import feed_files

    specs = plan_feeds(site, site.visible(now, drafts=options.drafts, future=options.future))
    files = build_feeds(site, now, drafts=options.drafts, future=options.future)
    files = {path: _pointed_at_preview(data) if path.endswith(".xml") else data
             for path, data in files.items()}
    views = tuple(FeedView(spec.title, *feed_files(spec), tuple(p.title for p in spec.posts))
                  for spec in specs)
    return views, files


def _drafts(site: Site, now: datetime, options: Options) -> tuple[DraftView, ...]:
    from .drafts import plan_drafts, render_drafts

    with ReadOnlyLedger.open(site.config.ledger_path) as ledger:
        plans, _ = plan_drafts(site, ledger, now, digest=options.digest)
    views = []
    for draft in render_drafts(plans, site):
        plan = draft.plan
        prefix = f"{plan.folder}/"
        files = {name.removeprefix(prefix): data for name, data in draft.files.items()}
        views.append(DraftView(plan.folder.removeprefix("email/"), plan.settings.title,
                               plan.number, draft.issue.subject,
                               tuple(p.title for p in plan.posts), draft.issue.text, files))
    return tuple(views)


def build(config_path: Path, options: Options, version: str = "0") -> Snapshot:
    """Read the site and build its feeds and drafts in memory; never raises."""
    from .site import load_site

    built = datetime.now(UTC)
    now = options.now or built
    try:
        config = load_config(config_path)
        site = load_site(config)
    except Exception as exc:  # a config to fix: the page says what, the server lives on
        return Snapshot(version, "publish preview", built, options.now, (), {}, (), (),
                        (_failure("config", exc),), None)
    # Named from the site's folder, as its writer knows them, wherever the server started.
    problems = [str(replace(p, path=os.path.relpath(os.path.abspath(p.path), config.root)))
                for p in site.problems]
    feeds: tuple[FeedView, ...] = ()
    files: dict[str, bytes] = {}
    drafts: tuple[DraftView, ...] = ()
    try:
        feeds, files = _feeds(site, now, options)
    except Exception as exc:
        problems.append(_failure("feeds", exc))
    try:
        drafts = _drafts(site, now, options)
    except Exception as exc:
        problems.append(_failure("email drafts", exc))
    others = set(files).difference(*((f.atom, f.rss, f.json) for f in feeds))
    return Snapshot(version, config.site.title, built, options.now, feeds, files,
                    tuple(sorted(others)), drafts, tuple(problems), config)


def fingerprint(paths: Iterable[Path]) -> tuple[tuple[str, int, int], ...]:
    """(path, mtime, size) of every file at or under `paths`, hidden folders skipped:
    it changes when a file is edited, added or removed."""
    found = []
    for top in paths:
        if top.is_dir():
            files = []
            for folder, subfolders, names in os.walk(top):
                subfolders[:] = [d for d in subfolders if not d.startswith(".")]
                files.extend(Path(folder, name) for name in names)
        else:
            files = [top]
        for file in files:
            try:
                stat = file.stat()
            except OSError:
                continue
            found.append((str(file), stat.st_mtime_ns, stat.st_size))
    return tuple(sorted(found))


class Preview:
    """The current build, and a watcher thread that rebuilds it when an input changes."""

    def __init__(self, config_path: Path, options: Options = Options(),
                 on_build: Callable[[Snapshot], None] | None = None) -> None:
        self.config_path = config_path.resolve()
        self.options = options
        self.on_build = on_build
        self._epoch = f"{time.time_ns():x}"  # a restarted server reloads its pages too
        self._builds = 0
        self._stopped = threading.Event()
        self._config: Config | None = None
        with contextlib.suppress(PublisherError):  # the first build will say why
            self._config = load_config(self.config_path)  # the folders to watch
        self._seen = fingerprint(self._watched())
        self.snapshot = self._build()
        self._thread = threading.Thread(target=self._watch, name="preview-watch", daemon=True)

    def _watched(self) -> list[Path]:
        paths = [self.config_path]
        if self._config is not None:
            config = self._config
            paths += [config.posts_dir, config.templates_dir, config.ledger_path]
        return paths

    def _build(self) -> Snapshot:
        self._builds += 1
        snapshot = build(self.config_path, self.options, f"{self._epoch}-{self._builds}")
        self._config = snapshot.config or self._config
        return snapshot

    def rebuild_if_changed(self) -> bool:
        """Rebuild when a watched file changed since the last build; True if it did."""
        seen = fingerprint(self._watched())
        if seen == self._seen:
            return False
        while not self._stopped.wait(SETTLE_SECONDS):  # an editor may write in steps
            settled, seen = seen, fingerprint(self._watched())
            if settled == seen:
                break
        if self._stopped.is_set():
            return False
        self._seen = seen  # taken before building: an edit made meanwhile is seen next time
        self.snapshot = self._build()
        if self.on_build is not None:
            self.on_build(self.snapshot)
        return True

    def _watch(self) -> None:
        while not self._stopped.wait(POLL_SECONDS):
            self.rebuild_if_changed()

    def start(self) -> None:
        self._thread.start()

    def stop(self) -> None:
        self._stopped.set()
        if self._thread.is_alive():
            self._thread.join()

    def wait(self, timeout: float) -> bool:
        """Wait until stopped or `timeout` seconds passed; True once stopped."""
        return self._stopped.wait(timeout)


# -- pages ----------------------------------------------------------------------------------

@functools.cache
def _templates() -> jinja2.Environment:
    import jinja2

    return jinja2.Environment(
        loader=jinja2.PackageLoader("publisher", "templates/preview"),
        autoescape=True, undefined=jinja2.StrictUndefined, trim_blocks=True,
        lstrip_blocks=True)


def _when(moment: datetime | None) -> str:
    return f"{moment.astimezone():%Y-%m-%d %H:%M:%S %Z}" if moment else ""


def _page(name: str, snapshot: Snapshot, **values: Any) -> bytes:
    html = _templates().get_template(name).render(
        version=snapshot.version, built=_when(snapshot.built),
        fixed_now=_when(snapshot.fixed_now), **values)
    return html.encode("utf-8")


Response = tuple[int, str, bytes, dict[str, str]]  # status, content type, body, headers
HTML = "text/html; charset=utf-8"


def respond(snapshot: Snapshot, path: str) -> Response:
    """The answer to GET `path` (URL-decoded, no query) from one build."""
    if path == "/":
        return 200, HTML, _page("index.html", snapshot, title=snapshot.title,
                                problems=snapshot.problems, drafts=snapshot.drafts,
                                feeds=snapshot.feeds, others=snapshot.others), {}
    if path == "/version":
        return 200, "text/plain; charset=utf-8", snapshot.version.encode(), {}
    if path == XSL_PATH:
        from .build import stylesheet

        return 200, "text/xsl; charset=utf-8", stylesheet(), {}
    if path.startswith("/static/") and path[8:] in STATIC:
        data = resources.files("publisher").joinpath(f"templates/preview/{path[8:]}")
        return 200, STATIC[path[8:]], data.read_bytes(), {}
    if path.startswith("/read/") and path.endswith(".xml") and path[6:] in snapshot.files:
        return 200, HTML, readable(snapshot.files[path[6:]], snapshot.version), {}
    if path.startswith("/feed/") and path[6:] in snapshot.files:
        name = path[6:]
        kind = FILE_TYPES.get(PurePosixPath(name).suffix, "application/octet-stream")
        return 200, kind, snapshot.files[name], {}
    if path.startswith("/draft/"):
        folder, _, name = path[7:].rstrip("/").rpartition("/")
        drafts = {draft.path: draft for draft in snapshot.drafts}
        if name in DRAFT_FILES and folder in drafts:
            return 200, DRAFT_FILES[name], drafts[folder].files[name], {}
        wanted = path[7:].strip("/")
        if wanted in drafts and path.endswith("/"):
            return 200, HTML, _page("draft.html", snapshot, draft=drafts[wanted]), {}
        if wanted in drafts:
            return 301, HTML, b"", {"Location": path + "/"}
    return 404, HTML, _page("missing.html", snapshot, path=path), {}


class PreviewServer(ThreadingHTTPServer):
    """Serves one Preview on 127.0.0.1 only."""

    daemon_threads = True

    def __init__(self, preview: Preview, port: int = DEFAULT_PORT) -> None:
        if not 0 <= port <= 65535:
            raise PublisherError(f"--port {port}: a port is 0 to 65535 (0: any free port)")
        self.preview = preview
        try:
            super().__init__((HOST, port), _Handler)
        except OSError as exc:
            if exc.errno == errno.EADDRINUSE:
                raise PublisherError(f"port {port} is in use; choose another with --port "
                                     "(0: any free port)") from None
            raise

    @property
    def port(self) -> int:
        return int(self.server_address[1])

    @property
    def url(self) -> str:
        return f"http://{HOST}:{self.port}/"


class _Handler(BaseHTTPRequestHandler):
    server: PreviewServer

    def do_GET(self) -> None:  # the names http.server calls
        self._answer(body=True)

    def do_HEAD(self) -> None:
        self._answer(body=False)

    def _answer(self, *, body: bool) -> None:
        # A page on another site could reach 127.0.0.1 through a DNS name of its own
        # (DNS rebinding): only our own host names are answered.
        port = self.server.port
        if self.headers.get("Host", "") not in (f"{HOST}:{port}", f"localhost:{port}"):
            status, kind, data, headers = 403, "text/plain; charset=utf-8", \
                b"the preview answers only to 127.0.0.1 and localhost\n", {}
        else:
            path = unquote(urlsplit(self.path).path)
            try:
                status, kind, data, headers = respond(self.server.preview.snapshot, path)
            except Exception as exc:  # a bug of ours: say so, and serve on
                status, kind, data, headers = 500, "text/plain; charset=utf-8", \
                    f"internal error: {type(exc).__name__}: {exc}\n".encode(), {}
        self.send_response(status)
        self.send_header("Content-Type", kind)
        self.send_header("Content-Length", str(len(data)))
        self.send_header("Cache-Control", "no-store")
        self.send_header("X-Content-Type-Options", "nosniff")
        for name, value in headers.items():
            self.send_header(name, value)
        self.end_headers()
        if body:
            self.wfile.write(data)

    def log_message(self, format: str, *args: Any) -> None:
        pass  # the terminal shows builds, not every poll of /version


def start(config_path: Path, options: Options = Options(), port: int = DEFAULT_PORT,
          on_build: Callable[[Snapshot], None] | None = None) -> tuple[PreviewServer, str]:
    """Build, bind 127.0.0.1:`port` (0: any free port), serve and watch in background
    threads. Returns the server and its URL; end it with `stop(server)`."""
    preview = Preview(config_path, options, on_build)
    server = PreviewServer(preview, port)
    threading.Thread(target=server.serve_forever, name="preview-serve", daemon=True).start()
    preview.start()
    return server, server.url


def stop(server: PreviewServer) -> None:
    """Stop serving and watching, and free the port."""
    server.shutdown()
    server.server_close()
    server.preview.stop()


# -- the command ----------------------------------------------------------------------------

def _summary(snapshot: Snapshot) -> str:
    count = len(snapshot.problems)
    return (f"{len(snapshot.drafts)} drafts, {len(snapshot.feeds)} feeds, {count} "
            f"problem{'s' if count != 1 else ''}")


def run(args: argparse.Namespace, console: Console) -> int:
    """`publish preview`: serve until Ctrl-C."""
    config = load_config(args.config)
    now = None
    if args.now is not None:
        try:
            now = parse_date(args.now, config.zone)
        except DateError as exc:
            raise PublisherError(f"--now: {exc}") from None
    options = Options(drafts=args.drafts, future=args.future, digest=args.digest, now=now)

    def built(snapshot: Snapshot) -> None:
        console.out(f"rebuilt at {datetime.now(UTC).astimezone():%H:%M:%S}: "
                    f"{_summary(snapshot)}")

    server, url = start(args.config, options, args.port, built)
    console.out(f"built: {_summary(server.preview.snapshot)}")
    console.out(f"preview at {url} (Ctrl-C to stop)")
    try:
        while not server.preview.wait(1.0):
            pass
    except KeyboardInterrupt:
        pass
    finally:
        stop(server)
    return 0


def add_command(commands: Any, parents: Sequence[argparse.ArgumentParser] = ()) -> None:
    """Add `preview` to the CLI's subparsers (`parents`: the options every command shares)."""
    preview = commands.add_parser(
        "preview", parents=list(parents), help="show the feeds and email drafts in a browser",
        description="Serve the site's feeds and current email drafts on 127.0.0.1, built in "
        "memory (the output folder and the ledger are left untouched), and rebuild and "
        "reload when a post, a template or the config changes.")
    preview.add_argument("--port", type=int, default=DEFAULT_PORT,
                         help=f"port on 127.0.0.1 (default: {DEFAULT_PORT}; 0: any free port)")
    preview.add_argument("--drafts", action="store_true", help="include drafts in the feeds")
    preview.add_argument("--future", action="store_true",
                         help="include posts dated later than now in the feeds")
    preview.add_argument("--digest", action="store_true",
                         help="one issue with a section per series instead of one per series")
    preview.add_argument("--now", metavar="DATE", help="build as if it were DATE")
    preview.set_defaults(run=run)
