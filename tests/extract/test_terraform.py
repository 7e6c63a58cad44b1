"""State machines in Terraform, reported at the line and column the user edits."""

from __future__ import annotations

import json
import os
import subprocess
import sys
from pathlib import Path

import pytest

from asl_lint.api import lint_paths
from asl_lint.config import Config

ROOT = Path(__file__).resolve().parents[2]


def where(path: str, needle: str, occurrence: int = 0) -> tuple[int, int]:
    """The 1-based line and character column of `needle` in a file."""
    rows = [(number, row) for number, row in enumerate(Path(path).read_text(encoding="utf-8").splitlines(), 1)
            if needle in row]
    number, row = rows[occurrence]
    return number, row.index(needle) + 1


def resource(definition: str, name: str = "flow", extra: str = "") -> str:
    return (f'resource "aws_sfn_state_machine" "{name}" {{\n  name     = "{name}"\n'
            f'  role_arn = "arn:aws:iam::123456789012:role/sfn"\n{extra}  definition = {definition}\n}}\n')


JSONENCODE = """jsonencode({
    StartAt = "A"
    States = {
      A = { Type = "Pass", Comment = "déjà vu ✓", Next = "Gone" }
      B = { Type = "Succeed" }
    }
  })"""


def test_jsonencode_values_are_reported_at_their_hcl_attribute(files, found) -> None:
    files("main.tf", resource(JSONENCODE))
    line, column = where("main.tf", '"Gone"')  # after non-ASCII text: a character column, not a byte one
    assert found("main.tf", rule="ASL202") == [("main.tf", line, column, "ASL202", "aws_sfn_state_machine.flow")]
    line, column = where("main.tf", "B = {")
    assert found("main.tf", rule="ASL203") == [("main.tf", line, column, "ASL203", "aws_sfn_state_machine.flow")]


def test_hcl_expressions_inside_jsonencode_are_plan_time_values(files, found) -> None:
    files("main.tf", resource("""jsonencode({
    StartAt = "A"
    States = {
      A = { Type = "Task", Resource = aws_lambda_function.worker.arn, TimeoutSeconds = var.timeout * 2,
            Next = var.enabled ? "B" : "C" }
      B = { Type = "Succeed" }
      C = { Type = "Succeed" }
    }
  })"""))
    # No false unreachable state: what the Next could not be known is said, as an info.
    assert [row[3] for row in found("main.tf")] == ["ASL210"]


@pytest.mark.parametrize("marker", ["<<EOF", "<<-EOF"])
def test_heredoc_json_maps_back_exactly_with_interpolations(files, marker: str, found) -> None:
    indent = "    " if marker == "<<-EOF" else ""
    body = "\n".join(indent + row for row in [
        "{",
        '  "StartAt": "A",',
        '  "States": {',
        '    "A": {"Type": "Task", "Resource": "${aws_lambda_function.worker.arn}", "TimeoutSeconds": 5,',
        '          "Parameters": {"Name": "${var.prefix}-x"}, "Next": "Gone"},',
        '    "B": {"Type": "Succeed"}',
        "  }",
        "}",
    ])
    files("main.tf", resource(f"{marker}\n{body}\n{indent}EOF"))
    machine = "aws_sfn_state_machine.flow"
    assert sorted(found("main.tf")) == sorted([
        ("main.tf", *where("main.tf", '"B": {'), "ASL203", machine),
        ("main.tf", *where("main.tf", '"Gone"'), "ASL202", machine),
    ])


def test_quoted_json_string_maps_through_its_escapes(files, found) -> None:
    files("main.tf", resource('"{\\"StartAt\\": \\"A\\", \\"States\\": {\\"A\\": {\\"Type\\": \\"Pass\\",'
                              ' \\"Comment\\": \\"é\\", \\"Next\\": \\"Gone\\"}, \\"B\\": {\\"Type\\": \\"Succeed\\"}}}"'))
    line, column = where("main.tf", '\\"Gone')
    assert ("main.tf", line, column, "ASL202", "aws_sfn_state_machine.flow") in found("main.tf")


def test_express_type_comes_from_the_resource(files, found) -> None:
    definition = 'jsonencode({ StartAt = "A", States = { A = { Type = "Task", ' \
                 'Resource = "arn:aws:states:::states:startExecution.sync", ' \
                 'Parameters = { StateMachineArn = "arn:aws:states:us-east-1:123456789012:stateMachine:x" },' \
                 ' End = true } } })'
    files("main.tf", resource(definition, extra='  type     = "EXPRESS"\n'))
    assert [row[3] for row in found("main.tf")] == ["ASL407"]
    files("main.tf", resource(definition))
    assert found("main.tf") == []


