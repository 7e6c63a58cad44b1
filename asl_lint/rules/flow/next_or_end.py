"""ASL208/ASL209: a non-terminal state has exactly one of Next and End."""

from __future__ import annotations

from collections.abc import Iterator

from ...context import RuleContext
from ...proposals import delete
from ..base import Finding, Rule

NEEDS_NEXT_OR_END = ("Task", "Pass", "Wait", "Parallel", "Map")


class NextAndEnd(Rule):
    """A state with both `Next` and `End`

    Task, Pass, Wait, Parallel and Map states take exactly one of `Next` and
    `"End": true`.

    Bad:

    ```json
    {"StartAt": "A", "States": {"A": {"Type": "Pass", "Next": "B", "End": true},
      "B": {"Type": "Succeed"}}}
    ```

    Good:

    ```json
    {"StartAt": "A", "States": {"A": {"Type": "Pass", "Next": "B"},
      "B": {"Type": "Succeed"}}}
    ```
    """

    id = "ASL208"
    name = "next-and-end"
    aws_code = 'SCHEMA_VALIDATION_FAILED'
    tags = ("flow",)

    def check(self, ctx: RuleContext) -> Iterator[Finding]:
        for state in ctx.states:
            if state.type in NEEDS_NEXT_OR_END and "Next" in state.data and "End" in state.data:
                yield Finding(state.path + ("End",), f"state '{state.name}' has both Next and End: keep one", "key",
                              fix=_keep_one(state))


def _keep_one(state):
    """Keep Next when it names a state of the scope (the graph goes on there), else End."""
    target = state.data["Next"]
    if isinstance(target, str) and target in state.scope.states and target != state.name:
        return delete(state.path + ("End",), "Remove End, keep Next", safe=False)
    return delete(state.path + ("Next",), "Remove Next, keep End", safe=False)


class MissingNextOrEnd(Rule):
    """A state with neither `Next` nor `"End": true`

    Task, Pass, Wait, Parallel and Map states must say where to go next or that they end
    the execution. `"End": false` does not end anything.

    Bad:

    ```json
    {"StartAt": "A", "States": {"A": {"Type": "Pass"}}}
    ```

    Good:

    ```json
    {"StartAt": "A", "States": {"A": {"Type": "Pass", "End": true}}}
    ```
    """

    id = "ASL209"
    name = "missing-next-or-end"
    aws_code = 'SCHEMA_VALIDATION_FAILED'
    tags = ("flow",)

    def check(self, ctx: RuleContext) -> Iterator[Finding]:
        for state in ctx.states:
            data = state.data
            if state.type not in NEEDS_NEXT_OR_END or "Next" in data or data.get("End") is True:
                continue
            if "End" in data:
                message = f"state '{state.name}' has \"End\": {str(data['End']).lower()}, which does not end it: set End to true or add Next"
            else:
                message = f"{state.type} state '{state.name}' has neither Next nor \"End\": true"
            yield Finding(state.path, message, "key")
