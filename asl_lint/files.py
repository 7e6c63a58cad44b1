"""The file system, met with suspicion: one policy for every file asl-lint reads or writes.

A checkout under review is attacker input: its definitions, templates, configuration,
baselines, .gitignore files, symbolic links and file names. So, for every file:

- only regular files are read (a FIFO, a device or a socket could hang the run or never
  end), each under a size limit, reading at most its size;
- a file is read only where it lies, once symbolic links are resolved, inside the trees
  being linted (the current directory, its git work tree, each path given), unless
  `--allow-outside-references` says otherwise: a committed link to `~/.ssh/id_rsa` or a
  `DefinitionUri: /etc/passwd` is refused, never read;
- a report, a baseline or a fixed file is never written through a symbolic link that
  leaves those trees, and is written whole or not at all (a temporary file, renamed).
"""

from __future__ import annotations

import errno
import os
import re
import stat
from collections.abc import Callable, Iterable
from dataclasses import dataclass, field
from functools import lru_cache, partial

try:  # hashlib's own blake2b, without the OpenSSL bindings that importing hashlib loads (3 ms a run)
    from _blake2 import blake2b
except ImportError:  # an interpreter without the module: hashlib has it
    from hashlib import blake2b

from .limits import MAX_FILE_BYTES

STDIN = "-"
# What a directory is walked for: definitions, templates, serverless and Terraform files.
LINTABLE_SUFFIXES = (".json", ".yaml", ".yml", ".asl", ".template", ".tf", ".tftpl", ".tpl")

# Names that say a file holds a definition or a template: such a file that does not parse
# or holds no state machine is reported even when found by walking a directory.
_MARKED_NAMES = re.compile(
    r"(?:\.asl(?:\.json|\.ya?ml)?|(?:^|/)(?:template|packaged-template|serverless|stack)\.(?:json|ya?ml)"
    r"|[-.]template(?:\.json|\.ya?ml)?)$", re.IGNORECASE)


ASL_NAMES = (".asl.json", ".asl.yaml", ".asl.yml", ".asl")  # a definition by its name alone


def name_marks_definition(path: str) -> bool:
    """Whether a file's name says it holds a definition (*.asl.json) or a template
    (template.yaml, *.template.json, *-template.yml, serverless.yml, stack.yaml, ...)."""
    return bool(_MARKED_NAMES.search(path.replace("\\", "/")))


class FileRefused(Exception):
    """A file that is not read: `rule` is ASL005 (unreadable), ASL012 (too large) or
    ASL013 (outside the trees being linted)."""

    def __init__(self, rule: str, message: str) -> None:
        super().__init__(message)
        self.rule, self.message = rule, message


class OutsideProject(FileRefused):
    """A file outside the trees being linted (ASL013)."""

    def __init__(self, path: str) -> None:
        super().__init__("ASL013", "the file is outside the directory tree being linted (a symbolic link or a"
                                   " path that leads out of it): not read (--allow-outside-references reads it)")
        self.path = path


class WriteRefused(Exception):
    """A file asl-lint will not write; the message says why in one line."""


def _reason(error: OSError) -> str:
    return error.strerror or str(error)


def _kind_of(mode: int) -> str:
    for test, kind in ((stat.S_ISFIFO, "a named pipe"), (stat.S_ISSOCK, "a socket"), (stat.S_ISCHR, "a device"),
                       (stat.S_ISBLK, "a device"), (stat.S_ISDIR, "a directory")):
        if test(mode):
            return kind
    return "not a regular file"


def text_digest(text: str) -> str:
    """A text's fingerprint: the result cache's key, and what --fix compares before it writes."""
    return blake2b(text.encode("utf-8", "surrogatepass"), digest_size=20).hexdigest()


def decode(data: bytes) -> str:
    try:
        return data.decode("utf-8-sig")
    except UnicodeDecodeError as error:
        raise FileRefused("ASL005", f"cannot read the file: it is not UTF-8 text ({error.reason} at byte"
                                    f" {error.start})") from None