def test_community_module_is_a_machine_named_by_its_address(files, found) -> None:
    files("main.tf", 'module "flow" {\n  source = "terraform-aws-modules/step-functions/aws"\n'
                     '  definition = jsonencode({ StartAt = "A", States = { A = { Type = "Pass", Next = "Gone" } } })\n}\n'
                     'module "network" {\n  source = "terraform-aws-modules/vpc/aws"\n  definition = "x"\n}\n')
    assert {(row[3], row[4]) for row in found("main.tf")} == {("ASL202", "module.flow"), ("ASL206", "module.flow")}


TEMPLATE = """{
  "StartAt": "A",
  "States": {
    "A": {"Type": "Task", "Resource": "${worker}", "Next": "${next_state}"},
    "B": {"Type": "Pass", "Parameters": {"Table": "${tabel}", "Raw": "$${not_a_variable}"}, "Next": "C"},
    %{ if notify }"C": {"Type": "Succeed"}%{ else }"C": {"Type": "Fail"}%{ endif }
  }
}
"""


def test_templatefile_is_checked_at_its_own_lines_with_its_variables(files, found) -> None:
    files("flows/flow.json.tftpl", TEMPLATE)
    files("main.tf", resource('templatefile("${path.module}/flows/flow.json.tftpl", {\n'
                              '    worker     = aws_lambda_function.worker.arn\n'
                              '    next_state = "B"\n'
                              '    table      = "orders"\n'
                              '    notify     = true\n'
                              '  })'))
    machine = "aws_sfn_state_machine.flow"
    assert sorted(found("main.tf")) == sorted([
        # a name the map does not have: Terraform refuses to render
        ("flows/flow.json.tftpl", *where("flows/flow.json.tftpl", '"${tabel}"'), "ASL009", machine),
        # a variable the template never uses, at its key
        ("main.tf", *where("main.tf", "table "), "ASL010", machine),
    ])


def test_templatefile_placeholder_targets_are_not_dangling(files, found) -> None:
    files("flow.json", '{"StartAt": "A", "States": {"A": {"Type": "Pass", "Next": "${target}"},'
                       ' "B": {"Type": "Succeed"}}}')
    files("main.tf", resource('templatefile("flow.json", { target = "B" })'))
    assert found("main.tf") == []


def test_file_reads_the_text_as_it_is(files, found) -> None:
    files("flow.asl.json", '{"StartAt": "A", "States": {"A": {"Type": "Pass", "Next": "Gone"}}}')
    files("main.tf", resource('file("${path.root}/flow.asl.json")'))
    assert ("flow.asl.json", *where("flow.asl.json", '"Gone"'), "ASL202",
            "aws_sfn_state_machine.flow") in found("main.tf")


def test_locals_and_variable_defaults_are_followed_through_the_module(files, found) -> None:
    files("locals.tf", 'locals {\n  flow = jsonencode({ StartAt = "A", States = { A = { Type = "Pass", Next = "Gone" },'
                       ' B = { Type = "Succeed" } } })\n}\n')
    files("variables.tf", 'variable "other" {\n  type    = string\n'
                          '  default = "{\\"StartAt\\": \\"X\\", \\"States\\": {\\"X\\": {\\"Type\\": \\"Wait\\"}}}"\n}\n'
                          'variable "supplied" {\n  type = string\n}\n')
    files("main.tf", resource("local.flow") + resource("var.other", "other") + resource("var.supplied", "supplied"))
    results = found("main.tf")
    assert ("locals.tf", *where("locals.tf", '"Gone"'), "ASL202", "aws_sfn_state_machine.flow") in results
    assert any(row[0] == "variables.tf" and row[4] == "aws_sfn_state_machine.other" for row in results)
    assert ("main.tf", *where("main.tf", "var.supplied"), "ASL008", "aws_sfn_state_machine.supplied") in results


