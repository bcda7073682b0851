"""The current build and the watcher that rebuilds it when a post, a template, the config
or the ledger changes.
"""

from __future__ import annotations

import contextlib
import os
import threading
import time
from collections.abc import Callable, Iterable
from pathlib import Path

from publisher.config import Config, load_config
from publisher.preview.snapshot import Options, Snapshot, build
from publisher.problems import PublisherError

POLL_SECONDS = 0.5


SETTLE_SECONDS = 0.1  # a change is built once files stop changing for this long


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
