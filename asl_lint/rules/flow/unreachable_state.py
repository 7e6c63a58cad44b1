"""ASL203/ASL204: states that no path from StartAt reaches."""

from __future__ import annotations

from collections.abc import Iterator

from ...context import RuleContext
from ...diagnostics import Severity
from ...model import ScopeGraph, closure
from ..base import Finding, Rule
from ._names import quoted_list


def unreachable(scope_graph: ScopeGraph) -> list[str]:
    """States of the scope that cannot be reached from its StartAt, in document order
    (found once for the two rules)."""
    if scope_graph.unreachable is None:
        # The scope's node and adjacency dictionaries, as closure reads them: no networkx
        # graph, whose `in` and views cost a call for each scope of each definition.
        nodes, start = scope_graph.nodes, scope_graph.scope.start_at
        if not isinstance(start, str) or start not in nodes or scope_graph.unknown_targets:
            # A missing start is its own error (all would look unreachable); a transition to
            # a deploy-time value may lead anywhere.
            scope_graph.unreachable = []
        else:
            reached = closure((start,), scope_graph.successors)
            scope_graph.unreachable = [name for name in nodes if name not in reached]
    return scope_graph.unreachable


def referrers(scope_graph: ScopeGraph, name: str) -> list[str]:
    return [source for source in scope_graph.predecessors[name] if source != name]


class UnreachableState(Rule):
    """A state that nothing transitions to

    No `StartAt`, `Next`, `Default`, Choice rule or Catcher in its scope names the state,
    so it can never run. AWS rejects the definition: 'State "X" is not reachable'.

    Bad:

    ```json
    {"StartAt": "A", "States": {"A": {"Type": "Succeed"},
      "Orphan": {"Type": "Pass", "End": true}}}
    ```

    Good:

    ```json
    {"StartAt": "A", "States": {"A": {"Type": "Pass", "Next": "B"},
      "B": {"Type": "Pass", "End": true}}}
    ```
    """

    id = "ASL203"
    name = "unreachable-state"
    aws_code = 'MISSING_TRANSITION_TARGET'
    tags = ("flow",)

    def check(self, ctx: RuleContext) -> Iterator[Finding]:
        for scope_graph in ctx.graphs:
            for name in unreachable(scope_graph):
                if not referrers(scope_graph, name):
                    message = (f"state '{name}' is not reachable: nothing in {scope_graph.scope.label}"
                               " transitions to it")
                    yield Finding(scope_graph.scope.state_path(name), message, "member")


class UnreachableCycle(Rule):
    """A state reached only from states that can never run

    The state is named by some transition, but only by states that are themselves
    unreachable from `StartAt` (an island, or a chain hanging off an unreachable state).
    AWS's documented check looks only for states nothing names, so this is a warning.

    Bad:

    ```json
    {"StartAt": "A", "States": {"A": {"Type": "Succeed"},
      "B": {"Type": "Wait", "Seconds": 1, "Next": "C"},
      "C": {"Type": "Wait", "Seconds": 1, "Next": "B"}}}
    ```

    Good:

    ```json
    {"StartAt": "B", "States": {"B": {"Type": "Wait", "Seconds": 1, "Next": "C"},
      "C": {"Type": "Succeed"}}}
    ```
    """

    id = "ASL204"
    name = "unreachable-cycle"
    aws_code = None
    severity = Severity.WARNING
    tags = ("flow",)

    def check(self, ctx: RuleContext) -> Iterator[Finding]:
        for scope_graph in ctx.graphs:
            for name in unreachable(scope_graph):
                sources = referrers(scope_graph, name)
                if sources:
                    message = (f"state '{name}' cannot be reached from StartAt: only unreachable"
                               f" states lead to it ({quoted_list(sources)})")
                    yield Finding(scope_graph.scope.state_path(name), message, "member")
