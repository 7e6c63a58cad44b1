"""Suppressions written where the problem is, and the findings they silence.

- YAML comments: `# asl-lint: disable=ASL203` (this line), `disable-next-line=...`
  (the line after it) and `disable-file=...` (the whole file); several rules separated by
  commas, any selector (id, name, prefix, tag) or `all`.
- A `Comment` field (JSON has no comments): `asl-lint: disable=ASL406` in a state's
  Comment silences the state and everything inside it; in the top-level Comment, the
  whole state machine.
- A template resource's `Metadata: {asl-lint: {ignore: [ASL406]}}`, as cfn-lint reads
  its own, silences that state machine.

A suppression that silences nothing is itself reported (ASL016), so stale ones go away.
"""

from __future__ import annotations

import re
from collections.abc import Iterable
from dataclasses import dataclass, field

from .diagnostics import Diagnostic

_COMMENT_DIRECTIVE = re.compile(
    r"(?:^|\s)#\s*asl-lint:\s*(disable-next-line|disable-file|disable)\s*=\s*([A-Za-z0-9_\-]+(?:\s*,\s*[A-Za-z0-9_\-]+)*)")
_FIELD_DIRECTIVE = re.compile(r"asl-lint:\s*disable\s*=\s*([A-Za-z0-9_\-]+(?:\s*,\s*[A-Za-z0-9_\-]+)*)")


@dataclass
class Directive:
    """One suppression: which rules, and which findings it covers."""

    rules: tuple[str, ...]  # selectors, or ("all",)
    file: str  # where the directive is written (for reporting it when unused)
    line: int
    column: int
    end_column: int
    scope: str  # "line" | "next-line" | "file" | "pointer" | "machine"
    target_file: str | None = None  # for line, next-line and file scopes
    target_line: int | None = None
    machine: str | None = None  # for pointer and machine scopes
    pointer: str = ""  # a JSON pointer prefix (a state) for the pointer scope
    path: tuple = ()  # where the directive is, in the definition (for a Comment field)
    used: bool = field(default=False, compare=False)

    def covers(self, diagnostic: Diagnostic) -> bool:
        if self.scope in ("line", "next-line"):
            return diagnostic.file == self.target_file and diagnostic.line == self.target_line
        if self.scope == "file":
            return diagnostic.file == self.target_file
        if diagnostic.machine != self.machine:
            return False
        return self.scope == "machine" or diagnostic.pointer == self.pointer or \
            diagnostic.pointer.startswith(self.pointer + "/")

    def silences(self, diagnostic: Diagnostic) -> bool:
        return self.covers(diagnostic) and _names(self.rules, diagnostic.rule)

    def names_any(self, enabled) -> bool:
        """Whether one of its rules runs at all: a directive for rules turned off is not stale."""
        from .rules import load_rules

        return any(_names(self.rules, rule.id) and enabled(rule.id) for rule in load_rules())


def _names(tokens: tuple[str, ...], rule_id: str) -> bool:
    from .config import _score
    from .rules import load_rules

    rule = load_rules().get(rule_id)
    return any(token.lower() == "all" or (rule is not None and _score(token, rule) >= 0) for token in tokens)


def _tokens(text: str) -> tuple[str, ...]:
    return tuple(token.strip() for token in text.split(",") if token.strip())


def comment_directives(text: str, file: str) -> list[Directive]:
    """The `# asl-lint: disable...` comments of a YAML text."""
    found = []
    if "asl-lint:" not in text:
        return found
    for number, line in enumerate(text.splitlines(), start=1):
        if "asl-lint:" not in line:
            continue
        for match in _COMMENT_DIRECTIVE.finditer(line):
            kind, rules = match.group(1), _tokens(match.group(2))
            start = match.start() + (1 if match.group(0)[0].isspace() else 0)
            scope = {"disable": "line", "disable-next-line": "next-line", "disable-file": "file"}[kind]
            target = number + 1 if scope == "next-line" else number
            found.append(Directive(rules, file, number, start + 1, match.end() + 1, scope, file, target))
    return found


def field_directive(comment: object) -> tuple[str, ...] | None:
    """The rules an `asl-lint: disable=...` in a Comment field names, if it holds one."""
    if not isinstance(comment, str) or "asl-lint:" not in comment:
        return None
    match = _FIELD_DIRECTIVE.search(comment)
    return _tokens(match.group(1)) if match else None


def partition(diagnostics: Iterable[Diagnostic], directives: list[Directive]) -> tuple[list, list]:
    """(kept, suppressed); marks each directive that silenced something as used."""
    kept, suppressed = [], []
    for diagnostic in diagnostics:
        silencing = [directive for directive in directives if directive.silences(diagnostic)]
        for directive in silencing:
            directive.used = True
        (suppressed if silencing else kept).append(diagnostic)
    return kept, suppressed


def definition_directives(definition) -> list[Directive]:
    """The suppressions a definition carries: in its Comment fields and, for a template
    resource, in its Metadata."""
    from .diagnostics import json_pointer
    from .model import iter_states

    found = []
    places = [((), definition.data)] + [(state.path, state.data) for state in iter_states(definition.data)]
    for path, holder in places:
        rules = field_directive(holder.get("Comment")) if isinstance(holder, dict) else None
        if rules is None:
            continue
        span = definition.sourcemap.span(path + ("Comment",))
        line, column, end = (span.line, span.column, span.end_column) if span else (1, 1, 1)
        found.append(Directive(rules, definition.file, line, column, end, "pointer" if path else "machine",
                               machine=definition.machine, pointer=json_pointer(path), path=path + ("Comment",)))
    if definition.ignore:
        file, span = definition.ignore_at
        line, column, end = (span.line, span.column, span.end_column) if span else (1, 1, 1)
        found.append(Directive(definition.ignore, file, line, column, end, "machine", machine=definition.machine))
    return found
