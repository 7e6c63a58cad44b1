"""ASL409-ASL414: each Task checked against the AWS API it calls, from AWS's own models
(asl_lint/apis: botocore's service definitions, distilled)."""

from __future__ import annotations

import re
from collections.abc import Iterator
from functools import lru_cache

from ... import apis
from ...context import RuleContext
from ...diagnostics import Severity
from ...model import State, strings_of
from ...suggest import Suggester
from ..base import Finding, Rule
from ._resources import classify
from .resources import tasks


def _calls(ctx: RuleContext) -> list[tuple[State, str, str, str]]:
    """(state, service as written, action, the SDK service whose model applies) of each Task
    that calls an `aws-sdk:` service or an optimized integration whose request is the
    SDK's; found once for the rules that read them."""
    def build(ctx: RuleContext) -> list:
        found = []
        for state, resource in tasks(ctx):
            kind = classify(resource)
            if kind.kind != "integration":
                continue
            if kind.service.startswith("aws-sdk:"):
                service = kind.service.removeprefix("aws-sdk:")
                found.append((state, service, kind.action, service))
            elif (kind.service, kind.action) in apis.OPTIMIZED_REQUESTS:
                sdk_service, sdk_action = apis.OPTIMIZED_REQUESTS[(kind.service, kind.action)]
                found.append((state, kind.service, sdk_action, sdk_service))
        return found

    return ctx.shared("api-calls", build)


def _services() -> Suggester:
    # As the actions' suggesters are kept: setdefault alone would sort 455 names on every call.
    return _SUGGESTERS.get("services") or _SUGGESTERS.setdefault("services", Suggester(apis.service_names()))


_SUGGESTERS: dict[str, Suggester] = {}
_ERRORS: dict[str, set[str]] = {}  # service -> its errors as Step Functions names them


class UnknownSdkService(Rule):
    """An `aws-sdk:` service that is a misspelling of one Step Functions knows

    AWS rejects the state machine when it is created ("The resource provided ... is not
    recognized"). Step Functions names each service as its SDK does, lower case and
    without spaces: `sfn`, `eventbridge`, `cloudwatchlogs`, `bedrockagentruntime`.

    Bad:

    ```json
    {"StartAt": "T", "States": {"T": {"Type": "Task", "Resource": "arn:aws:states:::aws-sdk:dynamo:getItem",
      "Parameters": {"TableName": "t", "Key": {"pk": {"S": "1"}}}, "End": true}}}
    ```

    Good:

    ```json
    {"StartAt": "T", "States": {"T": {"Type": "Task", "Resource": "arn:aws:states:::aws-sdk:dynamodb:getItem",
      "Parameters": {"TableName": "t", "Key": {"pk": {"S": "1"}}}, "End": true}}}
    ```
    """

    id = "ASL409"
    name = "unknown-sdk-service"
    aws_code = None
    aws_rejects = True  # CreateStateMachine refuses an unknown integration
    tags = ("tasks", "apis")

    def check(self, ctx: RuleContext) -> Iterator[Finding]:
        calls = _calls(ctx)
        known = apis.service_names() if calls else None  # a machine without such Tasks reads nothing
        if not known:
            return
        for state, written, _, service in calls:
            if service == written and service not in known:
                close = _services().closest(service)
                if close is not None:
                    yield Finding(state.path + ("Resource",), f"'aws-sdk:{service}' is no service Step Functions"
                                  f" knows; did you mean 'aws-sdk:{close}'? (state '{state.name}')")


class SdkServiceNotModeled(Rule):
    """An `aws-sdk:` service that the AWS models asl-lint ships do not have

    A service that was retired, or is newer than the models asl-lint ships, cannot be
    checked here: its actions, parameters and errors are passed without a word. This note
    says so, so that no silence is taken for a check.

    Bad:

    ```json
    {"StartAt": "T", "States": {"T": {"Type": "Task", "Resource": "arn:aws:states:::aws-sdk:iotanalytics:listChannels",
      "End": true}}}
    ```

    Good:

    ```json
    {"StartAt": "T", "States": {"T": {"Type": "Task", "Resource": "arn:aws:states:::aws-sdk:iot:listThings",
      "End": true}}}
    ```
    """

    id = "ASL410"
    name = "sdk-service-not-modeled"
    aws_code = None
    severity = Severity.INFO
    tags = ("tasks", "apis")

    def check(self, ctx: RuleContext) -> Iterator[Finding]:
        calls = _calls(ctx)
        known = apis.service_names() if calls else None
        if not known:
            return
        for state, written, _, service in calls:
            if service == written and service not in known and _services().closest(service) is None:
                yield Finding(state.path + ("Resource",), f"'aws-sdk:{service}' is not in AWS's models of botocore"
                              f" {apis.source().get('botocore', '?')} (retired, or newer): its action and parameters"
                              f" are not checked (state '{state.name}')")


