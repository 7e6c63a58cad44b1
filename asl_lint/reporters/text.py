"""The human report: grouped by file, one line per problem, a summary at the end."""

from __future__ import annotations

from itertools import groupby
from typing import TextIO

from ..diagnostics import LintResult, Severity, displayable

_STYLES = {Severity.ERROR: "bold red", Severity.WARNING: "yellow", Severity.INFO: "cyan"}


def report(result: LintResult, stream: TextIO, color: str = "auto", quiet: int = 0,
           statistics: bool = False) -> None:
    """quiet 1: the summary line only; quiet 2: nothing at all for a clean run.
    statistics: a count per rule instead of one line per problem."""
    if quiet >= 2 and not result.diagnostics:
        return
    if quiet or statistics:
        lines = counts_per_rule(result) if statistics and not quiet else []
        stream.write("".join(line + "\n" for line in [*lines, summary_line(result), *fix_lines(result)]))
        return
    if not wants_color(stream, color):
        _plain(result, stream)
        return
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
            # file:line:col: at the start of the line, as editors' error formats read it
            line = Text(f"{displayable(d.file)}:{d.line}:{d.column}:", style="bold")
            line.append(" ")
            line.append(f"{d.severity.label:<7}", style=_STYLES[d.severity])
            line.append("  ")
            line.append(f"{d.rule} {d.name}", style="dim")
            line.append("  ")
            line.append(displayable(d.message))  # Text never reads markup: [x] stays as written
            console.print(line)
        console.print()
    console.print(Text(summary_line(result), style="bold"))
    for line in fix_lines(result):
        console.print(Text(line))


def counts_per_rule(result: LintResult) -> list[str]:
    """'  12  ASL406 lambda-without-retry (warning)' for each rule that fired, most first."""
    from collections import Counter

    found = Counter((d.rule, d.name, d.severity.label) for d in result.diagnostics)
    width = len(str(max(found.values(), default=0)))
    return [f"{count:>{width}}  {rule} {name} ({level})"
            for (rule, name, level), count in sorted(found.items(), key=lambda item: (-item[1], item[0]))]


def wants_color(stream: TextIO, color: str) -> bool:
    """Colour and styles only for a terminal, as NO_COLOR and FORCE_COLOR say; an explicit
    --color always or never wins over both."""
    import os

    if color != "auto":
        return color == "always"
    if os.environ.get("NO_COLOR"):
        return False
    if os.environ.get("FORCE_COLOR"):
        return True
    isatty = getattr(stream, "isatty", None)
    return bool(isatty and isatty()) and os.environ.get("TERM") != "dumb"


def _plain(result: LintResult, stream: TextIO) -> None:
    """The same lines without a single escape sequence, written directly: rich takes a
    third of a second for what this writes in milliseconds."""
    lines = []
    for (file, machine), diagnostics in groupby(result.diagnostics, key=lambda d: (d.file, d.machine)):
        lines.append(displayable(file) + (f"  state machine {displayable(machine)}" if machine else ""))
        lines.extend(f"{displayable(d.file)}:{d.line}:{d.column}: {d.severity.label:<7}  {d.rule} {d.name}"
                     f"  {displayable(d.message)}" for d in diagnostics)
        lines.append("")
    lines.append(summary_line(result))
    lines.extend(fix_lines(result))
    stream.write("\n".join(lines) + "\n")


def fix_lines(result: LintResult) -> list[str]:
    """'Fixed 3 problems.' and '2 fixable with --fix (1 more with --unsafe-fixes).'"""
    lines = []
    if result.fixed:
        lines.append(f"Fixed {result.fixed} problem{'' if result.fixed == 1 else 's'}.")
    safe, unsafe = result.fixable()
    flag = "--fix --unsafe-fixes" if result.unsafe_fixes else "--fix"
    if safe and unsafe:
        lines.append(f"{safe} fixable with {flag} ({unsafe} more with --unsafe-fixes).")
    elif safe:
        lines.append(f"{safe} fixable with {flag}.")
    elif unsafe:
        lines.append(f"{unsafe} fixable with --fix --unsafe-fixes.")
    return lines


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
