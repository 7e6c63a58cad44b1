"""ASL340-ASL344: workflow variables, `Assign` and where they can be read."""

from __future__ import annotations

from collections.abc import Iterator

from ...context import RuleContext
from ...diagnostics import Severity
from ...suggest import Suggester
from ..base import Finding, Rule
from ._variables import flow


def _labels(ctx: RuleContext) -> dict[tuple, str]:
    """Scope path -> how messages name the scope; made only for a finding that names one."""
    return ctx.shared("scope labels", lambda ctx: {scope.path: scope.label for scope in ctx.scopes})

MAX_NAME = 80


class InvalidVariableName(Rule):
    """An `Assign` key that is not a valid variable name

    Variable names follow Unicode identifier rules (a letter or `_` first, then letters,
    digits or `_`), have at most 80 characters, and `states` is reserved. Parts of a
    variable cannot be assigned: `"order.id"` or `"items[0]"` are not names.

    Bad:

    ```json
    {"StartAt": "P", "States": {"P": {"Type": "Pass", "End": true,
      "Assign": {"order.id": 1}}}}
    ```

    Good:

    ```json
    {"StartAt": "P", "States": {"P": {"Type": "Pass", "End": true,
      "Assign": {"orderId": 1}}}}
    ```
    """

    id = "ASL340"
    name = "invalid-variable-name"
    aws_code = 'SCHEMA_VALIDATION_FAILED'
    tags = ("data", "variables")

    def check(self, ctx: RuleContext) -> Iterator[Finding]:
        for assignment in flow(ctx).assignments:
            name = assignment.name
            if name == "states":
                problem = "'states' is reserved for $states"
            elif not name.isidentifier():
                problem = f"'{name}' is not a variable name (letters, digits and _, not starting with a digit)"
            elif len(name) > MAX_NAME:
                problem = f"variable name '{name[:20]}...' has {len(name)} characters; the limit is {MAX_NAME}"
            else:
                continue
            yield Finding(assignment.path, f"{problem} (state '{assignment.state.name}')", "key")


class UndefinedVariable(Rule):
    """A variable that no state assigns

    Reading a variable that nothing assigns fails the execution. Usually a typo, or an
    `Assign` that was removed.

    Bad:

    ```json
    {"StartAt": "P", "States": {"P": {"Type": "Pass", "End": true,
      "Parameters": {"id.$": "$orderID"}}}}
    ```

    Good:

    ```json
    {"StartAt": "A", "States": {"A": {"Type": "Pass", "Assign": {"orderId": 7}, "Next": "P"},
      "P": {"Type": "Pass", "End": true, "Parameters": {"id.$": "$orderId"}}}}
    ```
    """

    id = "ASL341"
    name = "undefined-variable"
    aws_code = None
    severity = Severity.WARNING
    tags = ("data", "variables")

    def check(self, ctx: RuleContext) -> Iterator[Finding]:
        variables = flow(ctx)
        known = None  # the spellings to suggest from, sorted only when a name is unknown
        for use in variables.uses:
            if use.name not in variables.assigned_in:
                known = known or Suggester(variables.assigned_in)
                close = known.closest(use.name)
                hint = f"; did you mean ${close}?" if close is not None else ""
                yield Finding(use.path, f"variable ${use.name} is never assigned{hint} (state '{use.state.name}')",
                              within=use.within)


class VariableMaybeUnassigned(Rule):
    """A variable read where some path from `StartAt` has not assigned it yet

    Every path that reaches the state must pass an `Assign` of the variable first (a
    state's own `Assign` counts only for the states after it). Otherwise the execution
    fails on the path that skipped it.

    Bad:

    ```json
    {"StartAt": "C", "States": {
      "C": {"Type": "Choice", "Default": "Use",
            "Choices": [{"Variable": "$.vip", "BooleanEquals": true, "Next": "Set"}]},
      "Set": {"Type": "Pass", "Assign": {"discount": 10}, "Next": "Use"},
      "Use": {"Type": "Pass", "Parameters": {"d.$": "$discount"}, "End": true}}}
    ```

    Good:

    ```json
    {"StartAt": "C", "States": {
      "C": {"Type": "Choice", "Default": "Use", "Assign": {"discount": 0},
            "Choices": [{"Variable": "$.vip", "BooleanEquals": true, "Next": "Set"}]},
      "Set": {"Type": "Pass", "Assign": {"discount": 10}, "Next": "Use"},
      "Use": {"Type": "Pass", "Parameters": {"d.$": "$discount"}, "End": true}}}
    ```
    """

    id = "ASL342"
    name = "variable-maybe-unassigned"
    aws_code = None
    severity = Severity.WARNING
    tags = ("data", "variables")

    def check(self, ctx: RuleContext) -> Iterator[Finding]:
        variables = flow(ctx)
        for use in variables.uses:
            scopes = variables.assigned_in.get(use.name)
            if not scopes or scopes.isdisjoint(variables.visible_from(use.state.scope.path)) or \
                    use.state.scope.in_child_execution:
                continue  # unknown or out of scope: other rules say so
            if variables.assigned_before(use.state, use.name) is False:
                yield Finding(use.path, f"${use.name} may be read before it is assigned: not every path to"
                              f" state '{use.state.name}' assigns it", within=use.within)


