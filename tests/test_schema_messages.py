"""Schema failures read as one sentence at the most specific member, never a oneOf dump."""

from __future__ import annotations

from pathlib import Path

from jsonschema import ValidationError

from asl_lint.rules.schema.validate import _convert


def test_unknown_field_points_at_the_field(lint) -> None:
    text = '{"StartAt": "A", "States": {"A": {"Type": "Succeed", "Colour": "red"}}}'
    (d,) = lint(text)
    assert (d.rule, d.line, d.column, d.pointer) == ("ASL102", 1, 54, "/States/A/Colour")
    assert d.message == "'Colour' is not a field of a JSONPath Succeed state (state 'A')"


def test_missing_field_points_at_the_state(lint) -> None:
    (d,) = [d for d in lint('{"StartAt": "C", "States": {"C": {"Type": "Choice"}}}') if d.severity == d.severity.ERROR and d.rule.startswith("ASL1")]
    assert (d.rule, d.column, d.pointer) == ("ASL101", 29, "/States/C")
    assert d.message == "Choice state 'C' is missing the required field 'Choices'"


def test_wrong_value_points_at_the_value(lint) -> None:
    (d,) = lint('{"StartAt": "W", "States": {"W": {"Type": "Wait", "Seconds": -1, "End": true}}}')
    assert (d.rule, d.column) == ("ASL105", 62)
    assert d.message == "'Seconds' must be at least 0, not -1 (state 'W')"


def test_alternatives_give_one_message(lint) -> None:
    text = '{"QueryLanguage": "JSONata", "StartAt": "W", "States": {"W": {"Type": "Wait", "Seconds": [1], "End": true}}}'
    (d,) = lint(text)
    assert d.message == "'Seconds' must be an integer from 0 to 99999999 or a JSONata expression, not an array (state 'W')"


def test_bound_inside_an_alternative_is_reported_as_the_bound(lint) -> None:
    text = '{"QueryLanguage": "JSONata", "StartAt": "W", "States": {"W": {"Type": "Wait", "Seconds": -5, "End": true}}}'
    (d,) = lint(text)
    assert (d.rule, d.message) == ("ASL105", "'Seconds' must be at least 0, not -5 (state 'W')")


def test_one_diagnostic_per_problem_in_a_nested_scope(lint) -> None:
    text = """{"StartAt": "P", "States": {"P": {"Type": "Parallel", "End": true, "Branches": [
      {"StartAt": "B", "States": {"B": {"Type": "Task", "End": true}}}]}}}"""
    diagnostics = lint(text)
    assert [(d.rule, d.state) for d in diagnostics] == [("ASL101", "B")]


def test_an_unmapped_keyword_falls_back_to_schema_violation() -> None:
    error = ValidationError("[1, 1] has non-unique elements", validator="uniqueItems",
                            validator_value=True, instance=[1, 1], schema={"uniqueItems": True},
                            path=["States", "A", "Choices"])
    ((rule, finding),) = list(_convert(error))
    assert rule == "ASL100"
    assert finding.path == ("States", "A", "Choices")
    assert "non-unique" in finding.message


def test_a_definition_with_schema_errors_is_checked_without_importing_jsonschema(tmp_path: Path,
                                                                              check_in_fresh_interpreter) -> None:
    """jsonschema (a twentieth of a cold run) is imported only for what jsonschema-rs cannot
    word: a definition's errors and a valid configuration never need it."""
    (tmp_path / ".asl-lint.yaml").write_text("ignore: [ASL203]\n")
    definition = {"StartAt": "A", "States": {"A": {"Type": "Succeed", "Colour": "red"}, "B": {"Type": "Wait"}}}
    rules, imported = check_in_fresh_interpreter(definition, ("jsonschema",))
    assert {"ASL102", "ASL106"} <= set(rules)
    assert imported == {"jsonschema": False}


def test_infinities_and_nans_are_judged_as_they_are_not_as_null(tmp_path: Path) -> None:
    """jsonschema-rs would take YAML's .inf or .nan (or a JSON 1e400) for null, which
    ResultPath accepts: such a definition is validated by jsonschema."""
    from asl_lint import Config, lint_paths

    (tmp_path / "flow.asl.yaml").write_text("StartAt: W\nStates:\n  W:\n    Type: Wait\n    Seconds: .inf\n"
                                            "    Next: P\n  P:\n    Type: Pass\n    ResultPath: .nan\n    End: true\n")
    found = {(d.rule, d.message) for d in lint_paths([str(tmp_path / "flow.asl.yaml")], Config(), jobs=1).diagnostics}
    assert ("ASL104", "'Seconds' must be an integer, not a number Infinity (state 'W')") in found
    assert ("ASL105", "'Seconds' must be at most 99999999, not Infinity (state 'W')") in found
    assert ("ASL104", "'ResultPath' must be a string or null, not a number NaN (state 'P')") in found
