"""AWS's own API models, distilled from botocore (see distill.py): the services Step
Functions reaches through `aws-sdk:`, their actions, the members of each request and the
errors each action may raise. Read from asl_lint/apis/models.zip, one service at a time
and only when a Task calls it: a machine without such a Task reads nothing."""

from __future__ import annotations

import io
import json
import re
import zipfile
from dataclasses import dataclass
from functools import lru_cache
from pathlib import Path

ARCHIVE = Path(__file__).resolve().parent / "models.zip"

# The optimized integrations whose request is the SDK action's, as the Step Functions
# Developer Guide documents each ("Call Lambda with Step Functions", "...Amazon SNS", ...):
# (integration, action) -> (SDK service as Step Functions names it, SDK action).
OPTIMIZED_REQUESTS = {
    ("lambda", "invoke"): ("lambda", "invoke"),
    ("sns", "publish"): ("sns", "publish"),
    ("sqs", "sendMessage"): ("sqs", "sendMessage"),
    ("dynamodb", "getItem"): ("dynamodb", "getItem"),
    ("dynamodb", "putItem"): ("dynamodb", "putItem"),
    ("dynamodb", "updateItem"): ("dynamodb", "updateItem"),
    ("dynamodb", "deleteItem"): ("dynamodb", "deleteItem"),
    ("events", "putEvents"): ("eventbridge", "putEvents"),
    ("states", "startExecution"): ("sfn", "startExecution"),
    ("athena", "startQueryExecution"): ("athena", "startQueryExecution"),
    ("glue", "startJobRun"): ("glue", "startJobRun"),
    ("batch", "submitJob"): ("batch", "submitJob"),
    ("ecs", "runTask"): ("ecs", "runTask"),
    ("codebuild", "startBuild"): ("codebuild", "startBuild"),
    ("codebuild", "startBuildBatch"): ("codebuild", "startBuildBatch"),
    ("athena", "getQueryExecution"): ("athena", "getQueryExecution"),
    ("athena", "getQueryResults"): ("athena", "getQueryResults"),
    ("athena", "stopQueryExecution"): ("athena", "stopQueryExecution"),
    ("glue", "startCrawler"): ("glue", "startCrawler"),
}


@dataclass(frozen=True)
class Service:
    name: str  # as Step Functions names it
    prefix: str  # of its error names: `S3.NoSuchKeyException`
    operations: dict  # action -> [input shape name or 0, [error shape names], [result's top-level members]]
    shapes: dict  # shape name -> [members {name: shape or 0}, required] | ["l", shape] | ["m", shape]

    def errors(self) -> set[str]:
        """Every error any action of the service may raise, as the models name them."""
        return {error for operation in self.operations.values() for error in operation[1]}


@lru_cache(maxsize=1)
def _archive() -> zipfile.ZipFile | None:
    """The archive, read once per process: its directory of 455 members costs about 3 ms
    to read, which a run that calls 30 services paid 30 times. Held in memory (1.4 MB), not
    as an open file, so forked workers never share a file offset."""
    try:
        return zipfile.ZipFile(io.BytesIO(ARCHIVE.read_bytes()))
    except (OSError, zipfile.BadZipFile):
        return None


def _member(name: str) -> object:
    archive = _archive()
    if archive is None:
        raise KeyError(name)
    return json.loads(archive.read(name))


@lru_cache(maxsize=1)
def _index() -> dict:
    try:
        return _member("index.json")
    except (OSError, KeyError, ValueError, zipfile.BadZipFile):
        return {"source": {}, "services": {}}


def source() -> dict:
    """The botocore version and the date the models were distilled from."""
    return _index()["source"]


def service_names() -> dict[str, str]:
    """Every service the models know (as Step Functions names them) -> its error prefix."""
    return _index()["services"]


@lru_cache(maxsize=64)
def service(name: str) -> Service | None:
    prefix = service_names().get(name)
    if prefix is None:
        return None
    try:
        data = _member(f"services/{name}.json")
    except (OSError, KeyError, ValueError, zipfile.BadZipFile):
        return None
    return Service(name, prefix, data["o"], data["s"])


_WORDS = re.compile(r"[A-Z]+(?![a-z])|[A-Z][a-z]*|[a-z]+|[0-9]+")


@lru_cache(maxsize=8192)
def step_functions_member(name: str) -> str:
    """A request member as Step Functions spells it: PascalCase word by word, a run of
    capitals written as a word, as the AWS SDKs name members (`jobName` -> `JobName`,
    `DBInstanceIdentifier` -> `DbInstanceIdentifier`, `SNSTopicArn` -> `SnsTopicArn`: deployed
    definitions of the public corpus write these); `Equals` as `EqualsValue`."""
    if name == "Equals":
        return "EqualsValue"
    return "".join(word[:1].upper() + word[1:].lower() for word in _WORDS.findall(name)) or name


@lru_cache(maxsize=8192)
def member_spellings(name: str) -> tuple[str, ...]:
    """Every spelling of a member Step Functions is taken to accept: the SDKs' PascalCase
    and the model's own name with its first letter raised (`DBInstanceIdentifier`); never
    the model's camelCase (`jobName` is refused when the Task runs)."""
    return tuple(dict.fromkeys((step_functions_member(name), name[:1].upper() + name[1:])))
