"""ASL207: state names are unique in the whole machine."""

from __future__ import annotations

from collections.abc import Iterator

from ...context import RuleContext
from ..base import Finding, Rule


class DuplicateStateName(Rule):
    """A state name used twice in the same state machine

    Names must be unique across the whole machine, in every Parallel branch and Map
    processor at any depth (AWS: "DUPLICATE_STATE_NAME"). A name written twice in the
    same `States` object is worse: JSON and YAML readers silently keep only the last one.

    Bad:

    ```json
    {"StartAt": "P", "States": {"P": {"Type": "Parallel", "End": true, "Branches": [
      {"StartAt": "Work", "States": {"Work": {"Type": "Succeed"}}},
      {"StartAt": "Work", "States": {"Work": {"Type": "Succeed"}}}]}}}
    ```

    Good:

    ```json
    {"StartAt": "P", "States": {"P": {"Type": "Parallel", "End": true, "Branches": [
      {"StartAt": "Work A", "States": {"Work A": {"Type": "Succeed"}}},
      {"StartAt": "Work B", "States": {"Work B": {"Type": "Succeed"}}}]}}}
    ```
    """

    id = "ASL207"
    name = "duplicate-state-name"
    aws_code = 'DUPLICATE_STATE_NAME'
    tags = ("flow",)

    def check(self, ctx: RuleContext) -> Iterator[Finding]:
        if ctx.definition.duplicates:  # keys repeated in one object: rare, and found by the loader
            states_objects = {scope.path + ("States",) for scope in ctx.scopes}
            for duplicate in ctx.definition.duplicates:
                if duplicate.object_path in states_objects:
                    message = (f"state '{duplicate.key}' is defined twice in the same States object;"
                               " only the last definition is kept")
                    yield Finding(duplicate.object_path + (duplicate.key,), message, "key")
        if len({state.name for state in ctx.states}) == len(ctx.states):  # no name in two scopes
            return
        for name, scopes in ctx.scopes_of_name.items():
            for scope in scopes[1:]:
                message = f"state name '{name}' is also used in {scopes[0].label}; names must be unique in the whole state machine"
                yield Finding(scope.state_path(name), message, "key")