class UnknownSdkAction(Rule):
    """An action that the called service does not have

    AWS rejects the state machine when it is created. Actions are written in
    lowerCamelCase: `getObject`, `startSyncExecution`.

    Bad:

    ```json
    {"StartAt": "T", "States": {"T": {"Type": "Task", "Resource": "arn:aws:states:::aws-sdk:s3:getObjekt",
      "Parameters": {"Bucket": "b", "Key": "k"}, "End": true}}}
    ```

    Good:

    ```json
    {"StartAt": "T", "States": {"T": {"Type": "Task", "Resource": "arn:aws:states:::aws-sdk:s3:getObject",
      "Parameters": {"Bucket": "b", "Key": "k"}, "End": true}}}
    ```
    """

    id = "ASL411"
    name = "unknown-sdk-action"
    aws_code = None
    aws_rejects = True
    tags = ("tasks", "apis")

    def check(self, ctx: RuleContext) -> Iterator[Finding]:
        for state, written, action, service in _calls(ctx):
            model = apis.service(service) if service == written else None
            if model is None or action in model.operations:
                continue
            key = f"actions:{service}"
            suggester = _SUGGESTERS.get(key) or _SUGGESTERS.setdefault(key, Suggester(model.operations))
            yield Finding(state.path + ("Resource",), f"'{service}' has no action '{action}'"
                          f"{suggester.hint(action)} (state '{state.name}')")


def _request(state: State) -> tuple[str, dict] | None:
    """("Parameters" or "Arguments", the request object) of a Task, when it is written out."""
    for field in ("Arguments", "Parameters"):
        value = state.data.get(field)
        if isinstance(value, dict):
            return field, value
    return None


_MEMBERS: dict[tuple[str, str], dict] = {}  # (service, shape) -> spelling -> (member, shape): once per process


def _member_names(model: apis.Service, shape_name: str) -> dict[str, tuple[str, object]] | None:
    """Step Functions' spelling of each member of a structure -> (the model's name, its shape)."""
    key = (model.name, shape_name)
    if key in _MEMBERS:
        return _MEMBERS[key]
    shape = model.shapes.get(shape_name)
    if not isinstance(shape, list) or not isinstance(shape[0], dict):
        return None
    names: dict[str, tuple[str, object]] = {}
    for name, inner in shape[0].items():
        for spelling in apis.member_spellings(name):
            names.setdefault(spelling, (name, inner))
    _MEMBERS[key] = names
    return names


def _walk_request(ctx: RuleContext, model: apis.Service, shape_name: object, value: object, path: tuple):
    """(path, value, shape name, members) of each literal object of a request that a
    structure of the model describes, nested ones included."""
    pending = [(shape_name, value, path)]
    while pending:
        shape_name, value, path = pending.pop()
        if not shape_name or ctx.is_placeholder(path):
            continue
        shape = model.shapes.get(shape_name)
        if not isinstance(shape, list):
            continue
        if shape[0] == "l" and isinstance(value, list):
            pending += [(shape[1], item, path + (index,)) for index, item in enumerate(value)]
        elif shape[0] == "m" and isinstance(value, dict):
            pending += [(shape[1], item, path + (key,)) for key, item in value.items()]
        elif isinstance(shape[0], dict) and isinstance(value, dict):
            members = _member_names(model, shape_name)
            yield path, value, shape, members
            for key, item in value.items():
                name = key[:-2] if key.endswith(".$") else key
                if name in members and not key.endswith(".$"):
                    pending.append((members[name][1], item, path + (key,)))


def _checked_requests(ctx: RuleContext) -> list:
    """(state, service, action, path, object, shape, members) of every object of every
    checkable request: the Task's service and action are in the models, and the request
    is written out (not a JSONata expression, not a placeholder); found once for both rules."""
    return ctx.shared("api-requests", lambda ctx: list(_requests(ctx)))


