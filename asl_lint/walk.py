"""Which files to lint: the paths given, and the directories walked for files asl-lint reads.

The walk is iterative (no recursion, however deep the tree), reads each .gitignore once
and carries the patterns down the tree as git does, never follows a symbolic link to a
directory, skips FIFOs, devices and sockets, and yields each real file (device, inode)
once however many links lead to it. A path named on the command line is linted even when
an exclusion or .gitignore matches it (`force` restores the exclusions for it, as
pre-commit wants); what lies beneath a named directory is excluded as usual.
"""

from __future__ import annotations

import errno
import os
import re
import stat
from collections.abc import Callable, Iterable, Iterator
from dataclasses import dataclass, field
from pathlib import Path

from .files import LINTABLE_SUFFIXES, STDIN, FileRefused, Trees, git_work_tree, read_file, stamp_of
from .limits import MAX_IGNORE_FILE_BYTES
from .logs import get_logger
from .wildmatch import PatternList

log = get_logger(__name__)

# Walked directories yield these; a file named explicitly is read whatever its name.

SKIPPED_DIRECTORIES = {"node_modules", "__pycache__"}


@dataclass(frozen=True)
class Candidate:
    """A file to lint: its path as shown, whether the user named it, and a problem met
    while walking to it (an unlistable directory, a link out of the tree), if any."""

    path: str
    explicit: bool
    problem: str | None = None
    rule: str = "ASL005"  # the rule that reports `problem`
    # files.file_stamp of a walked regular file (no link), from the walk's own stat: what
    # the result cache compares without another system call. None: not taken.
    stamp: list | None = field(default=None, compare=False)


def _parts(path: str) -> tuple[str, ...]:
    return tuple(part for part in Path(path).as_posix().split("/") if part not in ("", "."))


@dataclass
class Exclusions:
    """Which paths are not linted: the user's gitwildmatch patterns (relative to `root`,
    as in .gitignore) and, inside a git work tree, what .gitignore files ignore."""

    patterns: PatternList = field(default_factory=PatternList)
    root: str | None = None
    respect_gitignore: bool = True
    force: bool = False  # exclusions apply to files named on the command line too
    trees: Trees | None = None  # where a .gitignore may be read from
    excluded_count: int = 0  # paths excluded while walking (to say why nothing was checked)
    # When a list: each path passed over while walking, and why (--show-files).
    passed_over: list | None = None
    _ignores: dict[str, PatternList | None] = field(default_factory=dict)

    @classmethod
    def of(cls, globs: Iterable[str], root: str | None = None, respect_gitignore: bool = True,
           force: bool = False, trees: Trees | None = None) -> Exclusions:
        """Raises wildmatch.PatternError naming a pattern git would never match."""
        return cls(PatternList.from_lines(globs, strict=True), root, respect_gitignore, force, trees)

    def skip(self, path: str, why: str, excluded: bool = True) -> None:
        """Note a path passed over; `excluded`: by a pattern (counted, to say why a run
        checked nothing)."""
        log.debug("passed over %s: %s", path, why)
        if excluded:
            self.excluded_count += 1
        if self.passed_over is not None:
            shown = Path(path).as_posix() + ("/" if path.endswith(("/", os.sep)) else "")  # a directory says so
            self.passed_over.append((shown, why))

    def _relative_parts(self, path: str) -> tuple[str, ...]:
        relative = os.path.relpath(os.path.abspath(path), os.path.abspath(self.root or "."))
        parts = _parts(relative)
        return parts[-1:] if parts and parts[0] == ".." else parts  # outside the root: by name only

    def user_excludes(self, path: str, is_dir: bool) -> bool:
        """Whether the user's patterns exclude a path named on its own: it, or a directory
        it lies in."""
        parts = self._relative_parts(path) if self.patterns else ()
        return bool(parts) and self.patterns.excludes(parts, is_dir)

    def walked_excluded(self, path: str, is_dir: bool) -> bool:
        """Whether the user's patterns exclude a path met while walking: the walk does not
        enter excluded directories, and a directory named on the command line is walked
        even when a pattern matches it, so only the path itself is matched."""
        parts = self._relative_parts(path) if self.patterns else ()
        return bool(parts) and bool(self.patterns.decide(parts, is_dir))

    def gitignore(self, directory: str, work_tree: str) -> PatternList | None:
        """The patterns of `directory`'s .gitignore (and, at the top of the work tree,
        .git/info/exclude). As git does, a .gitignore that is a symbolic link is not read;
        one that cannot be read, or is not a regular file, counts as empty."""
        if directory not in self._ignores:
            lines: list[str] = []
            sources = [os.path.join(directory, ".gitignore")]
            if directory == work_tree:
                sources.insert(0, os.path.join(work_tree, ".git", "info", "exclude"))
            for source in sources:
                if os.path.islink(source):
                    log.debug("not following the symbolic link %s, as git does not", source)
                    continue
                try:
                    lines += read_file(source, MAX_IGNORE_FILE_BYTES, self.trees).splitlines()
                except FileRefused as refused:
                    if os.path.lexists(source):
                        log.debug("%s not read: %s", source, refused.message)
            self._ignores[directory] = PatternList.from_lines(lines) if lines else None
        return self._ignores[directory]

    def chain(self, directory: str) -> tuple[str, list[tuple[int, PatternList]]]:
        """The work tree holding `directory` and the .gitignore patterns that apply inside
        it: (depth of the .gitignore below the work tree, patterns), outermost first."""
        if not self.respect_gitignore:
            return "", []
        work_tree = git_work_tree(directory)
        if work_tree is None:
            return "", []
        real = os.path.realpath(directory)
        relative = _parts(os.path.relpath(real, work_tree))
        found = []
        folder = work_tree
        for depth in range(len(relative) + 1):
            if depth:
                folder = os.path.join(folder, relative[depth - 1])
            patterns = self.gitignore(folder, work_tree)
            if patterns:
                found.append((depth, patterns))
        return work_tree, found

    def path_excluded(self, path: str, is_dir: bool = False) -> bool:
        """Whether a path named on its own is excluded (for force-exclude and includers)."""
        if self.user_excludes(path, is_dir):
            return True
        work_tree, chain = self.chain(os.path.dirname(os.path.abspath(path)) or ".")
        if not chain:
            return False
        parts = _parts(os.path.relpath(os.path.realpath(path), work_tree))
        for size in range(1, len(parts) + 1):
            if _ignored(chain, parts[:size], is_dir or size < len(parts)):
                return True
        return False


