"""The records that flow out of checking: diagnostics and the result of a run."""

from __future__ import annotations

import enum
import re
from dataclasses import dataclass, field, fields
from operator import attrgetter
from typing import NamedTuple, TypedDict

from .files import LINTABLE_SUFFIXES


class Severity(enum.IntEnum):
    INFO = 10
    WARNING = 20
    ERROR = 30

    @property
    def label(self) -> str:
        return self.name.lower()

    @classmethod
    def parse(cls, text: str) -> Severity:
        try:
            return cls[text.strip().upper()]
        except KeyError:
            raise ValueError(f"unknown severity '{text}' (use error, warning or info)") from None


@dataclass(frozen=True, slots=True)
class Diagnostic:
    rule: str  # "ASL203"
    name: str  # "unreachable-state"
    severity: Severity
    message: str
    file: str
    line: int = 1
    column: int = 1
    end_line: int = 1
    end_column: int = 1
    machine: str | None = None
    pointer: str = ""
    state: str | None = None
    aws_code: str | None = None  # the code AWS's validator gives the same problem, if any
    aws_confirmed: bool | None = None  # with --aws-validate: whether AWS reported it too
    fix: object = field(default=None, compare=False)  # a fixes.Fix: edits of `file` that solve it
    # Other places that explain it: (file, line, column, end_line, end_column, message)
    related: tuple = field(default=(), compare=False)

    def __post_init__(self) -> None:
        # Every text that reaches a reporter passes here: a lone surrogate from a JSON
        # escape or an undecodable file name must not crash a UTF-8 writer.
        for name in _DIAGNOSTIC_FIELDS:
            value = getattr(self, name)
            if isinstance(value, str) and not value.isascii():  # ASCII text holds no surrogate
                object.__setattr__(self, name, printable(value))

    def sort_key(self) -> tuple:
        return (self.file, self.line, self.column, self.rule, self.message)

    def __reduce__(self) -> tuple:
        # Reports cross from worker processes pickled: the dataclass default looks the
        # fields up again for every diagnostic, on both sides (4.4 us of 7 us each).
        return _diagnostic_from, (_field_values(self),)

    def to_dict(self) -> dict:
        return {
            "rule": self.rule,
            "name": self.name,
            "severity": self.severity.label,
            "message": self.message,
            "file": self.file,
            "line": self.line,
            "column": self.column,
            "end_line": self.end_line,
            "end_column": self.end_column,
            "machine": self.machine,
            "pointer": self.pointer,
            "state": self.state,
            "aws_code": self.aws_code,
            **({"aws_confirmed": self.aws_confirmed} if self.aws_confirmed is not None else {}),
        }


_DIAGNOSTIC_FIELDS = tuple(member.name for member in fields(Diagnostic))
_field_values = attrgetter(*_DIAGNOSTIC_FIELDS)
_FIELD_SETTERS = tuple(getattr(Diagnostic, name).__set__ for name in _DIAGNOSTIC_FIELDS)


def _diagnostic_from(values: tuple) -> Diagnostic:
    """A pickled Diagnostic again, its fields as they were (already printable)."""
    diagnostic = object.__new__(Diagnostic)
    for set_field, value in zip(_FIELD_SETTERS, values):
        set_field(diagnostic, value)
    return diagnostic


class BaselineCounts(TypedDict):
    matched: int
    unmatched: int


class Summary(TypedDict, total=False):
    """LintResult.summary(): what the JSON report's "summary" holds."""

    files: int
    machines: int
    errors: int
    warnings: int
    infos: int
    suppressed: int
    baseline: BaselineCounts