def _requests(ctx: RuleContext):
    for state, written, action, service in _calls(ctx):
        model = apis.service(service)
        if model is None or action not in model.operations:
            continue
        request = _request(state)
        if request is None:
            continue
        field, value = request
        if ctx.unknown_within(state.path + (field,)) and ctx.is_placeholder(state.path + (field,)):
            continue
        for path, found, shape, members in _walk_request(ctx, model, model.operations[action][0], value,
                                                         state.path + (field,)):
            yield state, written, action, path, found, shape, members


class UnknownApiParameter(Rule):
    """A request field that the called API does not have, or spells otherwise

    Step Functions passes the request to the API and fails at run time on a field it does
    not know ("The field \\"bucket\\" is not supported by Step Functions"). Fields are
    PascalCase, even where the API's own are camelCase; a list the API calls `Filter.N`
    is `Filters`; `Equals` is `EqualsValue`. `Name.$` counts as `Name`.

    Bad:

    ```json
    {"StartAt": "T", "States": {"T": {"Type": "Task", "Resource": "arn:aws:states:::aws-sdk:s3:getObject",
      "Parameters": {"bucket": "b", "Key": "k"}, "End": true}}}
    ```

    Good:

    ```json
    {"StartAt": "T", "States": {"T": {"Type": "Task", "Resource": "arn:aws:states:::aws-sdk:s3:getObject",
      "Parameters": {"Bucket": "b", "Key": "k"}, "End": true}}}
    ```
    """

    id = "ASL412"
    name = "unknown-api-parameter"
    aws_code = None
    severity = Severity.WARNING
    tags = ("tasks", "apis")

    def check(self, ctx: RuleContext) -> Iterator[Finding]:
        for state, written, action, path, found, _, members in _checked_requests(ctx):
            suggester = None
            for key in found:
                name = key[:-2] if key.endswith(".$") else key
                if name in members:
                    continue
                suggester = suggester or Suggester({apis.step_functions_member(model_name)
                                                    for model_name, _ in members.values()})
                close = suggester.closest(name)
                hint = f"; did you mean '{close}{'.$' if key.endswith('.$') else ''}'?" if close else ""
                yield Finding(path + (key,), f"'{name}' is not a field of {written}:{action}{hint}"
                              f" (state '{state.name}')", "key")


class MissingApiParameter(Rule):
    """A field that the called API requires, missing from the request

    The state machine deploys, and the Task fails when it runs ("The field 'Key' is
    required but was missing").

    Bad:

    ```json
    {"StartAt": "T", "States": {"T": {"Type": "Task", "Resource": "arn:aws:states:::aws-sdk:s3:getObject",
      "Parameters": {"Bucket": "b"}, "End": true}}}
    ```

    Good:

    ```json
    {"StartAt": "T", "States": {"T": {"Type": "Task", "Resource": "arn:aws:states:::aws-sdk:s3:getObject",
      "Parameters": {"Bucket": "b", "Key": "k"}, "End": true}}}
    ```
    """

    id = "ASL413"
    name = "missing-api-parameter"
    aws_code = None
    severity = Severity.WARNING
    tags = ("tasks", "apis")

    def check(self, ctx: RuleContext) -> Iterator[Finding]:
        for state, written, action, path, found, shape, _ in _checked_requests(ctx):
            present = {key[:-2] if key.endswith(".$") else key for key in found}
            folded = {name.casefold() for name in present}  # a misspelt one is ASL412's, not missing too
            missing = [apis.step_functions_member(name) for name in shape[1]
                       if not any(spelling in present or spelling.casefold() in folded
                                  for spelling in apis.member_spellings(name))]
            if missing:
                where = "the request" if path[-1] in ("Parameters", "Arguments") else f"'{path[-1]}'"
                yield Finding(path, f"{written}:{action} requires {', '.join(missing)}, missing from {where}"
                              f" (state '{state.name}')", "key")


