"""ASL401-ASL407: Task resources and integration patterns."""

from __future__ import annotations

import re
from collections.abc import Iterator

from ...context import RuleContext
from ...diagnostics import Severity
from ...lang.fields import strings_below
from ...model import State, strings_of
from ..base import Finding, Rule
from ._resources import OPTIMIZED_ACTIONS, OPTIMIZED_SERVICES, classify, invokes_lambda

LAMBDA_TRANSIENT = ("Lambda.ServiceException", "Lambda.AWSLambdaException", "Lambda.SdkClientException")


def tasks(ctx: RuleContext) -> list[tuple[State, str]]:
    """Task states with a literal Resource string (placeholders are never judged), found
    once for the rules that read them."""
    return ctx.shared("tasks", lambda ctx: [
        (state, resource) for state in ctx.index.states_of_type("Task")
        if isinstance(resource := state.data.get("Resource"), str)
        and not ctx.is_placeholder(state.path + ("Resource",))])


class InvalidResourceArn(Rule):
    """A Task `Resource` that is not an ARN Step Functions can run

    `Resource` is a service integration (`arn:aws:states:::lambda:invoke`,
    `arn:aws:states:::aws-sdk:s3:getObject`, optionally with `.sync`, `.sync:2` or
    `.waitForTaskToken`), a Lambda function ARN or an activity ARN, in any partition
    (aws, aws-cn, aws-us-gov, ...). AWS: "INVALID_RESOURCE".

    Bad:

    ```json
    {"StartAt": "T", "States": {"T": {"Type": "Task",
      "Resource": "arn:aws:lambda:us-east-1:function:process", "End": true}}}
    ```

    Good:

    ```json
    {"StartAt": "T", "States": {"T": {"Type": "Task",
      "Resource": "arn:aws:lambda:us-east-1:123456789012:function:process", "End": true}}}
    ```
    """

    id = "ASL401"
    name = "invalid-resource-arn"
    aws_code = 'INVALID_RESOURCE'
    tags = ("tasks",)

    def check(self, ctx: RuleContext) -> Iterator[Finding]:
        for state, resource in tasks(ctx):
            if classify(resource).kind == "invalid":
                yield Finding(state.path + ("Resource",), f"'{resource}' is not a service integration, Lambda"
                              f" function or activity ARN (state '{state.name}')")


class UnknownServiceIntegration(Rule):
    """A service integration that Step Functions does not offer under that name

    Optimized integrations have their own names (`lambda`, `dynamodb`, `sqs`, `glue`,
    ...); every other AWS API is reached through `aws-sdk:<service>:<action>`.

    Bad:

    ```json
    {"StartAt": "T", "States": {"T": {"Type": "Task",
      "Resource": "arn:aws:states:::rekognition:detectLabels", "End": true}}}
    ```

    Good:

    ```json
    {"StartAt": "T", "States": {"T": {"Type": "Task",
      "Resource": "arn:aws:states:::aws-sdk:rekognition:detectLabels", "End": true}}}
    ```
    """

    id = "ASL402"
    name = "unknown-service-integration"
    aws_code = None
    severity = Severity.WARNING
    tags = ("tasks",)

    def check(self, ctx: RuleContext) -> Iterator[Finding]:
        for state, resource in tasks(ctx):
            found = classify(resource)
            if found.kind == "integration" and not found.service.startswith("aws-sdk:") \
                    and found.service not in OPTIMIZED_SERVICES:
                yield Finding(state.path + ("Resource",), f"'{found.service}' is not an optimized integration: use"
                              f" arn:aws:states:::aws-sdk:{found.service}:{found.action} (state '{state.name}')")


