"""A whole run: plan, check, settle."""

from __future__ import annotations

import dataclasses
import os
from collections.abc import Iterable

from ..config import Config
from ..diagnostics import Diagnostic, LintResult, printable
from ..files import project_roots
from .batch import check_files
from .plan import plan, project_config
from .settle import rejected_by_aws, settle


def run_config(paths: list[str], config: Config | None) -> Config:
    """The configuration of a run over `paths`: the one given, else the project's; with
    the trees references may be read from."""
    config = config or project_config(paths)
    if config.reference_roots is None:
        config = dataclasses.replace(config, reference_roots=project_roots(paths, config.start))
    return config


def path_list(paths: str | os.PathLike | Iterable[str | os.PathLike]) -> list[str]:
    return [os.fspath(p) for p in ([paths] if isinstance(paths, (str, os.PathLike)) else paths)]


def lint_paths(paths: str | os.PathLike | Iterable[str | os.PathLike], config: Config | None = None,
               stdin_data: bytes | None = None, jobs: int = 0, overlay: dict[str, str] | None = None) -> LintResult:
    """Lint files and directories (one path or several; "-" is standard input, given as
    `stdin_data`); `jobs`: worker processes (0: sized by the work, at most one per core). Without a
    `config`, the project's configuration is read as the command line reads it (the first
    .asl-lint.yaml, .asl-lint.yml or pyproject.toml [tool.asl-lint] from here up).
    `overlay`: texts (by real path) read instead of the files (unsaved edits, fixes)."""
    paths = path_list(paths)
    config = run_config(paths, config)
    result = LintResult(rejected_by_aws=rejected_by_aws())
    files, exclusions = plan(paths, config)
    result.found, result.excluded = len(files), exclusions.excluded_count
    return settle(files, check_files(files, config, stdin_data, jobs, overlay, result), config, result)


def lint_text(text: str, filename: str = "<text>", config: Config | None = None) -> LintResult:
    """Lint a text as if it were the file `filename` (its name decides its format and
    kind; files it references are read relative to it). Without a `config`, the project's
    configuration is read as the command line reads it."""
    from ..engine import lint_text as check_text

    config = config or project_config([filename])
    report = check_text(text, printable(filename), config, True, config.kind)
    result = LintResult(rejected_by_aws=rejected_by_aws(), files=0 if report.skipped else 1, machines=report.machines,
                        suppressed=sorted(report.suppressed, key=Diagnostic.sort_key), checked=report.checked)
    result.diagnostics = sorted((d for d in report.diagnostics if not config.ignored_in(d.rule, d.file)),
                                key=Diagnostic.sort_key)
    return result
