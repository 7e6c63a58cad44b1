"""ASL201: StartAt must name a state of its own scope."""

from __future__ import annotations

from collections.abc import Iterator

from ...context import RuleContext
from ..base import Finding, Rule
from ._names import names_of


class StartAtNotFound(Rule):
    """`StartAt` names no state of its scope

    The top level, every Parallel branch and every Map processor start at the state their
    `StartAt` names, which must be a state of that same `States` object (names are
    case-sensitive). AWS: "MISSING_TRANSITION_TARGET ... at /StartAt".

    Bad:

    ```json
    {"StartAt": "begin", "States": {"Begin": {"Type": "Succeed"}}}
    ```

    Good:

    ```json
    {"StartAt": "Begin", "States": {"Begin": {"Type": "Succeed"}}}
    ```
    """

    id = "ASL201"
    name = "start-at-not-found"
    aws_code = 'MISSING_TRANSITION_TARGET'
    tags = ("flow",)

    def check(self, ctx: RuleContext) -> Iterator[Finding]:
        for scope in ctx.scopes:
            start = scope.start_at
            states = scope.data.get("States")
            if not isinstance(start, str) or not isinstance(states, dict) or start in states:
                continue
            message = f"StartAt names '{start}', which is not a state of {scope.label}"
            elsewhere = [other.label for other in ctx.scopes_of_name.get(start, [])]
            if elsewhere:
                message += f"; '{start}' belongs to {elsewhere[0]}"
            else:
                message += names_of(ctx, scope).hint(start)
            yield Finding(scope.path + ("StartAt",), message)
