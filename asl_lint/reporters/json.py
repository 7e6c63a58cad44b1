"""The machine-readable report: one JSON document, version 1."""

from __future__ import annotations

import json
from typing import TextIO

from ..diagnostics import LintResult


def as_document(result: LintResult) -> dict:
    return {
        "version": 1,
        "diagnostics": [diagnostic.to_dict() for diagnostic in result.diagnostics],
        "machines": result.verdicts(),
        "summary": result.summary(),
    }


def report(result: LintResult, stream: TextIO) -> None:
    stream.write(json.dumps(as_document(result), indent=2, ensure_ascii=False) + "\n")  # one write, not thousands
