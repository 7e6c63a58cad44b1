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


# ---- the surfaces added since: templates that amplify, settings, trees, pictures


def _yaml_alias_states(directory: Path, states: int, size: int) -> list[str]:
    text = "big: &big " + "x" * size + "\nStartAt: S0\nStates:\n" + "".join(
        f"  S{i}: {{Type: Pass, Result: *big, Next: S{i + 1}}}\n" for i in range(states))
    (directory / "case.asl.yaml").write_text(text + f"  S{states}: {{Type: Succeed}}\n", encoding="utf-8")
    return ["case.asl.yaml"]


def _joined_aliases(directory: Path, count: int) -> list[str]:
    parts = "\n".join("            - *big" for _ in range(count))
    (directory / "template.yaml").write_text(
        "Resources:\n  Flow:\n    Type: AWS::StepFunctions::StateMachine\n    Properties:\n      DefinitionString:\n"
        "        Fn::Join:\n          - ''\n          - - &big '" + "x" * 100_000 + "'\n" + parts + "\n", encoding="utf-8")
    return ["template.yaml"]


def serverless_substitution(directory: Path) -> list[str]:
    big = "\n".join(f"    - item{i}" for i in range(20_000))
    states = "".join(f"            S{i}: {{Type: Pass, Result: '${{self:custom.big}}', Next: S{i + 1}}}\n"
                     for i in range(1200))
    (directory / "serverless.yml").write_text(
        f"service: s\nprovider: {{name: aws}}\ncustom:\n  big:\n{big}\nstepFunctions:\n  stateMachines:\n"
        f"    flow:\n      definition:\n        StartAt: S0\n        States:\n{states}"
        "            S1200: {Type: Succeed}\n", encoding="utf-8")
    return ["serverless.yml"]


def _work_tree(directory: Path, names: int = 50) -> None:
    (directory / ".git").mkdir()
    for i in range(names):
        (directory / (f"{i:02d}" + "a" * 180 + ".asl.json")).write_text(json.dumps(_machine(
            {"A": {"Type": "Succeed"}})), encoding="utf-8")


def gitignore_backtracking(directory: Path) -> list[str]:
    _work_tree(directory)
    (directory / ".gitignore").write_text("*a*a*a*a*a*a*b\n", encoding="utf-8")
    return ["."]


def exclude_backtracking(directory: Path) -> list[str]:
    _work_tree(directory)
    return ["--exclude", "*a*a*a*a*a*a*b", "."]


def long_gitignore(directory: Path) -> list[str]:
    _work_tree(directory)
    lines = [f"generated-{i}/" for i in range(15_000)] + [f"*.ext{i}" for i in range(15_000)]
    lines += [f"dir{i}/*a*b{i}" for i in range(15_000)]
    (directory / ".gitignore").write_text("\n".join(lines) + "\n", encoding="utf-8")
    return ["."]


def comment_suppressions(directory: Path, count: int = 8_000) -> list[str]:
    states = {f"S{i}": {"Type": "Pass", "Comment": "asl-lint: disable=ASL203", "End": True} for i in range(count)}
    states["Start"] = {"Type": "Succeed"}
    (directory / "case.asl.json").write_text(json.dumps({"StartAt": "Start", "States": states}), encoding="utf-8")
    return ["case.asl.json"]


def forty_thousand_selectors(directory: Path) -> list[str]:
    selectors = ",".join(f"ASL{i % 1000:03d}" for i in range(40_000))
    (directory / "case.asl.yaml").write_text(
        f"StartAt: A\nStates:\n  A: {{Type: Succeed}}\n  B:  # asl-lint: disable={selectors}\n    Type: Succeed\n",
        encoding="utf-8")
    return ["case.asl.yaml"]


def unused_yaml_directives(directory: Path, count: int = 8_000) -> list[str]:
    states = "".join(f"  S{i}:  # asl-lint: disable=ASL203\n    Type: Pass\n    Next: S{i + 1}\n" for i in range(count))
    (directory / "case.asl.yaml").write_text(f"StartAt: S0\nStates:\n{states}  S{count}: {{Type: Succeed}}\n",
                                            encoding="utf-8")
    return ["case.asl.yaml"]


