"""Ask AWS itself, when a team allows it: ValidateStateMachineDefinition for each definition.

Nothing is sent unless `--aws-validate` (or the configuration's `aws-validate`) asks for
it, and then nothing but the definition: its JSON text, with each value known only at
deploy time (a `${Name}`, an intrinsic function, a serverless variable) replaced by a
stand-in AWS accepts there, and the workflow type. Credentials and the region come from
the standard AWS chain (environment, profile, SSO, instance role); boto3 is the optional
extra `asl-lint[aws]`.

Requests run a few at a time; throttling is retried with exponential backoff and jitter;
each call has a connect and read timeout. When AWS cannot be asked (no boto3, no
credentials, no region, no network, no permission), the run goes on and says so once
(ASL020, an info unless `--aws-validate=required`).
"""

from __future__ import annotations

import json
import os
import random
import re
import time
from collections.abc import Callable
from concurrent.futures import ThreadPoolExecutor
from dataclasses import dataclass, field

MODES = ("off", "on", "required")
CONCURRENCY = 4
ATTEMPTS = 5  # throttled requests are tried this many times in all
CONNECT_TIMEOUT, READ_TIMEOUT = 5, 20  # seconds, per call
_THROTTLED = {"ThrottlingException", "TooManyRequestsException", "RequestLimitExceeded", "Throttling"}

# Stand-ins for values known only at deploy time, by the field that holds them.
_NUMBER_FIELDS = {"Seconds", "TimeoutSeconds", "HeartbeatSeconds", "MaxConcurrency", "ToleratedFailureCount",
                  "ToleratedFailurePercentage", "IntervalSeconds", "MaxAttempts", "BackoffRate", "MaxDelaySeconds",
                  "MaxItems", "MaxItemsPerBatch", "MaxInputBytesPerBatch"}
_TOKENS = re.compile(r"\$\{([^{}]*)\}|#\{([^{}\s]*)\}")
_KNOWN_TOKENS = {"AWS::Region": "us-east-1", "AWS::AccountId": "123456789012", "AWS::Partition": "aws",
                 "AWS::URLSuffix": "amazonaws.com"}
_TASK_RESOURCE = "arn:aws:lambda:us-east-1:123456789012:function:asl-lint-placeholder"


@dataclass
class AwsRequest:
    """One definition to validate, and where its findings go."""

    host: str  # the file the machine was found through (read again to place AWS's findings)
    file: str  # where the definition's findings are reported
    machine: str | None
    definition: str  # the JSON text sent to AWS
    workflow_type: str


@dataclass
class AwsAnswer:
    result: str | None = None  # "OK" | "FAIL"; None when AWS could not be asked
    diagnostics: list[dict] = field(default_factory=list)  # severity, code, message, location
    unavailable: str | None = None  # why AWS could not be asked


def _stand_in(path: tuple, value: object) -> object:
    key = next((part for part in reversed(path) if isinstance(part, str)), "")
    if key in _NUMBER_FIELDS:
        return 1
    if key == "Timestamp":
        return "2030-01-01T00:00:00Z"
    if key.endswith("Path") or key.endswith(".$"):
        return "$.placeholder"
    if key == "Resource":
        if "ItemReader" in path:
            return "arn:aws:states:::s3:getObject"
        if "ResultWriter" in path:
            return "arn:aws:states:::s3:putObject"
        if isinstance(value, str) and value.startswith("arn:"):
            return _tokens_replaced(value)
        return _TASK_RESOURCE
    return _tokens_replaced(value) if isinstance(value, str) else "placeholder"


def _tokens_replaced(text: str, default: str = "placeholder") -> str:
    return _TOKENS.sub(lambda match: _KNOWN_TOKENS.get(match.group(1) or match.group(2) or "", default), text)


def aws_definition(data: object, placeholders: set[tuple], substituted: dict[tuple, str] | None = None) -> str:
    """The definition as AWS is to receive it: placeholders replaced by stand-ins, and so
    is every value a variable filled in (`substituted`: path -> the text as written), so
    that what a variable holds never leaves the machine."""
    from .extract.placeholders import is_intrinsic

    substituted = substituted or {}

    def build(value: object, path: tuple) -> object:
        if path in substituted:
            written = substituted[path]
            return _stand_in(path, written) if isinstance(value, str) else _strings_replaced(value)
        if path and path in placeholders:
            return _stand_in(path, value)
        if is_intrinsic(value):
            return _stand_in(path, value)
        if isinstance(value, dict):
            return {key: build(item, path + (key,)) for key, item in value.items()}
        if isinstance(value, list):
            return [build(item, path + (index,)) for index, item in enumerate(value)]
        if isinstance(value, str) and value.startswith("{%") and "${" in value:
            return _tokens_replaced(value, "0")  # a value of unknown type inside JSONata
        return value

    return json.dumps(build(data, ()), ensure_ascii=False)


