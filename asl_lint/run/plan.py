"""plan: the paths a run is given to the files it checks (walking, exclusions and
.gitignore, the includers of named files, the pre-commit hooks' split), and the
configuration the command line would use."""

from __future__ import annotations

import os
from pathlib import Path

from ..config import Config
from ..files import ASL_NAMES, STDIN, Trees, git_work_tree, project_roots
from ..walk import Candidate, Exclusions, includers_by_target, iter_files


def project_config(paths: list[str] | None = None, start: str | None = None) -> Config:
    """The configuration the command line would use in `start` (else the current
    directory): the first configuration file from there up, over the defaults; raises
    ConfigError."""
    from ..config import config_from_file, find_config_file

    start = os.path.abspath(start or os.getcwd())
    trees = Trees(project_roots([p for p in paths or () if p != STDIN and os.path.exists(p)], start))
    found = find_config_file(start, trees)
    defaults = Config(root=start, start=start)
    return config_from_file(found, defaults, trees) if found else defaults


def plan(paths: list[str], config: Config, passed_over: list | None = None) -> tuple[list[Candidate], Exclusions]:
    """The files a run checks: those named, the walked ones not excluded, and (with
    includers) the project's files that include a named one. `passed_over`: a list that
    gets each path left out while walking, and why (--show-files)."""
    exclusions = Exclusions(config.exclusion_patterns, config.root, config.respect_gitignore, config.force_exclude,
                            Trees(config.reference_roots, config.allow_outside_references))
    exclusions.passed_over = passed_over
    files = list(iter_files(paths, exclusions))
    if config.with_includers:
        named = [c.path for c in files if c.explicit and c.path != STDIN]
        known = {os.path.realpath(c.path) for c in files}
        project = git_work_tree(config.directory) or config.directory
        found = includers_by_target(named, project, exclusions, config.max_file_bytes, includes_of(config))
        if config.hook is not None:
            files = _owned_by_hook(files, found, config.hook, passed_over)
        for includers in found.values() if config.hook != "definitions" else ():
            for path in includers:
                if os.path.realpath(path) not in known:
                    known.add(os.path.realpath(path))
                    files.append(Candidate(_relative(path), False))
                    if passed_over is not None:
                        passed_over.append((_relative(path), "checked: it includes a named file (--with-includers)"))
    return files, exclusions


def _owned_by_hook(files: list[Candidate], includers: dict[str, list[str]], hook: str,
                   passed_over: list | None) -> list[Candidate]:
    """The files one of the two pre-commit hooks checks, so that nothing is reported by
    both when a commit holds a definition file and the template that reads it: the
    templates hook owns every named definition file a template of the project reads (it
    is checked through that template, with its substitutions), the definitions hook every
    other named definition file (checked alone)."""
    kept = []
    for candidate in files:
        if not (candidate.explicit and candidate.path.lower().endswith(ASL_NAMES)):
            kept.append(candidate)
            continue
        read_by_template = bool(includers.get(os.path.realpath(candidate.path)))
        if hook == "definitions" and not read_by_template:
            kept.append(candidate)
        elif passed_over is not None:
            owner = "asl-lint-templates, through the template that reads it" if read_by_template \
                else "asl-lint, since no template reads it"
            if hook == "definitions" or not read_by_template:
                passed_over.append((candidate.path, f"left to the other pre-commit hook: {owner}"))
    return kept


def includes_of(config: Config):
    """The real paths of the files a file includes, found by extracting its machines; the
    files they read are read once for all the files asked about."""
    from ..engine import references_for
    from ..extract import extract_definitions
    from ..source import LoadError, load_documents

    references = references_for(config)

    def includes(path: str, text: str) -> set[str]:
        references.begin_file()
        try:
            for document in load_documents(text, path):
                extract_definitions(document, path, config.kind, references)
        except (LoadError, RecursionError, ValueError):
            return set()
        return {os.path.realpath(read) for read in references.touched}

    return includes


def _relative(path: str) -> str:
    """A path found by asl-lint (absolute), shown relative to the current directory as
    the user's are; a name, not a resolution: it reads the same file wherever the run is."""
    try:
        return Path(os.path.relpath(path)).as_posix()
    except ValueError:  # another drive on Windows
        return path