class HeartbeatNotBelowTimeout(Rule):
    """`HeartbeatSeconds` that is not smaller than `TimeoutSeconds`

    A heartbeat interval as long as the whole timeout can never detect a lost worker
    before the task times out anyway.

    Bad:

    ```json
    {"StartAt": "T", "States": {"T": {"Type": "Task", "Resource": "arn:aws:states:::sqs:sendMessage.waitForTaskToken",
      "Parameters": {"QueueUrl": "q", "MessageBody": {"t.$": "$$.Task.Token"}},
      "TimeoutSeconds": 300, "HeartbeatSeconds": 300, "End": true}}}
    ```

    Good:

    ```json
    {"StartAt": "T", "States": {"T": {"Type": "Task", "Resource": "arn:aws:states:::sqs:sendMessage.waitForTaskToken",
      "Parameters": {"QueueUrl": "q", "MessageBody": {"t.$": "$$.Task.Token"}},
      "TimeoutSeconds": 300, "HeartbeatSeconds": 60, "End": true}}}
    ```
    """

    id = "ASL403"
    name = "heartbeat-not-below-timeout"
    aws_code = 'SCHEMA_VALIDATION_FAILED'
    tags = ("tasks",)

    def check(self, ctx: RuleContext) -> Iterator[Finding]:
        for state in ctx.index.states_of_type("Task"):
            timeout, heartbeat = state.data.get("TimeoutSeconds"), state.data.get("HeartbeatSeconds")
            if state.type == "Task" and _int(timeout) and _int(heartbeat) and heartbeat >= timeout:
                yield Finding(state.path + ("HeartbeatSeconds",), f"HeartbeatSeconds ({heartbeat}) must be smaller"
                              f" than TimeoutSeconds ({timeout}) (state '{state.name}')")


class CallbackWithoutToken(Rule):
    """A `.waitForTaskToken` Task that never sends its task token

    The execution waits until something calls SendTaskSuccess or SendTaskFailure with the
    token, so the payload must pass `$$.Task.Token` (JSONPath) or
    `$states.context.Task.Token` (JSONata); otherwise nothing can resume it.

    Bad:

    ```json
    {"StartAt": "T", "States": {"T": {"Type": "Task", "HeartbeatSeconds": 60,
      "Resource": "arn:aws:states:::sqs:sendMessage.waitForTaskToken",
      "Parameters": {"QueueUrl": "q", "MessageBody": {"order.$": "$.order"}}, "End": true}}}
    ```

    Good:

    ```json
    {"StartAt": "T", "States": {"T": {"Type": "Task", "HeartbeatSeconds": 60,
      "Resource": "arn:aws:states:::sqs:sendMessage.waitForTaskToken",
      "Parameters": {"QueueUrl": "q", "MessageBody": {"order.$": "$.order", "token.$": "$$.Task.Token"}},
      "End": true}}}
    ```
    """

    id = "ASL404"
    name = "callback-without-token"
    aws_code = None
    severity = Severity.WARNING
    tags = ("tasks",)

    def check(self, ctx: RuleContext) -> Iterator[Finding]:
        for state, resource in tasks(ctx):
            if classify(resource).pattern != ".waitForTaskToken":
                continue
            payload = {key: state.data[key] for key in ("Parameters", "Arguments") if key in state.data}
            texts = [text for _, text in strings_below(payload, ())]
            if not any("Task.Token" in text or _WHOLE_CONTEXT.search(text) for text in texts):
                yield Finding(state.path + ("Resource",), "this .waitForTaskToken Task never passes $$.Task.Token"
                              f" (or $states.context.Task.Token), so nothing can resume it (state '{state.name}')")


# The whole context object ($$, $states.context) or its Task object carries the token too.
_WHOLE_CONTEXT = re.compile(r"(?:\$\$|\$states\.context)(?:\.Task)?(?![\w.\[])")


class CallbackWithoutTimeout(Rule):
    """A callback or activity Task with neither a heartbeat nor a timeout

    A `.waitForTaskToken` Task or an activity waits for a worker. Without
    `HeartbeatSeconds` or `TimeoutSeconds`, a lost worker leaves the execution waiting
    for up to a year.

    Bad:

    ```json
    {"StartAt": "T", "States": {"T": {"Type": "Task",
      "Resource": "arn:aws:states:::sqs:sendMessage.waitForTaskToken",
      "Parameters": {"QueueUrl": "q", "MessageBody": {"t.$": "$$.Task.Token"}}, "End": true}}}
    ```

    Good:

    ```json
    {"StartAt": "T", "States": {"T": {"Type": "Task", "HeartbeatSeconds": 600,
      "Resource": "arn:aws:states:::sqs:sendMessage.waitForTaskToken",
      "Parameters": {"QueueUrl": "q", "MessageBody": {"t.$": "$$.Task.Token"}}, "End": true}}}
    ```
    """

    id = "ASL405"
    name = "callback-without-timeout"
    aws_code = None
    severity = Severity.WARNING
    tags = ("tasks", "practices")

    def check(self, ctx: RuleContext) -> Iterator[Finding]:
        guards = ("TimeoutSeconds", "TimeoutSecondsPath", "HeartbeatSeconds", "HeartbeatSecondsPath")
        for state, resource in tasks(ctx):
            found = classify(resource)
            if (found.pattern == ".waitForTaskToken" or found.kind == "activity") \
                    and not any(key in state.data for key in guards):
                yield Finding(state.path + ("Resource",), "set HeartbeatSeconds or TimeoutSeconds: without them a lost"
                              f" worker leaves this Task waiting for up to a year (state '{state.name}')")