class VariableOutOfScope(Rule):
    """A variable read outside the Parallel branch or Map iteration that assigns it

    Variables assigned inside a branch or an iteration exist only there: the states after
    the Parallel or Map, and the other branches, cannot read them. Pass values out through
    the state's output, or assign them in a Catcher or at the outer level.

    Bad:

    ```json
    {"StartAt": "P", "States": {
      "P": {"Type": "Parallel", "Next": "Use", "Branches": [
        {"StartAt": "B", "States": {"B": {"Type": "Pass", "Assign": {"found": true}, "End": true}}}]},
      "Use": {"Type": "Pass", "Parameters": {"f.$": "$found"}, "End": true}}}
    ```

    Good:

    ```json
    {"StartAt": "P", "States": {
      "P": {"Type": "Parallel", "Next": "Use", "Assign": {"found.$": "$[0].found"}, "Branches": [
        {"StartAt": "B", "States": {"B": {"Type": "Pass", "Result": {"found": true}, "End": true}}}]},
      "Use": {"Type": "Pass", "Parameters": {"f.$": "$found"}, "End": true}}}
    ```
    """

    id = "ASL343"
    name = "variable-out-of-scope"
    aws_code = None
    severity = Severity.WARNING
    tags = ("data", "variables")

    def check(self, ctx: RuleContext) -> Iterator[Finding]:
        variables = flow(ctx)
        for use in variables.uses:
            scopes = variables.assigned_in.get(use.name)
            if not scopes or not scopes.isdisjoint(variables.visible_from(use.state.scope.path)):
                continue
            where = _labels(ctx).get(sorted(scopes)[0], "another scope")
            yield Finding(use.path, f"${use.name} is only assigned in {where}, which state '{use.state.name}'"
                          " cannot see", within=use.within)


class VariableShadowing(Rule):
    """A branch or iteration assigns a variable that an enclosing scope also assigns

    Names must be unique between a scope and the scopes inside it: inside a Parallel
    branch or Map iteration, assign a new name instead of reusing an outer variable's.

    The Parallel or Map state's own `Assign` and its Catchers' `Assign` do not count: they
    run in the enclosing scope after the branches or iterations have ended, when the
    inner variables are gone (AWS created and ran a machine whose Parallel branch and the
    Parallel's Catcher assign the same name).

    Bad:

    ```json
    {"StartAt": "A", "States": {
      "A": {"Type": "Pass", "Assign": {"count": 0}, "Next": "M"},
      "M": {"Type": "Map", "End": true, "ItemProcessor": {"StartAt": "I", "States": {
        "I": {"Type": "Pass", "Assign": {"count": 1}, "End": true}}}}}}
    ```

    Good:

    ```json
    {"StartAt": "A", "States": {
      "A": {"Type": "Pass", "Assign": {"count": 0}, "Next": "M"},
      "M": {"Type": "Map", "End": true, "ItemProcessor": {"StartAt": "I", "States": {
        "I": {"Type": "Pass", "Assign": {"itemCount": 1}, "End": true}}}}}}
    ```
    """

    id = "ASL344"
    name = "variable-shadowing"
    aws_code = 'SCHEMA_VALIDATION_FAILED'
    tags = ("data", "variables")

    def check(self, ctx: RuleContext) -> Iterator[Finding]:
        variables = flow(ctx)
        assigners: dict[tuple[str, tuple], set[tuple]] = {}
        for assignment in variables.assignments:
            assigners.setdefault((assignment.name, assignment.state.scope.path), set()).add(assignment.state.path)
        for assignment in variables.assignments:
            scope = assignment.state.scope.path
            outer = [s for s in variables.ancestors(scope)[1:]
                     if assigners.get((assignment.name, s), set()) - {scope[:len(s) + 2]}]
            if outer and not assignment.state.scope.in_child_execution:
                yield Finding(assignment.path, f"'{assignment.name}' is also assigned in {_labels(ctx)[outer[0]]};"
                              f" use another name inside this scope (state '{assignment.state.name}')", "key")
