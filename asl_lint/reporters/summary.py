"""A Markdown job summary for GitHub Actions: findings per file and, for each state machine
with errors, its graph with the problem states highlighted (GitHub renders Mermaid)."""

from __future__ import annotations

from collections import Counter, defaultdict

from ..diagnostics import LintResult, Severity
from .text import summary_line


def step_summary(result: LintResult) -> str:
    lines = ["## asl-lint", "", summary_line(result), ""]
    per_file: dict[str, Counter] = defaultdict(Counter)
    for d in result.diagnostics:
        per_file[d.file][d.severity] += 1
    if per_file:
        lines += ["| file | errors | warnings | infos |", "|---|---|---|---|"]
        for file, counts in sorted(per_file.items()):
            shown = file.replace("|", "\\|")
            lines.append(f"| `{shown}` | {counts[Severity.ERROR]} | {counts[Severity.WARNING]} |"
                         f" {counts[Severity.INFO]} |")
        lines.append("")
    failing = {(d.file, d.machine) for d in result.diagnostics if d.severity == Severity.ERROR}
    if failing and result.drawn:
        from ..graph import mermaid

        for machine in result.drawn:
            if (machine.file, machine.name) not in failing:
                continue
            mine = [d for d in result.diagnostics if (d.file, d.machine) == (machine.file, machine.name)]
            title = machine.file + (f" — state machine {machine.name}" if machine.name else "")
            lines += [f"### {title}", "", "```mermaid", mermaid(machine, mine).rstrip(), "```", ""]
            lines += [f"- `{d.file}:{d.line}:{d.column}` {d.severity.label} {d.rule} {d.name}: {d.message}"
                      for d in mine] + [""]
    return "\n".join(lines) + "\n"


def append_step_summary(path: str, result: LintResult) -> None:
    """Append to $GITHUB_STEP_SUMMARY (a summary that cannot be written is not a failure of
    the lint: it is skipped)."""
    try:
        with open(path, "a", encoding="utf-8") as summary:
            summary.write(step_summary(result))
    except OSError:
        pass
