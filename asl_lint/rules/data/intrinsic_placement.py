"""ASL325-ASL326: where intrinsic functions may stand, and what a Fail path may call."""

from __future__ import annotations

from collections.abc import Iterator

from ...context import RuleContext
from ...lang.intrinsics import FUNCTIONS, STRING_RESULTS, IntrinsicError, looks_like_call, parse_call
from ..base import Finding, Rule


class IntrinsicNotAllowedHere(Rule):
    """An intrinsic function in a field that only takes a path

    Intrinsic functions work in `name.$` values of payload templates and JSONPath
    `Assign`, and in a Fail state's `ErrorPath` and `CausePath`; not in `InputPath`,
    `OutputPath`, `ResultPath`, `ItemsPath`, Choice `Variable` or the other `*Path` fields.

    Bad:

    ```json
    {"StartAt": "P", "States": {"P": {"Type": "Pass", "End": true,
      "InputPath": "States.StringToJson($.body)"}}}
    ```

    Good:

    ```json
    {"StartAt": "P", "States": {"P": {"Type": "Pass", "End": true,
      "Parameters": {"body.$": "States.StringToJson($.body)"}}}}
    ```
    """

    id = "ASL325"
    name = "intrinsic-not-allowed-here"
    aws_code = 'SCHEMA_VALIDATION_FAILED'
    tags = ("data", "intrinsics")

    def check(self, ctx: RuleContext) -> Iterator[Finding]:
        for site, kind in ctx.index.path_sites:
            value = site.value
            if kind != "fail" and isinstance(value, str) and not value.startswith("$") and looks_like_call(value):
                yield Finding(site.path, f"'{site.path[-1]}' takes a path, not an intrinsic function; compute"
                              f" the value in Parameters or Assign first (state '{site.state.name}')")


class FailPathNotString(Rule):
    """A Fail `ErrorPath` or `CausePath` intrinsic that does not return a string

    The error and cause of a Fail state are strings, so an intrinsic function there must
    return one: `States.Format`, `States.JsonToString`, `States.ArrayGetItem`,
    `States.Base64Encode`, `States.Base64Decode`, `States.Hash` or `States.UUID`.

    Bad:

    ```json
    {"StartAt": "F", "States": {"F": {"Type": "Fail",
      "CausePath": "States.ArrayLength($.errors)"}}}
    ```

    Good:

    ```json
    {"StartAt": "F", "States": {"F": {"Type": "Fail",
      "CausePath": "States.Format('{} errors', States.ArrayLength($.errors))"}}}
    ```
    """

    id = "ASL326"
    name = "fail-path-not-string"
    aws_code = 'SCHEMA_VALIDATION_FAILED'
    tags = ("data", "intrinsics")

    def check(self, ctx: RuleContext) -> Iterator[Finding]:
        for state in ctx.index.states_of_type("Fail"):
            if state.query_language != "JSONPath":
                continue
            for name in ("ErrorPath", "CausePath"):
                value = state.data.get(name)
                if not isinstance(value, str) or value.startswith("$") or not looks_like_call(value):
                    continue
                try:
                    call = parse_call(value)
                except IntrinsicError:
                    continue
                if call.name in FUNCTIONS and call.name not in STRING_RESULTS:
                    yield Finding(state.path + (name,), f"{call.name} does not return a string, which {name}"
                                  f" needs; wrap it in States.Format('{{}}', ...) (state '{state.name}')",
                                  within=(call.start, call.name_end))