def _ignored(chain: list[tuple[int, PatternList]], parts: tuple[str, ...], is_dir: bool) -> bool:
    """git's verdict on one path from the .gitignore files above it: the deepest that has
    a matching pattern decides (its last matching pattern)."""
    for depth, patterns in reversed(chain):
        if depth >= len(parts):
            continue
        verdict = patterns.decide(parts[depth:], is_dir)
        if verdict is not None:
            return verdict
    return False


def iter_files(paths: Iterable[str], exclusions: Exclusions | None = None) -> Iterator[Candidate]:
    """Each file to lint, directories walked in order."""
    exclusions = exclusions or Exclusions(respect_gitignore=False)
    seen: set[tuple[int, int]] = set()
    for given in paths:
        if given == STDIN:
            yield Candidate(given, True)
            continue
        link, info = _named_stat(given)
        is_dir = info is not None and stat.S_ISDIR(info.st_mode)
        if exclusions.force and exclusions.path_excluded(given, is_dir):
            exclusions.skip(given, "excluded (--force-exclude: .gitignore or exclude matches it)")
            continue
        if is_dir:
            yield from _walk(given, exclusions, seen)
            continue
        if info is not None:
            key = (info.st_dev, info.st_ino)
            if key in seen:
                log.debug("%s is a file already named", given)
                continue
            seen.add(key)
        stamp = stamp_of(info) if info is not None and not link else None  # from this one look
        yield Candidate(given, True, stamp=stamp)


def _named_stat(path: str) -> tuple[bool, os.stat_result | None]:
    """Whether a named path is a link, and what it leads to (None: nothing, or it cannot
    be looked at: reading it will say why). One system call for a path that is no link."""
    try:
        info = os.lstat(path)
        if not stat.S_ISLNK(info.st_mode):
            return False, info
        return True, os.stat(path)
    except (OSError, ValueError):
        return True, None


def _walk(top: str, exclusions: Exclusions, seen: set[tuple[int, int]]) -> Iterator[Candidate]:
    work_tree, chain = exclusions.chain(top)
    base = _parts(os.path.relpath(os.path.realpath(top), work_tree)) if work_tree else ()
    stack: list[tuple[str, tuple[str, ...], list[tuple[int, PatternList]]]] = [(top, base, chain)]
    while stack:
        folder, parts, chain = stack.pop()
        try:
            with os.scandir(folder) as listing:
                entries = sorted(listing, key=lambda entry: entry.name)
        except OSError as error:
            yield Candidate(Path(folder).as_posix(), False, f"cannot list the directory: {error.strerror or error}")
            continue
        if work_tree and exclusions.respect_gitignore and folder != top and \
                any(entry.name == ".gitignore" for entry in entries):
            own = exclusions.gitignore(os.path.join(work_tree, *parts), work_tree)
            if own:
                chain = [*chain, (len(parts), own)]
        below: list[tuple[str, tuple[str, ...], list]] = []
        shown_folder = Path(folder).as_posix()  # once per directory, not per file
        shown_prefix = "" if shown_folder == "." else shown_folder if shown_folder.endswith("/") else shown_folder + "/"
        for entry in entries:
            name = entry.name
            path = entry.path  # os.path.join(folder, name), made by scandir
            try:
                is_dir = entry.is_dir(follow_symlinks=False)
            except OSError:
                is_dir = False
            if is_dir:
                if name.startswith(".") or name in SKIPPED_DIRECTORIES:
                    if exclusions.passed_over is not None and name not in (".git",):
                        exclusions.skip(path + "/", "a hidden or dependency directory, never walked", False)
                    continue
                if exclusions.walked_excluded(path, True):
                    exclusions.skip(path + "/", "excluded by exclude / --exclude")
                    continue
                if chain and _ignored(chain, parts + (name,), True):
                    exclusions.skip(path + "/", "ignored by .gitignore")
                    continue
                below.append((path, parts + (name,), chain))
                continue
            if not name.lower().endswith(LINTABLE_SUFFIXES):
                continue
            shown = shown_prefix + name
            if exclusions.walked_excluded(path, False):
                exclusions.skip(shown, "excluded by exclude / --exclude")
                continue
            if chain and _ignored(chain, parts + (name,), False):
                exclusions.skip(shown, "ignored by .gitignore")
                continue
            candidate = _regular_file(entry, shown, exclusions.trees, seen)
            if candidate is not None:
                yield candidate
            elif exclusions.passed_over is not None:
                exclusions.skip(shown, "not a regular file, or the same file as one already listed", False)
        stack.extend(reversed(below))  # depth first, in name order


