"""ASL620-ASL623, ASL626: Map states, inline and distributed."""

from __future__ import annotations

import re
from collections.abc import Iterator

from ...context import RuleContext
from ...diagnostics import Severity
from ...model import State
from ...proposals import rename
from ..base import Finding, Rule

DISTRIBUTED_ONLY = ("ItemReader", "ItemBatcher", "ResultWriter", "ToleratedFailureCount",
                    "ToleratedFailureCountPath", "ToleratedFailurePercentage", "ToleratedFailurePercentagePath",
                    "Label")
_LABEL_FORBIDDEN = re.compile(r"[\s?*<>{}\[\]:;,\\|^~$#%&`\"\x00-\x1f\x7f-\x9f]")
READER_RESOURCES = ("arn:aws:states:::s3:getObject", "arn:aws:states:::s3:listObjectsV2")
WRITER_RESOURCE = "arn:aws:states:::s3:putObject"


def mode(state: State) -> str:
    processor = state.data.get("ItemProcessor")
    config = processor.get("ProcessorConfig") if isinstance(processor, dict) else None
    value = config.get("Mode") if isinstance(config, dict) else None
    return value if value in ("INLINE", "DISTRIBUTED") else "INLINE"


def maps(ctx: RuleContext) -> Iterator[State]:
    return iter(ctx.index.states_of_type("Map"))


def partition_free(resource: str) -> str:
    """arn:aws-cn:states:::s3:getObject -> arn:aws:states:::s3:getObject"""
    return re.sub(r"^arn:aws(-[a-z]+)*:", "arn:aws:", resource)


class DistributedOnlyField(Rule):
    """A Distributed Map field in an inline Map

    `ItemReader`, `ItemBatcher`, `ResultWriter`, `ToleratedFailure*` and `Label` belong to
    Distributed Maps (`ProcessorConfig.Mode: DISTRIBUTED`); an inline Map does not use
    them.

    Bad:

    ```json
    {"StartAt": "M", "States": {"M": {"Type": "Map", "End": true, "ToleratedFailureCount": 5,
      "ItemProcessor": {"StartAt": "I", "States": {"I": {"Type": "Succeed"}}}}}}
    ```

    Good:

    ```json
    {"StartAt": "M", "States": {"M": {"Type": "Map", "End": true, "ToleratedFailureCount": 5,
      "ItemProcessor": {"ProcessorConfig": {"Mode": "DISTRIBUTED", "ExecutionType": "STANDARD"},
        "StartAt": "I", "States": {"I": {"Type": "Succeed"}}}}}}
    ```
    """

    id = "ASL620"
    name = "distributed-only-field"
    aws_code = None
    severity = Severity.WARNING
    tags = ("states", "map")

    def check(self, ctx: RuleContext) -> Iterator[Finding]:
        for state in maps(ctx):
            if mode(state) == "DISTRIBUTED":
                continue
            for field in DISTRIBUTED_ONLY:
                if field in state.data:
                    yield Finding(state.path + (field,), f"{field} only applies to a Distributed Map: set"
                                  f" ProcessorConfig Mode to DISTRIBUTED (state '{state.name}')", "key")


class DeprecatedMapField(Rule):
    """`Iterator` or Map `Parameters`, replaced by `ItemProcessor` and `ItemSelector`

    Both still work, but `ItemProcessor` (which also takes `ProcessorConfig`) and
    `ItemSelector` replace them.

    Bad:

    ```json
    {"StartAt": "M", "States": {"M": {"Type": "Map", "End": true,
      "Iterator": {"StartAt": "I", "States": {"I": {"Type": "Succeed"}}}}}}
    ```

    Good:

    ```json
    {"StartAt": "M", "States": {"M": {"Type": "Map", "End": true,
      "ItemProcessor": {"StartAt": "I", "States": {"I": {"Type": "Succeed"}}}}}}
    ```
    """

    id = "ASL621"
    name = "deprecated-map-field"
    aws_code = None
    severity = Severity.WARNING
    tags = ("states", "map")

    def check(self, ctx: RuleContext) -> Iterator[Finding]:
        for state in maps(ctx):
            for old, new in (("Iterator", "ItemProcessor"), ("Parameters", "ItemSelector")):
                if old in state.data:
                    fix = rename(state.path + (old,), new, f"Rename '{old}' to '{new}'") \
                        if new not in state.data else None
                    yield Finding(state.path + (old,), f"'{old}' is deprecated in Map states: use '{new}'"
                                  f" (state '{state.name}')", "key", fix=fix)


