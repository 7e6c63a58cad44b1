"""The state graph of each scope: networkx's adjacency, and networkx itself only when a rule
runs one of its algorithms."""

from __future__ import annotations

import networkx as nx

from asl_lint.context import Definition, RuleContext

BRANCHING = {"StartAt": "Pick", "States": {
    "Pick": {"Type": "Choice", "Choices": [{"Variable": "$.x", "BooleanEquals": True, "Next": "Work"}],
             "Default": "Done"},
    "Work": {"Type": "Task", "Resource": "arn:aws:states:::lambda:invoke", "Next": "Done",
             "Catch": [{"ErrorEquals": ["States.ALL"], "Next": "Done"}]},
    "Done": {"Type": "Succeed"}}}
# Findings of the graph rules without a loop that traps: a dangling Next, and an unreachable
# state that cannot finish (it loops on itself, but never runs).
FLOW_FINDINGS = {"StartAt": "A", "States": {"A": {"Type": "Pass", "Next": "Gone"},
                                            "Spin": {"Type": "Pass", "Next": "Spin"}}}
TRAP = {"StartAt": "Poll", "States": {
    "Poll": {"Type": "Wait", "Seconds": 5, "Next": "Check"},
    "Check": {"Type": "Choice", "Choices": [{"Variable": "$.done", "BooleanEquals": False, "Next": "Poll"}],
              "Default": "Poll"},
    "Done": {"Type": "Succeed"}}}


def test_the_networkx_graph_of_a_scope_is_its_adjacency_as_it_is() -> None:
    scope_graph = RuleContext(Definition(BRANCHING, "m.asl.json", None)).graphs[0]
    graph = scope_graph.graph
    assert isinstance(graph, nx.DiGraph)
    assert list(graph.nodes) == ["Pick", "Work", "Done"]  # the definition's order
    assert set(graph.edges) == {("Pick", "Work"), ("Pick", "Done"), ("Work", "Done")}
    # the Next and the Catcher that both lead Work -> Done are one edge with two transitions
    assert [t.kind for t in graph.edges["Work", "Done"]["transitions"]] == ["Next", "Catch"]
    assert graph.edges["Work", "Done"]["transitions"] is scope_graph.out["Work"]["Done"]
    assert graph._succ is scope_graph.successors and graph._pred is scope_graph.predecessors  # nothing copied
    assert nx.ancestors(graph, "Done") == {"Pick", "Work"}
    assert scope_graph.graph is graph  # made once


def test_graph_rules_that_search_the_adjacency_leave_networkx_unimported(check_in_fresh_interpreter) -> None:
    rules, imported = check_in_fresh_interpreter(FLOW_FINDINGS, ("networkx",))
    assert {"ASL202", "ASL203"} <= set(rules) and "ASL205" not in rules
    assert imported == {"networkx": False}


def test_a_loop_that_traps_is_found_with_networkx(check_in_fresh_interpreter) -> None:
    rules, imported = check_in_fresh_interpreter(TRAP, ("networkx",))
    assert "ASL205" in rules
    assert imported == {"networkx": True}
