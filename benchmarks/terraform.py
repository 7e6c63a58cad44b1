"""Terraform against the same machines as plain JSON, one asl-lint process each.

    python benchmarks/terraform.py [--files 200] [--states 50] [--runs 5] [--write]

Writes a tree of `--files` generated machines as .asl.json files and the same machines
in Terraform the three ways people write them: `jsonencode({...})` of an HCL object,
a heredoc of JSON, and `templatefile()` of a JSON file beside the .tf (the .tf files are
named); and, as the bound on one large file, a single .tf holding as many as asl-lint
parses. Times asl-lint on each (default jobs, then -j 1) and prints medians and the ratio
Terraform / JSON. The target: under 2x. --write adds the table to benchmarks/results.md.
"""

from __future__ import annotations

import argparse
import json
import os
import sys
import tempfile
from pathlib import Path

HERE = Path(__file__).resolve().parent
sys.path.insert(0, str(HERE))

from generate import definition, terraform  # noqa: E402
from measure import timed, write_section  # noqa: E402

from asl_lint.limits import MAX_HCL_BYTES  # noqa: E402

ASL_LINT = [sys.executable, "-m", "asl_lint", "--isolated", "--format", "json", "--no-cache"]  # cold, each run
SECTION = "## Terraform against the same machines as JSON"


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--files", type=int, default=200)
    parser.add_argument("--states", type=int, default=50)
    parser.add_argument("--runs", type=int, default=5)
    parser.add_argument("--write", action="store_true", help="add the table to benchmarks/results.md")
    args = parser.parse_args()
    rows = []
    with tempfile.TemporaryDirectory() as scratch:
        work = Path(scratch)
        for folder in ("json", "jsonencode", "heredoc", "templatefile", "onefile", "modules"):
            (work / folder).mkdir()
        calls = []
        machine = definition(args.states)
        written = json.dumps(machine, indent=2)
        together = []
        for index in range(args.files):
            name = f"flow{index:03d}"
            (work / "json" / f"{name}.asl.json").write_text(written, encoding="utf-8")
            text = terraform(name, machine)
            (work / "jsonencode" / f"{name}.tf").write_text(text, encoding="utf-8")
            together.append(text)
            (work / "heredoc" / f"{name}.tf").write_text(
                f'resource "aws_sfn_state_machine" "{name}" {{\n  definition = <<-EOF\n{written}\n  EOF\n}}\n',
                encoding="utf-8")
            (work / "templatefile" / f"{name}.asl.json").write_text(written, encoding="utf-8")
            (work / "templatefile" / f"{name}.tf").write_text(
                f'resource "aws_sfn_state_machine" "{name}" {{\n  definition = templatefile('
                f'"${{path.module}}/{name}.asl.json", {{}})\n}}\n', encoding="utf-8")
            # a tree of modules, one per machine, each called from the root with its template's path
            module = work / "modules" / "modules" / name
            module.mkdir(parents=True)
            (module / "main.tf").write_text(
                'variable "definition_file" {}\nvariable "definition_vars" {\n  default = {}\n}\n'
                'resource "aws_sfn_state_machine" "this" {\n  name = "x"\n  role_arn = "x"\n'
                '  definition = templatefile(var.definition_file, var.definition_vars)\n}\n', encoding="utf-8")
            (module / "flow.asl.json").write_text(written, encoding="utf-8")
            calls.append(f'module "{name}" {{\n  source = "./modules/{name}"\n'
                         f'  definition_file = "${{path.module}}/modules/{name}/flow.asl.json"\n}}\n')
        (work / "modules" / "main.tf").write_text("".join(calls), encoding="utf-8")
        # one file of as many of them as asl-lint parses in one .tf (MAX_HCL_BYTES)
        fitting = [len(text) for text in together]
        count = next((n for n in range(len(fitting), 0, -1) if sum(fitting[:n]) + n < MAX_HCL_BYTES), 1)
        (work / "onefile" / "main.tf").write_text("\n".join(together[:count]), encoding="utf-8")
        for jobs in ([], ["-j", "1"]):
            shown = " ".join(jobs) or "default jobs"
            plain = timed([*ASL_LINT, *jobs, str(work / "json")], args.runs)
            for form in ("jsonencode", "heredoc"):
                figures = {"json": plain, form: timed([*ASL_LINT, *jobs, str(work / form)], args.runs)}
                rows.append((f"{args.files} files of {args.states} states, {shown}", figures,
                             figures[form]["cpu"] / plain["cpu"]))
            # the .tf files named, as a pre-commit hook passes them: each reads its template
            figures = {"json": plain, "templatefile": timed([*ASL_LINT, *jobs, *sorted(
                str(path) for path in (work / "templatefile").glob("*.tf"))], args.runs)}
            rows.append((f"{args.files} files of {args.states} states, {shown}", figures,
                         figures["templatefile"]["cpu"] / plain["cpu"]))
        plain = timed([*ASL_LINT, str(work / "json")], args.runs)
        tree = timed([*ASL_LINT, str(work / "modules" / "main.tf")], args.runs)
        rows.append((f"a tree of {args.files} modules, each called once from the root", {"json": plain, "modules": tree},
                     tree["cpu"] / plain["cpu"]))
        single = timed([*ASL_LINT, str(work / "onefile")], args.runs)
        size = (work / "onefile" / "main.tf").stat().st_size
        rows.append((f"one .tf of {count} machines ({size / 1e6:.1f} MB)", {"tf": single}, None))
    lines = [f"Measured on {os.cpu_count()} cores with `python benchmarks/terraform.py`; medians of {args.runs} runs.",
             "", "| scenario | input | CPU s | wall s | peak MB | exit |", "|---|---|---|---|---|---|"]
    for title, figures, ratio in rows:
        for what, f in figures.items():
            lines.append(f"| {title} | {what} | {f['cpu']:.2f} | {f['wall']:.2f} | {f['peak']:.0f} | {f['status']} |")
        if ratio is not None:
            lines.append(f"| {title} | **Terraform / JSON** | **{ratio:.2f}x** | | | |")
    print("\n".join(lines))
    if args.write:
        write_section(SECTION, lines)
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
