"""Where a report says a file is: relative to the repository's root, whatever directory
asl-lint ran in (a workflow step with `working-directory:`), as code review tools attach
findings to a file by its path in the repository."""

from __future__ import annotations

import os
from pathlib import Path


def source_root(root: str | None = None) -> Path:
    """--root, else the git work tree holding the current directory, else the current
    directory."""
    from ..files import git_work_tree

    if root:
        return Path(os.path.abspath(root))
    return Path(git_work_tree(os.getcwd()) or os.getcwd())


def repository_path(file: str, root: Path) -> str:
    """A file's path relative to `root`, with '/' separators; the name as given when it is
    not under the root (or is standard input)."""
    if file.startswith("<"):
        return file
    try:
        relative = os.path.relpath(os.path.abspath(file), root)
    except ValueError:  # another drive on Windows
        return Path(file).as_posix()
    return Path(file).as_posix() if relative.startswith("..") else Path(relative).as_posix()
