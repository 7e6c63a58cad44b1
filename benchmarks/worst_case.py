"""Worst-case inputs under 1 MB: each must be checked in under 2 s and 300 MB.

    python benchmarks/worst_case.py [--repeat N] [--only NAME] [--markdown] [--timeout S]

Writes each input to a temporary directory, runs `asl-lint --format json` on it in a fresh
process (as a user would), and prints wall time and peak memory per input. The inputs are
the ones that once took minutes or gigabytes; see the README's "Limits" section.
"""

from __future__ import annotations

import argparse
import json
import os
import statistics
import subprocess
import sys
import tempfile
from pathlib import Path

TARGET_SECONDS, TARGET_MB = 2.0, 300
HERE = Path(__file__).resolve().parent
sys.path.insert(0, str(HERE))


def _machine(states: dict, **top) -> dict:
    return {"StartAt": next(iter(states)), "States": states, **top}


def string_matches_brackets() -> str:
    rule = {"Variable": "$.x", "StringMatches": "[" * 200_000, "Next": "Done"}
    return json.dumps(_machine({"C": {"Type": "Choice", "Choices": [rule], "Default": "Done"},
                                "Done": {"Type": "Succeed"}}))


def broken_next_everywhere(count: int = 5_000) -> str:
    states = {f"State{i:05d}": {"Type": "Pass", "Next": f"Missing{i:05d}"} for i in range(count)}
    return json.dumps(_machine(states))


def undefined_variables(count: int = 5_000) -> str:
    states = {f"S{i}": {"Type": "Pass", "Parameters": {"v.$": f"$undefined{i}"}, "Next": f"S{i + 1}"}
              for i in range(count)}
    states[f"S{count}"] = {"Type": "Succeed"}
    return json.dumps(_machine(states))


def assigned_and_read_variables(count: int = 5_000) -> str:
    states = {f"S{i}": {"Type": "Pass", "Assign": {f"v{i}": i}, "Parameters": {"x.$": f"$v{max(i - 1, 0)}"},
                        "Next": f"S{i + 1}"} for i in range(count)}
    states[f"S{count}"] = {"Type": "Succeed"}
    return json.dumps(_machine(states))


def jsonata_chain() -> str:
    expression = "+".join(["1"] * 500_000)
    return json.dumps(_machine({"P": {"Type": "Pass", "Output": "{% " + expression + " %}", "End": True}},
                               QueryLanguage="JSONata"))


def jsonata_wide_array(items: int = 60_000) -> str:
    expression = "[" + ",".join(["$states.input.a"] * items) + "]"
    return json.dumps(_machine({"P": {"Type": "Pass", "Output": "{% " + expression + " %}", "End": True}},
                               QueryLanguage="JSONata"))


def intrinsic_nesting() -> str:
    call = "States.Array(" * 70_000 + "$.a" + ")" * 70_000
    return json.dumps(_machine({"P": {"Type": "Pass", "Parameters": {"x.$": call}, "End": True}}))


def deep_choice_rules() -> str:
    rule: dict = {"Variable": "$.x", "IsPresent": True}
    for _ in range(90):
        rule = {"Not": rule}
    rule["Next"] = "Done"
    return json.dumps(_machine({"C": {"Type": "Choice", "Choices": [rule], "Default": "Done"},
                                "Done": {"Type": "Succeed"}}))


def catchers_everywhere(count: int = 3_800) -> str:
    states = {}
    for i in range(count):
        states[f"T{i}"] = {"Type": "Task", "Resource": "arn:aws:states:::lambda:invoke",
                           "Parameters": {"FunctionName": "f", "Payload.$": "$"},
                           "Retry": [{"ErrorEquals": ["States.ALL"], "MaxAttempts": 2}],
                           "Catch": [{"ErrorEquals": ["States.ALL"], "Next": "Failed"}],
                           "Next": f"T{i + 1}" if i + 1 < count else "Done"}
    states["Failed"] = {"Type": "Fail"}
    states["Done"] = {"Type": "Succeed"}
    return json.dumps(_machine(states))


def long_strings() -> str:
    return json.dumps(_machine({"P": {"Type": "Pass", "Result": {"a": "x" * 900_000}, "End": True}}))


