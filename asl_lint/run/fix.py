"""Fixing: the fixes of what a run found carried out in memory, checked again until nothing
more is fixed; and writing the fixed files, only while they hold the text checked."""

from __future__ import annotations

import os
from collections.abc import Iterable
from dataclasses import dataclass, field

from ..config import Config
from ..diagnostics import LintResult, printable
from ..files import FileRefused, Trees, decode, read_file, text_digest
from .lint import lint_paths, path_list, run_config

MAX_FIX_ROUNDS = 10  # a fix may make another possible (or show it): check again, this often


@dataclass
class FixOutcome:
    """What fixing did: the check of the fixed texts, each changed file's text before and
    after (by the name diagnostics give it) and how many fixes each holds, how many fixes
    were made, and the files left alone because they changed while they were checked."""

    result: LintResult
    changed: dict[str, tuple[str, str]] = field(default_factory=dict)
    fixed: int = 0
    stdin_text: str | None = None  # standard input, fixed
    counts: dict[str, int] = field(default_factory=dict)
    not_fixed: list[str] = field(default_factory=list)  # "file: why", one line each


def fix_paths(paths: str | os.PathLike | Iterable[str | os.PathLike], config: Config | None = None,
              unsafe: bool = False, stdin_data: bytes | None = None, jobs: int = 0,
              rules: Iterable[str] | None = None) -> FixOutcome:
    """Lint, carry out the fixes of what is found (the safe ones, or all with `unsafe`) in
    memory, and lint again until nothing more is fixed. Writes nothing: the caller writes
    `changed` (write_fixes) or shows it (--diff). The edits are made to the very text that
    was checked: a file saved since (an editor, a formatter) is left alone and named in
    `not_fixed`. A file is changed only while it still reads (parses) after the edits.
    `rules`: fix only what these rules found."""
    from ..fixes import compatible

    paths = path_list(paths)
    config = run_config(paths, config)
    stdin_name = printable(config.stdin_filename or "<stdin>")
    stdin_text = decode(stdin_data) if stdin_data is not None else None
    overlay: dict[str, str] = {}  # real path -> fixed text
    before: dict[str, tuple[str, str]] = {}  # real path -> (name as shown, original text)
    counts: dict[str, int] = {}  # real path -> fixes made in it
    outcome = FixOutcome(lint_paths(paths, config, stdin_data, jobs))
    trees = Trees(config.reference_roots, config.allow_outside_references)
    for _ in range(MAX_FIX_ROUNDS):
        by_file: dict[str, list] = {}
        for diagnostic in outcome.result.diagnostics:
            if diagnostic.fix is not None and (diagnostic.fix.safe or unsafe) and (
                    rules is None or diagnostic.rule in rules):
                by_file.setdefault(diagnostic.file, []).append(diagnostic.fix)
        made = 0
        for file, fixes in by_file.items():
            is_stdin = "-" in paths and file == stdin_name
            real = None if is_stdin else os.path.realpath(file)
            if is_stdin:
                text = stdin_text
            elif real in overlay:
                text = overlay[real]
            else:
                try:
                    text = read_file(file, config.max_file_bytes, trees)
                except FileRefused:
                    continue
                if text_digest(text) != _checked_digest(outcome.result.sources, file, real):
                    outcome.not_fixed.append(f"{file}: not fixed: it changed while it was checked (run again)")
                    continue
            fixed_text, count = _fixed(text, file if not is_stdin else (config.stdin_filename or "stdin.json"),
                                       compatible(fixes))
            if not count:
                continue
            made += count
            if is_stdin:
                stdin_text = fixed_text
            else:
                before.setdefault(real, (file, text))
                overlay[real] = fixed_text
                counts[real] = counts.get(real, 0) + count
        if not made:
            break
        outcome.fixed += made
        data = stdin_text.encode("utf-8") if stdin_text is not None else None
        outcome.result = lint_paths(paths, config, data, jobs, overlay)
    outcome.changed = {shown: (original, overlay[real]) for real, (shown, original) in before.items()
                       if overlay[real] != original}
    outcome.counts = {shown: counts[real] for real, (shown, original) in before.items() if overlay[real] != original}
    outcome.stdin_text = stdin_text
    return outcome


def _checked_digest(sources: dict[str, str], file: str, real: str) -> str | None:
    """The digest of the text a file was checked with: the run keeps it under the path it
    was given (the name a diagnostic shows), or the real path of a file it referenced."""
    found = sources.get(file) or sources.get(real)
    if found is None:  # named otherwise (through a link, another spelling): resolve them all
        found = {os.path.realpath(path): digest for path, digest in sources.items()}.get(real)
    return found


def write_fixes(outcome: FixOutcome, trees: Trees) -> list[str]:
    """Write each fixed file whole (a temporary file renamed over it, its mode and its
    byte-order mark kept), only inside `trees`' roots whatever lets asl-lint read outside
    them, and only while the file still holds exactly the text that was checked. Returns
    why each file that was not written was not ("file: not fixed: why")."""
    from ..files import WriteRefused, read_bytes, write_atomically

    trees = Trees(trees.roots, False)
    refused = []
    for name, (original, after) in sorted(outcome.changed.items()):
        try:
            data = read_bytes(name, trees=trees)
            if decode(data) != original:
                refused.append(f"{name}: not fixed: it changed while it was checked (run again)")
                continue
            mark = "\ufeff" if data.startswith(b"\xef\xbb\xbf") else ""
            write_atomically(name, mark + after, trees)
        except (FileRefused, WriteRefused) as error:
            refused.append(f"{name}: not fixed: {error}")
        except OSError as error:
            refused.append(f"{name}: not fixed: {error.strerror or error}")
    return refused


def _fixed(text: str, file: str, fixes: list) -> tuple[str, int]:
    """`text` with `fixes` carried out, and how many: all of them when the result still
    reads, else each one that keeps it readable."""
    from ..fixes import apply

    candidate = apply(text, [edit for fix in fixes for edit in fix.edits])
    if _reads(candidate, file):
        return candidate, len(fixes)
    count = 0
    for fix in sorted(fixes, key=lambda fix: -fix.edits[0].start):  # from the end: earlier offsets hold
        attempt = apply(text, fix.edits)
        if _reads(attempt, file):
            text, count = attempt, count + 1
    return text, count


def _reads(text: str, file: str) -> bool:
    """Whether a file's text still parses as what it is."""
    from ..source import LoadError, load_documents

    try:
        load_documents(text, file)  # by its name: JSON, YAML, HCL or a templatefile() template
    except (LoadError, RecursionError, ValueError):
        return False
    return True
