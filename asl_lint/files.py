"""The file system, met with suspicion: which files to read, how, and which references to follow.

Nothing here opens a FIFO, a device or a socket (reading one could hang the run), reads a
file larger than the configured limit, or follows a reference (`DefinitionUri`,
`DefinitionS3Location`, `${file()}`) out of the directory tree being linted unless asked to.
"""

from __future__ import annotations

import errno
import logging
import os
import re
import stat
from collections.abc import Callable, Iterable, Iterator
from dataclasses import dataclass, field
from functools import lru_cache
from pathlib import Path

from .limits import MAX_FILE_BYTES

log = logging.getLogger(__name__)

# Walked directories yield these; a file named explicitly is read whatever its name.
LINTABLE_SUFFIXES = (".json", ".yaml", ".yml", ".asl", ".template")
SKIPPED_DIRECTORIES = {"node_modules", "__pycache__"}
STDIN = "-"


# Names that say a file holds a definition or a template: such a file that does not parse
# or holds no state machine is reported even when found by walking a directory.
_MARKED_NAMES = re.compile(
    r"(?:\.asl(?:\.json|\.ya?ml)?|(?:^|/)(?:template|packaged-template|serverless|stack)\.(?:json|ya?ml)"
    r"|[-.]template(?:\.json|\.ya?ml)?)$", re.IGNORECASE)


def name_marks_definition(path: str) -> bool:
    """Whether a file's name says it holds a definition (*.asl.json) or a template
    (template.yaml, *.template.json, *-template.yml, serverless.yml, stack.yaml, ...)."""
    return bool(_MARKED_NAMES.search(path.replace("\\", "/")))


class FileRefused(Exception):
    """A file that is not read: `rule` is ASL005 (unreadable) or ASL012 (too large)."""

    def __init__(self, rule: str, message: str) -> None:
        super().__init__(message)
        self.rule, self.message = rule, message


class OutsideProject(Exception):
    """A referenced file outside the directory tree being linted (ASL013)."""


@dataclass(frozen=True)
class Candidate:
    """A file to lint: its path as shown, whether the user named it, and a problem met
    while walking to it (an unlistable directory), if any."""

    path: str
    explicit: bool
    problem: str | None = None


def _reason(error: OSError) -> str:
    return error.strerror or str(error)


def _kind_of(mode: int) -> str:
    for test, kind in ((stat.S_ISFIFO, "a named pipe"), (stat.S_ISSOCK, "a socket"), (stat.S_ISCHR, "a device"),
                       (stat.S_ISBLK, "a device"), (stat.S_ISDIR, "a directory")):
        if test(mode):
            return kind
    return "not a regular file"


def decode(data: bytes) -> str:
    try:
        return data.decode("utf-8-sig")
    except UnicodeDecodeError as error:
        raise FileRefused("ASL005", f"cannot read the file: it is not UTF-8 text ({error.reason} at byte"
                                    f" {error.start})") from None


def too_large(size: int, limit: int) -> FileRefused:
    return FileRefused("ASL012", f"the file has {size:,} bytes; asl-lint reads files of at most {limit:,}"
                                 " bytes (--max-file-size)")


def read_file(path: str, max_bytes: int = MAX_FILE_BYTES) -> str:
    """The text of a regular file of at most `max_bytes`; raises FileRefused otherwise."""
    try:
        info = os.stat(path)
        if not stat.S_ISREG(info.st_mode):
            raise FileRefused("ASL005", f"cannot read the file: it is {_kind_of(info.st_mode)}, not read")
        if info.st_size > max_bytes:
            raise too_large(info.st_size, max_bytes)
        # O_NONBLOCK: should a FIFO take the file's place after the check, open does not wait.
        descriptor = os.open(path, os.O_RDONLY | getattr(os, "O_NONBLOCK", 0))
        with os.fdopen(descriptor, "rb") as handle:
            if not stat.S_ISREG(os.fstat(handle.fileno()).st_mode):
                raise FileRefused("ASL005", "cannot read the file: it is not a regular file, not read")
            data = handle.read(max_bytes + 1)
    except OSError as error:
        if error.errno == errno.ELOOP:
            raise FileRefused("ASL005", "cannot read the file: its symbolic links form a loop") from None
        raise FileRefused("ASL005", f"cannot read the file: {_reason(error)}") from None
    if len(data) > max_bytes:
        raise too_large(len(data), max_bytes)
    return decode(data)


