"""ASL210: transitions known only when the machine is deployed or planned."""

from __future__ import annotations

from collections.abc import Iterator

from ...context import RuleContext
from ...diagnostics import Severity
from ..base import Finding, Rule


class UnknownTransition(Rule):
    """A transition whose target is known only at deploy or plan time

    When a transition is a value the template fills in at deploy time (an intrinsic
    function, a Terraform expression asl-lint could not evaluate), which states it leads to
    cannot be known here: asl-lint then reports no state of that scope as unreachable, and
    says so with this note, so that a silent pass is never mistaken for a checked graph.
    Write the transition as a literal, or give the value in the files asl-lint reads (a
    Terraform local or a variable default, a tfvars file, `--var`), to have it checked.

    Bad:

    ```yaml
    Resources:
      Flow:
        Type: AWS::StepFunctions::StateMachine
        Properties:
          Definition:
            StartAt: Work
            States:
              Work:
                Type: Task
                Resource: arn:aws:states:::lambda:invoke
                Parameters: {FunctionName: worker}
                Catch: {"Fn::If": [Strict, [{ErrorEquals: [States.ALL], Next: Failed}], []]}
                End: true
              Failed: {Type: Fail}
    ```

    Good:

    ```yaml
    Resources:
      Flow:
        Type: AWS::StepFunctions::StateMachine
        Properties:
          Definition:
            StartAt: Work
            States:
              Work:
                Type: Task
                Resource: arn:aws:states:::lambda:invoke
                Parameters: {FunctionName: worker}
                Catch: [{ErrorEquals: [States.ALL], Next: Failed}]
                End: true
              Failed: {Type: Fail}
    ```
    """

    id = "ASL210"
    name = "unknown-transition"
    aws_code = None
    severity = Severity.INFO
    tags = ("flow",)

    def check(self, ctx: RuleContext) -> Iterator[Finding]:
        for scope_graph in ctx.graphs:
            for transition in scope_graph.unknown_targets:
                yield Finding(transition.path, f"{_what(transition.path)} of '{transition.source}' is known only at"
                              " deploy or plan time: which states it leads to is not checked, and no state of"
                              f" {scope_graph.scope.label} is reported unreachable")


def _what(path: tuple) -> str:
    last = path[-1]
    if isinstance(last, int):
        return "a Choice rule" if path[-2] == "Choices" else "a Catcher"
    if last in ("Choices", "Catch"):
        return f"the {last} list"
    if len(path) >= 3 and isinstance(path[-2], int):
        return f"the Next of a {'Choice rule' if path[-3] == 'Choices' else 'Catcher'}"
    return f"the {last}"
