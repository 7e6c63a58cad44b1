"""GitHub Actions workflow commands: each problem becomes an annotation on the pull request."""

from __future__ import annotations

from typing import TextIO

from ..diagnostics import LintResult, Severity, displayable
from .paths import repository_path, source_root

_COMMANDS = {Severity.ERROR: "error", Severity.WARNING: "warning", Severity.INFO: "notice"}


def _escape_data(text: str) -> str:
    # Escaped for the workflow-command syntax, then for the log: no character of user text
    # can end the line, so none can start a command of its own.
    return displayable(text.replace("%", "%25").replace("\r", "%0D").replace("\n", "%0A"))


def _escape_property(text: str) -> str:
    return _escape_data(text).replace(":", "%3A").replace(",", "%2C")


def report(result: LintResult, stream: TextIO, root: str | None = None) -> None:
    """GitHub attaches an annotation to a file by its path in the repository: paths are
    relative to the repository's root (--root, else the git work tree, as in SARIF), from
    whatever directory the step runs in."""
    from .text import summary_line

    base = source_root(root)
    for d in result.diagnostics:
        properties = ",".join(
            f"{key}={_escape_property(str(value))}"
            for key, value in (
                ("file", repository_path(d.file, base)), ("line", d.line), ("col", d.column),
                ("endLine", d.end_line), ("endColumn", d.end_column),
                ("title", f"{d.rule} {d.name}"),
            )
        )
        where = f"{d.file}:{d.line}:{d.column}: "  # the job log shows the message: say where it is
        message = where + (d.message if d.machine is None else f"[{d.machine}] {d.message}")
        stream.write(f"::{_COMMANDS[d.severity]} {properties}::{_escape_data(message)}\n")
    nothing = result.nothing_checked()
    if nothing is not None:  # a gate that checked nothing must not pass without a word
        stream.write(f"::warning title=asl-lint::{_escape_data(nothing)}\n")
    stream.write(displayable(summary_line(result)) + "\n")
