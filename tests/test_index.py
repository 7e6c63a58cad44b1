"""The definition's index: what rules read, found in one walk."""

from __future__ import annotations

from asl_lint.context import Definition, RuleContext

DEFINITION = {
    "StartAt": "T",
    "States": {
        "T": {"Type": "Task", "Resource": "arn:aws:states:::lambda:invoke", "Next": "C",
              "Parameters": {"id.$": "$.id", "text": "$.plain", "list": ["$.item"], "deep.$": {"x": "$.y"},
                             "label": "fast", "call": "States.Format('{}', $.id)", "query": "{% $x %}"},
              "Retry": [{"ErrorEquals": ["States.Timeout", 7]}, {"Nope": 1}],
              "Catch": [{"ErrorEquals": ["States.ALL"], "Next": "F"}]},
        "C": {"Type": "Choice", "Default": "F",
              "Choices": [{"And": [{"Variable": "$.a", "IsPresent": True}], "Next": "P"}]},
        "P": {"Type": "Pass", "QueryLanguage": "JSONata", "Output": "{% $states.input %}", "End": True},
        "F": {"Type": ["Fail"]},
    },
}


def index():
    return RuleContext(Definition(DEFINITION, "x.asl.json", None)).index


def test_every_retrier_and_catcher_with_its_error_names() -> None:
    found = [(h.state.name, h.field, h.index, h.path, h.names) for h in index().handlers]
    assert found == [("T", "Retry", 0, ("States", "T", "Retry", 0, "ErrorEquals"), ["States.Timeout", None]),
                     ("T", "Catch", 0, ("States", "T", "Catch", 0, "ErrorEquals"), ["States.ALL"])]


def test_choice_rules_nested_ones_too_and_transitions() -> None:
    built = index()
    assert [(rule.path, rule.top) for rule in built.choice_rules] == [
        (("States", "C", "Choices", 0), True), (("States", "C", "Choices", 0, "And", 0), False)]
    assert [(t.source, t.target, t.kind) for t in built.transitions] == [
        ("T", "C", "Next"), ("T", "F", "Catch"), ("C", "F", "Default"), ("C", "P", "Choice")]


def test_payload_strings_know_what_is_evaluated_and_states_by_type_survive_odd_types() -> None:
    built = index()
    strings = {string.path[3:]: string.evaluated for string in built.payload_strings}
    # Strings that read like an expression only: plain text ("fast") is no rule's business.
    assert strings == {("id.$",): True, ("text",): False, ("list", 0): False, ("deep.$", "x"): True,
                       ("call",): False, ("query",): False}
    assert [state.name for state in built.states_of_type("Task", "Pass")] == ["T", "P"]
    assert [state.name for state in built.states_by_type[None]] == ["F"]
    assert [site.value for site in built.jsonata_sites] == ["{% $states.input %}"]
    assert {site.path[-1] for site, _ in built.template_sites} == {"id.$", "deep.$"}
