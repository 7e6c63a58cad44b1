"""The result cache: a file's report, kept until anything it depends on changes.

Like ruff's cache, on by default on the command line, in `.asl_lint_cache/` at the
project's root (with a `.gitignore` of its own). One file per bucket: asl-lint's
version (a digest of its sources in a development install), the settings that shape a
report, and the working directory (reports name files relative to it). In a bucket, an
entry per (file name, named or walked, content digest) holds the report and the stamps
of what the file's templates read (size, modification time and inode of each file,
"missing" for one that was looked for and not found, the time of each directory listed),
so creating, changing or deleting a referenced file is a miss.

A checkout is untrusted input (a CI gate runs on pull requests): a committed cache could
otherwise say that a broken file is clean. Each bucket is signed (HMAC-SHA256) with a
secret kept outside the project, in the user's cache directory; an entry that is not
signed with it, is corrupt or comes from another version is a miss, never an error.
Nothing is written through a link or outside the project, and where nothing can be
written (a read-only tree) the cache is simply off. Writes are whole (a temporary file
renamed over the old one): concurrent runs lose each other's new entries at worst.
"""

from __future__ import annotations

import hashlib
import hmac
import json
import os
import re
import stat
import sys
from pathlib import Path

from .diagnostics import Diagnostic, Severity
from .files import FileRefused, Trees, directory_stamp, file_stamp, git_work_tree, read_bytes, text_digest, write_atomically, write_bytes_atomically
from .logs import get_logger

log = get_logger(__name__)

DIRECTORY = ".asl_lint_cache"
MAX_ENTRIES = 50_000  # per bucket: the oldest go first
MAX_BUCKETS = 8  # settings and versions kept side by side: the least recently written go
_FORMAT = 2  # 2: one entry per file name, stamps taken when read
_CONFIG_FIELDS = ("select", "ignore", "extend_select", "severities", "kind", "workflow_type", "max_file_bytes",
                  "allow_outside_references", "reference_roots", "skip_unrecognized", "keep_machines", "root",
                  "var_files", "variables")


def _user_cache_home() -> Path:
    if sys.platform == "win32":
        return Path(os.environ.get("LOCALAPPDATA") or Path.home() / "AppData" / "Local")
    if sys.platform == "darwin":
        return Path.home() / "Library" / "Caches"
    return Path(os.environ.get("XDG_CACHE_HOME") or Path.home() / ".cache")


def _secret() -> bytes | None:
    """The key that signs this user's caches, made once, readable by the user alone."""
    path = _user_cache_home() / "asl-lint" / "cache-secret"
    for _ in range(2):
        try:
            info = os.lstat(path)
            if stat.S_ISREG(info.st_mode) and info.st_size == 32:
                with open(path, "rb") as stream:
                    return stream.read()
            return None
        except FileNotFoundError:
            pass
        except OSError:
            return None
        try:
            path.parent.mkdir(parents=True, exist_ok=True)
            descriptor = os.open(path, os.O_WRONLY | os.O_CREAT | os.O_EXCL, 0o600)
        except FileExistsError:
            continue  # made by a concurrent run a moment ago: read it
        except OSError:
            return None
        with os.fdopen(descriptor, "wb") as stream:
            stream.write(os.urandom(32))
    return None


def _version_digest() -> str:
    """asl-lint's version; with a digest of its files' stamps in a development install,
    where the code changes without the version."""
    from .version import __version__

    package = Path(__file__).resolve().parent
    if "site-packages" in package.parts or "dist-packages" in package.parts:
        return __version__
    found = []
    pending = [(str(package), "")]
    while pending:  # os.scandir, not Path.rglob: a warm run's start-up, in a checkout
        folder, relative = pending.pop()
        with os.scandir(folder) as entries:
            for entry in entries:
                name = f"{relative}/{entry.name}" if relative else entry.name
                if entry.is_dir(follow_symlinks=False):
                    if entry.name != "__pycache__":
                        pending.append((entry.path, name))
                elif entry.name.endswith((".py", ".json")):
                    info = entry.stat()
                    found.append(f"{name}\0{info.st_size}\0{info.st_mtime_ns}\n")
    stamps = hashlib.blake2b("".join(sorted(found)).encode("utf-8", "surrogatepass"), digest_size=16)
    return f"{__version__}+{stamps.hexdigest()}"


