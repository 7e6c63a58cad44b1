"""Mutations of real definitions: every value may become a value of another type or shape.

Shared by the fuzz tests (a fixed budget in CI) and `tests/fuzz/run` (longer, on demand).
"""

from __future__ import annotations

import json
import random
from collections.abc import Iterator
from pathlib import Path

ROOT = Path(__file__).resolve().parents[2]
ODD_STRINGS = [
    "", " ", "$", "$$", "$.", "$..a", "$[", "$.a[0]b", "$.a[\u0663]", "$$.Task.Token", "$var", "$.a[?(@.b)]",
    "States.Format('{}', $.a)", "States.Array(", "States.X()", "States.MathAdd(1,", "States.JsonMerge($.a, $.b, true)",
    "{% $states.input %}", "{% ", "{% $x( %}", "{%%}", "{% $states.result %}", "\ud800", "\x00\x1b[31m",
    "X\n::error file=README.md,line=1::pwned", "\u2028", "arn:aws:states:::lambda:invoke",
    "arn:aws:states:::lambda:invoke.waitForTaskToken", "arn:aws:lambda:us-east-1:123456789012:function:f",
    "2016-03-14T01:59:00Z", "2016-13-99", "*", "\\", "a" * 300, "${Var}", "#{AWS::Region}", "States.ALL",
    "States.Timeout", "[[[", "JSONata", "JSONPath", "DISTRIBUTED", "INLINE", "Choice", "Map", "Parallel",
]
ODD_NUMBERS = [0, -1, 1, 2**63, -(2**63), 10**300, 1e308, 0.5, -0.0, 99999999, 100000000]


def odd_value(rng: random.Random, depth: int = 0) -> object:
    kind = rng.randrange(9)
    if kind == 0:
        return rng.choice(ODD_STRINGS)
    if kind == 1:
        return rng.choice(ODD_NUMBERS)
    if kind == 2:
        return rng.choice([True, False, None])
    if kind == 3 and depth < 4:
        return [odd_value(rng, depth + 1) for _ in range(rng.randrange(3))]
    if kind == 4 and depth < 4:
        return {rng.choice(ODD_STRINGS + FIELDS): odd_value(rng, depth + 1) for _ in range(rng.randrange(3))}
    if kind == 5:
        return [[rng.choice(ODD_STRINGS)]]
    if kind == 6:
        return {"Type": rng.choice(TYPES), "End": True}
    if kind == 7:
        return rng.choice(FIELDS)
    return rng.choice(ODD_STRINGS) * rng.randrange(1, 4)


FIELDS = ["Type", "Next", "End", "Retry", "Catch", "ErrorEquals", "Parameters", "Arguments", "Output", "Assign",
          "ResultPath", "InputPath", "OutputPath", "ResultSelector", "Choices", "Default", "Variable", "And", "Or",
          "Not", "Condition", "Branches", "ItemProcessor", "Iterator", "ProcessorConfig", "ItemReader",
          "ResultWriter", "ItemBatcher", "ItemSelector", "MaxConcurrency", "Seconds", "Timestamp", "SecondsPath",
          "TimeoutSeconds", "HeartbeatSeconds", "Resource", "Credentials", "QueryLanguage", "Label", "Error",
          "Cause", "ErrorPath", "CausePath", "StartAt", "States", "Comment", "StringMatches", "NumericEquals",
          "TimestampEquals", "IsPresent", "Items", "ToleratedFailurePercentage", "BackoffRate", "MaxAttempts",
          "IntervalSeconds", "JitterStrategy", "MaxDelaySeconds", "Result", "x.$", "Payload.$", "TaskToken.$"]
TYPES = ["Task", "Pass", "Choice", "Wait", "Succeed", "Fail", "Parallel", "Map", "Bogus"]


def _containers(value: object, path: tuple = ()) -> Iterator[tuple[tuple, object]]:
    stack = [(path, value)]
    while stack:
        path, value = stack.pop()
        yield path, value
        if isinstance(value, dict):
            stack.extend((path + (key,), item) for key, item in value.items())
        elif isinstance(value, list):
            stack.extend((path + (index,), item) for index, item in enumerate(value))


