"""ASL601-ASL605: error names in Retry and Catch."""

from __future__ import annotations

from collections.abc import Iterator

from ...context import RuleContext
from ...diagnostics import Severity
from ..base import Finding, Rule

PREDEFINED = {
    "States.ALL", "States.HeartbeatTimeout", "States.Timeout", "States.TaskFailed", "States.Permissions",
    "States.ResultPathMatchFailure", "States.ParameterPathFailure", "States.QueryEvaluationError",
    "States.BranchFailed", "States.NoChoiceMatched", "States.IntrinsicFailure",
    "States.ExceedToleratedFailureThreshold", "States.ItemReaderFailed", "States.ResultWriterFailed",
    "States.DataLimitExceeded", "States.Runtime", "States.Http.Socket",
}
REPORTED_AS_RUNTIME = {"States.IntrinsicFailure", "States.NoChoiceMatched", "States.ParameterPathFailure"}


class StatesAllNotAlone(Rule):
    """`States.ALL` together with other error names

    `States.ALL` matches every error, so it must be the only name in its `ErrorEquals`.

    Bad:

    ```json
    {"StartAt": "T", "States": {"T": {"Type": "Task", "Resource": "arn:aws:states:::lambda:invoke",
      "End": true, "Retry": [{"ErrorEquals": ["States.Timeout", "States.ALL"]}]}}}
    ```

    Good:

    ```json
    {"StartAt": "T", "States": {"T": {"Type": "Task", "Resource": "arn:aws:states:::lambda:invoke",
      "End": true, "Retry": [{"ErrorEquals": ["States.ALL"]}]}}}
    ```
    """

    id = "ASL601"
    name = "states-all-not-alone"
    aws_code = 'SCHEMA_VALIDATION_FAILED'
    tags = ("states", "errors")

    def check(self, ctx: RuleContext) -> Iterator[Finding]:
        for handler in ctx.index.handlers:
            names, field = handler.names, handler.field
            if "States.ALL" in names and len(names) > 1:
                yield Finding(handler.path + (names.index("States.ALL"),), "States.ALL must be alone in ErrorEquals of"
                              f" this {field[:-1] if field == 'Catch' else field} entry (state '{handler.state.name}')")


class StatesAllNotLast(Rule):
    """A retrier or catcher after the one for `States.ALL`

    Retriers and catchers are tried in order and `States.ALL` matches everything, so an
    entry after it can never be used. The `States.ALL` entry must be the last one.

    Bad:

    ```json
    {"StartAt": "T", "States": {"T": {"Type": "Task", "Resource": "arn:aws:states:::lambda:invoke",
      "End": true, "Retry": [{"ErrorEquals": ["States.ALL"]}, {"ErrorEquals": ["States.Timeout"]}]}}}
    ```

    Good:

    ```json
    {"StartAt": "T", "States": {"T": {"Type": "Task", "Resource": "arn:aws:states:::lambda:invoke",
      "End": true, "Retry": [{"ErrorEquals": ["States.Timeout"]}, {"ErrorEquals": ["States.ALL"]}]}}}
    ```
    """

    id = "ASL602"
    name = "states-all-not-last"
    aws_code = 'SCHEMA_VALIDATION_FAILED'
    tags = ("states", "errors")

    def check(self, ctx: RuleContext) -> Iterator[Finding]:
        last: dict[tuple[int, str], int] = {}  # (state, field) -> the last entry's index
        for handler in ctx.index.handlers:
            last[id(handler.state), handler.field] = handler.index
        for handler in ctx.index.handlers:
            if "States.ALL" in handler.names and handler.index != last[id(handler.state), handler.field]:
                yield Finding(handler.path[:-1], f"the {handler.field} entry for States.ALL must come last: the entries"
                              f" after it are never used (state '{handler.state.name}')", "key")