def too_large(size: int, limit: int) -> FileRefused:
    return FileRefused("ASL012", f"the file has {size:,} bytes; asl-lint reads files of at most {limit:,}"
                                 " bytes (--max-file-size)")


_CHUNK = 1 << 16


def read_bounded(read: Callable[[int], bytes], limit: int, expected: int = 0) -> bytes:
    """At most `limit` + 1 bytes from `read` (a stream's read, or os.read on a descriptor:
    no file object around it, which is a third of reading a small file), to the end; one
    more than the limit tells a file that is too large. It asks for no more than the
    source holds: a huge limit allocates nothing."""
    chunks = []
    size = 0
    ask = min(expected, limit) + 1
    while size <= limit:  # until the end: one read may return less than asked, a file may have grown
        chunk = read(ask)
        if not chunk:
            break
        chunks.append(chunk)
        size += len(chunk)
        ask = min(_CHUNK, limit + 1 - size)
    return chunks[0] if len(chunks) == 1 else b"".join(chunks)


def read_bytes(path: str, max_bytes: int = MAX_FILE_BYTES, trees: Trees | None = None) -> bytes:
    """The bytes of a regular file of at most `max_bytes` inside `trees` (when given);
    raises FileRefused otherwise."""
    if trees is not None:
        trees.check(path)
    try:
        info = os.stat(path)
        if not stat.S_ISREG(info.st_mode):
            raise FileRefused("ASL005", f"cannot read the file: it is {_kind_of(info.st_mode)}, not read")
        if info.st_size > max_bytes:
            raise too_large(info.st_size, max_bytes)
        # O_NONBLOCK: should a FIFO take the file's place after the check, open does not wait.
        descriptor = os.open(path, os.O_RDONLY | getattr(os, "O_NONBLOCK", 0) | getattr(os, "O_CLOEXEC", 0))
        try:
            if not stat.S_ISREG(os.fstat(descriptor).st_mode):
                raise FileRefused("ASL005", "cannot read the file: it is not a regular file, not read")
            data = read_bounded(partial(os.read, descriptor), max_bytes, info.st_size)
        finally:
            os.close(descriptor)
    except OSError as error:
        if error.errno == errno.ELOOP:
            raise FileRefused("ASL005", "cannot read the file: its symbolic links form a loop") from None
        raise FileRefused("ASL005", f"cannot read the file: {_reason(error)}") from None
    if len(data) > max_bytes:
        raise too_large(len(data), max_bytes)
    return data


def read_file(path: str, max_bytes: int = MAX_FILE_BYTES, trees: Trees | None = None) -> str:
    """The text of a regular file of at most `max_bytes` inside `trees` (when given);
    raises FileRefused otherwise."""
    return decode(read_bytes(path, max_bytes, trees))


# ---- the trees being linted


def git_work_tree(start: str) -> str | None:
    """The git work tree holding `start` (a directory), or None."""
    return _work_tree_of(os.path.realpath(start))


@lru_cache(maxsize=4096)
def _work_tree_of(current: str) -> str | None:
    while True:
        if os.path.exists(os.path.join(current, ".git")):
            return current
        parent = os.path.dirname(current)
        if parent == current:
            return None
        current = parent


def project_roots(paths: Iterable[str], start: str | None = None) -> tuple[str, ...]:
    """The directory trees being linted: the run's directory (`start`, else the current
    one), its git work tree, and each path given (a file stands for its directory).
    References may point anywhere in them, as monorepos share definitions between services."""
    roots = [start or os.getcwd()]
    git_root = git_work_tree(roots[0])
    if git_root:
        roots.append(git_root)
    for given in paths:
        if given != STDIN:
            roots.append(given if os.path.isdir(given) else os.path.dirname(given) or ".")
    real = real_paths()
    return tuple(dict.fromkeys(real(root) for root in dict.fromkeys(roots)))


