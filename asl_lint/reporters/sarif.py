"""SARIF 2.1.0 for code-scanning dashboards, built from plain dicts.

Every file is a URI relative to %SRCROOT% (the git work tree, or the current directory),
percent-encoded with POSIX separators, so the same finding has the same location and the
same fingerprint however its path was typed (a.json, ./a.json, /abs/a.json).
"""

from __future__ import annotations

import hashlib
from .json import indented
import os
import re
from pathlib import Path
from typing import TextIO
from urllib.parse import quote

from ..version import __version__
from ..diagnostics import Diagnostic, LintResult, Severity
from ..rules import load_rules
from .paths import source_root

_LEVELS = {Severity.ERROR: "error", Severity.WARNING: "warning", Severity.INFO: "note"}
ROOT_ID = "%SRCROOT%"
STDIN_NAMES = ("<stdin>", "<text>")


def artifact_location(file: str, root: Path) -> dict:
    """{'uri': ..., 'uriBaseId': '%SRCROOT%'} for a file under the root; an absolute
    file: URI otherwise; standard input as the relative URI 'stdin'."""
    if file in STDIN_NAMES:
        return {"uri": "stdin", "uriBaseId": ROOT_ID}
    absolute = Path(os.path.abspath(_file_system_name(file)))
    try:
        relative = absolute.relative_to(root)
    except ValueError:
        return {"uri": "file://" + quote(os.fsencode(absolute.as_posix()), safe="/")}
    # The file system's bytes, percent-encoded: a name that is not UTF-8 keeps its identity.
    return {"uri": quote(os.fsencode(relative.as_posix()), safe="/"), "uriBaseId": ROOT_ID}


def _file_system_name(shown: str) -> str:
    """The name as the file system has it: a report shows an undecodable byte as a
    '\\udcXX' escape (printable()); os.fsencode turns the character back into the byte."""
    return re.sub(r"\\udc([89a-f][0-9a-f])", lambda match: chr(0xDC00 + int(match.group(1), 16)), shown)


def _fingerprint(d: Diagnostic, uri: str) -> str:
    # No line numbers: a finding keeps its identity when lines above it move.
    key = "\x1f".join((d.rule, uri, d.machine or "", d.pointer, d.message))
    return hashlib.sha256(key.encode("utf-8")).hexdigest()[:32]


def _rule_descriptor(rule) -> dict:
    from ..docs import help_uri, plain_text, rule_page

    page = rule_page(rule)
    documentation = rule.documentation()
    descriptor = {
        "id": rule.id,
        "name": rule.name,
        "shortDescription": {"text": rule.summary()},
        "fullDescription": {"text": plain_text(documentation.partition("\n")[2]) or rule.summary()},
        "help": {"text": plain_text(page), "markdown": page},
        "defaultConfiguration": {"level": _LEVELS[rule.severity], "enabled": rule.enabled_by_default},
        "properties": {"tags": list(rule.tags), "awsCode": rule.aws_code, "awsRejects": rule.rejected_by_aws()},
    }
    if help_uri(rule) is not None:  # only an address something serves
        descriptor["helpUri"] = help_uri(rule)
    return descriptor


def as_document(result: LintResult, root: str | None = None) -> dict:
    from ..docs import HOMEPAGE

    registry = load_rules()
    root = source_root(root)
    fired = sorted({d.rule for d in (*result.diagnostics, *result.suppressed)})
    rules = [_rule_descriptor(registry.get(rule_id)) for rule_id in fired]
    index = {rule_id: i for i, rule_id in enumerate(fired)}
    results = []
    shown = [(d, False) for d in result.diagnostics] + [(d, True) for d in result.suppressed]
    for d, suppressed in shown:
        artifact = artifact_location(d.file, root)
        location: dict = {
            "physicalLocation": {
                "artifactLocation": artifact,
                "region": {"startLine": d.line, "startColumn": d.column,
                           "endLine": d.end_line, "endColumn": max(d.end_column, 1)},
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
            "partialFingerprints": {"aslLint/v1": _fingerprint(d, artifact["uri"])},
        }
        if d.aws_code is not None or d.aws_confirmed is not None:
            entry["properties"] = {"awsCode": d.aws_code,
                                   **({"awsConfirmed": d.aws_confirmed} if d.aws_confirmed is not None else {})}
        if suppressed:  # silenced in the source: code scanning shows it as suppressed
            entry["suppressions"] = [{"kind": "inSource"}]
        results.append(entry)
    return {
        "$schema": "https://json.schemastore.org/sarif-2.1.0.json",
        "version": "2.1.0",
        "runs": [{
            "tool": {"driver": {"name": "asl-lint", "version": __version__, "rules": rules,
                                **({"informationUri": HOMEPAGE} if HOMEPAGE else {})}},
            "originalUriBaseIds": {ROOT_ID: {"uri": root.as_uri() + "/"}},
            "results": results,
            "properties": {"machines": [{"file": machine["file"], "machine": machine["machine"],
                                         "wouldDeploy": machine["would_deploy"]} for machine in result.verdicts()]},
        }],
    }


def report(result: LintResult, stream: TextIO, root: str | None = None) -> None:
    stream.write(indented(as_document(result, root)) + "\n")