class UnknownStatesError(Rule):
    """An error name that starts with `States.` but is not one Step Functions raises

    The `States.` prefix is reserved; a misspelled predefined error (`States.TimeOut`)
    never matches, so the retrier or catcher never fires. A Fail state should not raise a
    `States.` name of its own either.

    Bad:

    ```json
    {"StartAt": "T", "States": {"T": {"Type": "Task", "Resource": "arn:aws:states:::lambda:invoke",
      "End": true, "Retry": [{"ErrorEquals": ["States.TimeOut"]}]}}}
    ```

    Good:

    ```json
    {"StartAt": "T", "States": {"T": {"Type": "Task", "Resource": "arn:aws:states:::lambda:invoke",
      "End": true, "Retry": [{"ErrorEquals": ["States.Timeout"]}]}}}
    ```
    """

    id = "ASL603"
    name = "unknown-states-error"
    aws_code = None
    severity = Severity.WARNING
    tags = ("states", "errors")

    def check(self, ctx: RuleContext) -> Iterator[Finding]:
        # A Fail state of this machine may raise a States.* name of its own: catching it works,
        # but the name itself takes the reserved prefix.
        raised = set()
        for state in ctx.index.states_of_type("Fail"):
            error = state.data.get("Error")
            if isinstance(error, str) and error.startswith("States.") \
                    and error not in PREDEFINED:
                raised.add(error)
                yield Finding(state.path + ("Error",), f"'{error}' takes the States. prefix reserved for Step"
                              f" Functions' own errors; name it without it (state '{state.name}')")
        for handler in ctx.index.handlers:
            state, path = handler.state, handler.path
            for at, name in enumerate(handler.names):
                if isinstance(name, str) and name.startswith("States.") and name not in PREDEFINED \
                        and name not in raised:
                    import difflib  # only for a name to correct

                    close = [p for p in PREDEFINED if p.lower() == name.lower()] or \
                        difflib.get_close_matches(name, sorted(PREDEFINED), n=1, cutoff=0.8)
                    hint = f"; did you mean {close[0]}?" if close else ""
                    yield Finding(path + (at,), f"'{name}' is not an error Step Functions raises, so it never"
                                  f" matches{hint} (state '{state.name}')")


class ErrorReportedAsRuntime(Rule):
    """A retrier or catcher for an error AWS reports as `States.Runtime`

    Step Functions reports these errors as `States.Runtime`, which cannot be caught or
    retried, so a retrier or catcher naming them never fires. Prevent the error instead
    (a Choice `Default`, a guarded path).

    Bad:

    ```json
    {"StartAt": "T", "States": {"T": {"Type": "Task", "Resource": "arn:aws:states:::lambda:invoke",
      "End": true, "Catch": [{"ErrorEquals": ["States.ParameterPathFailure"], "Next": "F"}]},
      "F": {"Type": "Fail"}}}
    ```

    Good:

    ```json
    {"StartAt": "T", "States": {"T": {"Type": "Task", "Resource": "arn:aws:states:::lambda:invoke",
      "End": true, "Catch": [{"ErrorEquals": ["States.TaskFailed"], "Next": "F"}]},
      "F": {"Type": "Fail"}}}
    ```
    """

    id = "ASL604"
    name = "error-reported-as-runtime"
    aws_code = None
    severity = Severity.WARNING
    tags = ("states", "errors")

    def check(self, ctx: RuleContext) -> Iterator[Finding]:
        for handler in ctx.index.handlers:
            for at, name in enumerate(handler.names):
                if name in REPORTED_AS_RUNTIME:
                    yield Finding(handler.path + (at,), f"{name} is reported as States.Runtime, which no"
                                  f" {handler.field} can match (state '{handler.state.name}')")