def real_paths() -> Callable[[str], str]:
    """os.path.realpath for many files of few directories, for one pass over a run's
    paths: each directory on the way is looked at once (realpath looks at every component
    of every path), and a file only when it is a link itself."""
    folders: dict[str, str] = {}

    def real_folder(folder: str) -> str:
        pending = []  # up to the first folder known, a link or the root; no recursion: trees nest deep
        while folder not in folders:
            parent, name = os.path.split(folder)
            if not name or parent == folder or os.path.islink(folder):
                folders[folder] = os.path.realpath(folder)
                break
            pending.append((folder, name))
            folder = parent
        found = folders[folder]
        for below, name in reversed(pending):
            found = folders[below] = os.path.join(found, name)
        return found

    def real(path: str) -> str:
        if ".." in path:  # `link/../x` is resolved through the link, as realpath does
            return os.path.realpath(path)
        absolute = os.path.abspath(path)
        folder, name = os.path.split(absolute)
        if not name or os.path.islink(absolute):
            return os.path.realpath(absolute)
        return os.path.join(real_folder(folder), name)

    return real


def inside(path: str, roots: Iterable[str], real: Callable[[str], str] = os.path.realpath) -> bool:
    """Whether `path`, once every symbolic link is resolved, lies in one of `roots`."""
    resolved = real(path)
    return any(resolved == root or resolved.startswith(root.rstrip(os.sep) + os.sep) for root in roots)


@dataclass(frozen=True)
class Trees:
    """Where files may be read from and written to: the trees being linted, and the
    directories of files the user named themselves (a --config, a --baseline)."""

    roots: tuple[str, ...]
    allow_outside: bool = False
    # Resolves paths as os.path.realpath does, each directory once for as long as these
    # Trees live (one run, or one analysis in the editor): a run reads many files of few
    # directories, and realpath looks at every component of every path.
    real: Callable[[str], str] = field(default_factory=lambda: real_paths(), compare=False, repr=False)

    @classmethod
    def of(cls, paths: Iterable[str] = (), allow_outside: bool = False) -> Trees:
        return cls(project_roots(paths), allow_outside)

    def with_directory_of(self, path: str) -> Trees:
        """These trees and the directory `path` is written in (a file the user named)."""
        folder = os.path.realpath(os.path.dirname(os.path.abspath(path)))
        return Trees((*self.roots, folder), self.allow_outside)

    def allows(self, path: str) -> bool:
        return self.allow_outside or inside(path, self.roots, self.real)

    def check(self, path: str) -> None:
        if not self.allows(path):
            raise OutsideProject(path)

    def output_target(self, path: str) -> str:
        """The path to write a file named `path` to; raises WriteRefused when that would
        write through a symbolic link that leaves the trees (a committed
        `asl-lint.sarif -> ~/.bashrc`). Links of the system (/tmp, /dev/stdout) are
        followed; a device or a pipe is written as a stream."""
        absolute = os.path.abspath(path)
        real = os.path.realpath(path)
        if real == absolute or self.allow_outside:
            return path
        try:
            if not stat.S_ISREG(os.stat(real).st_mode) and not stat.S_ISDIR(os.stat(real).st_mode):
                return path  # a pipe or a terminal: nothing is overwritten
        except OSError:
            pass
        written_inside = inside(os.path.dirname(absolute), self.roots) or any(
            absolute.startswith(root.rstrip(os.sep) + os.sep) for root in self.roots)
        if (written_inside or os.path.islink(absolute)) and not inside(real, self.roots):
            raise WriteRefused(f"{path} is a symbolic link that leads out of the directory tree being linted:"
                               " not written (remove the link, or --allow-outside-references)")
        return real


def write_bytes_atomically(path: str, data: bytes, trees: Trees | None = None) -> None:
    """write_atomically for bytes."""
    write_atomically(path, data, trees)


