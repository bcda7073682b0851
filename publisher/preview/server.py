"""The preview's web server: 127.0.0.1 only, one build served until the next."""

from __future__ import annotations

import errno
import threading
from collections.abc import Callable
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from pathlib import Path
from typing import Any
from urllib.parse import unquote, urlsplit

from publisher.preview import DEFAULT_PORT
from publisher.preview.pages import respond
from publisher.preview.snapshot import Options, Snapshot
from publisher.preview.watch import Preview
from publisher.problems import PublisherError

HOST = "127.0.0.1"  # the preview shows unsent drafts: never to the network


# -- pages ----------------------------------------------------------------------------------


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


