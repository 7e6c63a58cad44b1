"""ASL336-ASL339: one query language's syntax written in the other's states."""

from __future__ import annotations

import re
from collections.abc import Iterator

from ...context import RuleContext
from ...diagnostics import Severity
from ...lang.fields import jsonata_sites
from ..base import Finding, Rule
from .jsonata import evaluated_strings

_INTRINSIC = re.compile(r"^\s*States\.[A-Za-z0-9]+\(")


class IntrinsicInJsonata(Rule):
    """An intrinsic function written in a JSONata state

    `States.Format(...)` and the other intrinsic functions only work in JSONPath states; in
    a JSONata state the text is passed on as a literal string. Use a JSONata expression.

    Bad:

    ```json
    {"QueryLanguage": "JSONata", "StartAt": "P", "States": {"P": {"Type": "Pass",
      "Output": {"id": "States.UUID()"}, "End": true}}}
    ```

    Good:

    ```json
    {"QueryLanguage": "JSONata", "StartAt": "P", "States": {"P": {"Type": "Pass",
      "Output": {"id": "{% $uuid() %}"}, "End": true}}}
    ```
    """

    id = "ASL336"
    name = "intrinsic-in-jsonata"
    aws_code = None
    severity = Severity.WARNING
    tags = ("data", "jsonata")

    def check(self, ctx: RuleContext) -> Iterator[Finding]:
        for site in evaluated_strings(ctx):
            if isinstance(site.value, str) and _INTRINSIC.match(site.value):
                yield Finding(site.path, "intrinsic functions do not run in JSONata states: this is a plain"
                              f" string; write a JSONata expression (state '{site.state.name}')")


class DollarKeyInJsonata(Rule):
    """A `name.$` key in a JSONata state

    JSONata states give `.$` keys no meaning: the key is kept as it is, with the `.$`, and
    its value is not evaluated. Write the value as a `{% ... %}` expression instead.

    Bad:

    ```json
    {"QueryLanguage": "JSONata", "StartAt": "P", "States": {"P": {"Type": "Pass",
      "Output": {"id.$": "$.id"}, "End": true}}}
    ```

    Good:

    ```json
    {"QueryLanguage": "JSONata", "StartAt": "P", "States": {"P": {"Type": "Pass",
      "Output": {"id": "{% $states.input.id %}"}, "End": true}}}
    ```
    """

    id = "ASL337"
    name = "dollar-key-in-jsonata"
    aws_code = None
    severity = Severity.WARNING
    tags = ("data", "jsonata")

    def check(self, ctx: RuleContext) -> Iterator[Finding]:
        for state in ctx.states_in("JSONata"):
            seen = set()
            for site in jsonata_sites(state):
                for index in range(len(site.path) - 1, len(state.path), -1):
                    key = site.path[index]
                    if isinstance(key, str) and key.endswith(".$") and site.path[:index + 1] not in seen:
                        seen.add(site.path[:index + 1])
                        yield Finding(site.path[:index + 1], f"'{key}' keeps its '.$' in a JSONata state and its"
                                      f" value is not evaluated (state '{state.name}')", "key")


class ExpressionInConstantField(Rule):
    """A JSONata expression in `Resource`

    `Type` and `Resource` must be literal strings; Step Functions does not evaluate
    expressions there.

    Bad:

    ```json
    {"QueryLanguage": "JSONata", "StartAt": "T", "States": {"T": {"Type": "Task",
      "Resource": "{% $states.input.function %}", "End": true}}}
    ```

    Good:

    ```json
    {"QueryLanguage": "JSONata", "StartAt": "T", "States": {"T": {"Type": "Task",
      "Resource": "arn:aws:states:::lambda:invoke",
      "Arguments": {"FunctionName": "{% $states.input.function %}"}, "End": true}}}
    ```
    """

    id = "ASL338"
    name = "expression-in-constant-field"
    aws_code = 'SCHEMA_VALIDATION_FAILED'
    tags = ("data", "jsonata")

    def check(self, ctx: RuleContext) -> Iterator[Finding]:
        for state in ctx.states:
            for name in ("Type", "Resource"):
                value = state.data.get(name)
                if isinstance(value, str) and "{%" in value and value.strip().startswith("{%"):
                    yield Finding(state.path + (name,), f"{name} must be a literal string, not a JSONata expression"
                                  f" (state '{state.name}')")


class JsonataInJsonpathState(Rule):
    """A `{% ... %}` expression in a JSONPath state

    JSONPath states do not evaluate JSONata: the expression is passed on as text. The
    state (or the machine) most likely lacks `"QueryLanguage": "JSONata"`.

    Bad:

    ```json
    {"StartAt": "P", "States": {"P": {"Type": "Pass",
      "Parameters": {"total": "{% $states.input.a + 1 %}"}, "End": true}}}
    ```

    Good:

    ```json
    {"StartAt": "P", "States": {"P": {"Type": "Pass", "QueryLanguage": "JSONata",
      "Output": {"total": "{% $states.input.a + 1 %}"}, "End": true}}}
    ```
    """

    id = "ASL339"
    name = "jsonata-in-jsonpath-state"
    aws_code = None
    severity = Severity.WARNING
    tags = ("data", "jsonata")

    def check(self, ctx: RuleContext) -> Iterator[Finding]:
        reported: set[tuple[int, tuple]] = set()  # one finding per field of a state
        for string in ctx.index.payload_strings:
            text = string.text
            if string.root in _JSONATA_ROOTS and text.startswith("{%") and text.endswith("%}") and \
                    (id(string.state), string.root) not in reported:
                reported.add((id(string.state), string.root))
                yield Finding(string.path, "a JSONata expression in a JSONPath state is not evaluated; set"
                              f" \"QueryLanguage\": \"JSONata\" (state '{string.state.name}')")


_JSONATA_ROOTS = frozenset((("Parameters",), ("ResultSelector",), ("ItemSelector",), ("Result",), ("Assign",)))
