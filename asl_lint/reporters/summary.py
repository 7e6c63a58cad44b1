"""A Markdown job summary for GitHub Actions: findings per file and, for each state machine
with errors, its graph with the problem states highlighted (GitHub renders Mermaid).

GitHub drops a step summary over 1 MiB, so the summary is built to fit: at most
MAX_FILE_ROWS files in the table, MAX_GRAPHS graphs and MAX_LISTED findings under each,
and never more than MAX_BYTES in all; what is left out is counted and said. Every name
(file, state machine, state) is escaped: it cannot close a code span, split a table,
start a heading or a fence, or become a link or HTML.
"""

from __future__ import annotations

import re
from collections import Counter, defaultdict

from ..diagnostics import LintResult, Severity, displayable
from .text import summary_line

MAX_BYTES = 1_000_000  # GitHub's limit is 1 MiB per step summary
MAX_FILE_ROWS = 100
MAX_GRAPHS = 20
MAX_GRAPH_BYTES = 100_000
MAX_LISTED = 30
_PUNCTUATION = re.compile(r"([!-/:-@\[-`{-~])")


def markdown_text(text: str) -> str:
    """Plain text in Markdown: every ASCII punctuation character backslash-escaped (so no
    emphasis, link, heading, table cell or HTML), and nothing that ends a line."""
    return _PUNCTUATION.sub(r"\\\1", displayable(text))


def code_span(text: str) -> str:
    """Text as inline code that no backtick in it can close, in a table cell too."""
    text = displayable(text).replace("|", "\\|")
    ticks = "`" * (max((len(run) for run in re.findall(r"`+", text)), default=0) + 1)
    padding = " " if text.startswith("`") or text.endswith("`") else ""
    return f"{ticks}{padding}{text}{padding}{ticks}"


def _fence(body: str, language: str) -> str:
    ticks = "`" * max(3, max((len(run) for run in re.findall(r"`+", body)), default=0) + 1)
    return f"{ticks}{language}\n{body.rstrip()}\n{ticks}"


def step_summary(result: LintResult) -> str:
    parts: list[str] = ["## asl-lint", "", markdown_text(summary_line(result)), ""]
    used = [sum(len(part.encode("utf-8")) + 1 for part in parts)]
    left_out: list[str] = []

    def add(lines: list[str]) -> bool:
        size = sum(len(line.encode("utf-8")) + 1 for line in lines)
        if used[0] + size > MAX_BYTES - 2_000:  # room for the closing note
            return False
        parts.extend(lines)
        used[0] += size
        return True

    per_file: dict[str, Counter] = defaultdict(Counter)
    for d in result.diagnostics:
        per_file[d.file][d.severity] += 1
    if per_file:
        rows = ["| file | errors | warnings | infos |", "|---|---|---|---|"]
        shown = 0
        for file, counts in sorted(per_file.items())[:MAX_FILE_ROWS]:
            row = (f"| {code_span(file)} | {counts[Severity.ERROR]} | {counts[Severity.WARNING]} |"
                   f" {counts[Severity.INFO]} |")
            if used[0] + len(row) + sum(map(len, rows)) > MAX_BYTES // 4:
                break
            rows.append(row)
            shown += 1
        if shown < len(per_file):
            rows.append(f"| … and {len(per_file) - shown:,} more files | | | |")
        add([*rows, ""])

    by_machine: dict[tuple, list] = defaultdict(list)
    for d in result.diagnostics:
        by_machine[(d.file, d.machine)].append(d)
    failing = [key for key, found in by_machine.items() if any(d.severity == Severity.ERROR for d in found)]
    drawn = {(machine.file, machine.name): machine for machine in result.drawn}
    listed = graphs = 0
    for number, key in enumerate(failing):
        machine = drawn.get(key)
        if machine is None:
            continue
        mine = by_machine[key]
        title = markdown_text(machine.file) + (f" — state machine {markdown_text(machine.name)}" if machine.name else "")
        section = [f"### {title}", ""]
        if graphs < MAX_GRAPHS:
            from ..graph import mermaid

            picture = mermaid(machine, mine)
            if len(picture) <= MAX_GRAPH_BYTES:
                section += [_fence(picture, "mermaid"), ""]
                graphs += 1
            else:
                section += ["(the graph is too large to draw here: `asl-lint --graph mermaid` draws it)", ""]
        section += [f"- {code_span(f'{d.file}:{d.line}:{d.column}')} {d.severity.label} {d.rule} {d.name}:"
                    f" {markdown_text(d.message)}" for d in mine[:MAX_LISTED]]
        if len(mine) > MAX_LISTED:
            section.append(f"- … and {len(mine) - MAX_LISTED:,} more in this state machine")
        if not add([*section, ""]):
            left_out.append(f"{len(failing) - number:,} state machines with errors")
            break
        listed += min(len(mine), MAX_LISTED)
    failing_findings = sum(len(by_machine[key]) for key in failing)
    if listed < failing_findings:
        left_out.append(f"{failing_findings - listed:,} findings")
    if left_out:
        parts += [f"*Not shown here, to keep the summary under GitHub's 1 MiB: {' and '.join(left_out)}."
                  " The annotations and `--format sarif` have every finding.*", ""]
    return "\n".join(parts) + "\n"


def append_step_summary(path: str, result: LintResult) -> None:
    """Append to $GITHUB_STEP_SUMMARY (a summary that cannot be written is not a failure of
    the lint: it is skipped)."""
    try:
        with open(path, "a", encoding="utf-8") as summary:
            summary.write(step_summary(result))
    except OSError:
        pass