class LambdaWithoutRetry(Rule):
    """A Lambda invocation with no retry for Lambda's transient errors

    AWS recommends retrying `Lambda.ServiceException`, `Lambda.AWSLambdaException` and
    `Lambda.SdkClientException`, which Lambda raises now and then for reasons unrelated to
    your function.

    Bad:

    ```json
    {"StartAt": "T", "States": {"T": {"Type": "Task", "Resource": "arn:aws:states:::lambda:invoke",
      "Parameters": {"FunctionName": "f"}, "End": true}}}
    ```

    Good:

    ```json
    {"StartAt": "T", "States": {"T": {"Type": "Task", "Resource": "arn:aws:states:::lambda:invoke",
      "Parameters": {"FunctionName": "f"}, "End": true, "Retry": [{"ErrorEquals":
      ["Lambda.ServiceException", "Lambda.AWSLambdaException", "Lambda.SdkClientException"],
      "IntervalSeconds": 1, "MaxAttempts": 3, "BackoffRate": 2}]}}}
    ```
    """

    id = "ASL406"
    name = "lambda-without-retry"
    aws_code = None
    severity = Severity.WARNING
    tags = ("tasks", "practices")

    def check(self, ctx: RuleContext) -> Iterator[Finding]:
        for state, resource in tasks(ctx):
            if not invokes_lambda(classify(resource)):
                continue
            if ctx.unknown_within(state.path + ("Retry",)):
                continue  # its retriers are known only at deploy or plan time
            retried = set()
            for _, retrier in state.entries("Retry"):
                retried.update(name for name in strings_of(retrier.get("ErrorEquals")) if name is not None)
            if not ({"States.ALL", "States.TaskFailed"} & retried) and not set(LAMBDA_TRANSIENT) <= retried:
                missing = [name for name in LAMBDA_TRANSIENT if name not in retried]
                yield Finding(state.path + ("Resource",), f"no Retry for {', '.join(missing)}: Lambda raises them"
                              f" now and then whatever the function does (state '{state.name}')")


def _int(value: object) -> bool:
    return isinstance(value, int) and not isinstance(value, bool)


class UnknownIntegrationAction(Rule):
    """An action that an optimized integration does not offer

    Optimized integrations support a fixed set of actions (DynamoDB: `getItem`, `putItem`,
    `updateItem`, `deleteItem`); AWS rejects any other, such as `dynamodb:query`, when the
    state machine is created. Every other API action is reached through
    `aws-sdk:<service>:<action>`.

    Bad:

    ```json
    {"StartAt": "T", "States": {"T": {"Type": "Task", "Resource": "arn:aws:states:::dynamodb:query",
      "Parameters": {"TableName": "t"}, "End": true}}}
    ```

    Good:

    ```json
    {"StartAt": "T", "States": {"T": {"Type": "Task", "Resource": "arn:aws:states:::aws-sdk:dynamodb:query",
      "Parameters": {"TableName": "t"}, "End": true}}}
    ```
    """

    id = "ASL408"
    name = "unknown-integration-action"
    aws_code = 'INVALID_RESOURCE'
    tags = ("tasks",)

    def check(self, ctx: RuleContext) -> Iterator[Finding]:
        for state, resource in tasks(ctx):
            found = classify(resource)
            actions = OPTIMIZED_ACTIONS.get(found.service or "")
            if found.kind == "integration" and actions is not None and found.action not in actions:
                yield Finding(state.path + ("Resource",), f"the {found.service} integration has no action"
                              f" '{found.action}' ({', '.join(sorted(actions))}); use"
                              f" arn:aws:states:::aws-sdk:{found.service}:{found.action} (state '{state.name}')")
