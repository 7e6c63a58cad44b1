"""SARIF 2.1.0 for code-scanning dashboards, built from plain dicts."""

from __future__ import annotations

import hashlib
import json
from typing import TextIO

from .. import __version__
from ..diagnostics import Diagnostic, LintResult, Severity
from ..rules import load_rules

_LEVELS = {Severity.ERROR: "error", Severity.WARNING: "warning", Severity.INFO: "note"}


def _fingerprint(d: Diagnostic) -> str:
    # No line numbers: a finding keeps its identity when lines above it move.
    key = "\x1f".join((d.rule, d.file, d.machine or "", d.pointer, d.message))
    return hashlib.sha256(key.encode("utf-8")).hexdigest()[:32]


def as_document(result: LintResult) -> dict:
    registry = load_rules()
    fired = sorted({d.rule for d in (*result.diagnostics, *result.suppressed)})
    rules = []
    for rule_id in fired:
        rule = registry.get(rule_id)
        assert rule is not None
        rules.append({
            "id": rule.id,
            "name": rule.name,
            "shortDescription": {"text": rule.summary()},
            "fullDescription": {"text": rule.documentation()},
            "defaultConfiguration": {"level": _LEVELS[rule.severity]},
        })
    index = {rule_id: i for i, rule_id in enumerate(fired)}
    results = []
    shown = [(d, False) for d in result.diagnostics] + [(d, True) for d in result.suppressed]
    for d, suppressed in shown:
        location = {
            "physicalLocation": {
                "artifactLocation": {"uri": d.file},
                "region": {"startLine": d.line, "startColumn": d.column,
                           "endLine": d.end_line, "endColumn": d.end_column},
            }
        }
        if d.pointer or d.machine:
            location["logicalLocations"] = [{"fullyQualifiedName": f"{d.machine or ''}{d.pointer}"}]
        entry = {
            "ruleId": d.rule,
            "ruleIndex": index[d.rule],
            "level": _LEVELS[d.severity],
            "message": {"text": d.message},
            "locations": [location],
            "partialFingerprints": {"aslLint/v1": _fingerprint(d)},
        }
        if suppressed:  # silenced in the source: code scanning shows it as suppressed
            entry["suppressions"] = [{"kind": "inSource"}]
        results.append(entry)
    return {
        "$schema": "https://json.schemastore.org/sarif-2.1.0.json",
        "version": "2.1.0",
        "runs": [{
            "tool": {"driver": {"name": "asl-lint", "version": __version__, "rules": rules}},
            "results": results,
        }],
    }


def report(result: LintResult, stream: TextIO) -> None:
    json.dump(as_document(result), stream, indent=2, ensure_ascii=False)
    stream.write("\n")
