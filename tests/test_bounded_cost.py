"""The shape of the algorithms that bound cost on hostile inputs; their times are measured
in benchmarks/worst_case.py, never here."""

from __future__ import annotations

import json
import re

from asl_lint import engine
from asl_lint.config import Config
from asl_lint.context import RuleContext
from asl_lint.engine import lint_text
from asl_lint.extract import extract_definitions
from asl_lint.rules.data._variables import flow
from asl_lint.rules.states import choice
from asl_lint.source import load_document
from asl_lint.suggest import MAX_CANDIDATES, Suggester


def test_suggestions_compare_a_bounded_number_of_names() -> None:
    names = [f"State{i:05d}" for i in range(20_000)] + ["Notify Customer"]
    suggester = Suggester(names)
    assert len(suggester.candidates("Missing00001")) <= MAX_CANDIDATES
    assert len(suggester.candidates("State01234x")) <= MAX_CANDIDATES
    assert suggester.closest("Notfy Customer") == "Notify Customer"  # a typo in the middle
    assert suggester.closest("State01234x") == "State01234"  # a letter too many at the end
    assert suggester.closest("notify customer") == "Notify Customer"  # case only


def test_the_variable_data_flow_keeps_one_integer_per_state() -> None:
    states = {f"S{i}": {"Type": "Pass", "Assign": {f"v{i}": i}, "Parameters": {"x.$": f"$v{max(i - 1, 0)}"},
                        "Next": f"S{i + 1}"} for i in range(300)}
    states["S300"] = {"Type": "Succeed"}
    document = load_document(json.dumps({"StartAt": "S0", "States": states}), "flow.asl.json")
    definition = extract_definitions(document, "flow.asl.json").definitions[0]
    facts = flow(RuleContext(definition)).assigned_on_entry
    assert len(facts) == 301 and all(isinstance(mask, int) for mask in facts.values())


def test_the_variable_data_flow_runs_only_where_a_variable_is_read() -> None:
    quiet = {"StartAt": "Q0", "States": {f"Q{i}": {"Type": "Pass", "Next": f"Q{i + 1}"} for i in range(50)}}
    quiet["States"]["Q50"] = {"Type": "Succeed"}
    reading = {"StartAt": "Read", "States": {"Read": {"Type": "Pass", "Parameters": {"d.$": "$x"}, "End": True}}}
    machine = {"StartAt": "Set", "States": {
        "Set": {"Type": "Pass", "Assign": {"x": 1}, "Next": "Fork"},
        "Fork": {"Type": "Parallel", "Branches": [quiet, reading], "End": True}}}
    document = load_document(json.dumps(machine), "flow.asl.json")
    definition = extract_definitions(document, "flow.asl.json").definitions[0]
    facts = flow(RuleContext(definition)).assigned_on_entry
    assert sorted(state.name for state in facts) == ["Fork", "Read", "Set"]  # the quiet branch is not walked
    assert all(facts[state] == 1 for state in facts if state.name in ("Fork", "Read"))


def test_string_matches_needs_no_backtracking_regex() -> None:
    sources = [pattern.pattern for pattern in vars(choice).values() if isinstance(pattern, re.Pattern)]
    assert not any(r"[^\]]*" in source for source in sources)  # quadratic on a run of '['
    assert choice._looks_like_regex("[" * 1000 + "]") and not choice._looks_like_regex("[" * 1000)


def test_a_definition_file_shared_by_ten_resources_is_checked_once(tmp_path, monkeypatch) -> None:
    monkeypatch.chdir(tmp_path)
    (tmp_path / "flow.asl.json").write_text('{"StartAt": "A", "States": {"A": {"Type": "Pass", "Next": "B"}}}')
    resources = {f"Flow{i}": {"Type": "AWS::Serverless::StateMachine", "Properties": {"DefinitionUri": "flow.asl.json"}}
                 for i in range(10)}
    checked = []
    real = engine.check_definition

    def counted(definition, config, part="all"):
        if part != "use":  # the per-use rules run for each distinct use; the definition once
            checked.append(definition.machine)
        return real(definition, config, part)

    monkeypatch.setattr(engine, "check_definition", counted)
    report = lint_text(json.dumps({"Resources": resources}), "template.json", Config())
    assert len(checked) == 1 and report.machines == 10
    express = {**resources, "Fast": {"Type": "AWS::Serverless::StateMachine",
                                     "Properties": {"DefinitionUri": "flow.asl.json", "Type": "EXPRESS"}}}
    checked.clear()
    lint_text(json.dumps({"Resources": express}), "template.json", Config())
    assert len(checked) == 2  # another workflow type is another check


