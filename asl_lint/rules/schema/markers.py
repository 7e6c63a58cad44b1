"""The rules a schema failure is reported under; the schema pass itself is in validate.py."""

from __future__ import annotations

from ..base import Rule


class SchemaViolation(Rule):
    """The definition breaks a schema constraint that no finer rule describes

    A safety net: every constraint in `schemas/asl.schema.json` is routed to one of the
    rules ASL101-ASL106, so no definition triggers this rule today; a constraint added to
    the schema before a rule of its own names it is reported here, with the schema's own
    wording, rather than lost. Fix it as the message says, as for any schema failure.

    Bad (the kind of definition the schema rejects; today ASL104 names this one):

    ```json
    {"StartAt": "C", "States": {"C": {"Type": "Choice", "Choices": "none"}}}
    ```

    Good:

    ```json
    {"StartAt": "C", "States": {"C": {"Type": "Choice", "Default": "D",
      "Choices": [{"Variable": "$.ok", "BooleanEquals": true, "Next": "D"}]},
      "D": {"Type": "Succeed"}}}
    ```
    """

    id = "ASL100"
    name = "schema-violation"
    aws_code = 'SCHEMA_VALIDATION_FAILED'
    tags = ("schema",)
    marker = True


class MissingField(Rule):
    """A required field is missing

    AWS rejects the definition with "These fields are required: [...]". Every state needs
    `Type`; a Task needs `Resource`, a Choice `Choices`, a Parallel `Branches`, a Map an
    `ItemProcessor`; a Catcher needs `ErrorEquals` and `Next`.

    Bad:

    ```json
    {"StartAt": "Work", "States": {"Work": {"Type": "Task", "End": true}}}
    ```

    Good:

    ```json
    {"StartAt": "Work", "States": {"Work": {"Type": "Task", "End": true,
      "Resource": "arn:aws:lambda:us-east-1:123456789012:function:work"}}}
    ```
    """

    id = "ASL101"
    name = "missing-field"
    aws_code = 'SCHEMA_VALIDATION_FAILED'
    tags = ("schema",)
    marker = True


class UnknownField(Rule):
    """A field that this kind of state (or object) does not have

    AWS rejects unknown fields ("Field 'X' is not supported"). Which fields a state may
    have depends on its type and on its query language: `Parameters` is JSONPath only,
    `Arguments` JSONata only.

    Bad:

    ```json
    {"StartAt": "Wait", "States": {"Wait": {"Type": "Wait", "Seconds": 5,
      "ResultPath": "$.waited", "End": true}}}
    ```

    Good:

    ```json
    {"StartAt": "Wait", "States": {"Wait": {"Type": "Wait", "Seconds": 5, "End": true}}}
    ```
    """

    id = "ASL102"
    name = "unknown-field"
    aws_code = 'SCHEMA_VALIDATION_FAILED'
    tags = ("schema",)
    marker = True


class InvalidValue(Rule):
    """A field holds a value outside its fixed set of choices

    `Type` must be one of the eight state types, `QueryLanguage` JSONPath or JSONata,
    `JitterStrategy` FULL or NONE, `ProcessorConfig.Mode` INLINE or DISTRIBUTED.

    Bad:

    ```json
    {"StartAt": "A", "States": {"A": {"Type": "pass", "End": true}}}
    ```

    Good:

    ```json
    {"StartAt": "A", "States": {"A": {"Type": "Pass", "End": true}}}
    ```
    """

    id = "ASL103"
    name = "invalid-value"
    aws_code = 'SCHEMA_VALIDATION_FAILED'
    tags = ("schema",)
    marker = True


class WrongType(Rule):
    """A field holds a value of the wrong JSON type

    AWS says "Expected value of type Integer": numbers must not be quoted, `End` is a
    boolean, `Parameters` an object. In JSONata states many numeric fields may also hold
    a `{% ... %}` expression.

    Bad:

    ```json
    {"StartAt": "W", "States": {"W": {"Type": "Wait", "Seconds": "10", "End": true}}}
    ```

    Good:

    ```json
    {"StartAt": "W", "States": {"W": {"Type": "Wait", "Seconds": 10, "End": true}}}
    ```
    """

    id = "ASL104"
    name = "wrong-type"
    aws_code = 'SCHEMA_VALIDATION_FAILED'
    tags = ("schema",)
    marker = True


class ValueOutOfRange(Rule):
    """A number, string or list is outside the bounds the language allows

    Examples: state names of more than 80 characters, `Seconds` above 99999999,
    `BackoffRate` below 1, an empty `ErrorEquals` or `Choices` list, a `Label` of more
    than 40 characters.

    Bad:

    ```json
    {"StartAt": "T", "States": {"T": {"Type": "Task", "End": true,
      "Resource": "arn:aws:states:::lambda:invoke",
      "Retry": [{"ErrorEquals": ["States.ALL"], "BackoffRate": 0.5}]}}}
    ```

    Good:

    ```json
    {"StartAt": "T", "States": {"T": {"Type": "Task", "End": true,
      "Resource": "arn:aws:states:::lambda:invoke",
      "Retry": [{"ErrorEquals": ["States.ALL"], "BackoffRate": 2}]}}}
    ```
    """

    id = "ASL105"
    name = "value-out-of-range"
    aws_code = 'SCHEMA_VALIDATION_FAILED'
    tags = ("schema",)
    marker = True


class ConflictingFields(Rule):
    """Fields that exclude each other, or a choice of fields with none or several taken

    `TimeoutSeconds` and `TimeoutSecondsPath`, `Error` and `ErrorPath`, `ItemProcessor`
    and `Iterator` cannot be used together; a Wait state takes exactly one of `Seconds`,
    `SecondsPath`, `Timestamp` and `TimestampPath`.

    Bad:

    ```json
    {"StartAt": "W", "States": {"W": {"Type": "Wait", "Seconds": 10,
      "TimestampPath": "$.when", "End": true}}}
    ```

    Good:

    ```json
    {"StartAt": "W", "States": {"W": {"Type": "Wait", "TimestampPath": "$.when",
      "End": true}}}
    ```
    """

    id = "ASL106"
    name = "conflicting-fields"
    aws_code = 'SCHEMA_VALIDATION_FAILED'
    tags = ("schema",)
    marker = True