def one_reference_many_resources(directory: Path) -> Path:
    states = {f"S{i}": {"Type": "Pass", "Next": f"S{i + 1}"} for i in range(2_000)}
    states["S2000"] = {"Type": "Succeed"}
    (directory / "flow.asl.json").write_text(json.dumps(_machine(states)), encoding="utf-8")
    resources = {f"Flow{i}": {"Type": "AWS::Serverless::StateMachine",
                              "Properties": {"DefinitionUri": "flow.asl.json"}} for i in range(10)}
    path = directory / "template.json"
    path.write_text(json.dumps({"Resources": resources}), encoding="utf-8")
    return path


def fifty_megabytes() -> str:
    states = {f"S{i}": {"Type": "Pass", "Result": "x" * 500, "Next": f"S{i + 1}"} for i in range(100_000)}
    states["S100000"] = {"Type": "Succeed"}
    return json.dumps(_machine(states))


CASES = {
    "StringMatches of 200,000 '['": string_matches_brackets,
    "5,000 broken Next": broken_next_everywhere,
    "5,000 undefined variables": undefined_variables,
    "5,000 variables assigned and read": assigned_and_read_variables,
    "JSONata 1+1+... of 1 MB": jsonata_chain,
    "JSONata array of 60,000 items": jsonata_wide_array,
    "JSONata array of 3,000 items": lambda: jsonata_wide_array(3_000),
    "intrinsic calls nested 70,000 deep": intrinsic_nesting,
    "Choice rule nested 90 deep": deep_choice_rules,
    "3,800 Tasks with Retry and Catch": catchers_everywhere,
    "a string of 900,000 characters": long_strings,
    "one definition, 10 resources": one_reference_many_resources,
    "a 50 MB file": fifty_megabytes,
}


def measure(command: list[str], timeout: float) -> tuple[float, float, int]:
    """Wall seconds, peak resident MB and exit status (-1 after the timeout) of `command`."""
    from measure import measure as measured

    wall, _, megabytes, status = measured(command, timeout)
    return wall, megabytes, status


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--repeat", type=int, default=3)
    parser.add_argument("--only", help="run the cases whose name contains this text")
    parser.add_argument("--markdown", action="store_true", help="print a Markdown table")
    parser.add_argument("--timeout", type=float, default=120, help="give up on one run after this many seconds")
    args = parser.parse_args()
    command = [sys.executable, "-m", "asl_lint", "--format", "json"]
    rows, failed = [], 0
    with tempfile.TemporaryDirectory() as scratch:
        for name, build in CASES.items():
            if args.only and args.only.lower() not in name.lower():
                continue
            directory = Path(scratch, str(len(rows)))
            directory.mkdir()
            if build is one_reference_many_resources:
                path = build(directory)
            else:
                path = directory / "case.asl.json"
                path.write_text(build(), encoding="utf-8")
            size = sum(f.stat().st_size for f in directory.iterdir())
            runs = [measure([*command, str(path)], args.timeout) for _ in range(args.repeat)]
            seconds = statistics.median(run[0] for run in runs)
            megabytes = max(run[1] for run in runs)
            ok = size > 1_048_576 * 1.05 or (seconds < TARGET_SECONDS and megabytes < TARGET_MB and runs[0][2] >= 0)
            failed += not ok
            rows.append((name, size, seconds, megabytes, runs[0][2], ok))
            if not args.markdown:
                shown = f"> {args.timeout:.0f} s" if runs[0][2] < 0 else f"{seconds:.2f} s"
                print(f"{name:<38} {size / 1024:>8,.0f} KiB {shown:>9} {megabytes:>7.0f} MB"
                      f"  exit {runs[0][2]}  {'ok' if ok else 'OVER TARGET'}", flush=True)
    if args.markdown:
        print("| input | size | median time | peak memory | exit |\n|---|---|---|---|---|")
        for name, size, seconds, megabytes, status, _ in rows:
            shown = f"> {args.timeout:.0f} s" if status < 0 else f"{seconds:.2f} s"
            print(f"| {name} | {size / 1024:,.0f} KiB | {shown} | {megabytes:.0f} MB | {status} |")
    print(f"{os.cpu_count()} cores; target under {TARGET_SECONDS} s and {TARGET_MB} MB for inputs under 1 MB")
    return 1 if failed else 0


if __name__ == "__main__":
    sys.exit(main())