def _bucket(config) -> str:
    settings = {name: getattr(config, name) for name in _CONFIG_FIELDS}
    written = json.dumps([_FORMAT, _version_digest(), config.directory, settings], sort_keys=True, default=repr)
    return hashlib.blake2b(written.encode("utf-8", "surrogatepass"), digest_size=12).hexdigest()


def cache_directory(config) -> str | None:
    """Where the cache is: --cache-dir, ASL_LINT_CACHE_DIR, the configuration's cache-dir,
    or .asl_lint_cache at the root of the project (its git work tree, else here)."""
    if config.cache_dir:
        return config.cache_dir
    root = git_work_tree(config.directory) or config.root or config.directory
    return os.path.join(root, DIRECTORY)


BUCKET_NAME = re.compile(r"[0-9a-f]{24}\.json")  # what _bucket() makes: the only files pruning may delete
MAX_BUCKET_BYTES = 32 << 20  # a bucket larger than this is not read; on writing, the oldest entries go
_TAG = "Signature: 8a477f597d28d172789f06886806bc55\n# asl-lint's result cache\n"


class CacheRefused(Exception):
    """A cache directory asl-lint will not use; the message says why in one line."""


def _holds_our_tag(directory: str) -> bool:
    """Whether `directory` is one asl-lint made its cache: its CACHEDIR.TAG is ours."""
    try:
        return read_bytes(os.path.join(directory, "CACHEDIR.TAG"), 4096).decode("utf-8", "replace") == _TAG
    except FileRefused:
        return False


def _usable_directory(directory: str) -> None:
    """Raises CacheRefused unless `directory` is asl-lint's cache, empty, or not there yet:
    asl-lint never writes into (or prunes) a directory of the user's own files."""
    try:
        info = os.lstat(directory)
    except FileNotFoundError:
        return
    except OSError as error:
        raise CacheRefused(f"the cache directory {directory} cannot be used: {error.strerror}") from None
    if not stat.S_ISDIR(info.st_mode):
        raise CacheRefused(f"the cache directory {directory} is not a directory (or is a link): the result cache"
                           " is off for this run")
    if _holds_our_tag(directory):
        return
    try:
        with os.scandir(directory) as entries:
            if next(entries, None) is None:
                return
    except OSError as error:
        raise CacheRefused(f"the cache directory {directory} cannot be used: {error.strerror}") from None
    raise CacheRefused(f"{directory} is not asl-lint's cache (it holds other files and no CACHEDIR.TAG of"
                       " asl-lint's): the result cache is off for this run")