def mutate(data: object, rng: random.Random, changes: int = 3) -> object:
    data = json.loads(json.dumps(data))
    for _ in range(changes):
        places = list(_containers(data))
        path, target = rng.choice(places)
        if isinstance(target, dict) and target and rng.random() < 0.5:
            key = rng.choice(list(target))
            action = rng.randrange(4)
            if action == 0:
                target[key] = odd_value(rng)
            elif action == 1:
                del target[key]
            elif action == 2:
                target[rng.choice(FIELDS)] = odd_value(rng)
            else:
                target[rng.choice(FIELDS)] = target[key]
        elif isinstance(target, list) and target:
            index = rng.randrange(len(target))
            target[index] = odd_value(rng) if rng.random() < 0.7 else [target[index]]
        elif path:
            parent = data
            for part in path[:-1]:
                parent = parent[part]  # type: ignore[index]
            parent[path[-1]] = odd_value(rng)  # type: ignore[index]
    return data


def seed_definitions() -> list[tuple[str, object]]:
    """Every JSON definition under fixtures/ (example files and per-rule cases)."""
    import yaml

    found = []
    for path in sorted((ROOT / "fixtures" / "examples").rglob("*.json")):
        try:
            found.append((path.name, json.loads(path.read_text(encoding="utf-8"))))
        except ValueError:
            continue
    for path in sorted((ROOT / "fixtures" / "rules").glob("*.yaml")):
        for case in yaml.safe_load(path.read_text(encoding="utf-8"))["cases"]:
            if case.get("format", "json") == "json":
                try:
                    found.append((f"{path.stem}:{case['name']}", json.loads(case["definition"])))
                except ValueError:
                    continue
    return found


def as_host_file(definition: object, rng: random.Random) -> tuple[str, str]:
    """(file name, text) holding `definition` the way people keep definitions: a plain file
    in JSON or YAML, a CloudFormation Definition or DefinitionString, serverless.yml, or
    Terraform's jsonencode() or heredoc."""
    import yaml

    kind = rng.randrange(8)
    if kind == 6:  # JSON is HCL object syntax too: jsonencode({"a": 1}) is what some people write
        return "main.tf", ('resource "aws_sfn_state_machine" "flow" {\n  type = "EXPRESS"\n  definition = jsonencode('
                           f'{json.dumps(definition, indent=rng.choice([None, 2]))})\n}}\n')
    if kind == 7:
        marker = rng.choice(["<<EOF", "<<-EOF"])
        return "main.tf", (f'resource "aws_sfn_state_machine" "flow" {{\n  definition = {marker}\n'
                           f'{json.dumps(definition, indent=2)}\n  EOF\n}}\n')
    if kind == 0:
        return "case.asl.json", json.dumps(definition, ensure_ascii=rng.random() < 0.5)
    if kind == 1:
        return "case.asl.yaml", yaml.safe_dump(definition, allow_unicode=rng.random() < 0.5)
    if kind == 2:
        resource = {"Type": "AWS::StepFunctions::StateMachine", "Properties": {"Definition": definition}}
        return "template.json", json.dumps({"Resources": {"Flow": resource}})
    if kind == 3:
        text = json.dumps(definition, indent=rng.choice([None, 2]))
        resource = {"Type": "AWS::StepFunctions::StateMachine",
                    "Properties": {"DefinitionString": {"Fn::Sub": text}, "DefinitionSubstitutions": {"X": "y"}}}
        return "template.yaml", yaml.safe_dump({"Resources": {"Flow": resource}})
    if kind == 4:
        return "serverless.yml", yaml.safe_dump({"service": "s", "stepFunctions": {"stateMachines": {
            "flow": {"type": rng.choice(["express", "standard", 3]), "definition": definition}}}})
    cut = json.dumps(definition)
    at = rng.randrange(max(1, len(cut)))
    return "case.asl.json", cut[:at] + rng.choice(['"', "{", "]", ",", "\\", "${X}", "\x00"]) + cut[at:]
