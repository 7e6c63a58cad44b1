"""The human report: grouped by file, one line per problem, a summary at the end."""

from __future__ import annotations

from itertools import groupby
from typing import TextIO

from ..diagnostics import LintResult, Severity, displayable

_STYLES = {Severity.ERROR: "bold red", Severity.WARNING: "yellow", Severity.INFO: "cyan"}


def report(result: LintResult, stream: TextIO, color: str = "auto") -> None:
    from rich.console import Console
    from rich.text import Text

    console = Console(
        file=stream,
        force_terminal=True if color == "always" else None,
        no_color=True if color == "never" else None,
        highlight=False,
        soft_wrap=True,  # one problem per line, whatever the width: greppable
        emoji=False,
    )
    if color == "never" or not console.is_terminal:
        console.no_color = True
    by_place = groupby(result.diagnostics, key=lambda d: (d.file, d.machine))
    for (file, machine), diagnostics in by_place:
        header = Text(displayable(file), style="bold underline")
        if machine:
            header.append(f"  state machine {displayable(machine)}", style="bold")
        console.print(header)
        for d in diagnostics:
            line = Text("  ")
            line.append(f"{displayable(d.file)}:{d.line}:{d.column}", style="bold")
            line.append("  ")
            line.append(f"{d.severity.label:<7}", style=_STYLES[d.severity])
            line.append("  ")
            line.append(f"{d.rule} {d.name}", style="dim")
            line.append("  ")
            line.append(displayable(d.message))  # Text never reads markup: [x] stays as written
            console.print(line)
        console.print()
    console.print(Text(summary_line(result), style="bold"))


def summary_line(result: LintResult) -> str:
    counts = result.summary()

    def plural(n: int, word: str) -> str:
        return f"{n} {word}{'' if n == 1 else 's'}"

    where = f"{plural(counts['files'], 'file')}, {plural(counts['machines'], 'state machine')}"
    silenced = []
    if result.suppressed:
        silenced.append(f"{len(result.suppressed)} suppressed")
    if result.baseline is not None:
        matched, unmatched = result.baseline
        silenced.append(f"{matched} in the baseline")
        if unmatched:
            silenced.append(f"{unmatched} baseline {'entry' if unmatched == 1 else 'entries'} no longer match"
                            f"{'es' if unmatched == 1 else ''}: write the baseline again")
    tail = f" ({'; '.join(silenced)})" if silenced else ""
    if not result.diagnostics:
        return f"No problems in {where}{tail}."
    found = ", ".join(
        plural(counts[key], word) for key, word in (("errors", "error"), ("warnings", "warning"), ("infos", "info"))
    )
    return f"{found} in {where}{tail}."
