"""ASL202: Next, Default, Choice-rule Next and Catcher Next must name a state of the scope."""

from __future__ import annotations

from collections.abc import Iterator

from ...context import RuleContext
from ...proposals import replace
from ..base import Finding, Rule
from ._names import names_of


class TransitionTargetNotFound(Rule):
    """A `Next`, `Default`, Choice rule or Catcher names no state of its scope

    Every transition must name a state in the same `States` object. A state inside a
    Parallel branch or a Map processor cannot jump out of it, and nothing outside can jump
    in. AWS: "MISSING_TRANSITION_TARGET: Missing 'Next' target".

    Bad:

    ```json
    {"StartAt": "A", "States": {"A": {"Type": "Pass", "Next": "B"},
      "C": {"Type": "Succeed"}}}
    ```

    Good:

    ```json
    {"StartAt": "A", "States": {"A": {"Type": "Pass", "Next": "C"},
      "C": {"Type": "Succeed"}}}
    ```
    """

    id = "ASL202"
    name = "transition-target-not-found"
    aws_code = 'MISSING_TRANSITION_TARGET'
    tags = ("flow",)

    def check(self, ctx: RuleContext) -> Iterator[Finding]:
        for scope_graph in ctx.graphs:
            scope = scope_graph.scope
            for transition in scope_graph.dangling:
                target = transition.target
                what = {"Choice": "a Choice rule", "Catch": "a Catcher"}.get(transition.kind, transition.kind)
                message = f"{what} of '{transition.source}' names '{target}', which is not a state of {scope.label}"
                elsewhere = [other for other in ctx.scopes_of_name.get(target, []) if other.path != scope.path]
                fix, related = None, ()
                if elsewhere:
                    message += (f"; '{target}' is in {elsewhere[0].label}, and a transition cannot"
                                " leave or enter a Parallel branch or Map processor")
                    related = ((elsewhere[0].state_path(target), f"'{target}' is here, in {elsewhere[0].label}"),)
                else:
                    close = names_of(ctx, scope).closest(target) if isinstance(target, str) else None
                    if close is not None:
                        message += f"; did you mean '{close}'?"
                        fix = replace(transition.path, close, f"Change to '{close}'", safe=False)
                yield Finding(transition.path, message, fix=fix, related=related)