@dataclass
class Exclusions:
    """Which paths are not linted: gitwildmatch patterns (relative to `root`, as in
    .gitignore) and, inside a git work tree, what .gitignore files ignore."""

    patterns: tuple[str, ...] = ()
    root: str | None = None
    respect_gitignore: bool = True
    force: bool = False  # exclusions apply to files named on the command line too
    _spec: object = None
    _ignores: dict[str, object] = field(default_factory=dict)

    def __post_init__(self) -> None:
        if self.patterns:  # pathspec is imported only when there is something to match
            import pathspec

            self._spec = pathspec.GitIgnoreSpec.from_lines(self.patterns)

    def excluded(self, path: str, is_dir: bool = False) -> bool:
        from .config import relative_to

        if self._spec is not None:
            relative = relative_to(path, self.root)
            if self._spec.match_file(relative + ("/" if is_dir else "")) or \
                    (not relative.startswith("..") and self._spec.match_file(Path(relative).name + ("/" if is_dir else ""))):
                return True
        return self.respect_gitignore and self._git_ignored(path, is_dir)

    def _git_ignored(self, path: str, is_dir: bool) -> bool:
        absolute = os.path.abspath(path)
        work_tree = _git_work_tree(os.path.dirname(absolute))
        if work_tree is None:
            return False
        folder = os.path.dirname(absolute)
        chain = []
        while True:  # every .gitignore from the work tree down to the file's directory
            chain.append(folder)
            if folder == work_tree or os.path.dirname(folder) == folder:
                break
            folder = os.path.dirname(folder)
        for directory in reversed(chain):
            spec = self._gitignore(directory, work_tree)
            if spec is not None:
                relative = Path(os.path.relpath(absolute, directory)).as_posix()
                if spec.match_file(relative + ("/" if is_dir else "")):
                    return True
        return False

    def _gitignore(self, directory: str, work_tree: str):
        if directory not in self._ignores:
            import pathspec

            lines: list[str] = []
            sources = [os.path.join(directory, ".gitignore")]
            if directory == work_tree:
                sources.append(os.path.join(work_tree, ".git", "info", "exclude"))
            for source in sources:
                try:
                    lines += Path(source).read_text(encoding="utf-8", errors="replace").splitlines()
                except OSError:
                    continue
            self._ignores[directory] = pathspec.GitIgnoreSpec.from_lines(lines) if lines else None
        return self._ignores[directory]


def iter_files(paths: Iterable[str], exclusions: Exclusions | None = None) -> Iterator[Candidate]:
    """Each file to lint, directories walked in order. Symbolic links to directories are
    not followed (no loops); FIFOs, devices and sockets met while walking are skipped, and
    so are excluded and git-ignored paths."""
    exclusions = exclusions or Exclusions(respect_gitignore=False)
    for given in paths:
        if given == STDIN or not os.path.isdir(given):
            if given != STDIN and exclusions.force and exclusions.excluded(given):
                log.debug("excluded %s", given)
                continue
            yield Candidate(given, True)
            continue
        unlistable: list[OSError] = []
        for root, directories, files in os.walk(given, onerror=unlistable.append):
            while unlistable:
                error = unlistable.pop()
                where = Path(error.filename).as_posix() if error.filename else root
                yield Candidate(where, False, f"cannot list the directory: {_reason(error)}")
            kept = []
            for name in sorted(directories):
                if name.startswith(".") or name in SKIPPED_DIRECTORIES:
                    continue
                if exclusions.excluded(os.path.join(root, name), is_dir=True):
                    log.debug("excluded %s/", Path(root, name).as_posix())
                    continue
                kept.append(name)
            directories[:] = kept
            for name in sorted(files):
                if not name.lower().endswith(LINTABLE_SUFFIXES):
                    continue
                path = Path(root, name).as_posix()
                if _is_special(path):
                    log.debug("skipped %s: not a regular file", path)
                    continue
                if exclusions.excluded(path):
                    log.debug("excluded %s", path)
                    continue
                yield Candidate(path, False)
        for error in unlistable:
            where = Path(error.filename).as_posix() if error.filename else given
            yield Candidate(where, False, f"cannot list the directory: {_reason(error)}")