class ResultCache:
    def __init__(self, directory: str, bucket: str, secret: bytes) -> None:
        self.directory, self.bucket, self.secret = directory, bucket, secret
        self.path = os.path.join(directory, bucket + ".json")
        self.entries: dict[str, dict] = self._load()
        self.added = 0
        self.hits = 0

    @classmethod
    def open(cls, config) -> ResultCache | None:
        """The cache for this run, or None when it is off or cannot be used here; raises
        CacheRefused for a directory that is not asl-lint's to use."""
        directory = cache_directory(config)
        if directory is None:
            return None
        _usable_directory(directory)
        secret = _secret()
        if secret is None:
            return None
        return cls(directory, _bucket(config), secret)

    # ---- reading

    def _load(self) -> dict:
        """The bucket's entries: read without following a link, from a regular file of at
        most MAX_BUCKET_BYTES (a committed bucket may be a link to /dev/zero)."""
        flags = os.O_RDONLY | getattr(os, "O_NOFOLLOW", 0) | getattr(os, "O_NONBLOCK", 0) | getattr(os, "O_CLOEXEC", 0)
        try:
            descriptor = os.open(self.path, flags)
        except OSError:
            return {}
        try:
            with os.fdopen(descriptor, "rb") as stream:
                info = os.fstat(stream.fileno())
                if not stat.S_ISREG(info.st_mode) or info.st_size > MAX_BUCKET_BYTES:
                    return {}
                signature = stream.readline(100).strip()
                body = stream.read(MAX_BUCKET_BYTES)
        except (OSError, MemoryError):
            return {}
        expected = hmac.new(self.secret, body, hashlib.sha256).hexdigest().encode()
        if not hmac.compare_digest(signature, expected):
            return {}  # another user's, tampered with or torn: a miss
        try:
            found = json.loads(body)
        except (ValueError, RecursionError):
            return {}
        entries = found.get("entries", {}) if isinstance(found, dict) and found.get("format") == _FORMAT else {}
        return entries if isinstance(entries, dict) else {}

    @staticmethod
    def digest(text: str) -> str:
        return text_digest(text)

    @staticmethod
    def key_from(path: str, explicit: bool) -> str:
        """One entry per file name (and how it was found): a file edited twenty times has
        one entry, the last."""
        written = f"{path}\0{explicit}".encode("utf-8", "surrogatepass")
        return hashlib.blake2b(written, digest_size=20).hexdigest()

    def digest_if_unchanged(self, key: str, path: str, stamp: list | None = None) -> str | None:
        """The digest of the file's text as cached, when the file still has the stamp it had
        when that text was read (size, modification time, inode; not a link): no need to
        read and hash it again. `stamp`: the file's, when the walk took it. None: read it."""
        entry = self.entries.get(key)
        kept = entry.get("stamp") if isinstance(entry, dict) else None
        if not kept or not isinstance(entry.get("digest"), str) or (stamp or file_stamp(path)) != kept:
            return None
        return entry["digest"]

    def get(self, key: str, digest: str):
        """The cached report of the file whose text has this digest, when everything it
        read is as it was."""
        entry = self.entries.get(key)
        if not isinstance(entry, dict) or entry.get("digest") != digest:
            return None
        try:
            if any(file_stamp(path) != stamp for path, stamp in entry["reads"]) or \
                    any(directory_stamp(path) != stamp for path, stamp in entry["listings"]):
                return None
            report = _report_from(entry["report"])
            report.digest = digest
            report.sources = dict(entry.get("sources", {}))
        except (KeyError, TypeError, ValueError):
            return None
        self.hits += 1
        return report, entry.get("claims", {})

    # ---- writing

    def put(self, key: str, report) -> None:
        """Keep a file's report with the stamps its reads had when they were read."""
        if report.deferred or report.aws_requests:
            return  # another file checked a shared definition: this report depends on the run
        try:
            entry = {"digest": report.digest, "stamp": report.stamp, "report": _report_to(report), "reads": report.reads,
                     "listings": report.listings, "claims": dict(report.claims), "sources": dict(report.sources)}
        except (TypeError, ValueError):
            return
        self.entries.pop(key, None)
        self.entries[key] = entry
        self.added += 1

    def save(self) -> None:
        """Write the bucket if anything was added; never an error."""
        if not self.added:
            return
        try:
            body = _bounded_body(self.entries)
            signature = hmac.new(self.secret, body, hashlib.sha256).hexdigest().encode()
            _usable_directory(self.directory)  # still: nothing else took its place meanwhile
            self._prepare()
            write_bytes_atomically(self.path, signature + b"\n" + body, Trees((self.directory,)))
            self._prune()
        except (OSError, CacheRefused) as error:
            log.debug("the result cache was not written: %s", error)
        except Exception as error:  # noqa: BLE001 - a cache that cannot be written is off, never an error
            log.debug("the result cache was not written: %s", error)

    def _prepare(self) -> None:
        if not os.path.isdir(self.directory):
            os.makedirs(self.directory, exist_ok=True)
        for name, text in ((".gitignore", "# Made by asl-lint: its result cache, never to be committed.\n*\n"),
                           ("CACHEDIR.TAG", _TAG)):
            path = os.path.join(self.directory, name)
            if not os.path.lexists(path):
                write_atomically(path, text, Trees((self.directory,)))

    def _prune(self) -> None:
        """Drop the least recently written buckets: only files named as asl-lint names
        buckets, only in a directory its own tag marks, never through a link."""
        if not _holds_our_tag(self.directory):
            return
        buckets = []
        with os.scandir(self.directory) as entries:
            for entry in entries:
                if BUCKET_NAME.fullmatch(entry.name) and entry.is_file(follow_symlinks=False):
                    buckets.append((entry.stat(follow_symlinks=False).st_mtime_ns, entry.path))
        buckets.sort(reverse=True)
        for _, stale in buckets[MAX_BUCKETS:]:
            try:
                os.unlink(stale)
            except OSError:
                pass


