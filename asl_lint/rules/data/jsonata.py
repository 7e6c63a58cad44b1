"""ASL330-ASL335: JSONata expressions and the JSONata query language."""

from __future__ import annotations

from collections.abc import Iterator

from ...context import RuleContext
from ...diagnostics import Severity
from ...lang.fields import Site
from ...lang.jsonata import HASH_ALGORITHMS, STEP_FUNCTIONS_FUNCTIONS, analyse, expression_of
from ..base import Finding, Rule

STATES_FIELDS = ("input", "result", "errorOutput", "context")


def expressions(ctx: RuleContext) -> list[tuple[Site, str, int]]:
    """(site, expression, offset of the expression in the string) in JSONata states."""
    return ctx.shared("jsonata expressions", lambda ctx: [
        (site, found[0], found[1]) for site in evaluated_strings(ctx)
        if isinstance(site.value, str) and (found := expression_of(site.value))])


def evaluated_strings(ctx: RuleContext) -> list[Site]:
    """Every string JSONata states evaluate, walked once for all the JSONata rules."""
    return ctx.index.jsonata_sites


class JsonataDelimiters(Rule):
    """A JSONata expression with broken `{% ... %}` delimiters

    An expression is a string that begins exactly with `{%` and ends exactly with `%}`,
    with nothing (not even a space) outside them. A string that opens but never closes, or
    closes without opening, is rejected.

    Bad:

    ```json
    {"QueryLanguage": "JSONata", "StartAt": "P", "States": {"P": {"Type": "Pass",
      "Output": {"total": "{% $states.input.price * 2 "}, "End": true}}}
    ```

    Good:

    ```json
    {"QueryLanguage": "JSONata", "StartAt": "P", "States": {"P": {"Type": "Pass",
      "Output": {"total": "{% $states.input.price * 2 %}"}, "End": true}}}
    ```
    """

    id = "ASL330"
    name = "jsonata-delimiters"
    aws_code = 'SCHEMA_VALIDATION_FAILED'
    tags = ("data", "jsonata")

    def check(self, ctx: RuleContext) -> Iterator[Finding]:
        for site in evaluated_strings(ctx):
            state, text = site.state, site.value
            if not isinstance(text, str) or ("{%" not in text and "%}" not in text):
                continue
            stripped = text.strip()
            opens, closes = stripped.startswith("{%"), stripped.endswith("%}")
            if opens and not closes:
                problem = "the expression opens with '{%' but does not end with '%}'"
            elif closes and not opens:
                problem = "the expression ends with '%}' but does not start with '{%'"
            else:
                continue  # white space around a whole expression is ASL347's
            yield Finding(site.path, f"{problem} (state '{state.name}')")


class JsonataNotEvaluated(Rule):
    """A `{% ... %}` expression with white space outside its delimiters

    AWS evaluates a string as JSONata only when it begins exactly with `{%` and ends
    exactly with `%}`. With a space or a line break outside them, AWS accepts the
    definition and passes the text on as it is: the expression is never evaluated
    (recorded: `"Output": " {% $states.input %} "` was created, executed, and output the
    literal string).

    Bad:

    ```json
    {"QueryLanguage": "JSONata", "StartAt": "P", "States": {"P": {"Type": "Pass",
      "Output": " {% $states.input %} ", "End": true}}}
    ```

    Good:

    ```json
    {"QueryLanguage": "JSONata", "StartAt": "P", "States": {"P": {"Type": "Pass",
      "Output": "{% $states.input %}", "End": true}}}
    ```
    """

    id = "ASL347"
    name = "jsonata-not-evaluated"
    aws_code = None
    severity = Severity.WARNING
    tags = ("data", "jsonata")

    def check(self, ctx: RuleContext) -> Iterator[Finding]:
        for site in evaluated_strings(ctx):
            text = site.value
            if not isinstance(text, str) or "{%" not in text:
                continue
            stripped = text.strip()
            if stripped != text and stripped.startswith("{%") and stripped.endswith("%}"):
                yield Finding(site.path, "white space outside '{% ... %}': AWS does not evaluate the expression and"
                                         f" passes this text on as it is (state '{site.state.name}')")


