"""What AWS itself said of a definition, with --aws-validate: its findings asl-lint does not
have, and why it could not be asked. Reported by the run, not by check()."""

from __future__ import annotations

from ...diagnostics import Severity
from ..base import Rule


class AwsRejected(Rule):
    """AWS rejects the definition for a reason asl-lint does not report

    With `--aws-validate`, each definition is sent to AWS's
    ValidateStateMachineDefinition. An error AWS reports that no asl-lint finding
    matches becomes this finding, with AWS's code and message at AWS's location. (Where
    both agree, asl-lint's finding is kept and marked as confirmed by AWS.)

    Bad:

    ```json
    {"StartAt": "A", "States": {"A": {"Type": "Pass", "Next": "B"}}}
    ```

    Good:

    ```json
    {"StartAt": "A", "States": {"A": {"Type": "Pass", "End": true}}}
    ```
    """

    id = "ASL017"
    name = "aws-rejected"
    aws_code = None
    aws_rejects = True  # it is AWS's own error, whatever its code
    tags = ("load", "aws")
    marker = True


class AwsWarned(Rule):
    """AWS warns about the definition, and asl-lint does not

    A warning that ValidateStateMachineDefinition returns (`--aws-validate`) and no
    asl-lint finding matches. AWS accepts the definition.

    Bad:

    ```json
    {"StartAt": "A", "States": {"A": {"Type": "Pass", "Parameters": {"x": "$.y"}, "End": true}}}
    ```

    Good:

    ```json
    {"StartAt": "A", "States": {"A": {"Type": "Pass", "Parameters": {"x.$": "$.y"}, "End": true}}}
    ```
    """

    id = "ASL018"
    name = "aws-warned"
    aws_code = None
    severity = Severity.WARNING
    tags = ("load", "aws")
    marker = True


class AwsUnavailable(Rule):
    """AWS could not be asked to validate the definitions

    `--aws-validate` needs boto3 (`pip install 'asl-lint[aws]'`), credentials and a
    region from the standard AWS chain, the network, and permission for
    `states:ValidateStateMachineDefinition`. Without one of them the run goes on with
    asl-lint's own checks and says so once, as an info; with `--aws-validate=required`
    it is an error, for gates that must have AWS's verdict.

    Bad:

    ```json
    {"StartAt": "A", "States": {"A": {"Type": "Succeed"}}}
    ```

    Good:

    ```json
    {"StartAt": "A", "States": {"A": {"Type": "Succeed"}}}
    ```
    """

    id = "ASL020"
    name = "aws-unavailable"
    aws_code = None
    severity = Severity.INFO
    tags = ("load", "aws")
    marker = True
