"""GitLab Code Quality: a JSON array of issues in the subset of the Code Climate format
that GitLab reads (description, check_name, fingerprint, severity, location.path and
location.lines), for `artifacts: reports: codequality:`."""

from __future__ import annotations

import hashlib
import json
import os
from pathlib import Path
from typing import TextIO

from ..diagnostics import Diagnostic, LintResult, Severity


def _severity(d: Diagnostic) -> str:
    from ..rules import load_rules

    if d.severity == Severity.ERROR:
        rule = load_rules().get(d.rule)
        return "critical" if rule is not None and rule.rejected_by_aws() else "major"
    return "minor" if d.severity == Severity.WARNING else "info"


def _path(file: str) -> str:
    """Relative to the project directory (the current one in a GitLab job), POSIX."""
    if os.path.isabs(file):
        try:
            return Path(os.path.relpath(file)).as_posix()
        except ValueError:
            return Path(file).as_posix()
    return Path(file).as_posix().removeprefix("./")


def fingerprint(d: Diagnostic, path: str) -> str:
    # No line numbers: the finding keeps its identity when lines above it move.
    return hashlib.sha256("\x1f".join((d.rule, path, d.machine or "", d.pointer, d.message)).encode()).hexdigest()[:32]


def as_document(result: LintResult) -> list[dict]:
    issues, seen = [], set()
    for d in result.diagnostics:
        path = _path(d.file)
        key = fingerprint(d, path)
        while key in seen:  # GitLab needs each fingerprint once
            key = hashlib.sha256(key.encode()).hexdigest()[:32]
        seen.add(key)
        where = f" [state machine {d.machine}]" if d.machine else ""
        issues.append({
            "description": f"{d.rule} {d.name}: {d.message}{where}",
            "check_name": f"{d.rule} {d.name}",
            "fingerprint": key,
            "severity": _severity(d),
            "location": {"path": path, "lines": {"begin": d.line, "end": max(d.end_line, d.line)}},
        })
    return issues


def report(result: LintResult, stream: TextIO) -> None:
    stream.write(json.dumps(as_document(result), indent=2, ensure_ascii=False) + "\n")
