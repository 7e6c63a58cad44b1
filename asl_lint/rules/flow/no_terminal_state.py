"""ASL206: every scope needs a state that ends it."""

from __future__ import annotations

from collections.abc import Iterator

from ...context import RuleContext
from ...model import STATE_TYPES
from ..base import Finding, Rule


class NoTerminalState(Rule):
    """A scope with no terminal state

    The top level, every Parallel branch and every Map processor need at least one
    `Succeed` or `Fail` state or a state with `"End": true`. AWS: "MISSING_END_STATE".

    Bad:

    ```json
    {"StartAt": "A", "States": {"A": {"Type": "Pass", "Next": "A"}}}
    ```

    Good:

    ```json
    {"StartAt": "A", "States": {"A": {"Type": "Pass", "End": true}}}
    ```
    """

    id = "ASL206"
    name = "no-terminal-state"
    aws_code = 'MISSING_END_STATE'
    tags = ("flow",)

    def check(self, ctx: RuleContext) -> Iterator[Finding]:
        for scope in ctx.scopes:
            states = ctx.states_by_scope[scope.path]
            # The common case, asked first; from the end, where a scope's end usually is.
            if not states or any(state.is_terminal for state in reversed(states)):
                continue
            if any(state.type not in STATE_TYPES for state in states):
                continue  # a state of unknown type might be the end; its Type is reported
            if any(ctx.is_placeholder(state.path + ("End",)) or ctx.is_placeholder(state.path + ("Type",))
                   for state in states):
                continue  # an End or Type known only at deploy or plan time might end it
            message = (f"no state of {scope.label} ends the execution: add a Succeed or Fail"
                       ' state, or "End": true')
            yield Finding(scope.path + ("States",), message, "key")