def test_template_file_data_source_is_read_like_templatefile(files, found) -> None:
    files("flow.json", '{"StartAt": "A", "States": {"A": {"Type": "Pass", "Next": "${next}"}, '
                       '"B": {"Type": "Succeed", "Comment": "${missing}"}}}')
    files("main.tf", resource("data.template_file.flow.rendered") +
          'data "template_file" "flow" {\n  template = file("${path.module}/flow.json")\n'
          '  vars = { next = "B", unused = 1 }\n}\n')
    machine = "aws_sfn_state_machine.flow"
    assert sorted(found("main.tf")) == sorted([
        ("flow.json", *where("flow.json", '"${missing}"'), "ASL009", machine),
        ("main.tf", *where("main.tf", "unused"), "ASL010", machine),
    ])


def test_terraform_json_definition_strings_map_back_exactly(files, found) -> None:
    definition = '{"StartAt": "A", "States": {"A": {"Type": "Pass", "Comment": "é", "Next": "Gone"}}}'
    document = {"resource": {"aws_sfn_state_machine": {"flow": {"name": "flow", "role_arn": "r",
                                                                "definition": definition}}}}
    files("cdktf.out/stacks/app/cdk.tf.json", json.dumps(document, indent=2, ensure_ascii=False))
    line, column = where("cdktf.out/stacks/app/cdk.tf.json", '\\"Gone')
    assert ("cdktf.out/stacks/app/cdk.tf.json", line, column, "ASL202", "aws_sfn_state_machine.flow") \
        in found("cdktf.out")


def test_terraform_json_templatefile_expression_is_followed(files, found) -> None:
    files("flow.json", '{"StartAt": "A", "States": {"A": {"Type": "Pass", "Next": "Gone"}}}')
    document = {"resource": {"aws_sfn_state_machine": {"flow": {
        "definition": '${templatefile("${path.module}/flow.json", {})}'}}}}
    files("main.tf.json", json.dumps(document))
    assert ("flow.json", *where("flow.json", '"Gone"'), "ASL202", "aws_sfn_state_machine.flow") \
        in found("main.tf.json")


# ---- bad input: a diagnostic, never a traceback


@pytest.mark.parametrize(("text", "at"), [
    ('resource "aws_sfn_state_machine" "flow" {\n  definition = jsonencode({\n    StartAt = \n}\n', "}"),
    ('resource "aws_sfn_state_machine" "flow" {\n  definition = jsonencode({\n    StartAt = "A" +\n  })\n}\n', "+"),
    ('resource "aws_sfn_state_machine" "flow" {\n  definition = jsonencode({\n    StartAt = "A"\n', None),
])
def test_unparsable_tf_is_one_syntax_error_where_it_goes_wrong(files, text: str, at: str | None, found) -> None:
    files("main.tf", text)
    rows = found("main.tf")
    assert [(row[0], row[3]) for row in rows] == [("main.tf", "ASL001")]
    # where the parse went wrong, not where the block that recovery swallowed starts
    lines = text.splitlines()
    expected = where("main.tf", at, -1) if at else (len(lines), len(lines[-1]) + 1)
    assert rows[0][1:3] == expected


def test_walked_tf_without_a_machine_is_skipped_unparsed(files) -> None:
    files("infra/network.tf", 'resource "aws_vpc" "main" {\n  cidr_block = \n')  # broken, but not ours
    files("infra/flow.asl.json", '{"StartAt": "A", "States": {"A": {"Type": "Succeed"}}}')
    result = lint_paths(["infra"], Config())
    assert result.diagnostics == [] and result.machines == 1


def test_missing_template_is_reported_at_the_path_argument(files, found) -> None:
    files("main.tf", resource('templatefile("${path.module}/flows/gone.json", {})'))
    line, column = where("main.tf", '"${path.module}/flows/gone.json"')
    assert found("main.tf") == [("main.tf", line, column, "ASL007", "aws_sfn_state_machine.flow")]


def test_template_outside_the_project_is_not_read(files, found) -> None:
    files("main.tf", resource('file("/etc/passwd")') + resource('templatefile("../../../../../../etc/hostname", {})',
                                                                "up"))
    assert [row[3] for row in found("main.tf")] == ["ASL013", "ASL013"]


def test_computed_template_path_cannot_be_checked_here(files, found) -> None:
    files("main.tf", resource('templatefile("${path.module}/${var.flavour}.json", {})'))
    assert [row[3] for row in found("main.tf")] == ["ASL008"]


def test_a_local_that_refers_to_itself_is_not_followed_forever(files, found) -> None:
    files("main.tf", 'locals {\n  a = local.b\n  b = local.a\n}\n' + resource("local.a"))
    assert [row[3] for row in found("main.tf")] == ["ASL015"]


