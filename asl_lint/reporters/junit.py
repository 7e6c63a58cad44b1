"""JUnit XML, as Jenkins, Azure DevOps, CircleCI, GitLab and Maven Surefire's readers read
it: a test suite per file, a test case per state machine, a failure per finding at or
above the failure threshold (--fail-on), with the file, line and column in its text.

Valid against both common schemas: Jenkins' junit-10.xsd for the whole document, and
Maven Surefire's report schema (3.0) for each test suite: every suite says its `tests`,
`failures`, `errors`, `skipped` and `time`, every case its `time` (a check takes no
measurable time per machine: 0), and nothing else (the file is the suite's name and each
case's classname)."""

from __future__ import annotations

from collections import defaultdict
from typing import TextIO
from xml.sax.saxutils import quoteattr

from ..diagnostics import LintResult, Severity, printable

# Characters XML 1.0 cannot hold at all, even escaped.
_NOT_XML = dict.fromkeys([*range(0x00, 0x09), 0x0B, 0x0C, *range(0x0E, 0x20), 0xFFFE, 0xFFFF])


def _text(text: str) -> str:
    text = printable(text).translate(_NOT_XML)
    return text.replace("&", "&amp;").replace("<", "&lt;").replace(">", "&gt;")


def _attribute(text: str) -> str:
    return quoteattr(printable(text).translate(_NOT_XML))


def report(result: LintResult, stream: TextIO, fail_on: Severity | None = Severity.ERROR) -> None:
    cases: dict[str, dict[str | None, list]] = defaultdict(dict)
    for machine in result.checked:
        cases[machine.file].setdefault(machine.machine, [])
    for d in result.diagnostics:
        cases[d.file].setdefault(d.machine, []).append(d)  # a file without a machine: its own case
    total = sum(len(machines) for machines in cases.values())
    failing = sum(1 for machines in cases.values() for found in machines.values()
                  if fail_on is not None and any(d.severity >= fail_on for d in found))
    lines = ['<?xml version="1.0" encoding="UTF-8"?>',
             f'<testsuites name="asl-lint" tests="{total}" failures="{failing}" errors="0" time="0">']
    for file in sorted(cases):
        machines = cases[file]
        failed = sum(1 for found in machines.values() if fail_on is not None and any(d.severity >= fail_on for d in found))
        lines.append(f'  <testsuite name={_attribute(file)} tests="{len(machines)}" failures="{failed}" errors="0"'
                     ' skipped="0" time="0">')
        for machine in sorted(machines, key=lambda name: name or ""):
            found = machines[machine]
            name = f"state machine {machine}" if machine else "state machine"
            failures = [d for d in found if fail_on is not None and d.severity >= fail_on]
            others = [d for d in found if d not in failures]
            if not failures and not others:
                lines.append(f'    <testcase name={_attribute(name)} classname={_attribute(file)} time="0"/>')
                continue
            lines.append(f'    <testcase name={_attribute(name)} classname={_attribute(file)} time="0">')
            for d in failures:
                where = f"{d.file}:{d.line}:{d.column}: {d.severity.label} {d.rule} {d.name}: {d.message}"
                lines.append(f"      <failure type={_attribute(d.rule)} message={_attribute(d.message)}>"
                             f"{_text(where)}</failure>")
            if others:  # below the threshold: shown, not failing
                shown = "\n".join(f"{d.file}:{d.line}:{d.column}: {d.severity.label} {d.rule} {d.name}: {d.message}"
                                  for d in others)
                lines.append(f"      <system-out>{_text(shown)}</system-out>")
            lines.append("    </testcase>")
        lines.append("  </testsuite>")
    lines.append("</testsuites>")
    stream.write("\n".join(lines) + "\n")
