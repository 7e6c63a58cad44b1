"""ASL307: a path that works only because AWS's JSONPath reader is lenient."""

from __future__ import annotations

from collections.abc import Iterator

from ...context import RuleContext
from ...diagnostics import Severity
from ...proposals import insert
from ..base import Finding, Rule
from ._paths import path_uses


class LenientPath(Rule):
    """A path that works only because AWS's JSONPath reader adds a missing `.`

    Step Functions evaluates JSONPath with Jayway, which reads a field name or `*` written
    straight after `]` as if a `.` came first: `$.items[0]name` is `$.items[0].name`.
    Other JSONPath readers (and people) reject or misread it; write the dot.

    Bad:

    ```json
    {"StartAt": "P", "States": {"P": {"Type": "Pass", "InputPath": "$.items[0]name",
      "End": true}}}
    ```

    Good:

    ```json
    {"StartAt": "P", "States": {"P": {"Type": "Pass", "InputPath": "$.items[0].name",
      "End": true}}}
    ```
    """

    id = "ASL307"
    name = "lenient-path"
    aws_code = None
    severity = Severity.WARNING
    tags = ("data", "paths")

    def check(self, ctx: RuleContext) -> Iterator[Finding]:
        for use in path_uses(ctx):
            for step in use.parsed.steps if use.parsed is not None else ():
                if step.lenient:
                    written = use.text[step.start:step.end]
                    within = use.within(step.start, step.end)
                    fix = insert(use.site.path, within[0], ".", f"Write '.{written}'") if within else None
                    yield Finding(use.site.path, f"'{use.text.strip()}' reads '{written}' after ']' as '.{written}':"
                                  f" write the dot (state '{use.site.state.name}')", within=within, fix=fix)