class JsonataSyntax(Rule):
    """A JSONata expression that does not parse

    The text between `{%` and `%}` must be valid JSONata; the position points at the
    problem inside the string.

    Bad:

    ```json
    {"QueryLanguage": "JSONata", "StartAt": "P", "States": {"P": {"Type": "Pass",
      "Output": "{% $sum($states.input.prices %}", "End": true}}}
    ```

    Good:

    ```json
    {"QueryLanguage": "JSONata", "StartAt": "P", "States": {"P": {"Type": "Pass",
      "Output": "{% $sum($states.input.prices) %}", "End": true}}}
    ```
    """

    id = "ASL331"
    name = "jsonata-syntax"
    aws_code = 'SCHEMA_VALIDATION_FAILED'
    tags = ("data", "jsonata")

    def check(self, ctx: RuleContext) -> Iterator[Finding]:
        for site, expression, offset in expressions(ctx):
            usage = analyse(expression)
            if usage.error:
                message, at = usage.error
                at = min(at, max(len(expression) - 1, 0))
                yield Finding(site.path, f"JSONata: {message} (state '{site.state.name}')",
                              within=(offset + at, offset + at + 1))


class StatesFieldUnavailable(Rule):
    """`$states.result` or `$states.errorOutput` where it does not exist

    `$states.input` and `$states.context` are everywhere. `$states.result` exists only in
    the `Output` and `Assign` of a Task, Map or Parallel state; `$states.errorOutput` only
    in a Catcher's `Output` and `Assign`. AWS rejects other uses when the machine is
    created.

    Bad:

    ```json
    {"QueryLanguage": "JSONata", "StartAt": "T", "States": {"T": {"Type": "Task",
      "Resource": "arn:aws:states:::lambda:invoke",
      "Arguments": {"Payload": "{% $states.result %}"}, "End": true}}}
    ```

    Good:

    ```json
    {"QueryLanguage": "JSONata", "StartAt": "T", "States": {"T": {"Type": "Task",
      "Resource": "arn:aws:states:::lambda:invoke",
      "Arguments": {"Payload": "{% $states.input %}"},
      "Output": "{% $states.result.Payload %}", "End": true}}}
    ```
    """

    id = "ASL332"
    name = "states-field-unavailable"
    aws_code = 'SCHEMA_VALIDATION_FAILED'
    tags = ("data", "jsonata")

    def check(self, ctx: RuleContext) -> Iterator[Finding]:
        for site, expression, offset in expressions(ctx):
            for name, at in analyse(expression).states_fields:
                where = site.path[len(site.state.path):]
                problem = None
                if name not in STATES_FIELDS:
                    problem = f"$states has no field '{name}' (it has {', '.join(STATES_FIELDS)})"
                elif name == "result" and site.sees != "result":
                    problem = "$states.result only exists in the Output and Assign of a Task, Map or Parallel state"
                elif name == "errorOutput" and site.sees != "error":
                    problem = "$states.errorOutput only exists in a Catcher's Output and Assign"
                if problem:
                    length = len("$states.") + len(name)
                    yield Finding(site.path, f"{problem}; here it is in {_where(where)} (state '{site.state.name}')",
                                  within=(offset + at, offset + at + length))


