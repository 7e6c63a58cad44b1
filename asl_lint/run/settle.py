"""settle: a run's FileReports into one LintResult: one entry per state machine, AWS's
verdicts, one report per problem, per-file ignores, the baseline, sorted."""

from __future__ import annotations

import os
from collections.abc import Callable, Iterable

from ..config import Config
from ..diagnostics import Diagnostic, FileReport, LintResult
from ..files import STDIN, Trees, real_paths
from ..walk import Candidate


def settle(files: list[Candidate], reports: Iterable[FileReport], config: Config, result: LintResult) -> LintResult:
    """`result` with the reports of `files` (one each, in order) gathered and settled."""
    aws_requests: list = []
    real = real_paths()
    for index, report in enumerate(reports):  # to the end: the check stage saves its cache after the last
        if report.digest and files[index].path != STDIN:  # resolved only by --fix, for the files it fixes
            result.sources[files[index].path] = report.digest
        for path, digest in report.sources.items():
            result.sources.setdefault(real(path), digest)
        if report.skipped:
            continue
        result.files += 1
        result.machines += report.machines
        result.diagnostics.extend(report.diagnostics)
        result.suppressed.extend(report.suppressed)
        result.drawn.extend(report.drawn)
        result.checked.extend(report.checked)
        aws_requests.extend(report.aws_requests)
    _one_entry_per_machine(result)
    if aws_requests:
        from ..aws_merge import with_aws_verdicts

        with_aws_verdicts(result, aws_requests, config)
    result.diagnostics = [d for d in _without_repeats(result.diagnostics, real) if not config.ignored_in(d.rule, d.file)]
    result.suppressed = _without_repeats(result.suppressed, real)
    if config.baseline:
        from ..baseline import apply_baseline

        trees = Trees((*config.reference_roots, os.path.realpath(config.root or ".")), config.allow_outside_references)
        if config.baseline in config.named_files:
            trees = trees.with_directory_of(config.baseline)
        result.diagnostics, matched, unmatched = apply_baseline(config.baseline, result.diagnostics, trees)
        result.baseline = (matched, unmatched)
    result.diagnostics.sort(key=Diagnostic.sort_key)
    result.suppressed.sort(key=Diagnostic.sort_key)
    return result


def rejected_by_aws() -> frozenset[str]:
    """The ids of the rules whose findings AWS refuses a definition for."""
    from ..rules.catalogue import catalogue

    return frozenset(rule.id for rule in catalogue().values() if rule.rejected_by_aws())


def _one_entry_per_machine(result: LintResult) -> None:
    """A definition file checked on its own and through a template that reads it is one
    state machine: the template's (with its name, substitutions and workflow type), and its
    findings are those of that check (on its own, a `${X}` the template fills in is unknown)."""
    through_templates = {os.path.realpath(c.file) for c in result.checked
                         if c.machine is not None and c.host is not None and c.file.startswith("<") is False
                         and os.path.realpath(c.host) != os.path.realpath(c.file)}
    if not through_templates:
        return
    alone = [c for c in result.checked if c.machine is None and not c.file.startswith("<")
             and os.path.realpath(c.file) in through_templates]
    if alone:
        result.checked = [c for c in result.checked if c not in alone]
        result.machines -= len(alone)
        result.diagnostics = [d for d in result.diagnostics if d.machine is not None or d.rule.startswith("ASL0")
                              or d.file.startswith("<") or os.path.realpath(d.file) not in through_templates]


def _without_repeats(diagnostics: list[Diagnostic], real: Callable[[str], str]) -> list[Diagnostic]:
    """One report per problem: a definition file linted on its own and again through the
    template that references it gives the same diagnostic twice, perhaps under two
    spellings of its path (../shared/x.json named, /work/shared/x.json referenced); keep
    the one naming the state machine."""
    same_file: dict[str, str] = {}
    best: dict[tuple, Diagnostic] = {}
    for d in diagnostics:
        if d.file not in same_file:
            same_file[d.file] = d.file if d.file.startswith("<") else real(d.file)
        key = (same_file[d.file], d.line, d.column, d.rule, d.message)
        if key not in best or (best[key].machine is None and d.machine is not None):
            best[key] = d
    return list(best.values())
