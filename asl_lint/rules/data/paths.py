"""ASL302-ASL306: the paths of JSONPath states."""

from __future__ import annotations

from collections.abc import Iterator

from ...context import RuleContext
from ...diagnostics import Severity
from ...lang.paths import CONTEXT_FIELDS, MAP_ITEM_FIELDS, reference_problem
from ..base import Finding, Rule
from ._paths import path_uses

CALLBACK_SUFFIX = ".waitForTaskToken"


class InvalidPath(Rule):
    """A path that is not valid JSONPath

    `InputPath`, `OutputPath`, every `*Path` field and every `name.$` value are paths: they
    start with `$` (the state's data), `$$` (the context object) or `$name` (a variable).
    AWS rejects the definition: "must be a valid JSONPath".

    Bad:

    ```json
    {"StartAt": "P", "States": {"P": {"Type": "Pass", "InputPath": "$.order.",
      "End": true}}}
    ```

    Good:

    ```json
    {"StartAt": "P", "States": {"P": {"Type": "Pass", "InputPath": "$.order",
      "End": true}}}
    ```
    """

    id = "ASL302"
    name = "invalid-path"
    aws_code = 'SCHEMA_VALIDATION_FAILED'
    tags = ("data", "paths")

    def check(self, ctx: RuleContext) -> Iterator[Finding]:
        for use in path_uses(ctx):
            if use.error is not None:
                error = use.error
                yield Finding(use.site.path, f"'{use.text}' is not a valid path: {error.message}"
                              f"{_in(use.site.state.name)}", within=use.within(error.offset, error.end))


class InvalidReferencePath(Rule):
    """A reference path that can select more than one node

    `ResultPath`, `ItemsPath`, the `*Path` fields that replace a literal (`SecondsPath`,
    `TimeoutSecondsPath`, ...), Fail `ErrorPath`/`CausePath` and Choice `Variable` and
    `*Path` operators must name exactly one node: no filters, wildcards, slices, unions or
    `..`. AWS: "Value is not a Reference Path".

    Bad:

    ```json
    {"StartAt": "W", "States": {"W": {"Type": "Wait", "SecondsPath": "$.delays[*]",
      "End": true}}}
    ```

    Good:

    ```json
    {"StartAt": "W", "States": {"W": {"Type": "Wait", "SecondsPath": "$.delays[0]",
      "End": true}}}
    ```
    """

    id = "ASL303"
    name = "invalid-reference-path"
    aws_code = 'SCHEMA_VALIDATION_FAILED'
    tags = ("data", "paths")

    def check(self, ctx: RuleContext) -> Iterator[Finding]:
        for use in path_uses(ctx):
            if use.parsed is None or use.kind not in ("reference", "result", "fail"):
                continue
            problem = reference_problem(use.parsed)
            if problem is not None:
                field = use.site.path[-1]
                yield Finding(use.site.path, f"{field} '{use.text}': {problem.message}{_in(use.site.state.name)}",
                              within=use.within(problem.offset, problem.end))


class ResultPathNotWritable(Rule):
    """A `ResultPath` into the context object or a variable

    `ResultPath` says where the result goes in the state's data. The context object (`$$`)
    cannot be written, and variables are set with `Assign`, not `ResultPath`.

    Bad:

    ```json
    {"StartAt": "P", "States": {"P": {"Type": "Pass", "ResultPath": "$$.Execution.Input",
      "End": true}}}
    ```

    Good:

    ```json
    {"StartAt": "P", "States": {"P": {"Type": "Pass", "ResultPath": "$.result",
      "End": true}}}
    ```
    """

    id = "ASL304"
    name = "result-path-not-writable"
    aws_code = 'SCHEMA_VALIDATION_FAILED'
    tags = ("data", "paths")

    def check(self, ctx: RuleContext) -> Iterator[Finding]:
        for use in path_uses(ctx):
            if use.parsed is None or use.kind != "result" or use.parsed.root == "state":
                continue
            what = ("the context object cannot be written" if use.parsed.root == "context"
                    else f"variable '{use.parsed.variable}' is set with Assign, not ResultPath")
            yield Finding(use.site.path, f"ResultPath '{use.text}': {what}{_in(use.site.state.name)}")