def _is_special(path: str) -> bool:
    try:
        mode = os.stat(path).st_mode
    except OSError:
        return False  # reading it will say why
    return not stat.S_ISREG(mode)


def project_roots(paths: Iterable[str]) -> tuple[str, ...]:
    """The directory trees being linted: the current directory, its git work tree, and
    each path given (a file stands for its directory). References may point anywhere in
    them, as monorepos share definitions between services."""
    roots = [os.getcwd()]
    git_root = _git_work_tree(roots[0])
    if git_root:
        roots.append(git_root)
    for given in paths:
        if given != STDIN:
            roots.append(given if os.path.isdir(given) else os.path.dirname(given) or ".")
    return tuple(dict.fromkeys(os.path.realpath(root) for root in roots))


@lru_cache(maxsize=4096)
def _git_work_tree(start: str) -> str | None:
    current = os.path.realpath(start)
    while True:
        if os.path.exists(os.path.join(current, ".git")):
            return current
        parent = os.path.dirname(current)
        if parent == current:
            return None
        current = parent


def inside(path: str, roots: tuple[str, ...]) -> bool:
    """Whether `path`, once every symbolic link is resolved, lies in one of `roots`."""
    real = os.path.realpath(path)
    return any(real == root or real.startswith(root.rstrip(os.sep) + os.sep) for root in roots)


@dataclass
class References:
    """Reads the files that templates reference, once per run, within the policy."""

    roots: tuple[str, ...] | None = None  # None: wherever the run was started (project_roots(()))
    allow_outside: bool = False
    max_bytes: int = MAX_FILE_BYTES
    _texts: dict[str, str | FileRefused] = field(default_factory=dict)
    _parsed: dict[str, object] = field(default_factory=dict)
    _checked: set[tuple] = field(default_factory=set)

    def read_paths(self) -> list[str]:
        """Every referenced file asked for so far."""
        return list(self._texts)

    def first_check(self, key: tuple) -> bool:
        """True the first time a definition with this key is to be checked in the run."""
        if key in self._checked:
            return False
        self._checked.add(key)
        return True

    def read(self, path: str) -> str:
        """The text of a referenced file; raises OutsideProject or FileRefused."""
        if not self.allow_outside:
            if self.roots is None:
                self.roots = project_roots(())
            if not inside(path, self.roots):
                raise OutsideProject(path)
        if path not in self._texts:
            try:
                self._texts[path] = read_file(path, self.max_bytes)
            except FileRefused as refused:
                self._texts[path] = refused
        found = self._texts[path]
        if isinstance(found, FileRefused):
            raise found
        return found

    def parsed(self, path: str, parse: Callable[[str, str], object]) -> object:
        """`parse(text, path)` of a referenced file, computed once per run (a file that ten
        resources reference is parsed once); raises what `read` or `parse` raise."""
        if path not in self._parsed:
            text = self.read(path)
            try:
                self._parsed[path] = parse(text, path)
            except Exception as error:  # a LoadError, remembered like a success
                self._parsed[path] = error
        found = self._parsed[path]
        if isinstance(found, Exception):
            raise found
        return found


_INCLUDE_MARKS = ("DefinitionUri", "DefinitionS3Location", "file(")


def find_includers(named: list[str], project: str, exclusions: Exclusions, max_bytes: int,
                   includes: Callable[[str, str], set[str]]) -> list[str]:
    """Files of the project that include one of the named files (DefinitionUri,
    DefinitionS3Location, ${file()}): a change to an included file is checked through the
    machine that includes it too. `includes(path, text)` gives the real paths a file
    includes; it is asked only of files whose text names a target and an include."""
    targets = {os.path.realpath(path) for path in named}
    names = {os.path.basename(path) for path in named}
    found = []
    for candidate in iter_files([project], exclusions):
        if candidate.problem or os.path.realpath(candidate.path) in targets:
            continue
        try:
            text = read_file(candidate.path, max_bytes)
        except FileRefused:
            continue
        if not any(name in text for name in names) or not any(mark in text for mark in _INCLUDE_MARKS):
            continue
        if includes(candidate.path, text) & targets:
            found.append(candidate.path)
    return found
