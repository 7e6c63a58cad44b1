"""The state graph of each scope: networkx's adjacency, and networkx itself only when a rule
runs one of its algorithms."""

from __future__ import annotations

import json
import subprocess
import sys
from pathlib import Path

import networkx as nx

from asl_lint.context import Definition, RuleContext

ROOT = Path(__file__).resolve().parents[1]
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


def _run(tmp_path: Path, definition: dict) -> tuple[list[str], bool]:
    """(rules found, whether networkx was imported) for a check in a fresh interpreter."""
    (tmp_path / "flow.asl.json").write_text(json.dumps(definition), encoding="utf-8")
    script = ("import json, sys\nfrom asl_lint import lint_paths\n"
              "found = lint_paths(['flow.asl.json'], jobs=1)\n"
              "print(json.dumps([sorted(d.rule for d in found.diagnostics), 'networkx' in sys.modules]))")
    done = subprocess.run([sys.executable, "-c", script], capture_output=True, text=True, cwd=tmp_path, check=True,
                          env={"PYTHONPATH": str(ROOT), "PATH": "", "HOME": str(tmp_path)})
    rules, imported = json.loads(done.stdout.splitlines()[-1])
    return rules, imported


def test_graph_rules_that_search_the_adjacency_leave_networkx_unimported(tmp_path: Path) -> None:
    rules, imported = _run(tmp_path, FLOW_FINDINGS)
    assert {"ASL202", "ASL203"} <= set(rules) and "ASL205" not in rules
    assert imported is False


def test_a_loop_that_traps_is_found_with_networkx(tmp_path: Path) -> None:
    rules, imported = _run(tmp_path, TRAP)
    assert "ASL205" in rules
    assert imported is True