def nested_directories(directory: Path, depth: int = 1_100) -> list[str]:
    (directory / ".git").mkdir()
    folder = os.open(directory, os.O_RDONLY)
    try:
        for _ in range(depth):  # each level opened from the last: no path grows with the depth
            os.mkdir("d", dir_fd=folder)
            inner = os.open("d", os.O_RDONLY, dir_fd=folder)
            os.close(folder)
            folder = inner
        flow = os.open("flow.asl.json", os.O_WRONLY | os.O_CREAT, 0o644, dir_fd=folder)
        with os.fdopen(flow, "w", encoding="utf-8") as written:
            written.write(json.dumps(_machine({"A": {"Type": "Succeed"}})))
    finally:
        os.close(folder)
    return ["."]


def links_to_one_definition(directory: Path, count: int = 200) -> list[str]:
    states = {f"S{i}": {"Type": "Pass", "Result": {"note": "x" * 200}, "Next": f"S{i + 1}"} for i in range(2_000)}
    states["S2000"] = {"Type": "Succeed"}
    (directory / "real.asl.json").write_text(json.dumps(_machine(states)), encoding="utf-8")
    for i in range(count):
        os.symlink("real.asl.json", directory / f"link{i:03d}.asl.json")
    return ["."]


def graph_of_wide_parallel(directory: Path, branches: int = 10_000) -> list[str]:
    branch = [_machine({f"B{i}": {"Type": "Succeed"}}) for i in range(branches)]
    (directory / "case.asl.json").write_text(json.dumps(_machine(
        {"P": {"Type": "Parallel", "Branches": branch, "End": True}})), encoding="utf-8")
    return ["--graph", "mermaid", "case.asl.json"]


def job_summary_of_clean_files(directory: Path, files: int = 60) -> list[str]:
    states = {f"S{i}": {"Type": "Pass", "Result": {"note": "x" * 100}, "Next": f"S{i + 1}"} for i in range(3_000)}
    states["S3000"] = {"Type": "Succeed"}
    for i in range(files):
        (directory / f"flow{i:02d}.asl.json").write_text(json.dumps(_machine(states)), encoding="utf-8")
    os.environ["GITHUB_STEP_SUMMARY"] = str(directory.parent / "summary.md")
    return ["--format", "github", "."]


def big_baseline(directory: Path, count: int = 8_000) -> list[str]:
    findings = [{"rule": "ASL203", "file": f"f{i}.asl.json", "machine": "", "pointer": f"/States/S{i}",
                 "message": "x" * 60} for i in range(count)]
    (directory / "baseline.json").write_text(json.dumps({"version": 1, "findings": findings}), encoding="utf-8")
    (directory / "flow.asl.json").write_text(json.dumps(_machine({"A": {"Type": "Succeed"}})), encoding="utf-8")
    return ["--baseline", "baseline.json", "flow.asl.json"]


def _terraform_machines(directory: Path, limit: int) -> list[str]:
    from generate import definition, terraform

    text, count = "", 0
    machine = terraform("flow", definition(50))
    while len(text) + len(machine) < limit:
        text += machine.replace('"flow"', f'"flow{count}"', 1)
        count += 1
    (directory / "main.tf").write_text(text, encoding="utf-8")
    return ["main.tf"]


def terraform_nested(directory: Path, depth: int = 190) -> list[str]:
    value = "{ a = " * depth + '"x"' + " }" * depth
    (directory / "main.tf").write_text('resource "aws_sfn_state_machine" "deep" {\n  definition = jsonencode({'
                                       ' StartAt = "A", States = { A = { Type = "Pass", End = true,'
                                       f' Result = {value} }} }} }})\n}}\n', encoding="utf-8")
    return ["main.tf"]


# ---- the third pass: Terraform as an attacker writes it, the editor, long include chains


def _resource(name: str, definition: str) -> str:
    return (f'resource "aws_sfn_state_machine" "{name}" {{\n  name = "{name}"\n  role_arn = "arn:aws:iam::1:role/r"\n'
            f'  definition = {definition}\n}}\n')