def _bounded_body(entries: dict) -> bytes:
    """The bucket's JSON, newest entries kept first, at most MAX_BUCKET_BYTES in all."""
    pieces: list[str] = []
    size = 64
    for key, entry in reversed(list(entries.items())[-MAX_ENTRIES:]):
        try:
            piece = json.dumps(key) + ":" + json.dumps(entry, separators=(",", ":"))
        except (TypeError, ValueError):
            continue
        size += len(piece) + 1
        if size > MAX_BUCKET_BYTES - 128:
            break
        pieces.append(piece)
    pieces.reverse()
    return ('{"format":%d,"entries":{%s}}' % (_FORMAT, ",".join(pieces))).encode("ascii")


# ---- reports as JSON (never pickle: a cache file is data from the checkout)


def _diagnostic_to(diagnostic: Diagnostic) -> list:
    fix = diagnostic.fix
    return [diagnostic.rule, diagnostic.name, int(diagnostic.severity), diagnostic.message, diagnostic.file,
            diagnostic.line, diagnostic.column, diagnostic.end_line, diagnostic.end_column, diagnostic.machine,
            diagnostic.pointer, diagnostic.state, diagnostic.aws_code,
            None if fix is None else [fix.title, fix.safe, [[edit.start, edit.end, edit.text] for edit in fix.edits]],
            [list(place) for place in diagnostic.related]]


def _diagnostic_from(data: list) -> Diagnostic:
    (rule, name, severity, message, file, line, column, end_line, end_column, machine, pointer, state, aws_code,
     fix, related) = data
    if fix is not None:
        from .edits import Edit, Fix

        fix = Fix(fix[0], tuple(Edit(*edit) for edit in fix[2]), fix[1])
    return Diagnostic(rule, name, Severity(severity), message, file, line, column, end_line, end_column, machine,
                      pointer, state, aws_code, None, fix, tuple(tuple(place) for place in related))


def _report_to(report) -> dict:
    return {"diagnostics": [_diagnostic_to(d) for d in report.diagnostics],
            "suppressed": [_diagnostic_to(d) for d in report.suppressed],
            "checked": [[c.file, c.machine, c.host, c.findings_of] for c in report.checked],
            "machines": report.machines, "skipped": report.skipped,
            "drawn": [[m.file, m.name, m.data] for m in report.drawn]}


def _report_from(data: dict):
    from .diagnostics import Checked, FileReport

    drawn = []
    if data["drawn"]:  # graphs kept for --graph: their module only then
        from .graph import Machine

        drawn = [Machine(*m) for m in data["drawn"]]
    return FileReport(diagnostics=[_diagnostic_from(d) for d in data["diagnostics"]],
                      checked=[Checked(*c) for c in data["checked"]], machines=data["machines"],
                      skipped=data["skipped"], suppressed=[_diagnostic_from(d) for d in data["suppressed"]],
                      drawn=drawn)
