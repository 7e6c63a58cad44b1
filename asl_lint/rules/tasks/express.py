"""ASL407: what an Express workflow (or an Express child of a Distributed Map) cannot do."""

from __future__ import annotations

from collections.abc import Iterator

from ...context import RuleContext
from ...model import Scope
from ..base import Finding, Rule
from ._resources import classify


class ExpressUnsupported(Rule):
    """A feature Express workflows do not support

    Express workflows (`--type EXPRESS`, `Type: EXPRESS` in SAM, `StateMachineType:
    EXPRESS`, `type: express` in serverless.yml) and the EXPRESS child executions of a
    Distributed Map cannot use the `.sync` or `.waitForTaskToken` patterns or activities,
    and an Express workflow cannot run a Distributed Map.

    Bad:

    ```yaml
    Resources:
      Flow:
        Type: AWS::Serverless::StateMachine
        Properties:
          Type: EXPRESS
          Definition:
            StartAt: Build
            States:
              Build: {Type: Task, Resource: "arn:aws:states:::codebuild:startBuild.sync", End: true}
    ```

    Good:

    ```yaml
    Resources:
      Flow:
        Type: AWS::Serverless::StateMachine
        Properties:
          Type: STANDARD
          Definition:
            StartAt: Build
            States:
              Build: {Type: Task, Resource: "arn:aws:states:::codebuild:startBuild.sync", End: true}
    ```
    """

    id = "ASL407"
    name = "express-unsupported"
    aws_code = 'SCHEMA_VALIDATION_FAILED'
    tags = ("tasks",)

    def check(self, ctx: RuleContext) -> Iterator[Finding]:
        express_machine = ctx.definition.workflow_type == "EXPRESS"
        children = _express_children(ctx)
        if not express_machine and not children:
            return  # a Standard workflow without Express children: nothing here is out of bounds
        for state in ctx.states:
            where = "an Express workflow" if express_machine else \
                "an EXPRESS child of a Distributed Map" if _inside(state.scope, children) else None
            if where is None:
                continue
            resource = state.data.get("Resource")
            if state.type == "Task" and isinstance(resource, str) and not ctx.is_placeholder(state.path + ("Resource",)):
                found = classify(resource)
                if found.pattern:
                    yield Finding(state.path + ("Resource",), f"the {found.pattern.lstrip('.')} pattern is not"
                                  f" supported in {where} (state '{state.name}')")
                elif found.kind == "activity":
                    yield Finding(state.path + ("Resource",), f"activities are not supported in {where}"
                                  f" (state '{state.name}')")
            if express_machine and state.type == "Map" and _distributed(state.data):
                yield Finding(state.path, f"an Express workflow cannot run a Distributed Map (state '{state.name}')",
                              "key")


def _distributed(data: dict) -> bool:
    processor = data.get("ItemProcessor")
    config = processor.get("ProcessorConfig") if isinstance(processor, dict) else None
    return isinstance(config, dict) and config.get("Mode") == "DISTRIBUTED"


def _express_children(ctx: RuleContext) -> set[tuple]:
    found = set()
    for scope in ctx.scopes:
        config = scope.data.get("ProcessorConfig")
        if isinstance(config, dict) and config.get("Mode") == "DISTRIBUTED" and config.get("ExecutionType") == "EXPRESS":
            found.add(scope.path)
    return found


def _inside(scope: Scope, roots: set[tuple]) -> bool:
    return any(scope.path[:len(root)] == root for root in roots)
