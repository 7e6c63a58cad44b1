"""The engine: crash isolation, placeholders, positions from rule paths."""

from __future__ import annotations

import json

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


def _lint_two_files_in_order(tmp_path, monkeypatch, ends_after_run: bool) -> tuple[list, list[str]]:
    """The diagnostics of two files linted in one process, and the files whose checks
    were kept instead of freed."""
    import gc

    from asl_lint import engine
    from asl_lint.api import lint_paths
    from asl_lint.run import batch

    for name in ("a", "b"):
        (tmp_path / f"{name}.asl.json").write_text('{"StartAt": "A", "States": {"A": {"Type": "Pass", "Next": "B"}}}')
    monkeypatch.setattr(batch, "_process_ends_after_run", ends_after_run)
    monkeypatch.setattr(engine, "_never_freed", [])
    try:
        result = lint_paths([str(tmp_path / "a.asl.json"), str(tmp_path / "b.asl.json")], Config(cache=False), jobs=1)
        assert gc.isenabled()  # the collector runs again after the kept check
    finally:
        gc.unfreeze()  # the test process goes on: what was kept may be collected again
    return result.diagnostics, [ctx.definition.file for ctx in engine._never_freed]


def test_a_process_that_ends_after_its_run_keeps_only_its_last_check(tmp_path, monkeypatch) -> None:
    # The command line's process ends without freeing anything: the last file's
    # definition, views and graph are kept; the files before it are freed as they go.
    ending, kept = _lint_two_files_in_order(tmp_path, monkeypatch, ends_after_run=True)
    assert kept == [str(tmp_path / "b.asl.json")]
    going_on, kept = _lint_two_files_in_order(tmp_path, monkeypatch, ends_after_run=False)
    assert kept == []
    assert ending == going_on and {(d.rule, d.file) for d in ending} >= {("ASL202", str(tmp_path / "b.asl.json"))}


def test_the_command_line_says_its_process_ends_after_the_run(monkeypatch) -> None:
    import pytest

    from asl_lint import cli
    from asl_lint.run import batch

    monkeypatch.setattr(batch, "_process_ends_after_run", False)
    seen = []

    def command() -> None:
        seen.append(batch._process_ends_after_run)
        raise SystemExit(0)

    monkeypatch.setattr(cli, "main", command)
    monkeypatch.setattr(cli, "_end_now", lambda code: None)  # no os._exit in the test process
    with pytest.raises(SystemExit):
        cli.run()
    assert seen == [True]


def test_the_built_in_warm_up_definition_is_clean_and_has_every_kind_of_flow() -> None:
    # Checked before every run with workers (and in the editor's checking process): a
    # finding there would cost every such run the positions, messages and fixes it loads.
    from asl_lint.engine import _WARM_UP, warm_up

    report = warm_up(Config())
    assert report.diagnostics == [] and len(report.checked) == 1
    kinds = {state["Type"] for state in json.loads(_WARM_UP)["States"].values()}
    assert kinds == {"Choice", "Task", "Map", "Parallel", "Succeed", "Fail"}
