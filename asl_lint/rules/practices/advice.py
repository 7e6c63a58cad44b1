"""ASL510-ASL516: advice; the noisier rules here are off unless selected."""

from __future__ import annotations

from collections.abc import Iterator

from ...context import RuleContext
from ...diagnostics import Severity
from ..base import Finding, Rule
from ..data._variables import flow


class ChoiceWithoutDefault(Rule):
    """A Choice state without `Default` (off by default)

    When no rule matches, the execution fails with `States.NoChoiceMatched`, which is
    reported as `States.Runtime` and cannot be caught. Select with `--select ASL510`.

    Bad:

    ```json
    {"StartAt": "C", "States": {"C": {"Type": "Choice", "Choices": [
      {"Variable": "$.ok", "BooleanEquals": true, "Next": "D"}]}, "D": {"Type": "Succeed"}}}
    ```

    Good:

    ```json
    {"StartAt": "C", "States": {"C": {"Type": "Choice", "Default": "D", "Choices": [
      {"Variable": "$.ok", "BooleanEquals": true, "Next": "D"}]}, "D": {"Type": "Succeed"}}}
    ```
    """

    id = "ASL510"
    name = "choice-without-default"
    aws_code = None
    severity = Severity.WARNING
    enabled_by_default = False
    tags = ("practices",)

    def check(self, ctx: RuleContext) -> Iterator[Finding]:
        for state in ctx.index.states_of_type("Choice"):
            if "Default" not in state.data:
                yield Finding(state.path, f"Choice state '{state.name}' has no Default: an unmatched input fails"
                              " with an error no Catcher can handle", "key")


class FailWithoutError(Rule):
    """A Fail state without `Error` (off by default)

    Callers and catchers in parent workflows match on the error name; without one they
    see only a generic failure. Select with `--select ASL511`.

    Bad:

    ```json
    {"StartAt": "F", "States": {"F": {"Type": "Fail", "Cause": "no stock"}}}
    ```

    Good:

    ```json
    {"StartAt": "F", "States": {"F": {"Type": "Fail", "Error": "OutOfStock", "Cause": "no stock"}}}
    ```
    """

    id = "ASL511"
    name = "fail-without-error"
    aws_code = None
    severity = Severity.WARNING
    enabled_by_default = False
    tags = ("practices",)

    def check(self, ctx: RuleContext) -> Iterator[Finding]:
        for state in ctx.index.states_of_type("Fail"):
            if "Error" not in state.data and "ErrorPath" not in state.data:
                yield Finding(state.path, f"Fail state '{state.name}' has no Error or ErrorPath", "key")


class TaskWithoutTimeout(Rule):
    """A Task without `TimeoutSeconds` (off by default)

    Step Functions applies no default timeout: a stuck Task waits as long as the
    execution may live. Select with `--select ASL512`.

    Bad:

    ```json
    {"StartAt": "T", "States": {"T": {"Type": "Task", "Resource": "arn:aws:states:::glue:startJobRun.sync",
      "End": true}}}
    ```

    Good:

    ```json
    {"StartAt": "T", "States": {"T": {"Type": "Task", "Resource": "arn:aws:states:::glue:startJobRun.sync",
      "TimeoutSeconds": 3600, "End": true}}}
    ```
    """

    id = "ASL512"
    name = "task-without-timeout"
    aws_code = None
    severity = Severity.WARNING
    enabled_by_default = False
    tags = ("practices",)

    def check(self, ctx: RuleContext) -> Iterator[Finding]:
        for state in ctx.index.states_of_type("Task"):
            if "TimeoutSeconds" not in state.data and "TimeoutSecondsPath" not in state.data:
                yield Finding(state.path, f"Task '{state.name}' has no TimeoutSeconds", "key")


class UnusedVariable(Rule):
    """A variable that is assigned but never read (off by default)

    Select with `--select ASL513`.

    Bad:

    ```json
    {"StartAt": "P", "States": {"P": {"Type": "Pass", "Assign": {"unused": 1}, "End": true}}}
    ```

    Good:

    ```json
    {"StartAt": "P", "States": {"P": {"Type": "Pass", "Assign": {"used": 1}, "Next": "Q"},
      "Q": {"Type": "Pass", "Parameters": {"u.$": "$used"}, "End": true}}}
    ```
    """

    id = "ASL513"
    name = "unused-variable"
    aws_code = None
    severity = Severity.WARNING
    enabled_by_default = False
    tags = ("practices", "variables")

    def check(self, ctx: RuleContext) -> Iterator[Finding]:
        variables = flow(ctx)
        read = {use.name for use in variables.uses}
        for assignment in variables.assignments:
            if assignment.name not in read:
                yield Finding(assignment.path, f"variable '{assignment.name}' is assigned but never read"
                              f" (state '{assignment.state.name}')", "key")


