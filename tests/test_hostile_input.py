"""Inputs built to break asl-lint: extreme nesting, wrong types, huge values, hostile text."""

from __future__ import annotations

import json
import sys

import pytest
from click.testing import CliRunner

from asl_lint import api, engine
from asl_lint.cli import main
from asl_lint.config import Config
from asl_lint.engine import lint_text
from asl_lint.limits import MAX_JSONATA_DEPTH, MAX_SCOPE_DEPTH, MAX_VALUE_DEPTH
from asl_lint.rules import load_rules

EVERY_RULE = Config(select=("ALL", "ASL510", "ASL511", "ASL512", "ASL513"))


def rules_of(text: str, filename: str = "case.asl.json") -> list[str]:
    return [d.rule for d in lint_text(text, filename, EVERY_RULE).diagnostics]


def nested_scopes(depth: int) -> dict:
    inner: dict = {"StartAt": "P", "States": {"P": {"Type": "Pass", "End": True}}}
    for level in range(depth):
        if level % 2:
            state = {"Type": "Parallel", "Branches": [inner], "End": True}
        else:
            state = {"Type": "Map", "ItemProcessor": inner, "End": True}
        inner = {"StartAt": f"S{level}", "States": {f"S{level}": state}}
    return inner


def deep_json(levels: int) -> str:
    return '{"StartAt": "A", "States": {"A": {"Type": "Pass", "End": true, "Result": ' + \
        "[" * levels + "]" * levels + "}}}"


def test_scopes_nested_up_to_the_limit_are_checked_without_internal_errors() -> None:
    found = rules_of(json.dumps(nested_scopes(MAX_SCOPE_DEPTH)))
    assert "ASL004" not in found and "ASL006" not in found
    assert "ASL508" in found  # checked for real: nested more than 10 deep


def test_scopes_nested_beyond_the_limit_are_one_diagnostic() -> None:
    report = lint_text(json.dumps(nested_scopes(MAX_SCOPE_DEPTH + 5)), "deep.asl.json", EVERY_RULE)
    assert [d.rule for d in report.diagnostics] == ["ASL006"]
    assert "MAX_SCOPE_DEPTH" in report.diagnostics[0].message


def test_seventy_five_nested_scopes_do_not_reach_the_schema_pass() -> None:
    assert rules_of(json.dumps(nested_scopes(75))) == ["ASL006"]


def test_json_and_yaml_share_one_depth_limit_and_one_message() -> None:
    json_report = lint_text(deep_json(MAX_VALUE_DEPTH), "deep.asl.json", EVERY_RULE).diagnostics
    yaml_text = "StartAt: A\nStates:\n  A:\n    Type: Pass\n    End: true\n    Result: " + \
        "[" * MAX_VALUE_DEPTH + "]" * MAX_VALUE_DEPTH + "\n"
    yaml_report = lint_text(yaml_text, "deep.asl.yaml", EVERY_RULE).diagnostics
    assert [d.rule for d in json_report] == [d.rule for d in yaml_report] == ["ASL006"]
    assert json_report[0].message == yaml_report[0].message


def test_yaml_beyond_libyaml_nesting_cap_is_a_limit_not_a_syntax_error() -> None:
    text = "StartAt: A\nStates: " + "[" * 1500 + "]" * 1500 + "\n"
    assert rules_of(text, "deep.asl.yaml") == ["ASL006"]


def test_values_just_below_the_depth_limit_are_fine() -> None:
    assert rules_of(deep_json(MAX_VALUE_DEPTH - 10)) == []


@pytest.mark.parametrize("filename", ["big.asl.json", "big.asl.yaml"])
def test_a_number_of_five_thousand_digits_is_a_limit(filename: str) -> None:
    text = '{"StartAt": "A", "States": {"A": {"Type": "Wait", "Seconds": ' + "9" * 5000 + ', "End": true}}}'
    assert rules_of(text, filename) == ["ASL006"]


