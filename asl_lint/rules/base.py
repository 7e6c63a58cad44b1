"""What a rule is, what it returns, and the one registry of rules."""

from __future__ import annotations

import re
from collections.abc import Iterable, Iterator
from typing import TYPE_CHECKING, ClassVar, Literal, NamedTuple

from ..diagnostics import Severity

if TYPE_CHECKING:
    from ..context import RuleContext

Anchor = Literal["key", "value", "member"]

# The codes of AWS's ValidateStateMachineDefinition: its errors (the definition is
# rejected) and its warnings (accepted).
AWS_ERROR_CODES = frozenset({
    "INVALID_JSON_DESCRIPTION", "MISSING_DESCRIPTION", "SCHEMA_VALIDATION_FAILED", "INVALID_RESOURCE",
    "MISSING_END_STATE", "MISSING_TRANSITION_TARGET", "DUPLICATE_STATE_NAME", "INVALID_STATE_NAME",
    "DUPLICATE_LABEL_NAME", "INVALID_LABEL_NAME", "TOO_DEEPLY_NESTED"})
AWS_WARNING_CODES = frozenset({"NO_DOLLAR", "NO_PATH", "PASS_RESULT_IS_STATIC"})


class Finding(NamedTuple):
    """A problem as a rule sees it: where in the definition, and what. No positions."""

    path: tuple
    message: str
    anchor: Anchor = "value"  # "key": the member's name; "member": key through value
    within: tuple[int, int] | None = None  # characters of the string value at `path`
    fix: object = None  # a proposals.Proposal: how to solve it, when the rule knows
    related: tuple = ()  # (path, message) of other places of the definition that explain it


class Rule:
    """Base of every rule. The class docstring is the rule's user documentation."""

    id: ClassVar[str]
    name: ClassVar[str]
    severity: ClassVar[Severity] = Severity.ERROR  # the default; configuration may change it
    tags: ClassVar[tuple[str, ...]] = ()
    # Marker rules are reported by the loader, the schema pass or the engine, not by check().
    marker: ClassVar[bool] = False
    # Noisy advice runs only when selected by id, name, prefix or tag (not by ALL).
    enabled_by_default: ClassVar[bool] = True
    # The code AWS's ValidateStateMachineDefinition reports for the same problem, or None
    # when AWS does not report it (asl-lint finds much that AWS does not). Every rule
    # says which, in its own class: a test checks the catalogue is complete.
    aws_code: ClassVar[str | None]
    # Whether AWS refuses a definition with this problem; None: it does when `aws_code`
    # is one of AWS's error codes.
    aws_rejects: ClassVar[bool | None] = None
    # Whether findings depend on how a template uses the definition (its substitutions,
    # the template's name), not only on the definition: a file that 150 templates render
    # with their own variables is checked once, and only these rules run once per use.
    per_use: ClassVar[bool] = False

    def __init_subclass__(cls, **kwargs: object) -> None:
        super().__init_subclass__(**kwargs)
        REGISTRY.add(cls)

    def check(self, ctx: RuleContext) -> Iterable[Finding]:
        return ()

    @classmethod
    def rejected_by_aws(cls) -> bool:
        """Whether Step Functions refuses a definition with this problem (CreateStateMachine
        and ValidateStateMachineDefinition), as opposed to advice AWS would let through."""
        if cls.aws_rejects is not None:
            return cls.aws_rejects
        return getattr(cls, "aws_code", None) in AWS_ERROR_CODES

    @classmethod
    def summary(cls) -> str:
        return (cls.__doc__ or "").strip().splitlines()[0]

    @classmethod
    def documentation(cls) -> str:
        import inspect

        return inspect.cleandoc(cls.__doc__ or "")


class RuleRegistry:
    """Rules by id and by name; ids and names must be unique."""

    _ID = re.compile(r"^ASL\d{3}$")
    _NAME = re.compile(r"^[a-z0-9]+(-[a-z0-9]+)*$")

    def __init__(self) -> None:
        self._by_id: dict[str, type[Rule]] = {}
        self._by_name: dict[str, type[Rule]] = {}

    def add(self, rule: type[Rule]) -> None:
        if not self._ID.match(rule.id) or not self._NAME.match(rule.name):
            raise ValueError(f"bad rule id or name: {rule.id} {rule.name}")
        if rule.id in self._by_id or rule.name in self._by_name:
            raise ValueError(f"rule {rule.id} {rule.name} is registered twice")
        self._by_id[rule.id] = rule
        self._by_name[rule.name] = rule

    def get(self, id_or_name: str) -> type[Rule] | None:
        return self._by_id.get(id_or_name.upper()) or self._by_name.get(id_or_name.lower())

    def __iter__(self) -> Iterator[type[Rule]]:
        return iter(sorted(self._by_id.values(), key=lambda rule: rule.id))

    def __len__(self) -> int:
        return len(self._by_id)


REGISTRY = RuleRegistry()