class AssignReadsOldValue(Rule):
    """A state's `Output` reading a variable that the same state assigns

    Everything in a state sees variables as they were when the state was entered: `Output`
    reading `$total` gets the old value even though the state's `Assign` sets a new one.
    (Reading it inside the same `Assign`, as in `total + 1`, is the usual way to update it.)

    Bad:

    ```json
    {"QueryLanguage": "JSONata", "StartAt": "A", "States": {
      "A": {"Type": "Pass", "Assign": {"total": 1}, "Next": "B"},
      "B": {"Type": "Pass", "Assign": {"total": 2}, "Output": "{% $total %}", "End": true}}}
    ```

    Good:

    ```json
    {"QueryLanguage": "JSONata", "StartAt": "A", "States": {
      "A": {"Type": "Pass", "Assign": {"total": 1}, "Next": "B"},
      "B": {"Type": "Pass", "Assign": {"total": 2}, "Next": "C"},
      "C": {"Type": "Pass", "Output": "{% $total %}", "End": true}}}
    ```
    """

    id = "ASL514"
    name = "assign-reads-old-value"
    aws_code = None
    severity = Severity.WARNING
    tags = ("practices", "variables")

    def check(self, ctx: RuleContext) -> Iterator[Finding]:
        variables = flow(ctx)
        own: dict[tuple, set[str]] = {}
        for assignment in variables.assignments:
            if assignment.where == "state":
                own.setdefault(assignment.state.path, set()).add(assignment.name)
        for use in variables.uses:
            relative = use.path[len(use.state.path):]
            if relative[:1] == ("Output",) and use.name in own.get(use.state.path, set()):
                yield Finding(use.path, f"${use.name} here is the value from before this state: its own Assign"
                              f" sets the new one for the states after it (state '{use.state.name}')",
                              within=use.within)


class RetryWithoutEffect(Rule):
    """Retrier settings that cannot take effect

    `MaxDelaySeconds` below `IntervalSeconds` caps every wait below the first one, and
    `MaxDelaySeconds` or `JitterStrategy` on a retrier with `MaxAttempts: 0` (never retry)
    do nothing.

    Bad:

    ```json
    {"StartAt": "T", "States": {"T": {"Type": "Task", "Resource": "arn:aws:states:::glue:startJobRun",
      "End": true, "Retry": [{"ErrorEquals": ["States.ALL"], "IntervalSeconds": 10, "MaxDelaySeconds": 5}]}}}
    ```

    Good:

    ```json
    {"StartAt": "T", "States": {"T": {"Type": "Task", "Resource": "arn:aws:states:::glue:startJobRun",
      "End": true, "Retry": [{"ErrorEquals": ["States.ALL"], "IntervalSeconds": 10, "MaxDelaySeconds": 60}]}}}
    ```
    """

    id = "ASL515"
    name = "retry-without-effect"
    aws_code = None
    severity = Severity.WARNING
    tags = ("practices",)

    def check(self, ctx: RuleContext) -> Iterator[Finding]:
        for state in ctx.states:
            if "Retry" not in state.data:
                continue
            for index, retrier in state.entries("Retry"):
                path = state.path + ("Retry", index)
                interval, delay = retrier.get("IntervalSeconds", 1), retrier.get("MaxDelaySeconds")
                if isinstance(delay, int) and isinstance(interval, int) and delay < interval:
                    yield Finding(path + ("MaxDelaySeconds",), f"MaxDelaySeconds ({delay}) is below IntervalSeconds"
                                  f" ({interval}) (state '{state.name}')")
                if retrier.get("MaxAttempts") == 0:
                    for key in ("MaxDelaySeconds", "JitterStrategy"):
                        if key in retrier:
                            yield Finding(path + (key,), f"{key} does nothing with MaxAttempts 0 (state '{state.name}')",
                                          "key")


class HeartbeatTimeoutWithoutHeartbeat(Rule):
    """Handling `States.HeartbeatTimeout` on a state that sends no heartbeats

    Only a Task with `HeartbeatSeconds` (or `HeartbeatSecondsPath`) can time out for lack
    of a heartbeat; elsewhere the retrier or catcher never fires.

    Bad:

    ```json
    {"StartAt": "T", "States": {"T": {"Type": "Task", "Resource": "arn:aws:states:::glue:startJobRun",
      "End": true, "Retry": [{"ErrorEquals": ["States.HeartbeatTimeout"]}]}}}
    ```

    Good:

    ```json
    {"StartAt": "T", "States": {"T": {"Type": "Task", "Resource": "arn:aws:states:::glue:startJobRun",
      "HeartbeatSeconds": 60, "End": true, "Retry": [{"ErrorEquals": ["States.HeartbeatTimeout"]}]}}}
    ```
    """

    id = "ASL516"
    name = "heartbeat-timeout-without-heartbeat"
    aws_code = None
    severity = Severity.WARNING
    tags = ("practices",)

    def check(self, ctx: RuleContext) -> Iterator[Finding]:
        for handler in ctx.index.handlers:
            if "States.HeartbeatTimeout" not in handler.names:
                continue
            state = handler.state
            if "HeartbeatSeconds" in state.data or "HeartbeatSecondsPath" in state.data:
                continue
            at = handler.names.index("States.HeartbeatTimeout")
            yield Finding(handler.path + (at,), "States.HeartbeatTimeout never"
                          f" happens without HeartbeatSeconds (state '{state.name}')")