class UnknownContextField(Rule):
    """A context object field AWS does not document

    The context object holds `Execution` (`Id`, `Input`, `Name`, `RoleArn`, `StartTime`,
    `RedriveCount`, `RedriveTime`), `State` (`EnteredTime`, `Name`, `RetryCount`),
    `StateMachine` (`Id`, `Name`), `Task` (`Token`) and, in a Map, `Map.Item` (`Index`,
    `Value`). Anything else is most likely a typo and resolves to nothing.

    Bad:

    ```json
    {"StartAt": "P", "States": {"P": {"Type": "Pass", "End": true,
      "Parameters": {"id.$": "$$.Execution.ID"}}}}
    ```

    Good:

    ```json
    {"StartAt": "P", "States": {"P": {"Type": "Pass", "End": true,
      "Parameters": {"id.$": "$$.Execution.Id"}}}}
    ```
    """

    id = "ASL305"
    name = "unknown-context-field"
    aws_code = None
    severity = Severity.WARNING
    tags = ("data", "paths")

    def check(self, ctx: RuleContext) -> Iterator[Finding]:
        for use in path_uses(ctx):
            if use.parsed is None or use.parsed.root != "context" or not use.parsed.steps:
                continue
            steps = use.parsed.steps
            names = [str(step.value) if step.kind == "name" else None for step in steps[:3]]
            first = names[0]
            if first is None:
                continue
            problem = None
            if first not in CONTEXT_FIELDS:
                problem = (f"the context object has no field '{first}'", steps[0])
            elif len(names) > 1 and names[1] is not None and first != "Execution" or \
                    (first == "Execution" and len(names) > 1 and names[1] is not None):
                second = names[1]
                if second not in CONTEXT_FIELDS[first]:
                    problem = (f"'$$.{first}' has no field '{second}'", steps[1])
                elif first == "Map" and len(names) > 2 and names[2] is not None and names[2] not in MAP_ITEM_FIELDS:
                    problem = (f"'$$.Map.Item' has no field '{names[2]}'", steps[2])
            if problem:
                message, step = problem
                yield Finding(use.site.path, f"'{use.text}': {message}{_in(use.site.state.name)}",
                              within=use.within(step.start, step.end))


class ContextFieldUnavailable(Rule):
    """`$$.Task.Token` or `$$.Map.Item` where they hold nothing

    `$$.Task.Token` exists only in a Task with the `.waitForTaskToken` pattern or an
    activity; `$$.Map.Item` only in a Map state's `ItemSelector` (or its older
    `Parameters`). Elsewhere they are empty.

    Bad:

    ```json
    {"StartAt": "T", "States": {"T": {"Type": "Task", "End": true,
      "Resource": "arn:aws:states:::sqs:sendMessage",
      "Parameters": {"QueueUrl": "q", "MessageBody": {"token.$": "$$.Task.Token"}}}}}
    ```

    Good:

    ```json
    {"StartAt": "T", "States": {"T": {"Type": "Task", "End": true,
      "Resource": "arn:aws:states:::sqs:sendMessage.waitForTaskToken",
      "Parameters": {"QueueUrl": "q", "MessageBody": {"token.$": "$$.Task.Token"}}}}}
    ```
    """

    id = "ASL306"
    name = "context-field-unavailable"
    aws_code = None
    severity = Severity.WARNING
    tags = ("data", "paths")

    def check(self, ctx: RuleContext) -> Iterator[Finding]:
        for use in path_uses(ctx):
            parsed = use.parsed
            if parsed is None or parsed.root != "context":
                continue
            names = parsed.names()[:2]
            state = use.site.state
            if names == ["Task", "Token"] and not has_task_token(state.data):
                yield Finding(use.site.path, f"'{use.text}' is empty here: only a .waitForTaskToken Task or an"
                              f" activity gets a task token (state '{state.name}')")
            if names[:1] == ["Map"] and not use.site.map_item:
                yield Finding(use.site.path, f"'{use.text}' is only set in a Map state's ItemSelector"
                              f" (state '{state.name}')")


def has_task_token(state: dict) -> bool:
    resource = state.get("Resource")
    return state.get("Type") == "Task" and isinstance(resource, str) and (
        resource.endswith(CALLBACK_SUFFIX) or ":activity:" in resource or "${" in resource)


def _in(state: str) -> str:
    return f" (state '{state}')"