@dataclass
class LintResult:
    """What a run found. `suppressed`: findings silenced where they are (a comment, a
    Comment field, template Metadata); `baseline`: (findings the baseline file silenced,
    baseline entries that no longer match any finding), when a baseline is used."""

    diagnostics: list[Diagnostic] = field(default_factory=list)
    files: int = 0
    machines: int = 0
    suppressed: list[Diagnostic] = field(default_factory=list)
    baseline: tuple[int, int] | None = None
    drawn: list = field(default_factory=list)  # graph.Machine of each machine (Config.keep_machines)
    checked: list = field(default_factory=list)  # Checked: each state machine found
    aws_verdicts: dict = field(default_factory=dict)  # (file, machine) -> AWS's own OK (True) or FAIL (False)
    found: int = 0  # files found to read (named or walked)
    excluded: int = 0  # paths left out while walking (.gitignore, exclude, --force-exclude)
    fixed: int = 0  # problems fixed by --fix before this check
    cached: int = 0  # files whose report came from the result cache
    unsafe_fixes: bool = False  # whether unsafe fixes count as available (--unsafe-fixes)
    # Digest of the text checked (for --fix): each linted file's by its path as given, each
    # file read through a reference by its real path.
    sources: dict = field(default_factory=dict)
    warnings: list = field(default_factory=list)  # what the run could not do as asked, in one line each
    # The rules whose findings AWS rejects a definition for (the run fills it in from the
    # catalogue): what verdicts() calls would_deploy without AWS's own answer.
    rejected_by_aws: frozenset = field(default_factory=frozenset)

    def nothing_checked(self) -> str | None:
        """Why no state machine was checked, in the user's terms, or None when one was."""
        if self.machines:
            return None
        unchecked = {(d.file, d.machine) for d in [*self.diagnostics, *self.suppressed] if d.machine is not None}
        if unchecked:  # found, but each could not be checked: say so, and by which rules
            reasons = sorted({f"{d.rule} {d.name}" for d in [*self.diagnostics, *self.suppressed]
                              if d.machine is not None})
            count = len(unchecked)
            return (f"no state machine was checked: {count:,} {'was' if count == 1 else 'were'} found and could not be"
                    f" checked ({'; '.join(reasons[:4])}{'; ...' if len(reasons) > 4 else ''}: the report says why)")
        if not self.found and self.excluded:
            return (f"no state machine was checked: every file found is excluded ({self.excluded:,} paths, by"
                    " .gitignore or exclude); a path named on the command line is linted anyway")
        if not self.found:
            return ("no state machine was checked: no file under the paths given has a name asl-lint reads"
                    f" ({', '.join(LINTABLE_SUFFIXES)})")
        return (f"no state machine was checked: {self.found:,} file{'s' if self.found != 1 else ''} read, none holds"
                " an ASL definition, a template with a state machine, a serverless.yml with stepFunctions"
                " or Terraform with an aws_sfn_state_machine")

    def fixable(self) -> tuple[int, int]:
        """(problems --fix would fix, more that --unsafe-fixes would add)."""
        safe = sum(1 for d in self.diagnostics if d.fix is not None and (d.fix.safe or self.unsafe_fixes))
        unsafe = sum(1 for d in self.diagnostics if d.fix is not None and not d.fix.safe and not self.unsafe_fixes)
        return safe, unsafe

    def count(self, severity: Severity) -> int:
        return sum(1 for d in self.diagnostics if d.severity == severity)

    def summary(self) -> Summary:
        """Counts of the run: files, machines, errors, warnings, infos; `suppressed` and
        `baseline` ({"matched", "unmatched"}) when there are any."""
        counts: Summary = {
            "files": self.files,
            "machines": self.machines,
            "errors": self.count(Severity.ERROR),
            "warnings": self.count(Severity.WARNING),
            "infos": self.count(Severity.INFO),
        }
        if self.suppressed:  # only then: reports without suppressions keep their shape
            counts["suppressed"] = len(self.suppressed)
        if self.baseline is not None:
            counts["baseline"] = {"matched": self.baseline[0], "unmatched": self.baseline[1]}
        return counts

    def verdicts(self) -> list[dict]:
        """Each state machine, and whether AWS would accept it: AWS's own answer when
        --aws-validate asked it, else whether no reported finding is one AWS rejects."""
        rejected = {(d.file, d.machine) for d in self.diagnostics if d.rule in self.rejected_by_aws}
        found = {}
        for machine in self.checked:
            key = (machine.file, machine.machine)
            would = self.aws_verdicts.get((machine.file, machine.findings_of),
                                          (machine.file, machine.findings_of) not in rejected)
            found[key] = {"file": machine.file, "machine": machine.machine, "would_deploy": would}
        return sorted(found.values(), key=lambda entry: (entry["file"], entry["machine"] or ""))

    def worst(self) -> Severity | None:
        return max((d.severity for d in self.diagnostics), default=None)


def json_pointer(path: tuple) -> str:
    """RFC 6901: state names may hold '/' and '~', which must be escaped."""
    return "".join("/" + str(part).replace("~", "~0").replace("/", "~1") for part in path)


# Characters that could start a new line, move the cursor, recolour the terminal or reorder
# what is shown: C0 and C1 controls (ANSI escapes start with ESC), DEL, NEL, the Unicode line
# and paragraph separators, and bidirectional overrides ("Trojan Source").
_UNSAFE = re.compile(r"[\x00-\x1f\x7f-\x9f\u2028\u2029\u200e\u200f\u202a-\u202e\u2066-\u2069]")
_NAMED_ESCAPES = {"\n": "\\n", "\r": "\\r", "\t": "\\t"}


def displayable(text: str) -> str:
    """`text` for a terminal or a CI log: every character that could end the line or act
    on the terminal is written as an escape, so user text can never start a line of output
    (GitHub Actions runs lines that start with '::')."""
    return _UNSAFE.sub(lambda match: _NAMED_ESCAPES.get(match.group(), f"\\u{ord(match.group()):04x}"), text)


def printable(text: str) -> str:
    """Text any UTF-8 stream can write: lone surrogates (from a JSON "\\ud800" escape or an
    undecodable file name) become backslash escapes."""
    return text.encode("utf-8", "backslashreplace").decode("utf-8")


class Checked(NamedTuple):
    """A state machine a file holds: where its findings are reported (`file`, `machine`),
    the file it was found through (`host`), and the machine whose findings stand for it
    (the same, unless one definition file serves several resources and was checked once)."""

    file: str
    machine: str | None
    host: str
    findings_of: str | None


@dataclass
class FileReport:
    diagnostics: list[Diagnostic] = field(default_factory=list)
    checked: list[Checked] = field(default_factory=list)
    aws_requests: list = field(default_factory=list)  # aws.AwsRequest, with --aws-validate
    machines: int = 0
    skipped: bool = False  # not a file for asl-lint: not counted, nothing reported
    suppressed: list[Diagnostic] = field(default_factory=list)  # silenced where the problem is
    drawn: list = field(default_factory=list)  # graph.Machine of each machine, when asked to keep them
    # What the report depends on besides the file (for the result cache): files read or
    # looked for, directories listed, shared definitions checked first here (key -> machine),
    # and whether another file had checked one of them first (then the report is the run's).
    reads: list = field(default_factory=list)
    listings: list = field(default_factory=list)
    claims: dict = field(default_factory=dict)
    deferred: bool = False
    digest: str = ""  # of the text linted
    # The file's stamp (files.file_stamp) taken before it was read, when it was old enough
    # to trust: a warm run whose file still has it takes the cached report without reading.
    stamp: list | None = None
    sources: dict = field(default_factory=dict)  # referenced path -> digest of the text checked
