"""GitLab Code Quality: a JSON array of issues in the Code Climate format (type,
check_name, description, categories, engine_name, fingerprint, severity, location.path
relative to the repository's root and location.lines), for `artifacts: reports:
codequality:` and any other Code Climate reader."""

from __future__ import annotations

import hashlib
from .json import indented
from typing import TextIO

from ..diagnostics import Diagnostic, LintResult, Severity
from .paths import repository_path, source_root


def _severity(d: Diagnostic) -> str:
    from ..rules import load_rules

    if d.severity == Severity.ERROR:
        rule = load_rules().get(d.rule)
        return "critical" if rule is not None and rule.rejected_by_aws() else "major"
    return "minor" if d.severity == Severity.WARNING else "info"


# Code Climate's categories, by what a rule's finding is.
def _categories(d: Diagnostic) -> list[str]:
    from ..rules import load_rules

    rule = load_rules().get(d.rule)
    tags = set(rule.tags) if rule is not None else set()
    if "practices" in tags and d.severity < Severity.ERROR:
        return ["Performance"] if "limits" in tags else ["Style"]
    return ["Bug Risk"]


def fingerprint(d: Diagnostic, path: str) -> str:
    # No line numbers: the finding keeps its identity when lines above it move.
    return hashlib.sha256("\x1f".join((d.rule, path, d.machine or "", d.pointer, d.message)).encode()).hexdigest()[:32]


def as_document(result: LintResult, root: str | None = None) -> list[dict]:
    base = source_root(root)
    issues, seen = [], set()
    for d in result.diagnostics:
        path = repository_path(d.file, base)
        key = fingerprint(d, path)
        while key in seen:  # GitLab needs each fingerprint once
            key = hashlib.sha256(key.encode()).hexdigest()[:32]
        seen.add(key)
        where = f" [state machine {d.machine}]" if d.machine else ""
        issues.append({
            "type": "issue",
            "description": f"{d.rule} {d.name}: {d.message}{where}",
            "check_name": f"{d.rule} {d.name}",
            "categories": _categories(d),
            "engine_name": "asl-lint",
            "fingerprint": key,
            "severity": _severity(d),
            "location": {"path": path, "lines": {"begin": d.line, "end": max(d.end_line, d.line)}},
        })
    return issues


def report(result: LintResult, stream: TextIO, root: str | None = None) -> None:
    stream.write(indented(as_document(result, root)) + "\n")
