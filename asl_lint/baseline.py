"""A baseline: the findings a repository already has, recorded so that only new ones are
reported. Findings are matched by rule, file, state machine, JSON pointer and message,
never by line, so editing elsewhere in a file keeps the match."""

from __future__ import annotations

import json
from collections import Counter
from pathlib import Path

from .config import ConfigError, relative_to
from .diagnostics import Diagnostic

VERSION = 1


def _key(diagnostic: Diagnostic, base: str) -> tuple[str, str, str, str, str]:
    return (diagnostic.rule, relative_to(diagnostic.file, base), diagnostic.machine or "", diagnostic.pointer,
            diagnostic.message)


def write_baseline_file(path: str, diagnostics: list[Diagnostic], root: str | None = None) -> int:
    """Record `diagnostics` in `path` (file paths relative to it); the number written."""
    base = str(Path(path).resolve().parent)
    entries = sorted(_key(d, base) for d in diagnostics)
    document = {"version": VERSION, "tool": "asl-lint",
                "findings": [dict(zip(("rule", "file", "machine", "pointer", "message"), entry)) for entry in entries]}
    Path(path).write_text(json.dumps(document, indent=2, ensure_ascii=False) + "\n", encoding="utf-8")
    return len(entries)


def apply_baseline(path: str, diagnostics: list[Diagnostic]) -> tuple[list[Diagnostic], int, int]:
    """(the diagnostics not in the baseline, how many it matched, how many of its entries
    match nothing any more: fixed problems, time to write it again)."""
    try:
        document = json.loads(Path(path).read_text(encoding="utf-8"))
        recorded = Counter(tuple(entry[key] for key in ("rule", "file", "machine", "pointer", "message"))
                           for entry in document["findings"])
    except (OSError, ValueError, KeyError, TypeError) as error:
        raise ConfigError(f"{path}: not a baseline file asl-lint can read ({error})") from None
    base = str(Path(path).resolve().parent)
    kept, matched = [], 0
    for diagnostic in diagnostics:
        key = _key(diagnostic, base)
        if recorded[key] > 0:
            recorded[key] -= 1
            matched += 1
        else:
            kept.append(diagnostic)
    return kept, matched, sum(recorded.values())
