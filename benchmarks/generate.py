"""Generated state machines for the benchmarks: valid, realistic in shape, of any size.

Each definition chains blocks of states: Tasks with Retry and Catch (most of them), a
Choice that fans out to several Pass states, a Parallel state with two branches, an
inline Map with its processor, Assign and variable reads. Deterministic for a given size.
"""

from __future__ import annotations

import json

LAMBDA = "arn:aws:states:::lambda:invoke"


def _task(name: str, following: str, index: int, catch_to: str | None) -> dict:
    state = {"Type": "Task", "Resource": LAMBDA, "Next": following,
             "Parameters": {"FunctionName": f"fn-{index % 7}", "Payload.$": "$",
                            "ClientContext.$": "$step" if index else "$$.State.Name"},
             "ResultSelector": {"value.$": "$.Payload"}, "ResultPath": "$.result",
             "Assign": {"step": index}, "TimeoutSeconds": 30}
    if index % 10 != 9:  # most Tasks retry and catch
        state["Retry"] = [{"ErrorEquals": ["Lambda.ServiceException", "Lambda.AWSLambdaException",
                                           "Lambda.SdkClientException", "Lambda.TooManyRequestsException"],
                           "IntervalSeconds": 2, "MaxAttempts": 3, "BackoffRate": 2}]
        if catch_to:
            state["Catch"] = [{"ErrorEquals": ["States.ALL"], "Next": catch_to, "ResultPath": "$.error"}]
    return state


def _branch(prefix: str, size: int) -> dict:
    states = {}
    for i in range(size):
        name = f"{prefix}-{i}"
        if i + 1 < size:
            states[name] = {"Type": "Pass", "Result": {"n": i}, "ResultPath": f"$.{prefix.replace('-', '_')}",
                            "Next": f"{prefix}-{i + 1}"}
        else:
            states[name] = {"Type": "Pass", "End": True}
    return {"StartAt": f"{prefix}-0", "States": states}


def definition(size: int) -> dict:
    """A valid definition of about `size` states (top level and nested together)."""
    states: dict = {}
    block = 0
    count = 0
    order: list[str] = []
    while count < size - 2:
        b = f"B{block}"
        names = [f"{b}-Fetch", f"{b}-Route", f"{b}-Fast", f"{b}-Slow", f"{b}-Other", f"{b}-Fork", f"{b}-Each",
                 f"{b}-Store"]
        order.append(names[0])
        after = f"B{block + 1}-Fetch"
        states[names[0]] = _task(names[0], names[1], block * 3, "Failed")
        states[names[1]] = {"Type": "Choice", "Default": names[4], "Choices": [
            {"Variable": "$.result.value.kind", "StringEquals": "fast", "Next": names[2]},
            {"Variable": "$.result.value.size", "NumericGreaterThan": 100, "Next": names[3]},
            {"And": [{"Variable": "$.flag", "IsPresent": True}, {"Variable": "$.flag", "BooleanEquals": True}],
             "Next": names[3]}]}
        for name in names[2:5]:
            states[name] = {"Type": "Pass", "Parameters": {"route": name, "step.$": "$step"}, "Next": names[5]}
        states[names[5]] = {"Type": "Parallel", "Next": names[6], "ResultPath": "$.parallel",
                            "Branches": [_branch(f"{b}-L", 3), _branch(f"{b}-R", 3)],
                            "Catch": [{"ErrorEquals": ["States.ALL"], "Next": "Failed"}]}
        states[names[6]] = {"Type": "Map", "Next": names[7], "ItemsPath": "$.items", "MaxConcurrency": 5,
                            "ResultPath": "$.mapped", "ItemProcessor": {
                                "ProcessorConfig": {"Mode": "INLINE"}, **_branch(f"{b}-M", 2)}}
        states[names[7]] = _task(names[7], after, block * 3 + 1, "Failed")
        count += len(names) + 6 + 2
        block += 1
    last = f"B{block - 1}-Store"
    states[last]["Next"] = "Done"
    states["Done"] = {"Type": "Succeed"}
    states["Failed"] = {"Type": "Fail", "Error": "Failed", "Cause": "a step failed"}
    return {"Comment": f"generated, {count + 2} states", "StartAt": order[0], "States": states}


def template(machines: int, size: int) -> dict:
    """A CloudFormation template with `machines` state machines of `size` states each."""
    resources = {}
    for i in range(machines):
        resources[f"Flow{i}"] = {"Type": "AWS::StepFunctions::StateMachine", "Properties": {
            "RoleArn": {"Fn::GetAtt": ["Role", "Arn"]}, "Definition": definition(size)}}
    resources["Role"] = {"Type": "AWS::IAM::Role", "Properties": {"AssumeRolePolicyDocument": {}}}
    return {"AWSTemplateFormatVersion": "2010-09-09", "Resources": resources}


def hcl(value: object, indent: str = "") -> str:
    """A value written as an HCL expression, as people write `jsonencode({...})`."""
    inner = indent + "  "
    if isinstance(value, dict):
        rows = [f"{inner}{_hcl_key(key)} = {hcl(item, inner)}" for key, item in value.items()]
        return "{\n" + "\n".join(rows) + f"\n{indent}}}" if rows else "{}"
    if isinstance(value, list):
        return "[" + ", ".join(hcl(item, indent) for item in value) + "]"
    if isinstance(value, bool):
        return "true" if value else "false"
    if isinstance(value, str):  # ${ and %{ would be Terraform's own syntax: written escaped
        return json.dumps(value).replace("${", "$${").replace("%{", "%%{")
    return json.dumps(value)


def _hcl_key(key: str) -> str:
    plain = key.replace("_", "a").replace("-", "a").isalnum() and not key[0].isdigit()
    return key if plain else json.dumps(key)


def terraform(name: str, machine: dict) -> str:
    """A .tf file with one aws_sfn_state_machine whose definition is `jsonencode({...})`."""
    return (f'resource "aws_sfn_state_machine" "{name}" {{\n  name     = "{name}"\n'
            f'  role_arn = aws_iam_role.sfn.arn\n  definition = jsonencode({hcl(machine, "  ")})\n}}\n')


if __name__ == "__main__":
    import sys

    print(json.dumps(definition(int(sys.argv[1]) if len(sys.argv) > 1 else 50), indent=2))