class UnknownErrorName(Rule):
    """An error name of the called service that Step Functions never raises

    Step Functions names an SDK integration's errors `ServiceName.ErrorName`, and always
    adds the `Exception` suffix, even where the API's own error has none: S3's
    `NoSuchKey` is `S3.NoSuchKeyException`. A retrier or catcher written with the API's
    name silently never matches.

    Bad:

    ```json
    {"StartAt": "T", "States": {"T": {"Type": "Task", "Resource": "arn:aws:states:::aws-sdk:s3:getObject",
      "Parameters": {"Bucket": "b", "Key": "k"}, "End": true,
      "Catch": [{"ErrorEquals": ["S3.NoSuchKey"], "Next": "Missing"}]},
      "Missing": {"Type": "Succeed"}}}
    ```

    Good:

    ```json
    {"StartAt": "T", "States": {"T": {"Type": "Task", "Resource": "arn:aws:states:::aws-sdk:s3:getObject",
      "Parameters": {"Bucket": "b", "Key": "k"}, "End": true,
      "Catch": [{"ErrorEquals": ["S3.NoSuchKeyException"], "Next": "Missing"}]},
      "Missing": {"Type": "Succeed"}}}
    ```
    """

    id = "ASL414"
    name = "unknown-error-name"
    aws_code = None
    severity = Severity.WARNING
    tags = ("tasks", "apis")

    def check(self, ctx: RuleContext) -> Iterator[Finding]:
        for state, written, _, service in _calls(ctx):
            if service != written:
                continue  # an optimized integration names its errors its own way (Lambda.*, DynamoDB.*)
            model = apis.service(service)
            if model is None:
                continue
            errors = _ERRORS.get(service)
            if errors is None:
                errors = _ERRORS[service] = {name if name.endswith("Exception") else name + "Exception"
                                             for name in model.errors()}
            for field in ("Retry", "Catch"):
                for index, entry in state.entries(field):
                    for position, name in enumerate(strings_of(entry.get("ErrorEquals"))):
                        prefix, dot, error = (name or "").partition(".")
                        if not dot or prefix.lower() != model.prefix.lower() or error.endswith("Exception"):
                            continue
                        if error + "Exception" in errors:  # the prefix is certain, the name is the API's
                            yield Finding(state.path + (field, index, "ErrorEquals", position),
                                          f"Step Functions names this error '{prefix}.{error}Exception' (it adds"
                                          f" 'Exception' to every SDK error): '{name}' never matches"
                                          f" (state '{state.name}')")


# The patterns each integration supports besides Request Response, as the Step Functions
# Developer Guide's table of optimized integrations gives them ("Integrating optimized
# services with Step Functions"): aws-sdk has no .sync; .sync:2 is Step Functions' own.
_PATTERNS = {
    "aws-sdk": {".waitForTaskToken"}, "apigateway": {".waitForTaskToken"}, "athena": {".sync"},
    "batch": {".sync"}, "bedrock": {".sync", ".waitForTaskToken"}, "codebuild": {".sync"}, "dynamodb": set(),
    "ecs": {".sync", ".waitForTaskToken"}, "eks": {".sync", ".waitForTaskToken"}, "elasticmapreduce": {".sync"},
    "emr-containers": {".sync"}, "emr-serverless": {".sync"}, "events": {".waitForTaskToken"}, "glue": {".sync"},
    "databrew": {".sync"}, "lambda": {".waitForTaskToken"}, "mediaconvert": {".sync"}, "sagemaker": {".sync"},
    "sns": {".waitForTaskToken"}, "sqs": {".waitForTaskToken"}, "states": {".sync", ".sync:2", ".waitForTaskToken"},
}


class UnsupportedIntegrationPattern(Rule):
    """An integration pattern the service does not offer

    Each integration supports Request Response and some of Run a Job (`.sync`) and Wait
    for Callback (`.waitForTaskToken`): `aws-sdk:` has no `.sync`, DynamoDB neither,
    Lambda, SNS and SQS have no `.sync`, Athena, Batch and Glue no `.waitForTaskToken`;
    `.sync:2` is Step Functions' own `startExecution`. AWS rejects any other.

    Bad:

    ```json
    {"StartAt": "T", "States": {"T": {"Type": "Task", "Resource": "arn:aws:states:::lambda:invoke.sync",
      "Parameters": {"FunctionName": "f"}, "End": true}}}
    ```

    Good:

    ```json
    {"StartAt": "T", "States": {"T": {"Type": "Task", "Resource": "arn:aws:states:::lambda:invoke",
      "Parameters": {"FunctionName": "f"}, "End": true}}}
    ```
    """

    id = "ASL415"
    name = "unsupported-integration-pattern"
    aws_code = None
    aws_rejects = True
    tags = ("tasks", "apis")

    def check(self, ctx: RuleContext) -> Iterator[Finding]:
        for state, resource in tasks(ctx):
            found = classify(resource)
            if found.kind != "integration" or found.pattern is None:
                continue
            service = "aws-sdk" if found.service.startswith("aws-sdk:") else found.service
            supported = _PATTERNS.get(service)
            if supported is not None and found.pattern not in supported:
                offered = " and ".join(sorted(supported)) if supported else "Request Response only"
                yield Finding(state.path + ("Resource",), f"{service} does not offer the {found.pattern} pattern"
                              f" (it offers {offered}) (state '{state.name}')")


