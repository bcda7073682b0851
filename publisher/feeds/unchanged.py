"""A `publish feed` that would change nothing, told by stats alone.

After a run that wrote or kept every feed, `.publisher/run.json` records the stamp
(size, mtime, ctime, inode, device) of everything the run read: the config, each folder
it listed (the posts folders, `_data/`, `_includes/`...) with every entry in it, each
other file it opened, publisher's own code and the folders Python imports from, and the
files it wrote; plus its options, the time the next scheduled post falls due and what it
printed. The next run with the same options stats those paths; when every stamp is the
same and nothing falls due, it prints the same report and exits, having read no post and
opened no cache. Anything else (a stamp that differs, a file gone, an option that is not
a plain `feed` option, a damaged manifest) runs the whole command, which is never wrong,
only slower.

Stamps are trusted as git trusts its index: a file changed in the second before the run
started could have been changed again within the file system's clock tick, so a run that
read such a file records no manifest ("racy"), and the next run reads everything again.
"""

from __future__ import annotations

import hashlib
import json
import os
import site
import stat as stat_module
import sys
import sysconfig
import time
from collections.abc import Callable, Iterable, Sequence
from dataclasses import dataclass
from pathlib import Path
from typing import Any

MANIFEST = "run.json"
FORMAT = 2
RACY_NS = 1_000_000_000
# Options of `publish feed` that the manifest keys on; any other runs the command.
_FLAGS = {"-q": "-q", "--quiet": "-q", "--drafts": "--drafts", "--future": "--future",
          "--skip-invalid": "--skip-invalid", "--accept-new-ids": "--accept-new-ids"}
_WRITES = os.O_WRONLY | os.O_RDWR | os.O_CREAT | os.O_APPEND | os.O_TRUNC

Stamp = list[int]


def run_key(argv: Sequence[str], config: str) -> tuple[str, Path] | None:
    """(the options as one string, the config file) for a plain `publish feed`, else None;
    `config`: the config file's default name."""
    flags: set[str] = set()
    command = False
    tokens = iter(argv)
    for token in tokens:
        if token == "feed" and not command:
            command = True
        elif token in _FLAGS:
            flags.add(_FLAGS[token])
        elif token == "--config":
            config = next(tokens, "")
        elif token.startswith("--config="):
            config = token.removeprefix("--config=")
        else:
            return None
        if not config:
            return None
    if not command:
        return None
    path = Path(os.path.abspath(config))
    return json.dumps([os.getcwd(), str(path), sorted(flags)]), path


def stamp(path: str) -> Stamp | None:
    try:
        s = os.stat(path)
    except (OSError, ValueError):
        return None
    return [s.st_size, s.st_mtime_ns, s.st_ctime_ns, s.st_ino, s.st_dev]


def kind(path: str) -> str | None:
    """"folder", "file", "other", or None when nothing is there."""
    try:
        mode = os.stat(path).st_mode
    except (OSError, ValueError):
        return None
    return "folder" if stat_module.S_ISDIR(mode) else "file" if stat_module.S_ISREG(mode) \
        else "other"


class Reads:
    """The files this process opens, the folders it lists (with the names each held
    then) and the paths it stats: an audit hook for the first two, os.stat wrapped for
    the last (a config file looked for and not found is an input too: `hugo.toml`
    created later changes the feeds). Added once, switched on for a run."""

    def __init__(self) -> None:
        self.files: set[str] = set()
        self.folders: dict[str, frozenset[str]] = {}
        self.probed: set[str] = set()
        self.active = False
        self.hooked = False
        self._skip: tuple[str, ...] = ()

    def start(self, root: Path) -> None:
        self.files.clear()
        self.folders.clear()
        self.probed.clear()
        self._skip = _excluded(root)
        if not self.hooked:  # a hook cannot be removed: one for the process, switched
            sys.addaudithook(self._event)
            os.stat = _recording_stat(os.stat, self)
            self.hooked = True
        self.active = True

    def _event(self, event: str, args: tuple) -> None:
        if not self.active:
            return
        if event == "open":
            path, _, flags = args
            if isinstance(path, (str, bytes)) and not (isinstance(flags, int) and flags & _WRITES):
                self.files.add(os.path.abspath(os.fsdecode(path)))
        elif event in ("os.scandir", "os.listdir"):
            path = args[0]
            if not (path is None or isinstance(path, (str, bytes, os.PathLike))):
                return  # a file descriptor
            folder = os.path.abspath(os.fsdecode(path or "."))
            if folder in self.folders or (folder + os.sep).startswith(self._skip):
                return
            self.active = False  # our own listing must not come back here
            try:
                self.folders[folder] = frozenset(os.listdir(folder))
            except OSError:
                self.probed.add(folder)  # not there (yet): its stamp is None
            finally:
                self.active = True


def _recording_stat(stat: Callable[..., os.stat_result], reads: Reads
                    ) -> Callable[..., os.stat_result]:
    def recording_stat(path: Any, *args: Any, **kwargs: Any) -> os.stat_result:
        if reads.active and isinstance(path, (str, bytes, os.PathLike)):
            reads.probed.add(os.path.abspath(os.fsdecode(path)))
        return stat(path, *args, **kwargs)

    return recording_stat


READS = Reads()


@dataclass(frozen=True)
class Outcome:
    """What a run that changed nothing prints, and until when that holds."""

    lines: tuple[tuple[str, str], ...]  # (kind: out, warn or err; text), in order
    summary: str  # the last line, `{took}` standing for the time taken
    due: tuple[str, int] | None = None  # (the next-due line before its "(in …)", due ns)
    valid_until_ns: int | None = None  # when a scheduled post falls due or one expires


