"""Suppressions written where the problem is, and the findings they silence.

- YAML comments: `# asl-lint: disable=ASL203` (this line), `disable-next-line=...`
  (the line after it) and `disable-file=...` (the whole file); several rules separated by
  commas, any selector (id, name, prefix, tag) or `all`. Only real comments count: the
  same text inside a string (a quoted value, a block scalar, anything in a JSON file) is
  text, never a directive.
- A `Comment` field (JSON has no comments): `asl-lint: disable=ASL406` in a state's
  Comment silences the state and everything inside it; in the top-level Comment, the
  whole state machine.
- A template resource's `Metadata: {asl-lint: {ignore: [ASL406]}}`, as cfn-lint reads
  its own, silences that state machine.

A suppression that silences nothing, or names no rule, is itself reported (ASL016), so
stale ones and typos do not pile up. Matching is by dictionary: a diagnostic looks up the
directives of its line, its file, its machine and each state around it, so thousands of
directives cost no more than a few.
"""

from __future__ import annotations

import bisect
import re
from collections import defaultdict
from collections.abc import Iterable
from dataclasses import dataclass, field

from .diagnostics import Diagnostic

_COMMENT_DIRECTIVE = re.compile(
    r"(?:^|\s)#\s*asl-lint:\s*(disable-next-line|disable-file|disable)\s*=\s*([A-Za-z0-9_\-]+(?:\s*,\s*[A-Za-z0-9_\-]+)*)")
FIELD_DIRECTIVE = re.compile(r"asl-lint:\s*disable\s*=\s*([A-Za-z0-9_\-]+(?:\s*,\s*[A-Za-z0-9_\-]+)*)")


@dataclass(eq=False)
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
    rule_ids: frozenset[str] = field(init=False, repr=False)
    unknown: tuple[str, ...] = field(init=False, repr=False)  # selectors that name no rule

    def __post_init__(self) -> None:
        from .rules.selectors import rule_ids  # here: a file without directives loads no rule

        ids, unknown = set(), []
        for token in dict.fromkeys(self.rules):
            named = rule_ids((token,))
            if named:
                ids |= named
            else:
                unknown.append(token)
        self.rule_ids, self.unknown = frozenset(ids), tuple(unknown)

    def silences(self, diagnostic: Diagnostic) -> bool:
        return diagnostic.rule in self.rule_ids

    def names_any(self, enabled) -> bool:
        """Whether one of its rules runs at all: a directive for rules turned off is not stale."""
        return any(enabled(rule_id) for rule_id in self.rule_ids)


def _tokens(text: str) -> tuple[str, ...]:
    return tuple(token.strip() for token in text.split(",") if token.strip())


def comment_directives(text: str, file: str, strings: list[tuple[int, int]] = ()) -> list[Directive]:
    """The `# asl-lint: disable...` comments of a YAML text. `strings`: the sorted
    (start, end) offsets of the scalars that mention asl-lint; a '#' inside one is text."""
    found: list[Directive] = []
    if "asl-lint:" not in text:
        return found
    starts = [start for start, _ in strings]
    offset = 0
    for number, line in enumerate(text.splitlines(keepends=True), start=1):
        if "asl-lint:" in line:
            for match in _COMMENT_DIRECTIVE.finditer(line):
                start = match.start() + (1 if match.group(0)[0].isspace() else 0)
                if _inside_string(offset + start, strings, starts):
                    continue
                kind, rules = match.group(1), _tokens(match.group(2))
                scope = {"disable": "line", "disable-next-line": "next-line", "disable-file": "file"}[kind]
                target = number + 1 if scope == "next-line" else number
                found.append(Directive(rules, file, number, start + 1, match.end() + 1, scope, file, target))
        offset += len(line)
    return found


def _inside_string(offset: int, strings: list[tuple[int, int]], starts: list[int]) -> bool:
    row = bisect.bisect_right(starts, offset) - 1
    return any(strings[i][0] <= offset < strings[i][1] for i in range(max(0, row - 8), row + 1))


def document_directives(documents, file: str) -> list[Directive]:
    """The comment directives of a loaded file: none in JSON, which has no comments."""
    if not documents or documents[0].format != "yaml":
        return []
    strings = sorted(span for document in documents for span in document.strings)
    return comment_directives(documents[0].text, file, strings)


def without_field_directive(comment: str) -> str:
    """A Comment field's text without its `asl-lint: disable=...`."""
    return re.sub(r"\s{2,}", " ", FIELD_DIRECTIVE.sub("", comment)).strip(" ;,.-")


def field_directive(comment: object) -> tuple[str, ...] | None:
    """The rules an `asl-lint: disable=...` in a Comment field names, if it holds one."""
    if not isinstance(comment, str) or "asl-lint:" not in comment:
        return None
    match = FIELD_DIRECTIVE.search(comment)
    return _tokens(match.group(1)) if match else None


def _pointer_prefixes(pointer: str) -> Iterable[str]:
    """'/States/A/Next', '/States/A', '/States', ''."""
    while True:
        yield pointer
        if not pointer:
            return
        pointer = pointer[:pointer.rfind("/")]


def partition(diagnostics: Iterable[Diagnostic], directives: list[Directive]) -> tuple[list, list]:
    """(kept, suppressed); marks each directive that silenced something as used."""
    by_line: dict[tuple, list[Directive]] = defaultdict(list)
    by_file: dict[str | None, list[Directive]] = defaultdict(list)
    by_pointer: dict[tuple, list[Directive]] = defaultdict(list)
    by_machine: dict[str | None, list[Directive]] = defaultdict(list)
    for directive in directives:
        if directive.scope in ("line", "next-line"):
            by_line[(directive.target_file, directive.target_line)].append(directive)
        elif directive.scope == "file":
            by_file[directive.target_file].append(directive)
        elif directive.scope == "machine":
            by_machine[directive.machine].append(directive)
        else:
            by_pointer[(directive.machine, directive.pointer)].append(directive)
    kept, suppressed = [], []
    for diagnostic in diagnostics:
        covering = [*by_line.get((diagnostic.file, diagnostic.line), ()), *by_file.get(diagnostic.file, ()),
                    *by_machine.get(diagnostic.machine, ())]
        if by_pointer:
            for prefix in _pointer_prefixes(diagnostic.pointer):
                covering += by_pointer.get((diagnostic.machine, prefix), ())
        silencing = [directive for directive in covering if directive.silences(diagnostic)]
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


def stale(directives: Iterable[Directive], enabled) -> Iterable[tuple[Directive, str]]:
    """(directive, why) for each directive to report under ASL016: one that names no rule
    (a typo silences nothing, whatever it meant), or whose rules run and silenced nothing."""
    for directive in directives:
        if directive.unknown:
            names = ", ".join(f"'{token}'" for token in directive.unknown[:3])
            more = f" and {len(directive.unknown) - 3} more" if len(directive.unknown) > 3 else ""
            yield directive, (f"this suppression names {names}{more}, which "
                              f"{'is' if len(directive.unknown) == 1 and not more else 'are'} no rule, rule prefix"
                              " or tag (see --list-rules): it silences nothing")
        elif not directive.used and directive.names_any(enabled):
            shown = ", ".join(directive.rules[:5]) + (", ..." if len(directive.rules) > 5 else "")
            yield directive, f"this suppression of {shown} silences nothing here: remove it"