class JsonataRootReference(Rule):
    """A JSONata expression that reads `$`, `$$` or a bare field name at its top level

    In Step Functions, data is reached through `$states.input` (or variables): the
    expression has no context item, so `{% total %}` or `{% $.total %}` finds nothing.
    `$` inside a filter or a function is fine.

    Bad:

    ```json
    {"QueryLanguage": "JSONata", "StartAt": "P", "States": {"P": {"Type": "Pass",
      "Output": "{% order.total %}", "End": true}}}
    ```

    Good:

    ```json
    {"QueryLanguage": "JSONata", "StartAt": "P", "States": {"P": {"Type": "Pass",
      "Output": "{% $states.input.order.total %}", "End": true}}}
    ```
    """

    id = "ASL333"
    name = "jsonata-root-reference"
    aws_code = 'SCHEMA_VALIDATION_FAILED'
    tags = ("data", "jsonata")

    def check(self, ctx: RuleContext) -> Iterator[Finding]:
        for site, expression, offset in expressions(ctx):
            at = analyse(expression).root_reference
            if at is not None:
                yield Finding(site.path, "the expression has no context item to read: use $states.input or a"
                              f" variable (state '{site.state.name}')", within=(offset + at, offset + at + 1))


class JsonataEval(Rule):
    """`$eval` in a JSONata expression

    Step Functions does not support the JSONata `$eval` function; the execution fails.

    Bad:

    ```json
    {"QueryLanguage": "JSONata", "StartAt": "P", "States": {"P": {"Type": "Pass",
      "Output": "{% $eval($states.input.formula) %}", "End": true}}}
    ```

    Good:

    ```json
    {"QueryLanguage": "JSONata", "StartAt": "P", "States": {"P": {"Type": "Pass",
      "Output": "{% $states.input.a + $states.input.b %}", "End": true}}}
    ```
    """

    id = "ASL334"
    name = "jsonata-eval"
    aws_code = 'SCHEMA_VALIDATION_FAILED'
    tags = ("data", "jsonata")

    def check(self, ctx: RuleContext) -> Iterator[Finding]:
        for site, expression, offset in expressions(ctx):
            for name, at, _ in analyse(expression).calls:
                if name == "eval":
                    yield Finding(site.path, f"Step Functions does not support $eval (state '{site.state.name}')",
                                  within=(offset + at, offset + at + 5))


class JsonataFunctionArguments(Rule):
    """A call to a Step Functions JSONata function with the wrong arguments

    Step Functions adds `$partition(array, size)`, `$range(start, end[, step])`,
    `$hash(value, algorithm)` (MD5, SHA-1, SHA-256, SHA-384 or SHA-512), `$random([seed])`,
    `$uuid()` and `$parse(json)`. A wrong call fails the execution.

    Bad:

    ```json
    {"QueryLanguage": "JSONata", "StartAt": "P", "States": {"P": {"Type": "Pass",
      "Output": "{% $hash($states.input.id, 'SHA256') %}", "End": true}}}
    ```

    Good:

    ```json
    {"QueryLanguage": "JSONata", "StartAt": "P", "States": {"P": {"Type": "Pass",
      "Output": "{% $hash($states.input.id, 'SHA-256') %}", "End": true}}}
    ```
    """

    id = "ASL335"
    name = "jsonata-function-arguments"
    aws_code = None
    severity = Severity.WARNING
    tags = ("data", "jsonata")

    def check(self, ctx: RuleContext) -> Iterator[Finding]:
        for site, expression, offset in expressions(ctx):
            for name, at, arguments in analyse(expression).calls:
                if name not in STEP_FUNCTIONS_FUNCTIONS:
                    continue
                low, high = STEP_FUNCTIONS_FUNCTIONS[name]
                span = (offset + at, offset + at + len(name) + 1)
                if not low <= len(arguments) <= high:
                    expected = str(low) if low == high else f"{low} to {high}"
                    yield Finding(site.path, f"${name} takes {expected} argument(s), not {len(arguments)}"
                                  f" (state '{site.state.name}')", within=span)
                elif name == "hash" and arguments[1].type == "string" and arguments[1].value not in HASH_ALGORITHMS:
                    yield Finding(site.path, f"$hash: '{arguments[1].value}' is not one of {', '.join(HASH_ALGORITHMS)}"
                                  f" (state '{site.state.name}')", within=span)

def _where(path: tuple) -> str:
    return ".".join(str(part) for part in path if isinstance(part, str))
