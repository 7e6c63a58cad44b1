"""ASL624-ASL625: where a Distributed Map reads its items and writes its results."""

from __future__ import annotations

from collections.abc import Iterator

from ...context import RuleContext
from ...model import State
from ..base import Finding, Rule
from .map import READER_RESOURCES, WRITER_RESOURCE, maps, partition_free


class ItemReaderConfig(Rule):
    """An `ItemReader` that Step Functions cannot read items with

    `Resource` is `arn:aws:states:::s3:getObject` (a file) or `...:s3:listObjectsV2` (the
    objects under a prefix). In `ReaderConfig`: `CSVHeaderLocation: GIVEN` needs
    `CSVHeaders`; `CSVDelimiter` applies to CSV and MANIFEST inputs;
    `ManifestType: S3_INVENTORY` takes no `InputType`; `Transformation: LOAD_AND_FLATTEN`
    needs an `InputType`; `ItemsPointer` applies to JSON input.

    Bad:

    ```json
    {"StartAt": "M", "States": {"M": {"Type": "Map", "End": true,
      "ItemReader": {"Resource": "arn:aws:states:::s3:getObject",
        "ReaderConfig": {"InputType": "CSV", "CSVHeaderLocation": "GIVEN"},
        "Parameters": {"Bucket": "b", "Key": "k.csv"}},
      "ItemProcessor": {"ProcessorConfig": {"Mode": "DISTRIBUTED", "ExecutionType": "STANDARD"},
        "StartAt": "I", "States": {"I": {"Type": "Succeed"}}}}}}
    ```

    Good:

    ```json
    {"StartAt": "M", "States": {"M": {"Type": "Map", "End": true,
      "ItemReader": {"Resource": "arn:aws:states:::s3:getObject",
        "ReaderConfig": {"InputType": "CSV", "CSVHeaderLocation": "GIVEN", "CSVHeaders": ["id", "name"]},
        "Parameters": {"Bucket": "b", "Key": "k.csv"}},
      "ItemProcessor": {"ProcessorConfig": {"Mode": "DISTRIBUTED", "ExecutionType": "STANDARD"},
        "StartAt": "I", "States": {"I": {"Type": "Succeed"}}}}}}
    ```
    """

    id = "ASL624"
    name = "item-reader-config"
    aws_code = 'SCHEMA_VALIDATION_FAILED'
    tags = ("states", "map")

    def check(self, ctx: RuleContext) -> Iterator[Finding]:
        for state, reader, base, resource in _map_objects(ctx, "ItemReader"):
            if resource is not None and resource not in READER_RESOURCES:
                yield Finding(base + ("Resource",), "ItemReader reads from S3: its Resource is"
                              f" arn:aws:states:::s3:getObject or ...:s3:listObjectsV2 (state '{state.name}')")
            config = reader.get("ReaderConfig")
            if not isinstance(config, dict):
                continue
            path = base + ("ReaderConfig",)
            input_type = config.get("InputType")
            for key, problem in _reader_problems(config, input_type):
                yield Finding(path + (key,) if key in config else path, f"{problem} (state '{state.name}')", "key")


def _map_objects(ctx: RuleContext, key: str) -> Iterator[tuple[State, dict, tuple, str | None]]:
    """(Map state, its `key` object, that object's path, its literal Resource without the
    partition, or None when it has none or a placeholder) for each Map that has one."""
    for state in maps(ctx):
        found = state.data.get(key)
        if not isinstance(found, dict):
            continue
        base = state.path + (key,)
        resource = found.get("Resource")
        literal = isinstance(resource, str) and not ctx.is_placeholder(base + ("Resource",))
        yield state, found, base, partition_free(resource) if literal else None


def _reader_problems(config: dict, input_type: object):
    if config.get("CSVHeaderLocation") == "GIVEN" and not config.get("CSVHeaders"):
        yield "CSVHeaderLocation", "CSVHeaderLocation GIVEN needs the column names in CSVHeaders"
    if "CSVDelimiter" in config and input_type not in ("CSV", "MANIFEST"):
        yield "CSVDelimiter", "CSVDelimiter applies only to CSV and MANIFEST input"
    if config.get("ManifestType") == "S3_INVENTORY" and "InputType" in config:
        yield "InputType", "an S3_INVENTORY manifest takes no InputType"
    if config.get("Transformation") == "LOAD_AND_FLATTEN" and "InputType" not in config:
        yield "Transformation", "Transformation LOAD_AND_FLATTEN needs an InputType"
    if "ItemsPointer" in config and input_type != "JSON":
        yield "ItemsPointer", "ItemsPointer applies only to JSON input"


class ResultWriterConfig(Rule):
    """A `ResultWriter` that cannot write results

    `Resource` is `arn:aws:states:::s3:putObject` and needs the location in `Parameters`
    (JSONPath) or `Arguments` (JSONata); `WriterConfig` alone formats the results without
    exporting them.

    Bad:

    ```json
    {"StartAt": "M", "States": {"M": {"Type": "Map", "End": true,
      "ResultWriter": {"Resource": "arn:aws:states:::s3:putObject"},
      "ItemProcessor": {"ProcessorConfig": {"Mode": "DISTRIBUTED", "ExecutionType": "STANDARD"},
        "StartAt": "I", "States": {"I": {"Type": "Succeed"}}}}}}
    ```

    Good:

    ```json
    {"StartAt": "M", "States": {"M": {"Type": "Map", "End": true,
      "ResultWriter": {"Resource": "arn:aws:states:::s3:putObject",
        "Parameters": {"Bucket": "b", "Prefix": "results"}},
      "ItemProcessor": {"ProcessorConfig": {"Mode": "DISTRIBUTED", "ExecutionType": "STANDARD"},
        "StartAt": "I", "States": {"I": {"Type": "Succeed"}}}}}}
    ```
    """

    id = "ASL625"
    name = "result-writer-config"
    aws_code = 'SCHEMA_VALIDATION_FAILED'
    tags = ("states", "map")

    def check(self, ctx: RuleContext) -> Iterator[Finding]:
        for state, writer, base, resource in _map_objects(ctx, "ResultWriter"):
            if resource is not None and resource != WRITER_RESOURCE:
                yield Finding(base + ("Resource",), f"ResultWriter writes to S3: its Resource is {WRITER_RESOURCE}"
                              f" (state '{state.name}')")
            if "Resource" in writer and not ("Parameters" in writer or "Arguments" in writer):
                yield Finding(base, f"ResultWriter with a Resource needs the S3 location in Parameters or"
                              f" Arguments (state '{state.name}')", "key")
            if "Resource" not in writer and ("Parameters" in writer or "Arguments" in writer):
                yield Finding(base, f"ResultWriter has a location but no Resource (state '{state.name}')", "key")
