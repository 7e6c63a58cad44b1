"""The library entry points: lint text or paths, get a LintResult. Nothing here prints."""

from __future__ import annotations

import logging
import os
from collections.abc import Iterable, Iterator
from pathlib import Path

from .config import Config
from .diagnostics import Diagnostic, LintResult, printable
from .engine import NOT_CAUGHT, FileReport, lint_text

log = logging.getLogger(__name__)

# Walked directories yield these; a file named explicitly is read whatever its name.
LINTABLE_SUFFIXES = (".json", ".yaml", ".yml", ".asl", ".template")
SKIPPED_DIRECTORIES = {"node_modules", "__pycache__"}
STDIN = "-"


def iter_files(paths: Iterable[str]) -> Iterator[tuple[str, bool]]:
    """(display path, named explicitly) for each file to lint, directories walked in order."""
    for given in paths:
        if given == STDIN or not os.path.isdir(given):
            yield given, True
            continue
        for root, directories, files in os.walk(given):
            directories[:] = sorted(d for d in directories if not d.startswith(".") and d not in SKIPPED_DIRECTORIES)
            for name in sorted(files):
                if name.lower().endswith(LINTABLE_SUFFIXES):
                    yield Path(root, name).as_posix(), False


def read_text(path: str, stdin_data: bytes | None = None) -> str:
    data = (stdin_data or b"") if path == STDIN else Path(path).read_bytes()
    return data.decode("utf-8-sig")


def lint_file(path: str, config: Config, explicit: bool = True, stdin_data: bytes | None = None) -> FileReport:
    """Lint one file (or - for standard input) into a FileReport; never raises."""
    shown = printable("<stdin>" if path == STDIN else path)
    try:
        text = read_text(path, stdin_data)
    except (OSError, UnicodeDecodeError) as error:
        reason = error.strerror if isinstance(error, OSError) and error.strerror else str(error)
        return FileReport([_marker("ASL005", shown, config, f"cannot read the file: {reason}")])
    try:
        return lint_text(text, shown, config, explicit, config.kind)
    except NOT_CAUGHT:
        raise
    except BaseException as error:  # the last guard: one file's surprise must not end the run
        log.debug("linting %s failed", shown, exc_info=True)
        del text  # after a MemoryError, give the report room to be written
        message = f"asl-lint failed on this file: {type(error).__name__}: {str(error)[:200]}"
        return FileReport([_marker("ASL004", shown, config, printable(message))])



PARALLEL_FROM = 32  # files; below this, starting worker processes costs more than it saves


def lint_paths(paths: Iterable[str], config: Config | None = None, stdin_data: bytes | None = None,
               jobs: int = 0) -> LintResult:
    """Lint files and directories; `jobs`: worker processes (0: one per core for large runs)."""
    config = config or Config()
    result = LintResult()
    files = list(iter_files(paths))
    workers = jobs or (os.cpu_count() or 1)
    if workers > 1 and len(files) >= (PARALLEL_FROM if not jobs else 2) and stdin_data is None:
        reports = _lint_in_parallel(files, config, workers)
    else:
        reports = (lint_file(path, config, explicit, stdin_data) for path, explicit in files)
    for report in reports:
        result.files += 1
        result.machines += report.machines
        result.diagnostics.extend(report.diagnostics)
    result.diagnostics = _without_repeats(result.diagnostics)
    result.diagnostics.sort(key=Diagnostic.sort_key)
    return result


def _lint_in_parallel(files: list[tuple[str, bool]], config: Config, workers: int) -> Iterator[FileReport]:
    from concurrent.futures import ProcessPoolExecutor

    chunk = max(1, len(files) // (workers * 4))
    with ProcessPoolExecutor(max_workers=workers) as pool:
        yield from pool.map(_lint_one, files, [config] * len(files), chunksize=chunk)


def _lint_one(item: tuple[str, bool], config: Config) -> FileReport:
    return lint_file(item[0], config, item[1])


def _without_repeats(diagnostics: list[Diagnostic]) -> list[Diagnostic]:
    """One report per problem: a definition file linted on its own and again through the
    template that references it gives the same diagnostic twice; keep the one naming the
    state machine."""
    best: dict[tuple, Diagnostic] = {}
    for d in diagnostics:
        key = (d.file, d.line, d.column, d.rule, d.message)
        if key not in best or (best[key].machine is None and d.machine is not None):
            best[key] = d
    return list(best.values())


def _marker(rule_id: str, path: str, config: Config, message: str) -> Diagnostic:
    from .rules import load_rules

    rule = load_rules().get(rule_id)
    assert rule is not None
    return Diagnostic(rule.id, rule.name, config.severity_of(rule), message, path)