def _regular_file(entry: os.DirEntry, shown: str, trees: Trees | None, seen: set) -> Candidate | None:
    """A walked entry to lint, or None for what is skipped (not a regular file, a file
    already yielded through another link)."""
    try:
        info = os.stat(entry.path)
    except OSError as error:
        if error.errno == errno.ELOOP:  # a link loop is reported when read
            return Candidate(shown, False)
        return None
    if not stat.S_ISREG(info.st_mode):
        log.debug("skipped %s: not a regular file", shown)
        return None
    if entry.is_symlink() and trees is not None and not trees.allows(entry.path):
        return Candidate(shown, False, "a symbolic link to a file outside the directory tree being linted:"
                                       " not read (--allow-outside-references reads it)", "ASL013")
    key = (info.st_dev, info.st_ino)
    if key in seen:
        log.debug("skipped %s: the same file as one already linted", shown)
        return None
    seen.add(key)
    stamp = None if entry.is_symlink() else stamp_of(info)
    return Candidate(shown, False, stamp=stamp)


_INCLUDE_MARKS = ("DefinitionUri", "DefinitionS3Location", "file(")
_FILE_INCLUDE = re.compile(r"\$\{\s*file\(\s*['\"]?([^)'\"]+?)['\"]?\s*\)")


def find_includers(named: list[str], project: str, exclusions: Exclusions, max_bytes: int,
                   includes: Callable[[str, str], set[str]]) -> list[str]:
    """The project's files that include one of the named files (see includers_by_target)."""
    found: dict[str, None] = {}
    for includers in includers_by_target(named, project, exclusions, max_bytes, includes).values():
        found.update(dict.fromkeys(includers))
    return list(found)


def includers_by_target(named: list[str], project: str, exclusions: Exclusions, max_bytes: int,
                        includes: Callable[[str, str], set[str]]) -> dict[str, list[str]]:
    """For each named file (by real path), the project's files that include it
    (DefinitionUri, DefinitionS3Location, ${file()}), also through a chain of included
    files (a serverless.yml includes a.yml, which includes the named file): a change to an
    included file is checked through the machine that includes it. `includes(path, text)`
    gives the real paths a file's state machines read; it is asked only of files whose
    text names the target, or a file that includes it, and an include."""
    targets = {os.path.realpath(path) for path in named}
    texts: dict[str, str] = {}
    for candidate in iter_files([project], exclusions):
        if candidate.problem:
            continue
        try:
            text = read_file(candidate.path, max_bytes, exclusions.trees)
        except FileRefused:
            continue
        if any(mark in text for mark in _INCLUDE_MARKS):
            texts[candidate.path] = text
    # Who includes whom, each file's ${file()} references resolved once; then the files
    # that reach a target, walked back from the targets (linear in the includes).
    included_by: dict[str, list[str]] = {}
    for path, text in texts.items():
        real = os.path.realpath(path)
        folder = os.path.dirname(real)
        for reference in set(_FILE_INCLUDE.findall(text)):
            included_by.setdefault(os.path.realpath(os.path.join(folder, reference)), []).append(real)
    reaching = set(targets)  # the targets and the files that include them, ${file()} by ${file()}
    pending = list(targets)
    while pending:
        for includer in included_by.get(pending.pop(), ()):
            if includer not in reaching:
                reaching.add(includer)
                pending.append(includer)
    names = {os.path.basename(path) for path in reaching}
    found: dict[str, list[str]] = {target: [] for target in targets}  # real path of a target -> its includers
    for path, text in texts.items():
        if os.path.realpath(path) in targets or not any(name in text for name in names):
            continue
        for target in includes(path, text) & targets:
            found[target].append(path)
    return found
