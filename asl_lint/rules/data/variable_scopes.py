"""ASL345-ASL346: variables and Distributed Map child executions; Assign on nested rules."""

from __future__ import annotations

from collections.abc import Iterator

from ...context import RuleContext
from ...diagnostics import Severity
from ..base import Finding, Rule
from ._variables import flow


class DistributedMapOuterVariable(Rule):
    """A state in a Distributed Map reads a variable of the outer workflow

    The iterations of a Distributed Map run as child executions, which cannot read the
    parent's variables. Pass the value in with `ItemSelector` instead.

    Bad:

    ```json
    {"StartAt": "A", "States": {
      "A": {"Type": "Pass", "Assign": {"bucket": "b"}, "Next": "M"},
      "M": {"Type": "Map", "End": true, "ItemProcessor": {
        "ProcessorConfig": {"Mode": "DISTRIBUTED", "ExecutionType": "STANDARD"},
        "StartAt": "I", "States": {"I": {"Type": "Pass", "Parameters": {"b.$": "$bucket"}, "End": true}}}}}}
    ```

    Good:

    ```json
    {"StartAt": "A", "States": {
      "A": {"Type": "Pass", "Assign": {"bucket": "b"}, "Next": "M"},
      "M": {"Type": "Map", "End": true, "ItemSelector": {"bucket.$": "$bucket", "item.$": "$$.Map.Item.Value"},
        "ItemProcessor": {
        "ProcessorConfig": {"Mode": "DISTRIBUTED", "ExecutionType": "STANDARD"},
        "StartAt": "I", "States": {"I": {"Type": "Pass", "Parameters": {"b.$": "$.bucket"}, "End": true}}}}}}
    ```
    """

    id = "ASL345"
    name = "distributed-map-outer-variable"
    aws_code = 'SCHEMA_VALIDATION_FAILED'
    tags = ("data", "variables")

    def check(self, ctx: RuleContext) -> Iterator[Finding]:
        variables = flow(ctx)
        for use in variables.uses:
            scope = use.state.scope
            if not scope.in_child_execution:
                continue
            chain = variables.ancestors(scope.path)
            inside = [path for path in chain if _in_child(ctx, path)]
            scopes = variables.assigned_in.get(use.name, set())
            if scopes and not scopes & set(inside) and scopes & set(chain):
                yield Finding(use.path, f"${use.name} belongs to the outer workflow; a Distributed Map's child"
                              f" executions cannot read it: pass it in ItemSelector (state '{use.state.name}')",
                              within=use.within)


def _in_child(ctx: RuleContext, path: tuple) -> bool:
    return any(scope.path == path and scope.in_child_execution for scope in ctx.scopes)


class NestedChoiceRuleAssign(Rule):
    """`Assign` on a Choice rule nested inside `And`, `Or` or `Not`

    Only the matching top-level Choice rule's `Assign` runs; one on a nested rule is
    ignored.

    Bad:

    ```json
    {"StartAt": "C", "States": {"C": {"Type": "Choice", "Default": "D", "Choices": [
      {"And": [{"Variable": "$.a", "IsPresent": true, "Assign": {"seen": true}}], "Next": "D"}]},
      "D": {"Type": "Succeed"}}}
    ```

    Good:

    ```json
    {"StartAt": "C", "States": {"C": {"Type": "Choice", "Default": "D", "Choices": [
      {"And": [{"Variable": "$.a", "IsPresent": true}], "Assign": {"seen": true}, "Next": "D"}]},
      "D": {"Type": "Succeed"}}}
    ```
    """

    id = "ASL346"
    name = "nested-choice-rule-assign"
    aws_code = None
    severity = Severity.WARNING
    tags = ("data", "variables")

    def check(self, ctx: RuleContext) -> Iterator[Finding]:
        for rule in ctx.index.choice_rules:
            if not rule.top and "Assign" in rule.data:
                yield Finding(rule.path + ("Assign",), "Assign on a nested Choice rule is ignored: move it to the"
                              f" top-level rule (state '{rule.state.name}')", "key")