def write_atomically(path: str, text: str | bytes, trees: Trees | None = None) -> None:
    """Write `text` to `path` whole or not at all: a temporary file in the same directory,
    renamed over it (the mode of an existing file kept). A device or a pipe is written
    as a stream. Raises WriteRefused or OSError."""
    target = trees.output_target(path) if trees is not None else path
    try:
        info = os.stat(target)
    except OSError:
        info = None
    if info is not None and stat.S_ISDIR(info.st_mode):
        raise IsADirectoryError(errno.EISDIR, "Is a directory", path)
    binary = isinstance(text, bytes)
    if info is not None and not stat.S_ISREG(info.st_mode):
        with open(target, "wb") if binary else open(target, "w", encoding="utf-8") as stream:
            stream.write(text)
        return
    import tempfile  # only a run that writes pays for it

    folder = os.path.dirname(os.path.abspath(target))
    descriptor, temporary = tempfile.mkstemp(prefix=".asl-lint-", suffix=".tmp", dir=folder)
    try:
        with os.fdopen(descriptor, "wb") if binary else os.fdopen(descriptor, "w", encoding="utf-8",
                                                                   newline="") as stream:
            stream.write(text)
            stream.flush()
            os.fsync(stream.fileno())
        if info is not None:
            os.chmod(temporary, stat.S_IMODE(info.st_mode))
        else:
            umask = os.umask(0)
            os.umask(umask)
            os.chmod(temporary, 0o666 & ~umask)
        os.replace(temporary, target)
    except BaseException:
        try:
            os.unlink(temporary)
        except OSError:
            pass
        raise


# ---- files that templates reference


def file_stamp(path: str) -> list | None:
    """What tells that a file changed without reading it: size, modification time and
    inode of what the path leads to, and whether the path itself is a link (a file
    replaced by a link to the same file elsewhere is a change). None: not there."""
    try:
        link = os.lstat(path)
        info = os.stat(path) if stat.S_ISLNK(link.st_mode) else link
    except (OSError, ValueError):
        return None
    return stamp_of(info, link.st_ino if stat.S_ISLNK(link.st_mode) else 0)


def stamp_of(info: os.stat_result, link_inode: int = 0) -> list:
    """file_stamp from a look already taken: what the file is, and the inode of the link
    that leads to it (0: the path is no link)."""
    return [info.st_size, info.st_mtime_ns, info.st_ino, link_inode]


def directory_stamp(path: str) -> int | None:
    try:
        return os.stat(path).st_mtime_ns
    except (OSError, ValueError):
        return None


def _fresh(error: Exception) -> Exception:
    """The same exception, without a traceback: one to raise again."""
    fresh = error.__class__.__new__(error.__class__)
    fresh.__dict__.update(error.__dict__)
    fresh.args = error.args
    return fresh