def _tf(directory: Path, text: str, name: str = "main.tf") -> list[str]:
    (directory / name).write_text(text, encoding="utf-8")
    return [name]


def template_file_renders_itself(directory: Path) -> list[str]:
    return _tf(directory, _resource("flow", "data.template_file.flow.rendered")
               + 'data "template_file" "flow" {\n  template = data.template_file.flow.rendered\n}\n')


def terraform_calls_nested(directory: Path, opening: str, closing: str, inner: str,
                           depth: int = 3_000) -> list[str]:
    return _tf(directory, _resource("flow", opening * depth + inner + closing * depth))


def module_called_often(directory: Path, calls: int = 1_000, blocks: int = 2_000) -> list[str]:
    (directory / "mod").mkdir()
    filler = "".join(f'variable "v{i}" {{\n  default = "{i}"\n}}\n' for i in range(blocks))
    (directory / "mod" / "main.tf").write_text(
        filler + 'variable "definition" {}\nresource "aws_sfn_state_machine" "this" {\n  name = "x"\n'
                 '  role_arn = "x"\n  definition = var.definition\n}\n', encoding="utf-8")
    flow = '"{\\"StartAt\\": \\"A\\", \\"States\\": {\\"A\\": {\\"Type\\": \\"Succeed\\"}}}"'
    return _tf(directory, "".join(f'module "m{i}" {{\n  source = "./mod"\n  definition = {flow}\n}}\n'
                                  for i in range(calls)))


def variable_lookups(directory: Path, count: int = 2_800) -> list[str]:
    flow = '"{\\"StartAt\\": \\"A\\", \\"States\\": {\\"A\\": {\\"Type\\": \\"Succeed\\"}}}"'
    variables = "".join(f'variable "d{i}" {{\n  default = {flow}\n}}\n' for i in range(count))
    return _tf(directory, variables + "".join(_resource(f"m{i}", f"var.d{i}") for i in range(count)))


def local_used_by_many(directory: Path, states: int = 1_500, machines: int = 200) -> list[str]:
    body = "\n".join(f'      S{i} = {{ Type = "Pass", Next = "S{i + 1}" }}' for i in range(states))
    local = (f'locals {{\n  flow = jsonencode({{\n    StartAt = "S0"\n    States = {{\n{body}\n'
             f'      S{states} = {{ Type = "Succeed" }}\n    }}\n  }})\n}}\n')
    return _tf(directory, local + "".join(_resource(f"m{i}", "local.flow") for i in range(machines)))


def template_rendered_often(directory: Path, states: int = 1_500, calls: int = 150) -> list[str]:
    machine = {f"S{i}": {"Type": "Task", "Resource": "${fn}", "Next": f"S{i + 1}"} for i in range(states)}
    machine[f"S{states}"] = {"Type": "Succeed"}
    (directory / "flow.json.tpl").write_text(json.dumps({"StartAt": "S0", "States": machine}, indent=1),
                                             encoding="utf-8")
    return _tf(directory, "".join(_resource(f"m{i}", f'templatefile("${{path.module}}/flow.json.tpl",'
                                                      f' {{ fn = "arn:aws:lambda:us-east-1:123456789012:function:f{i}", extra{i % 7} = 1 }})')
                                  for i in range(calls)))


