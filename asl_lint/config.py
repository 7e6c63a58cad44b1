"""What the user asked for: which rules run, at what severity, and when the run fails."""

from __future__ import annotations

from dataclasses import dataclass, field
from functools import cached_property

from .diagnostics import Severity
from .limits import MAX_FILE_BYTES
from .rules import load_rules


@dataclass
class Config:
    select: tuple[str, ...] = ("ALL",)
    ignore: tuple[str, ...] = ()
    severities: dict[str, Severity] = field(default_factory=dict)  # rule id or name -> severity
    fail_on: Severity | None = Severity.ERROR  # None: never fail on diagnostics
    kind: str | None = None  # asl | cloudformation | serverless; None: recognise by content
    workflow_type: str = "STANDARD"  # for definitions whose host does not say (--type)
    max_file_bytes: int = MAX_FILE_BYTES  # larger files are not read (ASL012)
    allow_outside_references: bool = False  # read referenced files outside the linted trees
    reference_roots: tuple[str, ...] | None = None  # those trees; None: from the current directory

    def validate(self) -> None:
        """Raise ValueError for a token that names no rule, tag or id prefix."""
        registry = load_rules()
        for token in (*self.select, *self.ignore, *self.severities):
            if _specificity(token, None) is None and not any(
                _specificity(token, rule) is not None for rule in registry
            ):
                raise ValueError(f"'{token}' names no rule, rule prefix or tag (see --list-rules)")

    @cached_property
    def _enabled(self) -> dict[str, bool]:
        result = {}
        for rule in load_rules():
            chosen = max((_score(t, rule) for t in self.select), default=-1)
            dropped = max((_score(t, rule) for t in self.ignore), default=-1)
            # Rules off by default run only when selected by something finer than ALL.
            wanted = chosen >= (0 if rule.enabled_by_default else 1)
            result[rule.id] = wanted and chosen > dropped  # a tie goes to ignore
        return result

    def enabled(self, rule_id: str) -> bool:
        return self._enabled.get(rule_id, True)

    def severity_of(self, rule) -> Severity:
        for key in (rule.id, rule.name):
            if key in self.severities:
                return self.severities[key]
        return rule.severity


def _score(token: str, rule) -> int:
    specificity = _specificity(token, rule)
    return -1 if specificity is None else specificity


def _specificity(token: str, rule) -> int | None:
    """How precisely `token` names `rule`: exact 3, id prefix 2, tag 1, ALL 0; None if not."""
    token = token.strip()
    if token.upper() == "ALL":
        return 0
    if rule is None:
        return None
    if token.upper() == rule.id or token.lower() == rule.name:
        return 3
    if token.upper().startswith("ASL") and rule.id.startswith(token.upper()):
        return 2
    if token.lower() in rule.tags:
        return 1
    return None
