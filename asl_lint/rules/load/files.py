"""Files that are not read, or not what their name or their template says they are."""

from __future__ import annotations

from ...diagnostics import Severity
from ..base import Rule


class FileTooLarge(Rule):
    """A file larger than asl-lint reads

    Files over 10 MiB (`--max-file-size`) are refused before they are read, so a stray
    data dump cannot stall the run. Step Functions accepts definitions of at most 1 MiB;
    a template can be larger, but rarely by this much.

    Bad:

    ```json
    {"Comment": "imagine 50 MB of data here"}
    ```

    Good:

    ```json
    {"StartAt": "A", "States": {"A": {"Type": "Succeed"}}}
    ```
    """

    id = "ASL012"
    name = "file-too-large"
    aws_code = None
    tags = ("load",)
    marker = True


class ReferenceOutsideProject(Rule):
    """A referenced definition file outside the directory tree being linted

    `DefinitionUri`, `DefinitionS3Location` and `${file()}` are read only inside the
    directories being linted: the current directory, its git work tree and the paths
    given on the command line (symbolic links are resolved first). A template in a pull
    request cannot make asl-lint read, and print, `/etc/passwd` or a credentials file.
    `--allow-outside-references` reads them anyway.

    Bad:

    ```yaml
    Resources:
      Flow:
        Type: AWS::Serverless::StateMachine
        Properties:
          DefinitionUri: /etc/hostname
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

    id = "ASL013"
    name = "reference-outside-project"
    aws_code = None
    severity = Severity.WARNING
    tags = ("load",)
    marker = True


class NotAStateMachine(Rule):
    """A file that must hold a state machine holds something else

    A file named `*.asl.json`, `*.asl.yaml`, `*.asl.yml` or `*.asl`, a file read with
    `--kind asl`, and a file that a template references as its definition must hold a
    JSON object with `StartAt` and `States`. A list, a string or an unrelated object there
    would otherwise pass the pre-commit hook and the CI gate unchecked. The message says
    what the file holds without quoting it.

    Bad:

    ```json
    ["StartAt", "States"]
    ```

    Good:

    ```json
    {"StartAt": "A", "States": {"A": {"Type": "Succeed"}}}
    ```
    """

    id = "ASL014"
    name = "not-a-state-machine"
    aws_code = None
    tags = ("load",)
    marker = True


class IncludeChain(Rule):
    """A `${file()}` include that includes itself or nests more than 10 deep

    Serverless files may include a whole `stepFunctions` section, the `stateMachines`
    map, one machine or its definition, and included files may include others (each
    relative to the file that holds it). A chain that comes back to itself would never
    end, and one more than 10 deep is almost surely a mistake: it is not followed.

    Bad:

    ```yaml
    service: orders
    provider: {name: aws}
    stepFunctions: ${file(./serverless.yml):stepFunctions}
    ```

    Good:

    ```yaml
    service: orders
    provider: {name: aws}
    stepFunctions:
      stateMachines:
        orders:
          definition:
            StartAt: Done
            States:
              Done: {Type: Succeed}
    ```
    """

    id = "ASL015"
    name = "include-chain"
    aws_code = None
    tags = ("load",)
    marker = True


class UnusedSuppression(Rule):
    """A suppression that silences nothing

    An `asl-lint: disable` comment or Comment field, or a template's `Metadata` ignore
    list, that no finding matches any more: the problem was fixed, or the rule is named
    wrongly. Remove it, so that stale suppressions do not hide the next problem. Turn this
    rule off with `--ignore ASL016`.

    Bad:

    ```yaml
    StartAt: Done
    States:
      Done:
        Type: Succeed  # asl-lint: disable=ASL203
    ```

    Good:

    ```yaml
    StartAt: Done
    States:
      Done:
        Type: Succeed
    ```
    """

    id = "ASL016"
    name = "unused-suppression"
    aws_code = None
    severity = Severity.WARNING
    tags = ("load",)
    marker = True


class IncludeRelativeToService(Rule):
    """A `${file()}` in an included file whose path only works relative to that file

    The Serverless Framework resolves every `${file(...)}` against the service
    directory, the one that holds `serverless.yml`, also when the reference is written
    in a file that serverless.yml includes (`path.resolve(serviceDir, ...)` in the
    framework's file variable source). A path written relative to the included file
    fails to deploy when no file is at that place in the service directory. asl-lint
    reads the file beside the included one, so the machine is still checked, and warns.

    Bad:

    ```yaml
    # serverless.yml includes flows/machines.yml, which says:
    #   orders: {definition: ${file(./orders.asl.yml)}}   (flows/orders.asl.yml)
    service: shop
    provider: {name: aws}
    stepFunctions:
      stateMachines: ${file(./flows/machines.yml)}
    ```

    Good:

    ```yaml
    # flows/machines.yml says:
    #   orders: {definition: ${file(./flows/orders.asl.yml)}}
    service: shop
    provider: {name: aws}
    stepFunctions:
      stateMachines: ${file(./flows/machines.yml)}
    ```
    """

    id = "ASL019"
    name = "include-relative-to-file"
    aws_code = None
    severity = Severity.WARNING
    tags = ("load", "host")
    marker = True
