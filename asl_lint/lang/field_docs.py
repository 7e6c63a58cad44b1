"""What each field of a state, a Choice rule, a Retrier and a Catcher does: one or two
sentences each, shown when the editor hovers the field's name (as the Amazon States
Language specification and the Step Functions Developer Guide describe them)."""

from __future__ import annotations

FIELDS = {
    "Type": "The state's type: Task, Parallel, Map, Pass, Wait, Choice, Succeed or Fail.",
    "Comment": "A description for people; Step Functions ignores it (asl-lint reads `asl-lint: disable=...` in it).",
    "QueryLanguage": "JSONPath (the default) or JSONata: how the state's fields select and transform data. "
                     "Set on the machine, it is every state's default.",
    "Next": "The state to run after this one, in the same scope.",
    "End": "`true`: the execution (or the branch, or the Map iteration) ends after this state.",
    "StartAt": "The state a machine, a Parallel branch or a Map processor starts with.",
    "States": "The states of this scope, by name.",
    "TimeoutSeconds": "The most a Task, or the whole machine, may run, in seconds; then States.Timeout.",
    "TimeoutSecondsPath": "A reference path to the timeout in the state's input (JSONPath).",
    "HeartbeatSeconds": "The most a callback or activity Task may go without a heartbeat; then "
                        "States.HeartbeatTimeout. Less than TimeoutSeconds.",
    "HeartbeatSecondsPath": "A reference path to the heartbeat interval in the state's input (JSONPath).",
    "Resource": "What the Task runs: an integration (`arn:aws:states:::service:action`, `aws-sdk:` for any "
                "SDK action, `.sync` or `.waitForTaskToken` for the pattern), a Lambda function or an activity ARN.",
    "Parameters": "The request or the new input, as a payload template: `name.$` keys are evaluated (JSONPath).",
    "Arguments": "The request of a Task, or the input of a Parallel or Map's iterations, evaluated (JSONata).",
    "Credentials": "The role the Task assumes for the call: {\"RoleArn\": ...}.",
    "InputPath": "The part of the input the state works on (JSONPath); null: an empty object.",
    "OutputPath": "The part of the result passed on (JSONPath); null: an empty object.",
    "ResultPath": "Where the result goes in the input (JSONPath reference path); null: the input passes unchanged.",
    "ResultSelector": "A payload template that reshapes the raw result before ResultPath (JSONPath).",
    "Output": "The state's output, evaluated (JSONata): `$states.input`, `$states.result`, variables.",
    "Assign": "Variables to set, by name, evaluated after the state (workflow variables).",
    "Retry": "Retriers, tried in order for an error the state raises: ErrorEquals, IntervalSeconds, "
             "MaxAttempts, BackoffRate, MaxDelaySeconds, JitterStrategy.",
    "Catch": "Catchers, tried in order after the retriers: ErrorEquals, Next, ResultPath or Output, Assign.",
    "ErrorEquals": "The error names this entry handles; States.ALL alone and last matches any error.",
    "IntervalSeconds": "Seconds before the first retry (default 1).",
    "MaxAttempts": "Retries at most (default 3; 0: never retried).",
    "BackoffRate": "What each interval is multiplied by (default 2.0, at least 1.0).",
    "MaxDelaySeconds": "The longest interval between retries.",
    "JitterStrategy": "FULL: randomize intervals (spreads retries); NONE (the default).",
    "Result": "A Pass state's fixed output, used as written (nothing in it is evaluated).",
    "Seconds": "How long a Wait state waits, in seconds (or a JSONata expression).",
    "SecondsPath": "A reference path to the seconds to wait (JSONPath).",
    "Timestamp": "When a Wait state ends: an RFC 3339 timestamp such as 2026-03-14T01:59:00Z.",
    "TimestampPath": "A reference path to the timestamp to wait until (JSONPath).",
    "Choices": "Choice rules, tried in order: the first that matches names the next state.",
    "Default": "The state a Choice goes to when no rule matches; without it, States.NoChoiceMatched.",
    "Condition": "A Choice rule's JSONata condition: `{% ... %}` that yields true or false.",
    "Variable": "The value a JSONPath Choice rule compares (a reference path).",
    "And": "A Choice rule that matches when all its rules do.",
    "Or": "A Choice rule that matches when one of its rules does.",
    "Not": "A Choice rule that matches when its rule does not.",
    "Error": "A Fail state's error name.",
    "ErrorPath": "A reference path or intrinsic giving a Fail state's error name (JSONPath).",
    "Cause": "A Fail state's description of what went wrong.",
    "CausePath": "A reference path or intrinsic giving a Fail state's cause (JSONPath).",
    "Branches": "A Parallel state's branches: each a StartAt and States of its own, run at the same time.",
    "ItemProcessor": "A Map state's iteration: ProcessorConfig (INLINE or DISTRIBUTED), StartAt and States.",
    "Iterator": "Deprecated: the Map state's iteration; use ItemProcessor.",
    "ProcessorConfig": "Mode INLINE (iterations in the execution) or DISTRIBUTED (child executions), and "
                       "ExecutionType for a Distributed Map.",
    "ItemsPath": "Where the items to iterate are in the input (JSONPath).",
    "Items": "The items to iterate, evaluated (JSONata).",
    "ItemSelector": "Each iteration's input, built from the item (`$$.Map.Item.Value`, `$states.context.Map.Item`).",
    "ItemReader": "A Distributed Map's source of items: an S3 object or listing, with its ReaderConfig.",
    "ItemBatcher": "Groups a Distributed Map's items into batches (MaxItemsPerBatch, MaxInputBytesPerBatch).",
    "ResultWriter": "Where a Distributed Map writes its results (an S3 prefix) and in what form.",
    "MaxConcurrency": "Iterations that run at the same time at most (0: as many as possible).",
    "MaxConcurrencyPath": "A reference path to MaxConcurrency (JSONPath).",
    "ToleratedFailurePercentage": "The share of failed items a Distributed Map tolerates before it fails.",
    "ToleratedFailureCount": "The number of failed items a Distributed Map tolerates before it fails.",
    "Label": "A Distributed Map's label in the names of its child executions.",
}


_TESTS = {"IsPresent": "whether Variable's field exists", "IsNull": "whether it is null",
          "IsString": "whether it is a string", "IsNumeric": "whether it is a number",
          "IsBoolean": "whether it is a boolean", "IsTimestamp": "whether it is an RFC 3339 timestamp"}
_COMPARISONS = {"Equals": "equals", "LessThan": "is less than", "GreaterThan": "is greater than",
                "LessThanEquals": "is at most", "GreaterThanEquals": "is at least", "Matches": "matches (* wildcards)"}


def field_doc(name: str) -> str | None:
    """A field's documentation; a JSONPath Choice rule's operators from their names."""
    if name in FIELDS:
        return FIELDS[name]
    if name in _TESTS:
        return f"A Choice rule's test (JSONPath): {_TESTS[name]}; `true` or `false`."
    for family in ("String", "Numeric", "Timestamp", "Boolean"):
        if name.startswith(family):
            rest, path = name[len(family):], name.endswith("Path")
            rest = rest.removesuffix("Path")
            if rest in _COMPARISONS:
                kind = {"Numeric": "number"}.get(family, family.lower())
                other = "the value at a reference path" if path else f"a {kind} written here"
                return f"A Choice rule's comparison (JSONPath): Variable {_COMPARISONS[rest]} {other}."
    return None