@dataclass
class References:
    """Reads the files that templates reference, once per run, within the policy."""

    roots: tuple[str, ...] | None = None  # None: wherever the run was started (project_roots(()))
    allow_outside: bool = False
    max_bytes: int = MAX_FILE_BYTES
    # Texts that stand for files (real path -> text): an editor's unsaved buffers, the
    # fixes of an earlier round. Read within the same policy as the files themselves.
    overlay: dict[str, str] | None = None
    _texts: dict[str, str | FileRefused] = field(default_factory=dict)
    _parsed: dict[tuple, object] = field(default_factory=dict)
    _checked: dict[str, str | None] = field(default_factory=dict)  # check key -> the machine checked
    # What the file being linted depended on, for the result cache: the files it read (or
    # looked for) and the directories it listed, each with its stamp taken before it was
    # first read in the run (a file saved meanwhile is then a miss next time, never a
    # stale hit), the shared definitions it checked first (key -> machine) and those
    # another file had checked already.
    touched: dict[str, list | None] = field(default_factory=dict)
    listed: dict[str, int | None] = field(default_factory=dict)
    claimed: dict[str, str | None] = field(default_factory=dict)
    deferred: set[str] = field(default_factory=set)
    _stamps: dict[str, object] = field(default_factory=dict)
    # The digest of each referenced text read (real path -> digest): --fix edits a file
    # only while it still holds the text that was checked.
    digests: dict[str, str] = field(default_factory=dict)
    # What the run derives from referenced files once (the findings of a definition file
    # that several templates use, by key).
    memo: dict = field(default_factory=dict)
    # Terraform's variables given on the command line: --var-file paths, --var name=value.
    terraform_var_files: tuple[str, ...] = ()
    terraform_vars: dict[str, str] = field(default_factory=dict)
    _trees: Trees | None = None

    def begin_file(self) -> None:
        self.touched, self.listed, self.claimed, self.deferred = {}, {}, {}, set()

    def _touch(self, path: str) -> None:
        if path not in self._stamps:
            self._stamps[path] = file_stamp(path)
        self.touched[path] = self._stamps[path]

    def replay(self, claims: dict[str, str | None]) -> None:
        """Shared definitions a cached report checked first: later files defer to it, as
        they did when it was checked."""
        for key, machine in claims.items():
            self._checked.setdefault(key, machine)

    def isfile(self, path: str) -> bool:
        self._touch(path)
        return os.path.isfile(path)

    def listdir(self, directory: str) -> list[str]:
        directory = directory or "."
        key = ("listing", directory)
        if key not in self._stamps:
            self._stamps[key] = directory_stamp(directory)
        self.listed[directory] = self._stamps[key]
        return os.listdir(directory)

    def first_check(self, key: str, machine: str | None = None) -> bool:
        """True the first time a definition with this key is to be checked in the run."""
        if key in self._checked:
            self.deferred.add(key)
            return False
        self._checked[key] = machine
        self.claimed[key] = machine
        return True

    def checked_as(self, key: str) -> str | None:
        """The machine a definition with this key was checked as (its findings stand for all)."""
        return self._checked.get(key)

    def trees(self) -> Trees:
        if self._trees is None:
            if self.roots is None:
                self.roots = project_roots(())
            self._trees = Trees(self.roots, self.allow_outside)
        return self._trees

    def read(self, path: str) -> str:
        """The text of a referenced file; raises OutsideProject or FileRefused."""
        self._touch(path)
        if path not in self._texts:
            try:
                self._texts[path] = self._from_overlay(path) if self.overlay else None
                if self._texts[path] is None:
                    self._texts[path] = read_file(path, self.max_bytes, self.trees())
                self.digests[os.path.realpath(path)] = text_digest(self._texts[path])
            except FileRefused as refused:
                self._texts[path] = refused.with_traceback(None)
        found = self._texts[path]
        if isinstance(found, FileRefused):
            raise _fresh(found)  # a copy, as in parsed()
        return found

    def _from_overlay(self, path: str) -> str | None:
        text = self.overlay.get(os.path.realpath(path)) if self.overlay else None
        if text is not None:
            self.trees().check(path)
        return text

    def parsed(self, path: str, parse: Callable[[str, str], object]) -> object:
        """`parse(text, path)` of a referenced file, computed once per run (a file that ten
        resources reference is parsed once); raises what `read` or `parse` raise."""
        key = (path, getattr(parse, "__qualname__", repr(parse)))  # one file may be read two ways
        self._touch(path)  # parsed for an earlier file: this one depends on it too
        if key not in self._parsed:
            text = self.read(path)
            try:
                self._parsed[key] = parse(text, path)
            except Exception as error:  # a LoadError, remembered like a success
                self._parsed[key] = error.with_traceback(None)
        found = self._parsed[key]
        if isinstance(found, Exception):
            # A copy: raising the kept one would keep, in its traceback, the frames (and
            # the documents) of whoever asked last, for the whole run.
            raise _fresh(found)
        return found
