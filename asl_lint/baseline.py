"""A baseline: the findings a repository already has, recorded so that only new ones are
reported. Findings are matched by rule, file, state machine, JSON pointer and message,
never by line, so editing elsewhere in a file keeps the match."""

from __future__ import annotations

import json
from collections import Counter
from pathlib import Path

from .config import ConfigError, relative_to, shown_path
from .diagnostics import Diagnostic
from .files import FileRefused, Trees, read_file, write_atomically
from .limits import MAX_BASELINE_BYTES
from .model import json_type

VERSION = 1
_FIELDS = ("rule", "file", "machine", "pointer", "message")


def _key(diagnostic: Diagnostic, base: str) -> tuple[str, str, str, str, str]:
    return (diagnostic.rule, relative_to(diagnostic.file, base), diagnostic.machine or "", diagnostic.pointer,
            diagnostic.message)


def write_baseline_file(path: str, diagnostics: list[Diagnostic], trees: Trees | None = None) -> int:
    """Record `diagnostics` in `path` (file paths relative to it), whole or not at all and
    never through a link out of the trees; the number written. Raises WriteRefused or
    OSError."""
    base = str(Path(path).resolve().parent)
    entries = sorted(_key(d, base) for d in diagnostics)
    document = {"version": VERSION, "tool": "asl-lint", "findings": [dict(zip(_FIELDS, entry)) for entry in entries]}
    write_atomically(path, json.dumps(document, indent=2, ensure_ascii=False) + "\n", trees)
    return len(entries)


def read_baseline(path: str, trees: Trees | None = None) -> Counter:
    """The recorded findings, counted; raises ConfigError saying what is wrong without
    quoting the file (a baseline may be anything, a secret included)."""
    shown = shown_path(path)
    try:
        text = read_file(path, MAX_BASELINE_BYTES, trees)
    except FileRefused as refused:
        reason = {"ASL012": f"it is larger than {MAX_BASELINE_BYTES:,} bytes",
                  "ASL013": "it is outside the directory tree being linted"}.get(
            refused.rule, refused.message.removeprefix("cannot read the file: "))
        raise ConfigError(f"{shown}: not a baseline asl-lint can read: {reason}") from None
    try:
        document = json.loads(text)
    except RecursionError:
        raise ConfigError(f"{shown}: not a baseline asl-lint can read: values nested too deeply") from None
    except ValueError as error:
        position = f" at line {error.lineno}, column {error.colno}" if hasattr(error, "lineno") else ""
        raise ConfigError(f"{shown}: not a baseline asl-lint can read: not JSON{position}") from None
    findings = document.get("findings") if isinstance(document, dict) else None
    if not isinstance(findings, list):
        raise ConfigError(f"{shown}: not a baseline asl-lint can read: it must be an object with a list of"
                          f" findings, not {json_type(document)}")
    recorded: Counter = Counter()
    for index, entry in enumerate(findings):
        if not isinstance(entry, dict) or not all(isinstance(entry.get(key), str) for key in _FIELDS):
            raise ConfigError(f"{shown}: not a baseline asl-lint can read: finding {index + 1} must have the"
                              f" strings {', '.join(_FIELDS)}")
        recorded[tuple(entry[key] for key in _FIELDS)] += 1
    return recorded


def apply_baseline(path: str, diagnostics: list[Diagnostic], trees: Trees | None = None
                   ) -> tuple[list[Diagnostic], int, int]:
    """(the diagnostics not in the baseline, how many it matched, how many of its entries
    match nothing any more: fixed problems, time to write it again)."""
    recorded = read_baseline(path, trees)
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