_RESULT_MEMBER = re.compile(r"\$states\.result\.([A-Za-z_][A-Za-z0-9_]*)")


def _first_member(path: str) -> str | None:
    """The first member a JSONPath reads from the Task's result: `$.Contents[0].Key` -> Contents."""
    match = re.match(r"\$\.([A-Za-z_][A-Za-z0-9_]*)|\$\['([^']+)'\]", path)
    return (match.group(1) or match.group(2)) if match else None


class UnknownResultField(Rule):
    """A field of an SDK call's result that the API's result never has

    A ResultSelector (JSONPath) or `$states.result` (JSONata) reads the result of the call
    as it comes back, named as the SDK names it (PascalCase). A field the API's result does
    not have is read as nothing: the path fails at run time, or JSONata yields nothing.

    Bad:

    ```json
    {"StartAt": "T", "States": {"T": {"Type": "Task", "Resource": "arn:aws:states:::aws-sdk:s3:listObjectsV2",
      "Parameters": {"Bucket": "b"}, "ResultSelector": {"keys.$": "$.contents[*].Key"}, "End": true}}}
    ```

    Good:

    ```json
    {"StartAt": "T", "States": {"T": {"Type": "Task", "Resource": "arn:aws:states:::aws-sdk:s3:listObjectsV2",
      "Parameters": {"Bucket": "b"}, "ResultSelector": {"keys.$": "$.Contents[*].Key"}, "End": true}}}
    ```
    """

    id = "ASL416"
    name = "unknown-result-field"
    aws_code = None
    severity = Severity.WARNING
    tags = ("tasks", "apis")

    def check(self, ctx: RuleContext) -> Iterator[Finding]:
        for state, written, action, service in _calls(ctx):
            if service != written:
                continue  # an optimized integration shapes its own result (Payload, SdkHttpMetadata...)
            members = _result_members(service, action)
            if members is None:
                continue
            for path, name in _result_reads(ctx, state):
                if name not in members:
                    operation = apis.service(service).operations[action]  # type: ignore[union-attr]
                    hint = Suggester({apis.step_functions_member(name) for name in operation[2]}).hint(name)
                    yield Finding(path, f"the result of {service}:{action} has no field '{name}'{hint}"
                                        f" (state '{state.name}')")


@lru_cache(maxsize=1024)
def _result_members(service: str, action: str) -> frozenset[str] | None:
    """Every spelling of the top-level members of an action's result, once per process
    (a definition of 200 Lambda Tasks asked 200 times); None: the models do not say."""
    model = apis.service(service)
    operation = model.operations.get(action) if model is not None else None
    if operation is None or len(operation) < 3 or not operation[2]:
        return None
    # Step Functions adds the HTTP metadata of the call to every SDK result.
    return frozenset({spelling for name in operation[2] for spelling in apis.member_spellings(name)} |
                     {"SdkHttpMetadata", "SdkResponseMetadata"})


def _result_reads(ctx: RuleContext, state: State) -> list[tuple[tuple, str]]:
    """(path, first member) of each read of the Task's raw result: the paths of its
    ResultSelector, and `$states.result.X` in its JSONata Output and Assign."""
    found = []
    selector = state.data.get("ResultSelector")
    if isinstance(selector, dict):
        for key, value in selector.items():
            path = state.path + ("ResultSelector", key)
            if key.endswith(".$") and isinstance(value, str) and not ctx.is_placeholder(path):
                name = _first_member(value)
                if name is not None:
                    found.append((path, name))
    for field in ("Output", "Assign"):
        for path, text in _strings_in(state.data.get(field), state.path + (field,)):
            if text.startswith("{%") and not ctx.is_placeholder(path):
                found += [(path, match.group(1)) for match in _RESULT_MEMBER.finditer(text)]
    return found


def _strings_in(value: object, path: tuple) -> list[tuple[tuple, str]]:
    found, pending = [], [(path, value)]
    while pending:
        at, item = pending.pop()
        if isinstance(item, str):
            found.append((at, item))
        elif isinstance(item, dict):
            pending += [(at + (key,), inner) for key, inner in item.items()]
        elif isinstance(item, list):
            pending += [(at + (index,), inner) for index, inner in enumerate(item)]
    return found
