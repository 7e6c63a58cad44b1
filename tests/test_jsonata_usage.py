"""What a JSONata expression uses: `$name.field` paths are read off the text, and must be
read exactly as the parser reads them."""

from __future__ import annotations

import pytest

from asl_lint.lang.jsonata import JSONATA_FUNCTIONS, MAX_JSONATA_DEPTH, _parsed_usage, _path_usage, analyse, nesting

PATHS = [
    " $states.input ", "$states.input.order.id", "  $states.result.Payload.body.messages  ",
    "$states.context.Execution.Name", "$states.errorOutput", "$states", " $states.Input ",
    "$order", " $order.items ", "\n  $order_2.total_sum\n", "$_private.x", "$x.y.z.w.v",
    "$string", " $millis ", "$uuid", "$partition.x", "$random.seed",  # functions as values
]
NOT_PATHS = [
    "$", "$$", "$.x", "$states.input[0]", "$states.input.a.b and $x", "$x.and", "$in.x", "$true",
    "$x.y + 1", "$string($x)", "$x.`quoted name`", "$states.input.é", "x.y", "$x.1y", "$x..y",
]


def test_jsonata_functions_are_the_librarys() -> None:
    import jsonata

    assert frozenset(jsonata.Jsonata.static_frame.bindings) == JSONATA_FUNCTIONS


@pytest.mark.parametrize("expression", PATHS)
def test_a_path_is_read_as_the_parser_reads_it(expression: str) -> None:
    usage = _path_usage(expression)
    assert usage is not None
    assert usage == _parsed_usage(expression)


def _facts(usage) -> tuple:
    """A usage's facts; the argument nodes of each call are the parser's own objects."""
    return (usage.error, usage.beyond_limit, usage.variables, usage.states_fields,
            [(name, at) for name, at, _ in usage.calls], usage.root_reference)


@pytest.mark.parametrize("expression", NOT_PATHS)
def test_anything_else_is_left_to_the_parser(expression: str) -> None:
    assert _path_usage(expression) is None
    assert _facts(analyse(expression)) == _facts(_parsed_usage(expression))


def test_a_definition_of_paths_only_is_checked_without_the_jsonata_library(check_in_fresh_interpreter) -> None:
    definition = {"QueryLanguage": "JSONata", "StartAt": "A", "States": {
        "A": {"Type": "Pass", "Output": "{% $states.input.order %}", "Assign": {"total": "{% $states.input.sum %}"},
              "Next": "B"},
        "B": {"Type": "Pass", "Output": "{% $total %}", "Next": "C"},
        "C": {"Type": "Pass", "Output": "{% $states.inpt %}", "End": True}}}
    rules, imported = check_in_fresh_interpreter(definition, ("jsonata",))
    assert rules == ["ASL332"]  # `$states.inpt` is still found; `$total` is assigned before it is read
    assert imported == {"jsonata": False}


@pytest.mark.parametrize("fields", [5 * MAX_JSONATA_DEPTH + 4, 5 * MAX_JSONATA_DEPTH + 5])
def test_a_path_is_as_deep_as_nesting_counts_it(fields: int) -> None:
    # A path is read off the text before nesting() looks at it: the fast path keeps its limit.
    expression = "$states.input" + ".f" * (fields - 1)
    too_deep = nesting(expression) > MAX_JSONATA_DEPTH
    assert too_deep == (fields // 5 > MAX_JSONATA_DEPTH)
    assert (analyse(expression).beyond_limit is not None) == too_deep
    assert bool(analyse(expression).states_fields) != too_deep
