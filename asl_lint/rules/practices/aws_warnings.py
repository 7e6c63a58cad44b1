"""ASL501-ASL503: the WARNING diagnostics of AWS's ValidateStateMachineDefinition."""

from __future__ import annotations

import re
from collections.abc import Iterator

from ...context import RuleContext
from ...diagnostics import Severity
from ...lang.fields import choice_rules
from ...proposals import rename
from ..base import Finding, Rule

PATH_LIKE = re.compile(r"^(\$\$?(\.|\[)|\$[A-Za-z_]\w*\.|States\.[A-Za-z]+\()")
_LITERAL_TWINS = {"Error": "ErrorPath", "Cause": "CausePath", "Timestamp": "TimestampPath"}
_LITERAL_FIELDS = frozenset(_LITERAL_TWINS)


class ValueLooksLikePath(Rule):
    """A path or intrinsic function under a key without `.$` (AWS: NO_DOLLAR)

    In a payload template only keys ending in `.$` are evaluated; `"id": "$.order.id"`
    passes the text `$.order.id` on as it is. Add `.$` to the key.

    Bad:

    ```json
    {"StartAt": "P", "States": {"P": {"Type": "Pass", "End": true,
      "Parameters": {"id": "$.order.id"}}}}
    ```

    Good:

    ```json
    {"StartAt": "P", "States": {"P": {"Type": "Pass", "End": true,
      "Parameters": {"id.$": "$.order.id"}}}}
    ```
    """

    id = "ASL501"
    name = "value-looks-like-path"
    aws_code = 'NO_DOLLAR'
    severity = Severity.WARNING
    tags = ("practices", "aws-warning")

    def check(self, ctx: RuleContext) -> Iterator[Finding]:
        for string in ctx.index.payload_strings:
            if string.evaluated or string.root == ("Result",):  # what `name.$` keys hold is evaluated
                continue
            if not PATH_LIKE.match(string.text):  # most strings: no path
                continue
            if string.parent is None:  # a template field that is a string itself
                if string.root != ("Assign",):
                    yield from _plain_path(string.path, string.text, string.state.name)
            elif type(string.parent) is dict:  # an item of a list has no key to rename
                yield from _plain_path(string.path, string.text, string.state.name, string.parent)


def _plain_path(path: tuple, text: str, state: str, siblings: dict | None = None) -> Iterator[Finding]:
    """The finding for a payload string that looks like a path (PATH_LIKE)."""
    key = path[-1]
    # Unsafe: the value becomes what the path selects, where it was the text itself.
    fix = rename(path, f"{key}.$", f"Rename '{key}' to '{key}.$'", safe=False) \
        if type(siblings) is dict and f"{key}.$" not in siblings else None
    yield Finding(path, f"'{key}' holds '{text}' as plain text; name the key '{key}.$' to evaluate it"
                  f" (state '{state}')", "key", fix=fix)


class PathInLiteralField(Rule):
    """A path in a field that takes a literal value (AWS: NO_PATH)

    `Error`, `Cause` and `Timestamp`, and Choice operators such as `StringEquals`, take
    the value itself; their `...Path` twins (`ErrorPath`, `StringEqualsPath`, ...) take a
    path.

    Bad:

    ```json
    {"StartAt": "F", "States": {"F": {"Type": "Fail", "Error": "$.errorCode"}}}
    ```

    Good:

    ```json
    {"StartAt": "F", "States": {"F": {"Type": "Fail", "ErrorPath": "$.errorCode"}}}
    ```
    """

    id = "ASL502"
    name = "path-in-literal-field"
    aws_code = 'NO_PATH'
    severity = Severity.WARNING
    tags = ("practices", "aws-warning")

    def check(self, ctx: RuleContext) -> Iterator[Finding]:
        for state in ctx.states_in("JSONPath"):
            if not _LITERAL_FIELDS.isdisjoint(state.data):
                for field, twin in _LITERAL_TWINS.items():
                    value = state.data.get(field)
                    if isinstance(value, str) and value.startswith("$") and PATH_LIKE.match(value):
                        yield Finding(state.path + (field,), f"{field} takes a literal value, so '{value}' is used"
                                      f" as text; use {twin} (state '{state.name}')")
            for path, rule, _ in choice_rules(state):
                for key, value in rule.items():
                    if key.startswith(("String", "Timestamp")) and not key.endswith("Path") and key != "StringMatches" \
                            and isinstance(value, str) and value.startswith("$") and PATH_LIKE.match(value):
                        yield Finding(path + (key,), f"{key} compares with the text '{value}'; use {key}Path to compare"
                                      f" with the value at that path (state '{state.name}')")


class PassResultIsStatic(Rule):
    """A path or `.$` key inside a Pass state's `Result` (AWS: PASS_RESULT_IS_STATIC)

    `Result` is used exactly as written: nothing in it is evaluated. To build a value from
    the input, use `Parameters` (JSONPath) or `Output` (JSONata).

    Bad:

    ```json
    {"StartAt": "P", "States": {"P": {"Type": "Pass", "End": true,
      "Result": {"id.$": "$.order.id"}}}}
    ```

    Good:

    ```json
    {"StartAt": "P", "States": {"P": {"Type": "Pass", "End": true,
      "Parameters": {"id.$": "$.order.id"}}}}
    ```
    """

    id = "ASL503"
    name = "pass-result-is-static"
    aws_code = 'PASS_RESULT_IS_STATIC'
    severity = Severity.WARNING
    tags = ("practices", "aws-warning")

    def check(self, ctx: RuleContext) -> Iterator[Finding]:
        for state in ctx.index.states_of_type("Pass"):
            if "Result" not in state.data:
                continue
            stack = [(state.path + ("Result",), state.data["Result"])]
            while stack:
                path, value = stack.pop()
                if isinstance(value, dict):
                    for key, child in value.items():
                        if isinstance(key, str) and key.endswith(".$"):
                            yield Finding(path + (key,), f"'{key}' in Result is not evaluated: Result is static; use"
                                          f" Parameters (state '{state.name}')", "key")
                        else:
                            stack.append((path + (key,), child))
                elif isinstance(value, list):
                    stack.extend((path + (i,), child) for i, child in enumerate(value))
                elif isinstance(value, str) and value.startswith("$") and PATH_LIKE.match(value):
                    yield Finding(path, f"'{value}' in Result is used as text: Result is static; use Parameters"
                                  f" (state '{state.name}')")