class ShadowedErrorHandler(Rule):
    """An error name already handled by an earlier retrier or catcher

    The first entry whose `ErrorEquals` matches wins, so a name repeated in a later entry
    of the same `Retry` or `Catch` list is never reached there.

    Bad:

    ```json
    {"StartAt": "T", "States": {"T": {"Type": "Task", "Resource": "arn:aws:states:::lambda:invoke",
      "End": true, "Retry": [{"ErrorEquals": ["States.Timeout"], "MaxAttempts": 1},
                             {"ErrorEquals": ["States.Timeout"], "MaxAttempts": 5}]}}}
    ```

    Good:

    ```json
    {"StartAt": "T", "States": {"T": {"Type": "Task", "Resource": "arn:aws:states:::lambda:invoke",
      "End": true, "Retry": [{"ErrorEquals": ["States.Timeout"], "MaxAttempts": 5}]}}}
    ```
    """

    id = "ASL605"
    name = "shadowed-error-handler"
    aws_code = None
    severity = Severity.WARNING
    tags = ("states", "errors")

    def check(self, ctx: RuleContext) -> Iterator[Finding]:
        seen: dict[tuple[int, str, str], int] = {}  # (state, field, name) -> the first entry naming it
        for handler in ctx.index.handlers:
            for at, name in enumerate(handler.names):
                if not isinstance(name, str):
                    continue
                first = seen.setdefault((id(handler.state), handler.field, name), handler.index)
                if first != handler.index:
                    yield Finding(handler.path + (at,), f"'{name}' is already handled by {handler.field} entry"
                                  f" {first + 1}; this one is never used for it (state '{handler.state.name}')")


# Errors only some states raise: name -> (state types, what else must hold, what to say).
_RAISED_BY = {
    "States.BranchFailed": ("Parallel", "Map"),
    "States.ItemReaderFailed": ("Map",),
    "States.ResultWriterFailed": ("Map",),
    "States.ExceedToleratedFailureThreshold": ("Map",),
}


class ErrorNeverRaisedHere(Rule):
    """A retrier or catcher for an error this state never raises

    Some errors belong to some states: `States.BranchFailed` to Parallel and Map,
    `States.ItemReaderFailed`, `States.ResultWriterFailed` and
    `States.ExceedToleratedFailureThreshold` to Map, `States.QueryEvaluationError` to
    JSONata states, `States.Http.Socket` to HTTP Tasks. Elsewhere the entry is dead code.

    Bad:

    ```json
    {"StartAt": "T", "States": {"T": {"Type": "Task", "Resource": "arn:aws:states:::lambda:invoke",
      "End": true, "Catch": [{"ErrorEquals": ["States.BranchFailed"], "Next": "F"}]},
      "F": {"Type": "Fail"}}}
    ```

    Good:

    ```json
    {"StartAt": "P", "States": {"P": {"Type": "Parallel", "End": true,
      "Branches": [{"StartAt": "B", "States": {"B": {"Type": "Succeed"}}}],
      "Catch": [{"ErrorEquals": ["States.BranchFailed"], "Next": "F"}]},
      "F": {"Type": "Fail"}}}
    ```
    """

    id = "ASL606"
    name = "error-never-raised-here"
    aws_code = None
    severity = Severity.WARNING
    tags = ("states", "errors")

    def check(self, ctx: RuleContext) -> Iterator[Finding]:
        for handler in ctx.index.handlers:
            state, field, path = handler.state, handler.field, handler.path
            resource = state.data.get("Resource")
            for at, name in enumerate(handler.names):
                where = None
                if name in _RAISED_BY and state.type not in _RAISED_BY[name]:
                    where = f"{' and '.join(_RAISED_BY[name])} states"
                elif name == "States.QueryEvaluationError" and state.query_language != "JSONata":
                    where = "JSONata states"
                elif name == "States.Http.Socket" and not (isinstance(resource, str) and ":http:" in resource):
                    where = "HTTP Tasks"
                if where:
                    yield Finding(path + (at,), f"only {where} raise {name}, so this {field} entry never"
                                  f" fires for it (state '{state.name}')")
