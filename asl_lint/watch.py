"""--watch: check again whenever a file under the paths changes.

The run is the same command without --watch, in a child process each time (so each run
starts from a clean state and reads its configuration afresh); changes are found by
polling the size, time and inode of every lintable file and configuration file under the
paths twice a second, which needs no dependency and works on every file system."""

from __future__ import annotations

import os
import subprocess
import sys
import time

from .files import STDIN
from .files import LINTABLE_SUFFIXES
from .walk import SKIPPED_DIRECTORIES

POLL_SECONDS = 0.5
_WATCHED_NAMES = (".asl-lint.yaml", ".asl-lint.yml", "pyproject.toml", ".gitignore")


def _snapshot(paths: list[str]) -> dict[str, tuple]:
    """Stamp of every file a run may read under `paths` (walked without following links)."""
    found: dict[str, tuple] = {}
    stack = [path for path in paths if path != STDIN]
    while stack:
        path = stack.pop()
        try:
            info = os.lstat(path)
        except OSError:
            continue
        if os.path.isdir(path) and not os.path.islink(path):
            try:
                with os.scandir(path) as entries:
                    for entry in entries:
                        if entry.is_dir(follow_symlinks=False):
                            if not entry.name.startswith(".") and entry.name not in SKIPPED_DIRECTORIES:
                                stack.append(entry.path)
                        elif entry.name.lower().endswith(LINTABLE_SUFFIXES) or entry.name in _WATCHED_NAMES:
                            stack.append(entry.path)
            except OSError:
                continue
        else:
            found[path] = (info.st_size, info.st_mtime_ns, info.st_ino)
    for name in _WATCHED_NAMES:  # the configuration of the directory the run starts in
        try:
            info = os.lstat(name)
            found[name] = (info.st_size, info.st_mtime_ns, info.st_ino)
        except OSError:
            pass
    return found


def watch_and_rerun(paths: tuple[str, ...], arguments: list[str], rounds: int | None = None) -> int:
    """Run `asl-lint ARGUMENTS` now and after every change; `rounds`: stop after that many
    runs (for tests). Returns the last run's exit status (0 on Ctrl-C)."""
    command = [sys.executable, "-m", "asl_lint", *arguments]
    status, runs = 0, 0
    try:
        while rounds is None or runs < rounds:
            before = _snapshot(list(paths))
            status = subprocess.run(command, check=False).returncode
            runs += 1
            sys.stderr.write(f"asl-lint: watching {len(before)} files for changes (Ctrl-C stops)\n")
            sys.stderr.flush()
            while _snapshot(list(paths)) == before:
                time.sleep(POLL_SECONDS)
            sys.stderr.write("asl-lint: a file changed: checking again\n")
    except KeyboardInterrupt:
        return 0
    return status