def unbalanced_brackets(directory: Path, size: int = 500_000) -> list[str]:
    return _tf(directory, 'resource "aws_sfn_state_machine" "x" {\n definition = jsonencode(' + "{ a = [ (" * (size // 9))


def include_chain(directory: Path, length: int = 800) -> list[str]:
    (directory / ".git").mkdir()
    (directory / "serverless.yml").write_text(
        "service: s\nstepFunctions:\n  stateMachines:\n    flow:\n      definition: ${file(part0.yml)}\n")
    for i in range(length - 1):
        (directory / f"part{i}.yml").write_text(f"${{file(part{i + 1}.yml)}}\n")
    (directory / f"part{length - 1}.yml").write_text("StartAt: A\nStates:\n  A: {Type: Pass, Next: B}\n")
    return ["--with-includers", f"part{length - 1}.yml"]


def unused_next_line_directives(directory: Path, count: int = 8_000) -> list[str]:
    lines = ["StartAt: S0", "States:"]
    for i in range(count):
        lines += ["  # asl-lint: disable-next-line=ASL202", f"  S{i}: {{Type: Pass, Next: S{i + 1}}}"]
    (directory / "case.asl.yaml").write_text("\n".join(lines) + f"\n  S{count}: {{Type: Succeed}}\n",
                                            encoding="utf-8")
    return ["case.asl.yaml"]


def _editor(*arguments: str) -> list[str]:
    return ["--command", sys.executable, str(HERE / "lsp_once.py"), *arguments]


def editor_many_findings(directory: Path, count: int = 4_000) -> list[str]:
    states = {f"S{i}": {"Type": "Pass", "Next": f"Missing{i}"} for i in range(count)}
    (directory / "many.asl.json").write_text(json.dumps(_machine(states), indent=1), encoding="utf-8")
    return _editor(str(directory / "many.asl.json"))


def editor_huge_document(directory: Path) -> list[str]:
    comment = "x" * (11_600_000)
    (directory / "huge.asl.json").write_text(json.dumps(_machine({"A": {"Type": "Succeed", "Comment": comment}})),
                                             encoding="utf-8")
    return _editor(str(directory / "huge.asl.json"))


def editor_alias_action(directory: Path) -> list[str]:
    lines = ["a0: &a0 [x, x, x, x, x, x, x, x, x]"]
    lines += [f"a{n}: &a{n} [" + ", ".join([f"*a{n - 1}"] * 9) + "]" for n in range(1, 9)]
    (directory / "bomb.asl.yaml").write_text("\n".join(lines) + "\nStartAt: A\nStates:\n  A: {Type: Pass, Next: B}\n",
                                             encoding="utf-8")
    return _editor(str(directory / "bomb.asl.yaml"), "--actions")


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
    "YAML aliases: 200 KB in 3,000 states": lambda directory: _yaml_alias_states(directory, 3_000, 200_000),
    "YAML aliases: 100 KB in 20 states": lambda directory: _yaml_alias_states(directory, 20, 100_000),
    "Fn::Join of 400 aliases to 100 KB": lambda directory: _joined_aliases(directory, 400),
    "Fn::Join of 15 aliases to 100 KB": lambda directory: _joined_aliases(directory, 15),
    "${self:custom.big} in 1,200 states": serverless_substitution,
    ".gitignore *a*a*a*a*a*a*b, 50 long names": gitignore_backtracking,
    "--exclude *a*a*a*a*a*a*b, 50 long names": exclude_backtracking,
    "a 45,000-line .gitignore": long_gitignore,
    "8,000 Comment suppressions": comment_suppressions,
    "one directive, 40,000 selectors": forty_thousand_selectors,
    "8,000 unused YAML directives": unused_yaml_directives,
    "1,100 nested directories": nested_directories,
    "200 links to one definition": links_to_one_definition,
    "--graph of a Parallel, 10,000 branches": graph_of_wide_parallel,
    "job summary of 60 clean files": job_summary_of_clean_files,
    "a baseline of 8,000 findings": big_baseline,
    "a .tf of 1 MB (70 jsonencode machines)": lambda directory: _terraform_machines(directory, 1_040_000),
    "a .tf of 5 MB": lambda directory: _terraform_machines(directory, 5_000_000),
    "jsonencode nested 190 deep": terraform_nested,
    "data.template_file rendering itself": template_file_renders_itself,
    "trimspace( nested 3,000 deep": lambda directory: terraform_calls_nested(directory, "trimspace(", ")", '"{}"'),
    "abspath( nested 3,000 deep": lambda directory: _tf(directory, _resource(
        "flow", "templatefile(" + "abspath(" * 3_000 + '"x.json"' + ")" * 3_000 + ", {})")),
    "%{ if } nested 3,000 deep": lambda directory: _tf(directory, _resource(
        "flow", "<<EOF\n" + "%{ if true }" * 3_000 + "{}" + "%{ endif }" * 3_000 + "\nEOF")),
    "1,000 calls of a 2,000-block module": module_called_often,
    "2,800 var.dN lookups": variable_lookups,
    "a 1,500-state local used by 200 resources": local_used_by_many,
    "one template, 150 templatefile() calls": template_rendered_often,
    "a .tf of 500 KB of unbalanced brackets": unbalanced_brackets,
    "--with-includers of an 800-file chain": include_chain,
    "8,000 unused disable-next-line comments": unused_next_line_directives,
    "editor: 4,000 findings in 210 KB": editor_many_findings,
    "editor: an 11.6 MB document": editor_huge_document,
    "editor: code action on nested aliases": editor_alias_action,
}


def _build(build, directory: Path) -> list[str]:
    """A case writes its input: text for one definition file, or a tree and the arguments."""
    import inspect

    if "directory" in inspect.signature(build).parameters:
        return build(directory)
    (directory / "case.asl.json").write_text(build(), encoding="utf-8")
    return ["case.asl.json"]


def _entries(directory: Path):
    """Every entry below `directory`, deepest directories last, without recursion (the
    standard library's walks recurse, and one case nests 1,100 directories)."""
    stack, found = [str(directory)], []
    while stack:
        folder = stack.pop()
        with os.scandir(folder) as listing:
            for entry in listing:
                found.append(entry)
                if entry.is_dir(follow_symlinks=False):
                    stack.append(entry.path)
    return found


def _size(directory: Path) -> int:
    return sum(entry.stat().st_size for entry in _entries(directory)
               if entry.is_file(follow_symlinks=False))


def _remove(directory: Path) -> None:
    for entry in reversed(_entries(directory)):
        if entry.is_dir(follow_symlinks=False):
            os.rmdir(entry.path)
        else:
            os.unlink(entry.path)


def measure(command: list[str], timeout: float, directory: Path, summary: str | None) -> tuple[float, float, int]:
    """Wall seconds, peak resident MB and exit status (-1 after the timeout) of `command`,
    run in `directory` (with $GITHUB_STEP_SUMMARY set when the case asks for it)."""
    from measure import measure as measured

    environment = {**os.environ, "GITHUB_STEP_SUMMARY": summary} if summary else None
    wall, _, megabytes, status = measured(command, timeout, cwd=directory, env=environment)
    return wall, megabytes, status


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--repeat", type=int, default=3)
    parser.add_argument("--only", help="run the cases whose name contains this text")
    parser.add_argument("--markdown", action="store_true", help="print a Markdown table")
    parser.add_argument("--timeout", type=float, default=120, help="give up on one run after this many seconds")
    args = parser.parse_args()
    command = [sys.executable, "-m", "asl_lint", "--format", "json", "--no-cache"]  # cold, each repeat
    rows, failed = [], 0
    with tempfile.TemporaryDirectory() as scratch:
        for name, build in CASES.items():
            if args.only and args.only.lower() not in name.lower():
                continue
            directory = Path(scratch, str(len(rows)))
            directory.mkdir()
            environment = dict(os.environ)
            arguments = _build(build, directory) if build is not one_reference_many_resources else \
                [str(build(directory))]
            size = _size(directory)
            summary = os.environ.pop("GITHUB_STEP_SUMMARY", None)
            full = arguments[1:] if arguments[:1] == ["--command"] else [*command, *arguments]
            runs = [measure(full, args.timeout, directory, summary) for _ in range(args.repeat)]
            os.environ.clear()
            os.environ.update(environment)
            _remove(directory)
            seconds = statistics.median(run[0] for run in runs)
            megabytes = max(run[1] for run in runs)
            ok = size > 1_048_576 * 1.05 or (seconds < TARGET_SECONDS and megabytes < TARGET_MB and runs[0][2] >= 0)
            failed += not ok
            rows.append((name, size, seconds, megabytes, runs[0][2], ok))
            if not args.markdown:
                shown = f"> {args.timeout:.0f} s" if runs[0][2] < 0 else f"{seconds:.2f} s"
                print(f"{name:<42} {size / 1024:>8,.0f} KiB {shown:>9} {megabytes:>7.0f} MB"
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
