"""The engine: crash isolation, placeholders, positions from rule paths."""

from __future__ import annotations

from asl_lint.config import Config
from asl_lint.engine import lint_text
from asl_lint.rules import load_rules


def test_a_crashing_rule_becomes_a_diagnostic_and_others_still_run(monkeypatch) -> None:
    rule = load_rules().get("ASL203")

    def explode(self, ctx):
        raise RuntimeError("boom")

    monkeypatch.setattr(rule, "check", explode)
    text = '{"StartAt": "A", "States": {"A": {"Type": "Pass", "Next": "B"}}, "Version": 1}'
    diagnostics = lint_text(text, "x.asl.json", Config()).diagnostics
    rules = {d.rule: d for d in diagnostics}
    assert "ASL103" in rules  # the schema pass ran
    assert "ASL202" in rules
    assert "ASL004" in rules and "ASL203" in rules["ASL004"].message and "boom" in rules["ASL004"].message


def test_quoted_and_unquoted_placeholders_are_never_bad_values() -> None:
    text = """{"StartAt": "W", "States": {
      "W": {"Type": "Wait", "Seconds": ${Delay}, "Next": "T"},
      "T": {"Type": "Task", "Resource": "${FunctionArn}", "TimeoutSeconds": "${Timeout}",
            "Retry": [{"ErrorEquals": ["States.ALL"], "MaxAttempts": "${Attempts}"}], "End": true}}}"""
    assert lint_text(text, "x.asl.json", Config()).diagnostics == []


def test_disabled_rules_are_not_run_or_reported() -> None:
    text = '{"StartAt": "A", "States": {"A": {"Type": "Pass", "Next": "B"}}}'
    config = Config(ignore=("ASL202", "ASL206"))
    assert [d.rule for d in lint_text(text, "x.asl.json", config).diagnostics] == []


def test_pointer_escapes_slashes_and_tildes() -> None:
    text = '{"StartAt": "a/b~c", "States": {"a/b~c": {"Type": "Pass", "Next": "x"}, "x ": {"Type": "Succeed"}}}'
    (diagnostic,) = [d for d in lint_text(text, "x.asl.json", Config()).diagnostics if d.rule == "ASL202"]
    assert diagnostic.pointer == "/States/a~1b~0c/Next"
    assert diagnostic.state == "a/b~c"


def test_state_of_a_nested_finding_is_the_innermost_state() -> None:
    text = """{"StartAt": "M", "States": {"M": {"Type": "Map", "End": true, "ItemProcessor": {
      "StartAt": "Inner", "States": {"Inner": {"Type": "Pass", "Next": "Gone"}, "End": {"Type": "Succeed"}}}}}}"""
    (diagnostic,) = [d for d in lint_text(text, "x.asl.json", Config()).diagnostics if d.rule == "ASL202"]
    assert diagnostic.state == "Inner"
    assert diagnostic.pointer == "/States/M/ItemProcessor/States/Inner/Next"


def test_parallel_run_gives_the_same_result_as_a_serial_one() -> None:
    from pathlib import Path

    from asl_lint.api import lint_paths

    examples = str(Path(__file__).resolve().parents[1] / "fixtures" / "examples")
    serial, parallel = lint_paths([examples], jobs=1), lint_paths([examples], jobs=2)
    assert serial.diagnostics and serial.diagnostics == parallel.diagnostics
    assert (serial.files, serial.machines) == (parallel.files, parallel.machines)


def test_a_file_named_and_referenced_under_two_spellings_is_reported_once(tmp_path, monkeypatch) -> None:
    from asl_lint.api import lint_paths

    (tmp_path / "svc" / "flows").mkdir(parents=True)
    (tmp_path / "svc" / "flows" / "order.asl.json").write_text('{"StartAt": "A", "States": {"A": {"Type": "Pass"}}}')
    (tmp_path / "svc" / "template.yaml").write_text(
        "Resources:\n  Flow:\n    Type: AWS::Serverless::StateMachine\n    Properties:\n"
        "      DefinitionUri: ./flows/order.asl.json\n")
    monkeypatch.chdir(tmp_path / "svc")
    result = lint_paths(["../svc/flows/order.asl.json", "template.yaml"])
    assert sorted((d.rule, d.machine) for d in result.diagnostics) == [("ASL206", "Flow"), ("ASL209", "Flow")]
