"""ASL310-ASL311: payload templates, where `name.$` keys are evaluated."""

from __future__ import annotations

from collections.abc import Iterator

from ...context import RuleContext
from ...lang.intrinsics import looks_like_call
from ...model import json_type, value_at
from ..base import Finding, Rule


class DollarKeyValue(Rule):
    """A `name.$` key whose value is not a path or an intrinsic function

    In `Parameters`, `ResultSelector`, `ItemSelector`, `Credentials`, JSONPath `Assign` and
    the other payload templates, a key ending in `.$` is replaced by the value its path or
    intrinsic function computes. Any other value is rejected: "The value for the field
    'X.$' must be a valid JSONPath or a valid intrinsic function call".

    Bad:

    ```json
    {"StartAt": "P", "States": {"P": {"Type": "Pass", "End": true,
      "Parameters": {"id.$": "order.id"}}}}
    ```

    Good:

    ```json
    {"StartAt": "P", "States": {"P": {"Type": "Pass", "End": true,
      "Parameters": {"id.$": "$.order.id"}}}}
    ```
    """

    id = "ASL310"
    name = "dollar-key-value"
    aws_code = 'SCHEMA_VALIDATION_FAILED'
    tags = ("data", "templates")

    def check(self, ctx: RuleContext) -> Iterator[Finding]:
        for site, key in ctx.index.template_sites:
            state = site.state
            value = site.value
            if isinstance(value, str) and (value.startswith("$") or looks_like_call(value)):
                continue
            if ctx.is_placeholder(site.path):
                continue
            shown = repr(value) if isinstance(value, str) else json_type(value)
            yield Finding(site.path, f"'{key}' must hold a path ($...) or an intrinsic function, not {shown};"
                          f" drop the '.$' to pass the value as it is (state '{state.name}')")


class DuplicateKeyAfterDollar(Rule):
    """Two keys of a payload template that are the same name once `.$` is stripped

    `"id"` and `"id.$"` in the same object both produce a field `id`; only one survives.

    Bad:

    ```json
    {"StartAt": "P", "States": {"P": {"Type": "Pass", "End": true,
      "Parameters": {"id": "fixed", "id.$": "$.id"}}}}
    ```

    Good:

    ```json
    {"StartAt": "P", "States": {"P": {"Type": "Pass", "End": true,
      "Parameters": {"id.$": "$.id"}}}}
    ```
    """

    id = "ASL311"
    name = "duplicate-key-after-dollar"
    aws_code = 'SCHEMA_VALIDATION_FAILED'
    tags = ("data", "templates")

    def check(self, ctx: RuleContext) -> Iterator[Finding]:
        seen_objects: set[tuple] = set()
        for site, key in ctx.index.template_sites:
            state = site.state
            parent = site.path[:-1]
            if parent in seen_objects:
                continue
            seen_objects.add(parent)
            obj = value_at(state.data, parent[len(state.path):])  # a site lies in its state: no walk from the root
            if not isinstance(obj, dict):
                continue
            for name in obj:
                if isinstance(name, str) and name.endswith(".$") and name[:-2] in obj:
                    yield Finding(parent + (name,), f"'{name}' and '{name[:-2]}' both set the field"
                                  f" '{name[:-2]}' (state '{state.name}')", "key")