class InvalidMapLabel(Rule):
    """A Distributed Map `Label` with characters AWS does not allow

    A label has 1 to 40 characters, and no white space, control characters or any of
    ``? * < > { } [ ] : ; , \\ | ^ ~ $ # % & ` "``.

    Bad:

    ```json
    {"StartAt": "M", "States": {"M": {"Type": "Map", "End": true, "Label": "orders: batch",
      "ItemProcessor": {"ProcessorConfig": {"Mode": "DISTRIBUTED", "ExecutionType": "STANDARD"},
        "StartAt": "I", "States": {"I": {"Type": "Succeed"}}}}}}
    ```

    Good:

    ```json
    {"StartAt": "M", "States": {"M": {"Type": "Map", "End": true, "Label": "orders-batch",
      "ItemProcessor": {"ProcessorConfig": {"Mode": "DISTRIBUTED", "ExecutionType": "STANDARD"},
        "StartAt": "I", "States": {"I": {"Type": "Succeed"}}}}}}
    ```
    """

    id = "ASL622"
    name = "invalid-map-label"
    aws_code = 'INVALID_LABEL_NAME'
    tags = ("states", "map")

    def check(self, ctx: RuleContext) -> Iterator[Finding]:
        for state in maps(ctx):
            label = state.data.get("Label")
            if isinstance(label, str) and not ctx.is_placeholder(state.path + ("Label",)):
                if not label:  # AWS rejects it (recorded); the schema bounds only its length
                    yield Finding(state.path + ("Label",), f"Label cannot be empty (state '{state.name}')")
                    continue
                bad = _LABEL_FORBIDDEN.search(label)
                if bad:
                    yield Finding(state.path + ("Label",), f"Label cannot contain {bad.group()!r}"
                                  f" (state '{state.name}')", within=(bad.start(), bad.end()))


class DuplicateMapLabel(Rule):
    """Two Distributed Maps with the same `Label`

    Labels name the child executions of a Distributed Map and must be unique in the state
    machine (AWS: "DUPLICATE_LABEL_NAME").

    Bad:

    ```json
    {"StartAt": "A", "States": {
      "A": {"Type": "Map", "Label": "batch", "Next": "B", "ItemProcessor": {
        "ProcessorConfig": {"Mode": "DISTRIBUTED", "ExecutionType": "STANDARD"},
        "StartAt": "I", "States": {"I": {"Type": "Succeed"}}}},
      "B": {"Type": "Map", "Label": "batch", "End": true, "ItemProcessor": {
        "ProcessorConfig": {"Mode": "DISTRIBUTED", "ExecutionType": "STANDARD"},
        "StartAt": "J", "States": {"J": {"Type": "Succeed"}}}}}}
    ```

    Good:

    ```json
    {"StartAt": "A", "States": {
      "A": {"Type": "Map", "Label": "first", "Next": "B", "ItemProcessor": {
        "ProcessorConfig": {"Mode": "DISTRIBUTED", "ExecutionType": "STANDARD"},
        "StartAt": "I", "States": {"I": {"Type": "Succeed"}}}},
      "B": {"Type": "Map", "Label": "second", "End": true, "ItemProcessor": {
        "ProcessorConfig": {"Mode": "DISTRIBUTED", "ExecutionType": "STANDARD"},
        "StartAt": "J", "States": {"J": {"Type": "Succeed"}}}}}}
    ```
    """

    id = "ASL623"
    name = "duplicate-map-label"
    aws_code = 'DUPLICATE_LABEL_NAME'
    tags = ("states", "map")

    def check(self, ctx: RuleContext) -> Iterator[Finding]:
        first: dict[str, str] = {}
        for state in maps(ctx):
            label = state.data.get("Label")
            if not isinstance(label, str):
                continue
            if label in first:
                yield Finding(state.path + ("Label",), f"Label '{label}' is also used by Map '{first[label]}'"
                              f" (state '{state.name}')")
            first.setdefault(label, state.name)


class InlineMapConcurrency(Rule):
    """An inline Map asking for more than 40 concurrent iterations

    An inline Map runs about 40 iterations at a time whatever `MaxConcurrency` says; use a
    Distributed Map for more.

    Bad:

    ```json
    {"StartAt": "M", "States": {"M": {"Type": "Map", "End": true, "MaxConcurrency": 500,
      "ItemProcessor": {"StartAt": "I", "States": {"I": {"Type": "Succeed"}}}}}}
    ```

    Good:

    ```json
    {"StartAt": "M", "States": {"M": {"Type": "Map", "End": true, "MaxConcurrency": 500,
      "ItemProcessor": {"ProcessorConfig": {"Mode": "DISTRIBUTED", "ExecutionType": "EXPRESS"},
        "StartAt": "I", "States": {"I": {"Type": "Succeed"}}}}}}
    ```
    """

    id = "ASL626"
    name = "inline-map-concurrency"
    aws_code = None
    severity = Severity.WARNING
    tags = ("states", "map")

    def check(self, ctx: RuleContext) -> Iterator[Finding]:
        for state in maps(ctx):
            limit = state.data.get("MaxConcurrency")
            if mode(state) == "INLINE" and isinstance(limit, int) and not isinstance(limit, bool) and limit > 40:
                yield Finding(state.path + ("MaxConcurrency",), f"an inline Map runs at most about 40 iterations at"
                              f" once, not {limit}: use a Distributed Map (state '{state.name}')")