def test_a_huge_tf_file_is_refused_not_read(files, found) -> None:
    files("main.tf", resource(JSONENCODE) + "# " + "x" * (11 * 1024 * 1024) + "\n")
    assert [row[3] for row in found("main.tf")] == ["ASL012"]  # larger than --max-file-size


def test_a_5_mb_tf_file_is_not_parsed(files) -> None:
    from asl_lint.limits import MAX_HCL_BYTES

    text = "".join(resource(JSONENCODE, f"flow{index}") for index in range(5_000_000 // len(resource(JSONENCODE))))
    files("main.tf", text)
    result = lint_paths(["main.tf"], Config())
    assert len(text) > MAX_HCL_BYTES
    assert [(d.rule, d.line) for d in result.diagnostics] == [("ASL006", 1)]
    assert "MAX_HCL_BYTES" in result.diagnostics[0].message and result.machines == 0


def test_a_large_tf_file_is_read_in_one_pass(files) -> None:
    files("main.tf", "".join(resource(JSONENCODE, f"flow{index}") for index in range(2000)))
    result = lint_paths(["main.tf"], Config())
    assert result.machines == 2000
    assert {d.rule for d in result.diagnostics} == {"ASL202", "ASL203"}


def test_with_includers_finds_the_tf_that_renders_a_changed_template(files, found) -> None:
    files("infra/flows/flow.json.tftpl", '{"StartAt": "A", "States": {"A": {"Type": "Pass", "Next": "Gone"}}}')
    files("infra/main.tf", resource('templatefile("${path.module}/flows/flow.json.tftpl", {})'))
    plain = found("infra/flows/flow.json.tftpl", config=Config(with_includers=False))
    assert {row[4] for row in plain} == {None}
    chained = found("infra/flows/flow.json.tftpl", config=Config(with_includers=True))
    assert "aws_sfn_state_machine.flow" in {row[4] for row in chained}


def test_kind_terraform_reads_standard_input() -> None:
    text = resource('jsonencode({ StartAt = "A", States = { A = { Type = "Pass", Next = "Gone" } } })')
    result = lint_paths(["-"], Config(kind="terraform"), stdin_data=text.encode())
    assert "ASL202" in {d.rule for d in result.diagnostics}


@pytest.mark.parametrize("paths", [["fixtures/examples/valid", "fixtures/examples/sam/template.yaml"],
                                   ["fixtures/examples/terraform/variables.tf"]])
def test_the_hcl_parser_is_imported_only_for_terraform_machines(paths: list[str]) -> None:
    probe = ("import sys; from asl_lint.api import lint_paths; from asl_lint.config import Config; "
             f"lint_paths({paths!r}, Config()); print(sorted(m for m in sys.modules if m.startswith('tree_sitter')))")
    done = subprocess.run([sys.executable, "-c", probe], cwd=ROOT, capture_output=True, text=True, check=True,
                          env={**os.environ, "PYTHONPATH": str(ROOT)})
    assert done.stdout.strip() == "[]"
    probe = probe.replace(repr(paths), repr(["fixtures/examples/terraform/main.tf"]))
    done = subprocess.run([sys.executable, "-c", probe], cwd=ROOT, capture_output=True, text=True, check=True,
                          env={**os.environ, "PYTHONPATH": str(ROOT)})
    assert "tree_sitter" in done.stdout


WRAPPER = """variable "definition" {}
variable "kind" { default = "STANDARD" }
resource "aws_sfn_state_machine" "this" {
  name       = "x"
  role_arn   = "r"
  definition = var.definition
  type       = upper(var.kind)
}
"""


def test_a_module_of_the_project_that_wraps_the_resource_is_a_machine_per_call(files, found) -> None:
    files("modules/flow/main.tf", WRAPPER)
    files("main.tf", 'module "orders" {\n  source = "./modules/flow"\n  kind = "express"\n'
                     '  definition = jsonencode({ StartAt = "A", States = { A = { Type = "Task",'
                     ' Resource = "arn:aws:states:::ecs:runTask.sync", Next = "Gone" } } })\n}\n'
                     'module "network" {\n  source = "./modules/vpc"\n  definition = "not ours"\n}\n')
    assert sorted((row[3], row[4]) for row in found("main.tf")) == [
        ("ASL202", "module.orders"), ("ASL206", "module.orders"), ("ASL407", "module.orders")]
    assert ("main.tf", *where("main.tf", '"Gone"'), "ASL202", "module.orders") in found("main.tf")
    # the module on its own: its definition comes from its callers
    assert [row[3] for row in found("modules/flow/main.tf")] == ["ASL008"]


def test_a_wrapper_module_outside_the_project_is_not_read(files, tmp_path: Path, found) -> None:
    files("outside/flow/main.tf", WRAPPER)
    files("project/main.tf", 'module "orders" {\n  source = "../outside/flow"\n'
                             '  definition = jsonencode({ StartAt = "A", States = { A = { Type = "Pass", Next = "Gone" } } })\n}\n')
    os.chdir("project")
    assert found("main.tf") == [("main.tf", 2, 12, "ASL013", "module.orders")]
    assert found("main.tf", config=Config(allow_outside_references=True)) != []


def test_no_syntax_tree_outlives_its_file(files) -> None:
    import gc

    from asl_lint.source.hcl import HclFile

    # The command line collects garbage rarely: a reference cycle, or a kept exception's
    # traceback, would hold every file's syntax tree (megabytes each) for the whole run.
    files("flows/flow.json.tftpl", '{"StartAt": "A", "States": {"A": {"Type": "Pass", %{ if x }"Next": "Gone"'
                                   '%{ else }"End": true%{ endif }}}}')
    files("main.tf", resource('templatefile("flows/flow.json.tftpl", { x = true })') +
          resource('<<-EOF\n  {"StartAt": "A", "States": {"A": {"Type": "Pass", "Comment": "${var.c} %{ if a }x%{ endif }",'
                   ' "Next": "Gone"}}}\n  EOF', "heredoc"))
    gc.collect()
    gc.disable()
    try:
        result = lint_paths(["."], Config(), jobs=1)
        alive = sum(isinstance(thing, HclFile) for thing in gc.get_objects())
    finally:
        gc.enable()
    assert {d.rule for d in result.diagnostics} >= {"ASL202"}
    assert alive == 0


def test_heredoc_and_quoted_text_is_the_text_terraform_renders(files) -> None:
    from asl_lint.extract import extract_definitions
    from asl_lint.files import References
    from asl_lint.source import load_documents

    # tree-sitter leaves the white space around an interpolation out of every node: the
    # text is taken from the file between the nodes, escapes decoded, indentation trimmed.
    text = resource('<<-EOF\n    {"StartAt": "A", "States": {"A": {"Type": "Pass", "End": true,\n'
                    '      "Comment": "say ${var.name}  twice, $${not} %%{this}",\n'
                    '      %{ if var.on }"Result": "on"%{ else }"Result": "off"%{ endif }}}}\n    EOF') + \
        resource('"{\\"StartAt\\": \\"A\\", \\"States\\": {\\"A\\": {\\"Type\\": \\"Pass\\", \\"End\\": true,'
                 ' \\"Comment\\": \\"a ${local.b} \\\\u00e9\\"}}}"', "quoted")
    files("main.tf", text)
    document = load_documents(text, "main.tf", "hcl")[0]
    found = {d.machine: d.data["States"]["A"] for d in extract_definitions(document, "main.tf", None,
                                                                          References()).definitions}
    assert found["aws_sfn_state_machine.flow"]["Comment"] == "say ${var.name}  twice, ${not} %{this}"
    assert found["aws_sfn_state_machine.flow"]["Result"] == "on"  # the first branch
    assert found["aws_sfn_state_machine.quoted"]["Comment"] == "a ${local.b} é"


# ---- hostile and costly Terraform: a diagnostic, never a RecursionError or a long wait


def machine_using(definition: str, name: str = "flow") -> str:
    return resource(definition, name)


@pytest.mark.parametrize("definition", [
    "trimspace(" * 3000 + '"{}"' + ")" * 3000,
    "templatefile(" + "abspath(" * 3000 + '"flow.json"' + ")" * 3000 + ", {})",
    "<<EOF\n" + "%{ if true }" * 3000 + "{}" + "%{ endif }" * 3000 + "\nEOF",
], ids=["trimspace", "abspath", "directives"])
def test_expressions_nested_thousands_deep_are_too_deep_not_a_crash(files, found, definition: str) -> None:
    files("main.tf", machine_using(definition))
    result = lint_paths(["main.tf"], Config())
    assert [(d.rule, d.line) for d in result.diagnostics] == [("ASL006", 4)]
    assert "nested more than 50 deep" in result.diagnostics[0].message


def test_a_template_file_that_renders_itself_is_a_loop_not_a_crash(files, found) -> None:
    files("main.tf", machine_using("data.template_file.flow.rendered")
          + 'data "template_file" "flow" {\n  template = data.template_file.flow.rendered\n}\n')
    result = lint_paths(["main.tf"], Config())
    assert [d.rule for d in result.diagnostics] == ["ASL015"] and "renders itself" in result.diagnostics[0].message


def test_a_case_insensitive_retry_never_lists_outside_the_tree(files, tmp_path: Path) -> None:
    outside = tmp_path.parent / f"{tmp_path.name}-outside"
    (outside / "flows").mkdir(parents=True)
    (outside / "flows" / "private-name.json").write_text('{"StartAt": "A", "States": {"A": {"Type": "Succeed"}}}')
    os.symlink(outside / "flows", tmp_path / "flows")
    files("main.tf", machine_using('templatefile("${path.module}/Flows/PRIVATE-NAME.json", {})'))
    result = lint_paths(["main.tf"], Config())
    assert "private-name" not in " ".join(d.message for d in result.diagnostics)
    assert [d.rule for d in result.diagnostics] == ["ASL007"]


def test_one_local_used_by_many_machines_is_read_and_checked_once(files, monkeypatch) -> None:
    from asl_lint import engine

    states = "\n".join(f'      S{i} = {{ Type = "Pass", Next = "S{i + 1}" }}' for i in range(30))
    text = ('locals {\n  flow = jsonencode({\n    StartAt = "S0"\n    States = {\n' + states +
            '\n      S30 = { Type = "Pass", Next = "Gone" }\n    }\n  })\n}\n')
    text += "".join(machine_using("local.flow", f"m{number}") for number in range(20))
    files("main.tf", text)
    checks = []
    real_check = engine.check_definition
    monkeypatch.setattr(engine, "check_definition", lambda *args: checks.append(1) or real_check(*args))
    result = lint_paths(["main.tf"], Config())
    assert len(checks) == 1 and result.machines == 20
    assert sorted(d.rule for d in result.diagnostics) == ["ASL202", "ASL206"]  # once each, at the local


def test_many_variable_lookups_index_the_module_once(files, monkeypatch) -> None:
    from asl_lint.extract.terraform import machines as finding, modules as reading

    variables = "".join(f'variable "d{number}" {{\n  default = "{{\\"StartAt\\": \\"A\\", \\"States\\": '
                        f'{{\\"A\\": {{\\"Type\\": \\"Succeed\\"}}}}}}"\n}}\n' for number in range(60))
    machines = "".join(machine_using(f"var.d{number}", f"m{number}") for number in range(60))
    files("main.tf", variables + machines)
    walks = []
    real_blocks = finding.top_blocks
    for where in (finding, reading):  # finding the machines, indexing the module
        monkeypatch.setattr(where, "top_blocks", lambda hcl: walks.append(1) or real_blocks(hcl))
    result = lint_paths(["main.tf"], Config())
    assert result.machines == 60 and result.diagnostics == []
    assert len(walks) <= 3  # the machines, the index; not one walk per lookup


def test_one_template_rendered_by_many_calls_is_checked_once_and_each_use_on_its_own(files, monkeypatch) -> None:
    from asl_lint import engine

    files("flow.json.tpl", '{"StartAt": "A", "States": {"A": {"Type": "Task", "Resource": "${fn}", "Next": "Gone"}}}')
    calls = "".join(machine_using('templatefile("${path.module}/flow.json.tpl", %s)'
                                  % ("{ fn = \"arn\" }" if number else "{}"), f"m{number}") for number in range(30))
    files("main.tf", calls)
    parts = []
    real_check = engine.check_definition
    monkeypatch.setattr(engine, "check_definition", lambda definition, config, part="all": parts.append(part)
                        or real_check(definition, config, part))
    result = lint_paths(["main.tf"], Config())
    # Two distinct renders (fn known as "arn", and no fn): each checked once, for 30 calls.
    assert parts.count("definition") == 2 and parts.count("use") == 2
    assert {"ASL009", "ASL202"} <= {d.rule for d in result.diagnostics}
    assert [d.machine for d in result.diagnostics if d.rule == "ASL009"] == ["aws_sfn_state_machine.m0"]