def _excluded(root: Path) -> tuple[str, ...]:
    """Folders whose reads are not inputs: Python's own libraries and publisher's code
    (their stamps are kept apart, `_code`), but never one that holds the site (a
    virtual environment made in the blog's folder has its prefix there)."""
    paths = sysconfig.get_paths()
    folders = {paths[k] for k in ("stdlib", "platstdlib", "purelib", "platlib") if k in paths}
    folders |= {*site.getsitepackages(), site.getusersitepackages(),
                str(Path(__file__).parents[1])}
    inside = os.path.join(os.path.abspath(root), "")
    return tuple(f for f in (os.path.join(os.path.abspath(p), "") for p in folders if p)
                 if not inside.startswith(f))


def _code() -> list[str]:
    """publisher's own files and the folders imports search: a new version, an edit, a
    package installed or removed changes one of their stamps."""
    package = Path(__file__).parents[1]
    found = [str(package)]
    for folder, folders, names in os.walk(package):
        folders[:] = [f for f in folders if f != "__pycache__"]
        found.append(folder)
        found += [os.path.join(folder, n) for n in names if not n.endswith(".pyc")]
    found += [p for p in sys.path if p and os.path.isdir(p)]
    return found


def record(config_path: Path, key: str, outputs: Iterable[Path], outcome: Outcome,
           started_ns: int, own: Iterable[Path]) -> bool:
    """Write the manifest of this run; False (and no manifest) when a read was racy.

    `own`: folders of ours (the output folder, `.publisher/`) whose reads are not inputs.
    """
    READS.active = False
    root = config_path.parent
    mine = tuple(os.path.join(str(p), "") for p in own)
    skip = _excluded(root) + mine
    inputs: dict[str, Stamp | None] = {str(config_path): stamp(str(config_path))}
    folders: dict[str, Stamp | None] = {}
    for folder, seen in sorted(READS.folders.items()):
        if (folder + os.sep).startswith(mine):
            continue
        before = stamp(folder)
        try:
            names = set(os.listdir(folder))
        except OSError:
            return False
        if stamp(folder) != before:  # a file came or went while we listed it
            return False
        ours = {n for n in names | seen if (os.path.join(folder, n, "")).startswith(mine)}
        if names - ours != seen - ours:  # a file came or went while the run read
            return False
        # The folder's own stamp moves when we create .publisher/ or the output folder
        # in it: it is not an input read in the racy second, its names are (above).
        folders[folder] = stamp(folder)
        inputs.update((os.path.join(folder, n), stamp(os.path.join(folder, n)))
                      for n in names - ours)
    for path in READS.files:
        if not (path + os.sep).startswith(skip) and not path.endswith(".pyc"):
            inputs[path] = stamp(path)
    # A path only looked at (is it there, a file, a folder?): what it is, not its stamp;
    # a folder's mtime moves when we create .publisher/ in it.
    probes = {path: kind(path) for path in READS.probed - inputs.keys() - folders.keys()
              if not (path + os.sep).startswith(skip)}
    limit = started_ns - RACY_NS
    if any(s is not None and (s[1] >= limit or s[2] >= limit) for s in inputs.values()):
        return False
    written = {str(p): stamp(str(p)) for p in outputs}
    written.update({str(Path(p).parent): stamp(str(Path(p).parent)) for p in list(written)})
    written.update({p: stamp(p) for p in _code()})
    body = {"format": FORMAT, "python": sys.version, "path": _import_path(),
            "key": key, "paths": sorted({**inputs, **folders, **written}.items()),
            "probes": sorted(probes.items()),
            "lines": outcome.lines, "summary": outcome.summary, "due": outcome.due,
            "valid_until_ns": outcome.valid_until_ns}
    _write(root / ".publisher" / MANIFEST, body)
    return True


def _import_path() -> list[str]:
    """Where imports come from (another virtual environment: other packages), but the
    script's own folder, which differs between `publish` and `python -m publisher.cli`."""
    return sys.path[1:]


def _checksum(text: str) -> str:
    from publisher import __version__

    return hashlib.sha256(f"{__version__}\0{text}".encode()).hexdigest()


def _write(path: Path, body: dict) -> None:
    text = json.dumps(body, separators=(",", ":"))
    temporary = path.with_name(f".{MANIFEST}.{os.getpid()}.tmp")
    try:
        temporary.write_text(_checksum(text) + "\n" + text, encoding="utf-8")
        os.replace(temporary, path)
    except OSError:  # no manifest: the next run reads everything, as without one
        temporary.unlink(missing_ok=True)


def forget(config_root: Path) -> bool:
    """Remove the manifest (`publish cache clear`); True if there was one."""
    try:
        (config_root / ".publisher" / MANIFEST).unlink()
    except OSError:
        return False
    return True


def replay(key: str, config_path: Path) -> Outcome | None:
    """The outcome of the last run when nothing it read or wrote changed since; else None."""
    try:
        check, text = (config_path.parent / ".publisher" / MANIFEST).read_text(
            encoding="utf-8").split("\n", 1)
    except (OSError, ValueError, UnicodeDecodeError):
        return None
    if check != _checksum(text):
        return None
    try:
        body = json.loads(text)
        if (body["format"] != FORMAT or body["key"] != key or body["python"] != sys.version
                or body["path"] != _import_path()):
            return None
        until = body["valid_until_ns"]
        if until is not None and time.time_ns() >= until:
            return None
        if any(stamp(path) != known for path, known in body["paths"]) or \
                any(kind(path) != known for path, known in body["probes"]):
            return None
        due = body["due"]
        return Outcome(tuple((kind, line) for kind, line in body["lines"]), body["summary"],
                       (due[0], int(due[1])) if due else None, until)
    except (KeyError, TypeError, ValueError):
        return None
