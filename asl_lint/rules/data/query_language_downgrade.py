"""ASL301: a JSONata state machine cannot contain JSONPath states."""

from __future__ import annotations

from collections.abc import Iterator

from ...context import RuleContext
from ...model import machine_query_language
from ..base import Finding, Rule


class QueryLanguageDowngrade(Rule):
    """A JSONPath state in a state machine whose top-level `QueryLanguage` is JSONata

    AWS: a JSONata-based state machine cannot revert to a mix of JSONata and JSONPath.
    The other way round is fine: a JSONPath machine may hold JSONata states. States in a
    Distributed Map's processor run as child executions and are not reported.

    Bad:

    ```json
    {"QueryLanguage": "JSONata", "StartAt": "A", "States": {
      "A": {"Type": "Pass", "QueryLanguage": "JSONPath", "End": true}}}
    ```

    Good:

    ```json
    {"StartAt": "A", "States": {
      "A": {"Type": "Pass", "QueryLanguage": "JSONata", "End": true}}}
    ```
    """

    id = "ASL301"
    name = "query-language-downgrade"
    aws_code = 'SCHEMA_VALIDATION_FAILED'
    tags = ("data",)

    def check(self, ctx: RuleContext) -> Iterator[Finding]:
        if machine_query_language(ctx.data) != "JSONata":
            return
        for state in ctx.states:
            if state.data.get("QueryLanguage") == "JSONPath" and not state.scope.in_child_execution:
                message = (f"state '{state.name}' switches to JSONPath in a JSONata state machine:"
                           " remove its QueryLanguage, or set the machine's to JSONPath")
                yield Finding(state.path + ("QueryLanguage",), message)
