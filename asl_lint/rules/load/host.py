"""Rules about the file that holds a definition: templates, references, substitutions."""

from __future__ import annotations

from collections.abc import Iterator

from ...context import RuleContext
from ...diagnostics import Severity
from ...extract.placeholders import substitution_uses
from ..base import Finding, Rule

# Names CloudFormation itself provides; a ${...} holding ':' or '.' is a pseudo parameter,
# a resource attribute or a token asl-lint made for an intrinsic, not a substitution key.
_NOT_SUBSTITUTION_KEYS = (":", ".", "!")


class MissingReferencedFile(Rule):
    """A definition file that a template points to cannot be read

    SAM `DefinitionUri`, CloudFormation `DefinitionS3Location` given as a local path and
    Serverless `${file(...)}` are read relative to the template. A missing file fails the
    deployment.

    Bad:

    ```yaml
    Resources:
      Flow:
        Type: AWS::Serverless::StateMachine
        Properties:
          DefinitionUri: statemachine/missing.asl.json
    ```

    Good:

    ```yaml
    Resources:
      Flow:
        Type: AWS::Serverless::StateMachine
        Properties:
          Definition:
            StartAt: Done
            States:
              Done: {Type: Succeed}
    ```
    """

    id = "ASL007"
    name = "missing-referenced-file"
    aws_code = None
    tags = ("load", "host")
    marker = True


class DefinitionNotCheckable(Rule):
    """A state machine whose definition is not in the files at hand

    The definition lives in S3 (`DefinitionUri` or `DefinitionS3Location` with a bucket),
    or is built by an intrinsic function that cannot be resolved locally. Nothing is wrong
    with it as far as asl-lint can tell; it just cannot be checked.

    Bad:

    ```yaml
    Resources:
      Flow:
        Type: AWS::StepFunctions::StateMachine
        Properties:
          DefinitionS3Location: {Bucket: my-bucket, Key: flow.asl.json}
    ```

    Good:

    ```yaml
    Resources:
      Flow:
        Type: AWS::StepFunctions::StateMachine
        Properties:
          Definition:
            StartAt: Done
            States:
              Done: {Type: Succeed}
    ```
    """

    id = "ASL008"
    name = "definition-not-checkable"
    aws_code = None
    severity = Severity.INFO
    tags = ("load", "host")
    marker = True


class UnresolvedPlaceholder(Rule):
    """A `${Name}` that nothing will replace at deploy time

    In a template's definition, `${Name}` is replaced from `DefinitionSubstitutions`; a
    name with no substitution reaches Step Functions literally and usually breaks an ARN or
    a number. In a Serverless file, a `${self:...}` variable must name a key of the file.

    Bad:

    ```yaml
    Resources:
      Flow:
        Type: AWS::Serverless::StateMachine
        Properties:
          DefinitionSubstitutions: {WorkerArn: !GetAtt Worker.Arn}
          Definition:
            StartAt: Work
            States:
              Work: {Type: Task, Resource: "${WorkerArnn}", End: true}
    ```

    Good:

    ```yaml
    Resources:
      Flow:
        Type: AWS::Serverless::StateMachine
        Properties:
          DefinitionSubstitutions: {WorkerArn: !GetAtt Worker.Arn}
          Definition:
            StartAt: Work
            States:
              Work: {Type: Task, Resource: "${WorkerArn}", End: true}
    ```
    """

    id = "ASL009"
    name = "unresolved-placeholder"
    aws_code = None
    severity = Severity.WARNING
    tags = ("load", "host")
    per_use = True

    def check(self, ctx: RuleContext) -> Iterator[Finding]:
        known = ctx.definition.substitutions
        if known is None:
            return
        # A definition file of its own may serve several templates: say which one lacks it.
        template = ctx.definition.template
        where = f" in {template}" if template and template != ctx.definition.file else ""
        for name, paths in substitution_uses(ctx.data).items():
            if name in known or any(mark in name for mark in _NOT_SUBSTITUTION_KEYS):
                continue
            for path in paths:
                if ctx.definition.substitution_source.startswith(("templatefile()", "data.template_file.")):
                    yield Finding(path, f"'${{{name}}}' uses names that the variables"
                                        f" {ctx.definition.substitution_source} passes{where}"
                                        " do not have: Terraform fails to render the template")
                    continue
                yield Finding(path, f"'${{{name}}}' has no {ctx.definition.substitution_source} entry{where}, so it"
                                    " reaches Step Functions as literal text")


class UnusedSubstitution(Rule):
    """A `DefinitionSubstitutions` key that the definition never uses

    Usually a renamed placeholder: the definition says `${OrderTable}` and the template
    still substitutes `OrdersTable`.

    Bad:

    ```yaml
    Resources:
      Flow:
        Type: AWS::Serverless::StateMachine
        Properties:
          DefinitionSubstitutions: {Unused: x}
          Definition:
            StartAt: Done
            States:
              Done: {Type: Succeed}
    ```

    Good:

    ```yaml
    Resources:
      Flow:
        Type: AWS::Serverless::StateMachine
        Properties:
          Definition:
            StartAt: Done
            States:
              Done: {Type: Succeed}
    ```
    """

    id = "ASL010"
    name = "unused-substitution"
    aws_code = None
    severity = Severity.WARNING
    tags = ("load", "host")
    marker = True


class ReferenceCaseMismatch(Rule):
    """A referenced definition file found only by ignoring letter case

    `DefinitionUri: statemachine/Flow.asl.json` next to a file named `flow.asl.json` works
    on macOS and Windows, whose file systems ignore case, and fails on Linux, where most CI
    runs. asl-lint checks the file it found and warns.

    Bad:

    ```yaml
    Resources:
      Flow:
        Type: AWS::Serverless::StateMachine
        Properties:
          DefinitionUri: statemachine/FLOW.asl.json
    ```

    Good:

    ```yaml
    Resources:
      Flow:
        Type: AWS::Serverless::StateMachine
        Properties:
          DefinitionUri: statemachine/flow.asl.json
    ```
    """

    id = "ASL011"
    name = "reference-case-mismatch"
    aws_code = None
    severity = Severity.WARNING
    tags = ("load", "host")
    marker = True