def _strings_replaced(value: object) -> object:
    """A structure a variable filled in, with its shape kept and its text replaced."""
    if isinstance(value, dict):
        return {key: _strings_replaced(item) for key, item in value.items()}
    if isinstance(value, list):
        return [_strings_replaced(item) for item in value]
    return "placeholder" if isinstance(value, str) else value


def _unavailable(error: Exception) -> str:
    name = type(error).__name__
    from botocore import exceptions

    if isinstance(error, exceptions.NoCredentialsError):
        return "no AWS credentials were found (environment, profile, SSO or instance role)"
    if isinstance(error, exceptions.NoRegionError):
        return "no AWS region is configured (AWS_REGION or a profile's region)"
    if isinstance(error, (exceptions.EndpointConnectionError, exceptions.ConnectTimeoutError,
                          exceptions.ReadTimeoutError, exceptions.ConnectionClosedError)):
        return f"AWS could not be reached ({name})"
    if isinstance(error, exceptions.ClientError):
        code = error.response.get("Error", {}).get("Code", name)
        if code in _THROTTLED:
            return f"AWS kept throttling the requests ({code}) after {ATTEMPTS} attempts"
        return f"AWS refused the request ({code})"
    return f"AWS could not be asked ({name})"


class _Unreachable:
    """Once one call cannot reach AWS, the others do not wait their timeouts out too."""

    def __init__(self) -> None:
        self.why: str | None = None


def _ask(client, request: AwsRequest, sleep: Callable[[float], None], gone: _Unreachable | None = None) -> AwsAnswer:
    from botocore import exceptions

    gone = gone or _Unreachable()
    for attempt in range(ATTEMPTS):
        if gone.why is not None:
            return AwsAnswer(unavailable=gone.why)
        try:
            response = client.validate_state_machine_definition(
                definition=request.definition, type=request.workflow_type, severity="WARNING", maxResults=100)
        except exceptions.ClientError as error:
            code = error.response.get("Error", {}).get("Code", "")
            if code in _THROTTLED and attempt + 1 < ATTEMPTS:
                sleep(min(8.0, 0.25 * 2 ** attempt) * (0.5 + random.random() / 2))  # backoff with jitter
                continue
            if code == "ValidationException":  # the request itself: a definition too long, say
                message = error.response.get("Error", {}).get("Message", "the definition was refused")
                return AwsAnswer("FAIL", [{"severity": "ERROR", "code": code, "message": message, "location": ""}])
            return AwsAnswer(unavailable=_unavailable(error))
        except Exception as error:  # noqa: BLE001 - anything on the way is 'could not ask', never a traceback
            why = _unavailable(error)
            if isinstance(error, (exceptions.EndpointConnectionError, exceptions.ConnectTimeoutError,
                                  exceptions.ReadTimeoutError, exceptions.ConnectionClosedError)):
                gone.why = why
            return AwsAnswer(unavailable=why)
        return AwsAnswer(response.get("result"), list(response.get("diagnostics", [])))
    return AwsAnswer(unavailable="AWS could not be asked")  # not reached: the last attempt returns


def make_client():
    """A Step Functions client from the standard chain; raises what it cannot find."""
    import boto3
    from botocore.config import Config

    session = boto3.session.Session()
    if not session.region_name and os.environ.get("AWS_REGION"):  # what the AWS CLI v2 and SDKs read too
        session = boto3.session.Session(region_name=os.environ["AWS_REGION"])
    if session.get_credentials() is None:
        from botocore.exceptions import NoCredentialsError

        raise NoCredentialsError()
    if not session.region_name:
        from botocore.exceptions import NoRegionError

        raise NoRegionError()
    return session.client("stepfunctions", config=Config(
        connect_timeout=CONNECT_TIMEOUT, read_timeout=READ_TIMEOUT, retries={"total_max_attempts": 1}))


def ask_aws(requests: list[AwsRequest], client=None, concurrency: int | None = None,
            sleep: Callable[[float], None] | None = None) -> list[AwsAnswer]:
    """AWS's answer for each request, in order; never raises."""
    if not requests:
        return []
    concurrency = CONCURRENCY if concurrency is None else concurrency
    sleep = sleep or time.sleep
    if client is None:
        try:
            client = make_client()
        except ImportError:
            return [AwsAnswer(unavailable="boto3 is not installed (pip install 'asl-lint[aws]')")] * len(requests)
        except Exception as error:  # noqa: BLE001
            return [AwsAnswer(unavailable=_unavailable(error))] * len(requests)
    gone = _Unreachable()
    if concurrency <= 1 or len(requests) == 1:
        return [_ask(client, request, sleep, gone) for request in requests]
    with ThreadPoolExecutor(max_workers=min(concurrency, len(requests))) as pool:
        return list(pool.map(lambda request: _ask(client, request, sleep, gone), requests))


def boto3_installed() -> bool:
    import importlib.util

    return importlib.util.find_spec("boto3") is not None
