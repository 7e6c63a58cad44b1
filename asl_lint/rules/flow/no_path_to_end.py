"""ASL205: loops that no path leaves."""

from __future__ import annotations

from collections.abc import Iterator

from ...context import RuleContext
from ...diagnostics import Severity
from ...model import closure
from ..base import Finding, Rule
from ._names import quoted_list
from .unreachable_state import unreachable


class NoPathToEnd(Rule):
    """A loop with no way out: no terminal state can be reached from it

    Once an execution enters these states it can never end: it runs until the execution
    times out or reaches the 25,000-event history limit. Give the loop an exit (a Choice
    `Default`, a Catcher, a terminal state).

    Bad:

    ```json
    {"StartAt": "Poll", "States": {
      "Poll": {"Type": "Wait", "Seconds": 5, "Next": "Check"},
      "Check": {"Type": "Choice", "Choices": [
        {"Variable": "$.done", "BooleanEquals": false, "Next": "Poll"}],
        "Default": "Poll"},
      "Done": {"Type": "Succeed"}}}
    ```

    Good:

    ```json
    {"StartAt": "Poll", "States": {
      "Poll": {"Type": "Wait", "Seconds": 5, "Next": "Check"},
      "Check": {"Type": "Choice", "Choices": [
        {"Variable": "$.done", "BooleanEquals": false, "Next": "Poll"}],
        "Default": "Done"},
      "Done": {"Type": "Succeed"}}}
    ```
    """

    id = "ASL205"
    name = "no-path-to-end"
    aws_code = None
    severity = Severity.WARNING
    tags = ("flow",)

    def check(self, ctx: RuleContext) -> Iterator[Finding]:
        for scope_graph in ctx.graphs:
            terminals = [state.name for state in ctx.states_by_scope[scope_graph.scope.path] if state.is_terminal]
            if not terminals or scope_graph.unknown_targets:
                continue  # no end at all (no-terminal-state says so), or a way out known only at deploy
            nodes = scope_graph.nodes
            can_finish = closure(terminals, scope_graph.predecessors)  # one backward search from every end
            if len(can_finish) == len(nodes):
                continue  # every state can finish: nothing to look for
            never_run = set(unreachable(scope_graph))
            stuck_states = [name for name in nodes if name not in can_finish and name not in never_run]
            if not stuck_states:
                continue  # only states that never run cannot finish: unreachable-state says so
            import networkx as nx  # here: a stuck loop is rare, and the import costs more than a check

            # Report each trap once: a loop from which even the other stuck states are out of reach.
            stuck = scope_graph.graph.subgraph(stuck_states)
            condensed = nx.condensation(stuck)
            order = {name: index for index, name in enumerate(nodes)}
            for component in condensed.nodes:
                members = sorted(condensed.nodes[component]["members"], key=order.__getitem__)
                is_loop = len(members) > 1 or stuck.has_edge(members[0], members[0])
                if condensed.out_degree(component) == 0 and is_loop:
                    message = (f"no terminal state can be reached from the loop {quoted_list(members)}:"
                               " once entered it never ends")
                    yield Finding(scope_graph.scope.state_path(members[0]), message, "key")
