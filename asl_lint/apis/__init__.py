"""AWS's own API models, distilled from botocore (see distill.py): the services Step
Functions reaches through `aws-sdk:`, their actions, the members of each request and the
errors each action may raise. Read from asl_lint/apis/models.zip, one service at a time
and only when a Task calls it: a machine without such a Task reads nothing."""

from __future__ import annotations

import json
import re
import zipimport
from collections.abc import Iterator, Mapping
from functools import lru_cache
from pathlib import Path
from typing import NamedTuple

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


class Service(NamedTuple):
    """One service's model: its actions, and the shapes of their requests."""

    name: str  # as Step Functions names it
    prefix: str  # of its error names: `S3.NoSuchKeyException`
    operations: dict  # action -> [input shape name or 0, [error shape names], [result's top-level members]]
    shapes: Mapping  # shape name -> [members {name: shape or 0}, required] | ["l", shape] | ["m", shape]

    def errors(self) -> set[str]:
        """Every error any action of the service may raise, as the models name them."""
        return {error for operation in self.operations.values() for error in operation[1]}


@lru_cache(maxsize=1)
def _archive() -> zipimport.zipimporter | None:
    """The archive, its directory read once per process (455 members, about 3 ms, which a
    run that calls 30 services paid 30 times). Read through zipimport, which the
    interpreter has loaded already: the zipfile module costs a run 5 ms of imports (shutil,
    bz2, lzma). Each member is read through a descriptor of its own, so forked workers
    never share a file offset."""
    try:
        return zipimport.zipimporter(str(ARCHIVE))
    except (OSError, ImportError):  # missing, or not a zip archive
        return None


def _member(name: str) -> object:
    return json.loads(_member_text(name))


def _member_text(name: str) -> str:
    archive = _archive()
    if archive is None:
        raise KeyError(name)
    return archive.get_data(name).decode("utf-8")  # OSError when it has no such member


class _Shapes(Mapping):
    """A service's request shapes, each found and decoded when first read: a check reads a
    few of the hundreds a large service has (distill.service_text writes them a line
    each). A line is found by a search of the text, in C: indexing every line up front took
    most of what decoding on demand saves."""

    def __init__(self, lines: str) -> None:
        self._lines = "\n" + lines if lines else ""  # each shape's line begins "\n<name>\t"
        self._decoded: dict[str, object] = {}

    def __getitem__(self, name: str) -> object:
        found = self._decoded.get(name)
        if found is None:
            if not isinstance(name, str) or "\n" in name or "\t" in name:
                raise KeyError(name)
            start = self._lines.find(f"\n{name}\t")
            if start < 0:
                raise KeyError(name)
            start += len(name) + 2
            end = self._lines.find("\n", start)
            found = self._decoded[name] = json.loads(self._lines[start:end if end >= 0 else None])
        return found

    def __iter__(self) -> Iterator[str]:
        return (line.partition("\t")[0] for line in self._lines.split("\n") if line)

    def __len__(self) -> int:
        return self._lines.count("\n")


@lru_cache(maxsize=1)
def _index() -> dict:
    try:
        return _member("index.json")
    except (OSError, KeyError, ValueError, ImportError):
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
        operations, _, shapes = _member_text(f"services/{name}.txt").partition("\n")
        return Service(name, prefix, json.loads(operations), _Shapes(shapes))
    except (OSError, KeyError, ValueError, ImportError):
        return None


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