@pytest.mark.parametrize("state", [
    {"Type": "Task", "Resource": "arn:aws:states:::lambda:invoke", "Retry": 5, "End": True},
    {"Type": "Task", "Resource": "arn:aws:states:::lambda:invoke", "End": True,
     "Retry": [{"ErrorEquals": [["States.Timeout"]]}], "Catch": [{"ErrorEquals": [{"a": 1}], "Next": "A"}]},
    {"Type": "Pass", "Result": "\ud800", "End": True},
    {"Type": "Pass", "InputPath": "$.a[\u00b2]", "OutputPath": "$.a[\u0663]", "End": True},
    {"Type": "Pass", "End": True, "Parameters": {"x.$": "States.Array(" * 200 + "$.a" + ")" * 200}},
    {"Type": "Choice", "Choices": 7, "Default": 3},
    {"Type": "Map", "ItemProcessor": [], "Iterator": "x", "End": True},
    {"Type": "Parallel", "Branches": [1, "x", None], "End": True},
])
def test_wrong_types_are_reported_never_crash_a_rule(state: dict) -> None:
    text = json.dumps({"StartAt": "A", "States": {"A": state}})
    assert "ASL004" not in rules_of(text)


def test_intrinsics_nested_beyond_the_parser_limit_are_an_intrinsic_nesting_error() -> None:
    call = "States.Array(" * 200 + "$.a" + ")" * 200
    text = json.dumps({"StartAt": "A", "States": {"A": {"Type": "Pass", "End": True, "Parameters": {"x.$": call}}}})
    assert rules_of(text) == ["ASL324"]


@pytest.mark.parametrize("expression", ["+".join(["1"] * 10_000), "(" * 5_000 + "1" + ")" * 5_000,
                                        "$f(" * 3_000 + "1" + ")" * 3_000])
def test_deep_jsonata_is_too_deep_to_check_not_a_syntax_error(expression: str) -> None:
    text = json.dumps({"QueryLanguage": "JSONata", "StartAt": "P",
                       "States": {"P": {"Type": "Pass", "Output": "{% " + expression + " %}", "End": True}}})
    report = lint_text(text, "deep.asl.json", EVERY_RULE).diagnostics
    assert [d.rule for d in report] == ["ASL006"]
    assert "too deep to check" in report[0].message


def test_jsonata_nested_within_the_limit_is_parsed() -> None:
    depth = MAX_JSONATA_DEPTH - 5
    text = json.dumps({"QueryLanguage": "JSONata", "StartAt": "P", "States": {"P": {
        "Type": "Pass", "Output": "{% " + "(" * depth + "$undefinedVar" + ")" * depth + " %}", "End": True}}})
    assert rules_of(text) == ["ASL341"]  # parsed: the variable it reads was found


def test_importing_jsonata_leaves_the_recursion_limit_alone() -> None:
    from asl_lint.lang.jsonata import analyse

    before = sys.getrecursionlimit()
    analyse("$states.input")
    assert sys.getrecursionlimit() == before


class PanicException(BaseException):
    """What pyo3 raises when Rust code panics: not an Exception."""


def test_a_base_exception_inside_one_rule_is_an_internal_error(monkeypatch: pytest.MonkeyPatch) -> None:
    rule = load_rules().get("ASL203")

    def panic(self, ctx):
        raise PanicException("rust panicked")

    monkeypatch.setattr(rule, "check", panic)
    report = lint_text('{"StartAt": "A", "States": {"A": {"Type": "Succeed"}}}', "a.asl.json", Config())
    assert [d.rule for d in report.diagnostics] == ["ASL004"]
    assert "PanicException" in report.diagnostics[0].message


def test_a_base_exception_for_one_file_leaves_one_json_document(tmp_path, monkeypatch) -> None:
    real = engine.lint_text

    def panic_on_first(text, file, *args):
        if file.endswith("first.asl.json"):
            raise PanicException("rust panicked")
        return real(text, file, *args)

    monkeypatch.setattr(engine, "lint_text", panic_on_first)
    monkeypatch.chdir(tmp_path)
    (tmp_path / "first.asl.json").write_text("{}", encoding="utf-8")
    (tmp_path / "second.asl.json").write_text('{"StartAt": "B", "States": {"A": {"Type": "Succeed"}}}')
    result = CliRunner().invoke(main, ["--format", "json", "first.asl.json", "second.asl.json"],
                                catch_exceptions=False)
    document = json.loads(result.stdout)
    assert result.exit_code == 1
    assert [(d["rule"], d["file"]) for d in document["diagnostics"]] == [
        ("ASL004", "first.asl.json"), ("ASL201", "second.asl.json")]


def test_an_interrupt_is_not_swallowed(monkeypatch: pytest.MonkeyPatch) -> None:
    def interrupt(*args):
        raise KeyboardInterrupt

    monkeypatch.setattr(engine, "extract_definitions", interrupt)
    with pytest.raises(KeyboardInterrupt):
        api.lint_file("-", Config(), stdin_data=b'{"StartAt": "A", "States": {}}')