def test_a_plain_json_file_is_read_without_positions_until_a_diagnostic_needs_them() -> None:
    from asl_lint.source.json_loader import LazySourceMap

    document = load_document('{"StartAt": "A", "States": {"A": {"Type": "Succeed"}}}', "a.asl.json")
    assert isinstance(document.sourcemap, LazySourceMap) and dict.__len__(document.sourcemap.locations) == 0
    assert lint_text('{"StartAt": "A", "States": {"A": {"Type": "Succeed"}}}', "a.asl.json", Config()).diagnostics == []
    states = {f"S{i}": {"Type": "Pass", "Next": f"S{i + 1}"} for i in range(1000)}
    states["S1000"] = {"Type": "Pass", "Next": "Gone"}
    big = load_document(json.dumps({"StartAt": "S0", "States": states}), "big.asl.json")
    span = big.sourcemap.span(("States", "S1000", "Next"))
    assert span is not None and dict.__len__(big.sourcemap.locations) == 1  # one path, not 3,000
    odd = load_document('{"StartAt": "A", "StartAt": "B", "States": {}}', "a.asl.json")
    assert not isinstance(odd.sourcemap, LazySourceMap) and len(odd.duplicates) == 1


def test_a_checked_definition_leaves_no_garbage_for_the_cyclic_collector() -> None:
    import gc
    from pathlib import Path

    # Cached sites point back at their state, a networkx graph caches views of itself:
    # broken when the rules are done, so reference counting frees a definition at once.
    examples = Path(__file__).resolve().parents[1] / "fixtures" / "examples"
    texts = [(str(path), path.read_text(encoding="utf-8")) for path in sorted(examples.glob("valid/*"))]
    for path, text in texts:  # modules and caches loaded before counting
        lint_text(text, path, Config())
    gc.collect()
    gc.disable()
    try:
        for path, text in texts:
            lint_text(text, path, Config())
            assert gc.collect() == 0, path
    finally:
        gc.enable()


# ---- amplification: text that YAML aliases, intrinsics or substitutions repeat


def _lint_rules(text: str, name: str) -> list[str]:
    return sorted(d.rule for d in lint_text(text, name, Config()).diagnostics)


def test_measuring_a_built_value_stops_past_its_budget() -> None:
    from asl_lint.limits import built_size

    big = ["x" * 1000] * 1_000_000  # the same string a million times: 1 GB once written out
    assert 100 <= built_size(big, 100) < 100 + 2 * 1002 + 1_000_000 + 2


def test_yaml_aliases_are_counted_in_characters_not_only_values() -> None:
    text = "big: &big " + "x" * 200_000 + "\nStartAt: A\nStates:\n" + "".join(
        f"  S{i}: {{Type: Pass, Result: *big, Next: S{i + 1}}}\n" for i in range(3000)) + "  S3000: {Type: Succeed}\n"
    report = lint_text(text, "flow.asl.yaml", Config())
    assert [d.rule for d in report.diagnostics] == ["ASL006"]
    assert "characters of text" in report.diagnostics[0].message


def test_a_definition_aliases_build_past_the_limit_is_reported_not_checked() -> None:
    text = "StartAt: A\nStates:\n  A: {Type: Pass, Result: &big " + "x" * 100_000 + ", Next: S0}\n" + "".join(
        f"  S{i}: {{Type: Pass, Result: *big, Next: S{i + 1}}}\n" for i in range(20)) + "  S20: {Type: Succeed}\n"
    assert _lint_rules(text, "flow.asl.yaml") == ["ASL504"]


def test_a_definition_written_large_is_still_checked_whole() -> None:
    states = {f"S{i}": {"Type": "Pass", "Result": "x" * 1000, "Next": f"S{i + 1}"} for i in range(1100)}
    states["S1100"] = {"Type": "Succeed"}
    states["Orphan"] = {"Type": "Succeed"}
    text = json.dumps({"StartAt": "S0", "States": states})
    assert _lint_rules(text, "flow.asl.json") == ["ASL203", "ASL504"]


def _joined_aliases(count: int) -> str:
    parts = "\n".join("            - *big" for _ in range(count))
    return ("Resources:\n  Flow:\n    Type: AWS::StepFunctions::StateMachine\n    Properties:\n"
            "      DefinitionString:\n        Fn::Join:\n          - ''\n          - - &big '" + "x" * 100_000 + "'\n"
            + parts + "\n")


def test_a_join_of_aliases_stops_at_the_definition_limit() -> None:
    report = lint_text(_joined_aliases(15), "template.yaml", Config())
    assert [(d.rule, d.machine) for d in report.diagnostics] == [("ASL504", "Flow")]
    report = lint_text(_joined_aliases(400), "template.yaml", Config())  # 40 MB of text: refused when read
    assert [d.rule for d in report.diagnostics] == ["ASL006"]


def test_serverless_substitutions_count_what_they_insert() -> None:
    big = "\n".join(f"    - item{i}" for i in range(20_000))
    states = "".join(f"            S{i}: {{Type: Pass, Result: '${{self:custom.big}}', Next: S{i + 1}}}\n"
                     for i in range(1200))
    text = (f"service: s\nprovider: {{name: aws}}\ncustom:\n  big:\n{big}\nstepFunctions:\n  stateMachines:\n"
            f"    flow:\n      definition:\n        StartAt: S0\n        States:\n{states}"
            "            S1200: {Type: Succeed}\n")
    report = lint_text(text, "serverless.yml", Config())
    assert [(d.rule, d.machine) for d in report.diagnostics] == [("ASL504", "flow")]
